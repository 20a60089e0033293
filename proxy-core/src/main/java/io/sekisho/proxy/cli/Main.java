package io.sekisho.proxy.cli;

/** Entry point of sekisho.jar. STUB until the CLI lands. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.err.println("sekisho: not yet implemented");
        System.exit(2);
    }
}

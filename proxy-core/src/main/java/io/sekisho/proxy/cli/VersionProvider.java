package io.sekisho.proxy.cli;

import picocli.CommandLine;

/** The version from the jar manifest (Implementation-Version, set by the build). */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"sekisho " + version()};
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}

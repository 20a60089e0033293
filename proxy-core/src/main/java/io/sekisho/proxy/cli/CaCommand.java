package io.sekisho.proxy.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sekisho ca ...}: the trial-CA tooling. Placeholder: the TLS interception work (issue 3)
 * fills {@code init} with tls-mitm's CA generator.
 */
@Command(name = "ca", description = "Corporate CA tooling for TLS interception.",
        subcommands = CaCommand.Init.class)
final class CaCommand {

    @Command(name = "init", description = "Create a trial CA in DIR (not available yet).")
    static final class Init implements Callable<Integer> {
        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the CA.")
        Path out;

        @Override
        public Integer call() {
            // TODO(issue 3): generate the trial CA with tls-mitm.
            System.err.println("sekisho ca init: not available in this build (TLS interception is not built yet)");
            return 2;
        }
    }
}

package io.sekisho.proxy.cli;

import io.sekisho.tls.CaInit;
import io.sekisho.tls.KeyType;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sekisho ca ...}: the trial-CA tooling (docs/ca.md). */
@Command(name = "ca", mixinStandardHelpOptions = true, description = "Corporate CA tooling for TLS interception.",
        subcommands = CaCommand.Init.class)
final class CaCommand {

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Create a trial CA in DIR: ca.key (0600), ca.pem, ca.cer, ca.p12."
                    + " Refuses to overwrite existing files. For production use an intermediate of the corporate CA.")
    static final class Init implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the CA.")
        Path out;

        @Option(names = "--rsa", description = "An RSA-3072 key instead of EC P-256 (for clients without ECDSA).")
        boolean rsa;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            try {
                CaInit.Summary summary = new CaInit(Clock.systemUTC(), new SecureRandom())
                        .create(out, rsa ? KeyType.RSA_3072 : KeyType.EC_P256, label());
                PrintWriter o = spec.commandLine().getOut();
                o.print(summary.describe());
                o.flush();
                return 0;
            } catch (FileAlreadyExistsException e) {
                err.println("sekisho ca init: " + e.getFile() + " exists; refusing to overwrite a CA");
            } catch (IOException | GeneralSecurityException e) {
                err.println("sekisho ca init: cannot create the CA in " + out + ": " + e.getMessage());
            }
            err.flush();
            return 1;
        }

        /** The machine's name, so that trial CAs made on two machines are told apart in a trust store. */
        private static String label() {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                return "trial";
            }
        }
    }
}

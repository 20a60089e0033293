package io.sekisho.proxy.cli;

import io.sekisho.tls.CaInit;
import io.sekisho.tls.KeyType;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
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

        @Option(names = "--key-owner", paramLabel = "UID[:GID]",
                description = "Give ca.key (still 0600) to this user, e.g. 10001 for the container image's user."
                        + " Needs root.")
        String keyOwner;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            try {
                CaInit.Summary summary = new CaInit(Clock.systemUTC(), new SecureRandom())
                        .create(out, rsa ? KeyType.RSA_3072 : KeyType.EC_P256, label());
                if (keyOwner != null) {
                    giveKey(summary.keyFile(), keyOwner);
                }
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

        /**
         * Hands the key to the user the proxy runs as (the image's uid 10001): the key stays 0600,
         * readable by that user only, never by a group or the world.
         */
        private static void giveKey(Path key, String owner) throws IOException {
            if (!owner.matches("\\d{1,10}(:\\d{1,10})?")) {
                throw new IOException("--key-owner expects UID or UID:GID in numbers, e.g. 10001 or 10001:10001");
            }
            String[] ids = owner.split(":");
            int uid = Integer.parseInt(ids[0]);
            int gid = Integer.parseInt(ids.length > 1 ? ids[1] : ids[0]);
            Files.setAttribute(key, "unix:uid", uid);
            Files.setAttribute(key, "unix:gid", gid);
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

package io.sekisho.proxy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * The proxy users of the authentication tests and their passwords. The passwords are distinctive
 * so that the secret scan (LogSecretScanner) can prove none of them reaches a log.
 */
public final class ProxyUsers {
    public static final String ALICE = "alice";
    public static final String ALICE_PASSWORD = "Alice-pw-7Qx2!kV9";
    public static final String BOB = "bob";
    public static final String BOB_PASSWORD = "Bob-pw-3Lm8#tR4";
    /** Listed with an MD5-crypt hash, which Sekisho refuses to use: carol cannot sign in. */
    public static final String CAROL = "carol";
    public static final String CAROL_PASSWORD = "Carol-pw-9Zy1@hN6";
    /** A wrong password tried in the tests. */
    public static final String WRONG_PASSWORD = "Wrong-pw-5Jk0%pD2";

    private ProxyUsers() {
    }

    /** Every password above, for the secret scan. */
    public static List<String> passwords() {
        return List.of(ALICE_PASSWORD, BOB_PASSWORD, CAROL_PASSWORD, WRONG_PASSWORD, Slapd.SERVICE_PASSWORD);
    }

    /** {@code user:password} as a Basic token, as clients send it. */
    public static String basicToken(String user, String password) {
        return Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** An htpasswd file as {@code htpasswd -B} writes it (cost 5 to keep the tests quick), with carol in MD5-crypt. */
    public static Path writeHtpasswd(Path file) {
        SecureRandom random = new SecureRandom();
        StringBuilder s = new StringBuilder("# test users\n");
        for (String[] u : new String[][] {{ALICE, ALICE_PASSWORD}, {BOB, BOB_PASSWORD}}) {
            byte[] salt = new byte[16];
            random.nextBytes(salt);
            s.append(u[0]).append(':').append(OpenBSDBCrypt.generate("2y", u[1].toCharArray(), salt, 5)).append('\n');
        }
        s.append(CAROL).append(":$apr1$r31.....$HqJZimcKQFAMYayBlzkrA/\n");
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, s.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

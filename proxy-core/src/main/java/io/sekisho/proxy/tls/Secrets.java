package io.sekisho.proxy.tls;

import io.sekisho.config.SekishoConfig;
import io.sekisho.policy.Nullable;
import io.sekisho.tls.TlsSetupException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * Reads {@code tls.ca.password} from where the configuration points: an environment variable or
 * a file (never inline YAML). Messages name the variable or the file, never the value.
 */
final class Secrets {
    private Secrets() {
    }

    /** The secret as characters the caller clears after use; null when none is configured. */
    static char @Nullable [] read(SekishoConfig.@Nullable Secret secret, UnaryOperator<String> env)
            throws TlsSetupException {
        if (secret == null) {
            return null;
        }
        if (secret.env() != null) {
            String value = env.apply(secret.env());
            if (value == null) {
                throw new TlsSetupException("tls.ca.password: environment variable " + secret.env() + " is not set");
            }
            return value.toCharArray();
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(secret.file());
        } catch (IOException e) {
            throw new TlsSetupException("tls.ca.password: cannot read " + secret.file() + " ("
                    + e.getClass().getSimpleName() + ")");
        }
        try {
            CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes));
            int end = chars.limit();
            // A file written by `echo` ends with a newline that is not part of the password.
            while (end > 0 && (chars.get(end - 1) == '\n' || chars.get(end - 1) == '\r')) {
                end--;
            }
            char[] out = new char[end];
            chars.get(out, 0, end);
            Arrays.fill(chars.array(), '\0');
            return out;
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }
}

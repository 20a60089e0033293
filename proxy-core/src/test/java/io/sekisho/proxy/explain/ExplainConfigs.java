package io.sekisho.proxy.explain;

import io.sekisho.config.ConfigLoader;
import io.sekisho.config.LoadResult;
import io.sekisho.config.SekishoConfig;
import io.sekisho.tls.CaInit;
import io.sekisho.tls.KeyType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;

/**
 * The configuration explain's tests judge by: the corpus identities (corporate accounts
 * 111122223333 and 444455556666, start URL https://corp-example.awsapps.com/start), a trial CA
 * made in the test directory.
 */
public final class ExplainConfigs {
    public static final String YAML = """
            version: 1
            mode: %s
            domains:
              allow: [.amazonaws.com, .aws.amazon.com, .signin.aws, .awsapps.com, .awsstatic.com, .api.aws]
            tls:
              ca:
                certificate: ca/ca.pem
                privateKey: ca/ca.key
            aws:
              accounts:
                allow:
                  - {id: "111122223333", name: corp-prod}
                  - {id: "444455556666", name: corp-dev}
              s3:
                anonymousRead: ["public-datasets-*"]
              identityCenter:
                startUrls: ["https://corp-example.awsapps.com/start"]
            %s
            """;

    private ExplainConfigs() {
    }

    /** Writes the configuration (with {@code extra} YAML appended) and its CA into {@code dir}. */
    public static Path write(Path dir, String mode, String extra) throws IOException, GeneralSecurityException {
        if (!Files.exists(dir.resolve("ca"))) {
            new CaInit(Clock.systemUTC(), new SecureRandom()).create(dir.resolve("ca"), KeyType.EC_P256, "explain-test");
        }
        Path file = dir.resolve("sekisho-" + mode + ".yaml");
        Files.writeString(file, String.format(YAML, mode, extra), StandardCharsets.UTF_8);
        return file;
    }

    public static SekishoConfig load(Path file) {
        LoadResult r = ConfigLoader.load(file);
        if (!r.ok()) {
            throw new IllegalStateException(r.problems().toString());
        }
        return r.config();
    }
}

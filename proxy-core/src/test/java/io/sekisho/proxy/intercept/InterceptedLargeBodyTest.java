package io.sekisho.proxy.intercept;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.e2e.TestPki;
import io.sekisho.proxy.testing.AuditLines;
import io.sekisho.proxy.testing.Curl;
import io.sekisho.proxy.testing.ForkedProxyMain;
import io.sekisho.proxy.testing.RecordingOrigin;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 256 MiB upload and download through the intercepted path (TLS from curl to the proxy, TLS
 * from the proxy to an https origin) with the proxy's JVM bounded to 128 MiB of heap and of
 * direct memory: streaming with backpressure, no whole-body buffering, no leak.
 */
@Timeout(value = 400, unit = TimeUnit.SECONDS)
class InterceptedLargeBodyTest {
    private static final int SIZE = 256 * 1024 * 1024;

    @Test
    void twoHundredFiftySixMebibytesStreamBothWaysThroughABoundedInterceptingProxy(@TempDir Path dir)
            throws Exception {
        Path upload = dir.resolve("upload.bin");
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        writeRandomFile(upload, sha);
        String expectedSha = HexFormat.of().formatHex(sha.digest());
        TestPki originPki = TestPki.create(dir.resolve("origin-pki"));
        ProxyCa ca = ProxyCa.create(dir.resolve("proxy-ca"));
        Path audit = dir.resolve("audit.jsonl");
        Path stderr = dir.resolve("proxy.err");

        try (RecordingOrigin origin = new RecordingOrigin(originPki.leaf("origin.test").serverContext())) {
            Process proxy = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx128m", "-XX:MaxDirectMemorySize=128m", "-Dio.netty.leakDetection.level=advanced",
                    "-cp", System.getProperty("java.class.path"), ForkedProxyMain.class.getName(),
                    Integer.toString(origin.port()), audit.toString(), ca.pem().toString(), ca.key().toString(),
                    originPki.caPem().toString()))
                    .redirectError(stderr.toFile()).start();
            try (OutputStream stdin = proxy.getOutputStream()) {
                BufferedReader out = new BufferedReader(new InputStreamReader(proxy.getInputStream(),
                        StandardCharsets.US_ASCII));
                String first = out.readLine();
                assertThat(first).as("proxy stderr: %s", Files.exists(stderr) ? Files.readString(stderr) : "")
                        .startsWith("PORT ");
                String url = "http://127.0.0.1:" + first.substring(5);

                Curl.Result up = Curl.viaProxyWithin(160, url, "--cacert", ca.pem().toString(),
                        "--data-binary", "@" + upload, "-H", "Expect:", "https://origin.test/upload");
                assertThat(up.status()).as(up.stderr()).isEqualTo(200);
                RecordingOrigin.Recorded got = origin.awaitRequest(1);
                assertThat(got.bodyLength()).isEqualTo(SIZE);
                assertThat(got.sha256()).isEqualTo(expectedSha);

                Curl.Result down = Curl.viaProxyWithin(160, url, "--cacert", ca.pem().toString(), "-o", "/dev/null",
                        "https://origin.test/large/" + SIZE);
                assertThat(down.exitCode()).as(down.stderr()).isZero();
                assertThat(down.status()).isEqualTo(200);
            }
            assertThat(proxy.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String err = Files.readString(stderr);
            assertThat(err).doesNotContain("LEAK", "OutOfMemoryError");
            assertThat(new AuditLines(audit).all())
                    .anySatisfy(l -> assertThat(l).containsEntry("method", "POST").containsEntry("bytesUp", (long) SIZE))
                    .anySatisfy(l -> assertThat(l).containsEntry("method", "GET")
                            .containsEntry("bytesDown", (long) SIZE));
        }
    }

    private static void writeRandomFile(Path file, MessageDigest sha) throws Exception {
        Random r = new Random(1);
        byte[] block = new byte[1024 * 1024];
        try (OutputStream o = Files.newOutputStream(file)) {
            for (int i = 0; i < SIZE / block.length; i++) {
                r.nextBytes(block);
                sha.update(block);
                o.write(block);
            }
        }
    }
}

package io.sekisho.proxy.forward;

import static org.assertj.core.api.Assertions.assertThat;

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
 * A 100 MiB upload and a 100 MiB download through a proxy whose JVM has a 64 MiB heap and 64 MiB
 * of direct memory: any whole-body buffering would fail. Its stderr must not mention a leak.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class LargeBodyTest {
    private static final int SIZE = 100 * 1024 * 1024;

    @Test
    void hundredMebibytesStreamBothWaysThroughABoundedProxy(@TempDir Path dir) throws Exception {
        Path upload = dir.resolve("upload.bin");
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        writeRandomFile(upload, sha);
        String expectedSha = HexFormat.of().formatHex(sha.digest());
        Path audit = dir.resolve("audit.jsonl");
        Path stderr = dir.resolve("proxy.err");

        try (RecordingOrigin origin = new RecordingOrigin()) {
            Process proxy = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx64m", "-XX:MaxDirectMemorySize=64m", "-Dio.netty.leakDetection.level=advanced",
                    "-cp", System.getProperty("java.class.path"), ForkedProxyMain.class.getName(),
                    Integer.toString(origin.port()), audit.toString()))
                    .redirectError(stderr.toFile()).start();
            try (OutputStream stdin = proxy.getOutputStream()) {
                BufferedReader out = new BufferedReader(new InputStreamReader(proxy.getInputStream(),
                        StandardCharsets.US_ASCII));
                String first = out.readLine();
                assertThat(first).as("proxy stderr: %s", Files.exists(stderr) ? Files.readString(stderr) : "")
                        .startsWith("PORT ");
                String url = "http://127.0.0.1:" + first.substring(5);

                Curl.Result up = Curl.viaProxyWithin(120, url, "--data-binary", "@" + upload, "-H", "Expect:",
                        "http://origin.test/upload");
                assertThat(up.status()).as(up.stderr()).isEqualTo(200);
                RecordingOrigin.Recorded got = origin.awaitRequest(1);
                assertThat(got.bodyLength()).isEqualTo(SIZE);
                assertThat(got.sha256()).isEqualTo(expectedSha);

                // curl fails (18) when fewer bytes than the Content-Length arrive.
                Curl.Result down = Curl.viaProxyWithin(120, url, "-o", "/dev/null", "http://origin.test/large/" + SIZE);
                assertThat(down.exitCode()).as(down.stderr()).isZero();
                assertThat(down.status()).isEqualTo(200);
            }
            assertThat(proxy.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String err = Files.readString(stderr);
            assertThat(err).doesNotContain("LEAK", "OutOfMemoryError");
            assertThat(new AuditLines(audit).all()).hasSize(2)
                    .anySatisfy(l -> assertThat(l).containsEntry("bytesUp", (long) SIZE))
                    .anySatisfy(l -> assertThat(l).containsEntry("bytesDown", (long) SIZE));
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

package io.sekisho.proxy.explain;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.proxy.cli.Main;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * explain opens no network connection and makes no DNS query: it runs in a JVM whose security
 * policy grants no {@code SocketPermission} at all (connect, listen, resolve), and judges HAR
 * files, a curl command line and URLs there exactly as it does here. A control run of a program
 * that does open a socket fails under the same policy, so the harness can fail.
 */
@Timeout(120)
class ExplainOpensNoConnectionTest {
    @TempDir
    Path dir;

    /** Opens a loopback socket: the control that must be refused. */
    public static final class OpensASocket {
        public static void main(String[] args) throws IOException {
            try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                    Socket s = new Socket(java.net.InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                System.out.println("connected " + s.isConnected());
            }
        }
    }

    private record Run(int code, String out, String err) {
    }

    private Run underNoNetworkPolicy(String mainClass, String... args) throws Exception {
        Path policy = Path.of(getClass().getResource("/explain/no-network.policy").toURI());
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.security.manager", "-Djava.security.policy==" + policy, "-cp",
                System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(100, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void theControlProgramIsRefusedItsSocket() throws Exception {
        Run r = underNoNetworkPolicy(OpensASocket.class.getName());
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("java.security.AccessControlException", "java.net.SocketPermission");
        assertThat(r.out()).doesNotContain("connected");
    }

    @Test
    void explainJudgesHarsCurlAndUrlsWithoutAnySocketPermission() throws Exception {
        Path config = ExplainConfigs.write(dir, "enforce", "  keyInfoResolver: {region: us-east-1}\n");
        String har = Path.of(getClass().getResource("/explain/identity-center-console-signin.har").toURI()).toString();
        String foreign = Path.of(getClass().getResource("/explain/foreign-account-signin.har").toURI()).toString();
        String oldKey = "curl https://sqs.us-east-1.amazonaws.com/ -H 'Authorization: AWS4-HMAC-SHA256"
                + " Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=00'";
        Run r = underNoNetworkPolicy(Main.class.getName(), "explain", "--config", config.toString(), har, foreign,
                oldKey, "https://example.com/", "http://169.254.169.254/latest/meta-data/");
        assertThat(r.err()).doesNotContain("AccessControlException").doesNotContain("Exception");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("identity-center-console-signin.har#3", "ALLOW AWS_SIGNIN_ALLOWED",
                "DENY AWS_SIGNIN_TOKEN_UNKNOWN", "would need an STS lookup", "DENY AWS_KEY_UNRESOLVABLE",
                "10 request(s): 4 allowed, 6 denied or would be denied");
    }
}

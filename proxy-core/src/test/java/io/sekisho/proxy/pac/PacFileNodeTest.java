package io.sekisho.proxy.pac;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.proxy.explain.ExplainConfigs;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated PAC file, executed by Node (src/test/resources/pac/harness.js supplies the
 * standard PAC helpers; its DNS helpers throw) against sample URLs. Node is on every CI machine
 * (.ci/run checks it); without it the test fails under CI=true and is skipped elsewhere.
 */
@Timeout(60)
class PacFileNodeTest {
    private static final String PROXY = "PROXY proxy.bank.example:3128";

    @TempDir
    Path dir;

    static Path node() {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(d, "node");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError("node is not installed; .ci/run installs it (Debian package nodejs)");
        }
        Assumptions.abort("node not found on PATH: apt-get install -y nodejs");
        return null;
    }

    private Map<String, String> run(Path pac, List<String> urls) throws Exception {
        Path harness = Path.of(getClass().getResource("/pac/harness.js").toURI());
        List<String> cmd = new ArrayList<>(List.of(node().toString(), harness.toString(), pac.toString()));
        cmd.addAll(urls);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        Map<String, String> answers = new LinkedHashMap<>();
        out.lines().forEach(l -> answers.put(l.substring(0, l.indexOf(' ')), l.substring(l.indexOf(' ') + 1)));
        return answers;
    }

    @Test
    void allowedDomainsAndAwsHostsGoToTheProxyAndPacDirectGoesDirect() throws Exception {
        Path config = ExplainConfigs.write(dir, "enforce", """
                pac:
                  direct: [.intranet.bank.example, 10.0.0.0/8, .com, "*.corp.internal"]
                """);
        String yaml = Files.readString(config).replace("allow: [.amazonaws.com,",
                "allow: [api.intranet.bank.example, 10.40.0.0/16, .amazonaws.com,");
        Files.writeString(config, yaml);
        Path pac = dir.resolve("proxy.pac");
        Files.writeString(pac, PacFile.of(ExplainConfigs.load(config), "proxy.bank.example:3128").text());

        Map<String, String> got = run(pac, List.of(
                "https://s3.amazonaws.com/bucket/key",
                "https://eu-west-1.signin.aws.amazon.com/federation",
                "https://corp-example.awsapps.com/start",
                "https://d111111abcdef8.cloudfront.net/",
                "https://wiki.intranet.bank.example/",
                "https://WIKI.Intranet.Bank.Example./",
                "https://api.intranet.bank.example/v1",
                "http://10.1.2.3/",
                "http://10.40.1.1/",
                "http://192.168.1.1/",
                "https://example.com/",
                "https://x.corp.internal/",
                "https://corp.internal/",
                "https://www.example.org/"));
        assertThat(got).containsExactly(
                Map.entry("https://s3.amazonaws.com/bucket/key", PROXY),
                Map.entry("https://eu-west-1.signin.aws.amazon.com/federation", PROXY),
                Map.entry("https://corp-example.awsapps.com/start", PROXY),
                Map.entry("https://d111111abcdef8.cloudfront.net/", PROXY),
                Map.entry("https://wiki.intranet.bank.example/", "DIRECT"),
                Map.entry("https://WIKI.Intranet.Bank.Example./", "DIRECT"),
                Map.entry("https://api.intranet.bank.example/v1", PROXY),
                Map.entry("http://10.1.2.3/", "DIRECT"),
                Map.entry("http://10.40.1.1/", PROXY),
                Map.entry("http://192.168.1.1/", PROXY),
                Map.entry("https://example.com/", "DIRECT"),
                Map.entry("https://x.corp.internal/", "DIRECT"),
                Map.entry("https://corp.internal/", PROXY),
                Map.entry("https://www.example.org/", PROXY));
    }

    @Test
    void withoutPacDirectEverythingGoesToTheProxy() throws Exception {
        Path config = ExplainConfigs.write(dir, "report", "");
        Path pac = dir.resolve("proxy.pac");
        Files.writeString(pac, PacFile.of(ExplainConfigs.load(config), "127.0.0.1:3128").text());
        assertThat(Files.readString(pac)).contains("var DIRECT_RULES = [];");
        assertThat(run(pac, List.of("https://intranet/", "http://10.0.0.1/", "https://sts.amazonaws.com/")).values())
                .containsOnly("PROXY 127.0.0.1:3128");
    }
}

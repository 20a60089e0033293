package io.sekisho.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.tls.CaInit;
import io.sekisho.tls.KeyType;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code sekisho import-squid} on realistic configurations (src/test/resources/squid): the YAML it
 * writes passes the real {@code check}, every construct left out is reported as file:line, and
 * first-match differences and the Identity Center sign-in trap are warned about.
 */
class ImportSquidCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Main.commandLine(Wiring.DEFAULT);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private Path copy(String... names) throws Exception {
        for (String n : names) {
            Files.copy(Path.of(getClass().getResource("/squid/" + n).toURI()), dir.resolve(n));
        }
        return dir.resolve(names[0]);
    }

    private int check(Path yaml) {
        StringWriter checked = new StringWriter();
        CommandLine cl = Main.commandLine(Wiring.DEFAULT);
        cl.setOut(new PrintWriter(checked, true));
        cl.setErr(new PrintWriter(checked, true));
        int code = cl.execute("check", "--config", yaml.toString());
        assertThat(checked.toString()).contains("config OK:");
        return code;
    }

    @Test
    void theBlogConfigWarnsThatTheSigninDenyBreaksIdentityCenterAndProposesTheAccountAllowlist() throws Exception {
        Path conf = copy("blog-aws.conf");
        Path yaml = dir.resolve("sekisho.yaml");
        assertThat(run("import-squid", "--out", yaml.toString(), conf.toString())).isZero();
        String findings = err.toString();
        assertThat(findings).contains(conf + ":6: warning: deny .signin.aws.amazon.com breaks the company's own IAM"
                + " Identity Center console sign-in")
                .contains("aws.accounts.allow with aws.identityCenter.startUrls (https://xxxx.awsapps.com/start)")
                .contains(conf + ":7: warning: allow .cloudfront.net opens every customer's CloudFront distribution");
        String written = Files.readString(yaml);
        assertThat(written).contains("    - \".signin.aws.amazon.com\"", "    - \"xxxx.awsapps.com\"",
                "#       - \"https://xxxx.awsapps.com/start\"", "listen: \"0.0.0.0:3128\"", "mode: report");
        assertThat(check(yaml)).isZero();
    }

    @Test
    void theProposalOnceUncommentedAndFilledInPassesCheckToo() throws Exception {
        Path conf = copy("blog-aws.conf");
        run("import-squid", conf.toString());
        new CaInit(Clock.systemUTC(), new SecureRandom()).create(dir.resolve("ca"), KeyType.EC_P256, "import-test");
        String written = out.toString();
        int proposal = written.indexOf("## Proposed");
        String accountAware = (written.substring(0, proposal) + written.substring(proposal).replaceAll("(?m)^# ", ""))
                .lines()
                .filter(l -> !l.contains("\".signin.aws.amazon.com\""))
                .map(l -> l.equals("  deny:") ? "  deny: []" : l)
                .map(l -> l.replace("ca/proxy-ca.pem", "ca/ca.pem").replace("ca/proxy-ca.key", "ca/ca.key"))
                .collect(Collectors.joining("\n"));
        Path yaml = dir.resolve("account-aware.yaml");
        Files.writeString(yaml, accountAware + "\n");
        assertThat(accountAware).contains("aws:\n  accounts:\n    allow:");
        assertThat(check(yaml)).isZero();
    }

    @Test
    void aCorporateConfigConvertsAndReportsEveryConstructItLeavesOutAsFileAndLine() throws Exception {
        Path conf = copy("corporate.conf", "allowed-sites.txt");
        Path sites = dir.resolve("allowed-sites.txt");
        Path yaml = dir.resolve("corporate.yaml");
        assertThat(run("import-squid", "-o", yaml.toString(), conf.toString())).isEqualTo(1);
        String findings = err.toString();
        assertThat(findings)
                .contains(conf + ":29: not converted: http_port intercept")
                .contains(conf + ":31: not converted: cache_peer sibling.example sibling 3128 3130")
                .contains(conf + ":36: not converted: url_rewrite_program /usr/local/bin/rewrite")
                .contains(conf + ":14: not converted: dstdom_regex ^.*tracker.*$ is not exactly a domain pattern")
                .contains(conf + ":25: not converted: http_access allow localnet office_hours (acl office_hours of type time")
                .contains(conf + ":12: warning: order matters here: for www.github.com Squid answers allow (first match:"
                        + " .github.com at " + conf + ":21) but Sekisho answers deny")
                .contains(conf + ": 5 not converted, 2 warning(s)")
                .doesNotContain("AWS account");
        String written = Files.readString(yaml);
        assertThat(written)
                .contains("    - \".github.com\"        # " + sites + ":5 acl allowed_sites")
                .contains("    - \"security.debian.org\"        # " + sites + ":4 acl allowed_sites")
                .contains("    - \".cdn.bank.example\"", "    - \"*.statuspage.io\"", "    - \"api.vendor.example\"")
                .contains("  deny:\n    - \"www.github.com\"")
                .contains("parent: \"proxy.parent.example:8080\"", "ports:\n  connect: [443]")
                .contains("# clients:\n#   allow:\n#     - \"10.0.0.0/8\"", "#     - \"172.16.0.0/12\"")
                .doesNotContain("Proposed");
        assertThat(check(yaml)).isZero();
    }

    @Test
    void anUnreadableFileExitsThree() {
        assertThat(run("import-squid", dir.resolve("none.conf").toString())).isEqualTo(3);
    }
}

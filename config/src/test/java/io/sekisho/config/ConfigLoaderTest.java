package io.sekisho.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.config.Problem.Severity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading from files: whole-file problems, relative paths, encodings and secret hygiene. */
class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void missingFileIsOneProblemWithoutPosition() {
        Path file = dir.resolve("nope.yaml");
        LoadResult r = ConfigLoader.load(file);

        assertThat(r.ok()).isFalse();
        assertThat(r.problems()).containsExactly(new Problem(file.toString(), 0, 0, Severity.ERROR, "no such file"));
        assertThat(r.problems().get(0)).hasToString(file + ": no such file");
    }

    @Test
    void adminListenIsLoopback9128ByDefaultAnAddressOrOff() {
        assertThat(ConfigLoader.parse("version: 1\n", "a.yaml").config().adminListen())
                .isEqualTo(new SekishoConfig.HostPort("127.0.0.1", 9128));
        assertThat(ConfigLoader.parse("version: 1\nadmin:\n  listen: \"[::1]:9200\"\n", "a.yaml").config()
                .adminListen()).isEqualTo(new SekishoConfig.HostPort("::1", 9200));
        assertThat(ConfigLoader.parse("version: 1\nadmin:\n  listen: off\n", "a.yaml").config().adminListen())
                .isNull();
        assertThat(ConfigLoader.builtInDefault().adminListen()).isEqualTo(new SekishoConfig.HostPort("127.0.0.1", 9128));
    }

    @Test
    void directoryIsRefused() {
        LoadResult r = ConfigLoader.load(dir);

        assertThat(r.problems()).extracting(Problem::message).containsExactly("is a directory, not a config file");
    }

    @Test
    void nonUtf8IsRefused() throws Exception {
        Path file = dir.resolve("latin1.yaml");
        Files.write(file, "version: 1\nblockPage:\n  contact: \"M\u00fcller\"\n".getBytes(StandardCharsets.ISO_8859_1));

        assertThat(ConfigLoader.load(file).problems()).extracting(Problem::message).containsExactly("not UTF-8 text");
    }

    @Test
    void oversizedFileIsRefusedBeforeParsing() throws Exception {
        Path file = dir.resolve("huge.yaml");
        Files.write(file, new byte[ConfigLoader.MAX_FILE_BYTES + 1]);

        assertThat(ConfigLoader.load(file).problems()).extracting(Problem::message)
                .containsExactly("larger than 1048576 bytes; is this the config file?");
    }

    @Test
    void byteOrderMarkIsAccepted() throws Exception {
        Path file = dir.resolve("bom.yaml");
        Files.writeString(file, "\uFEFFversion: 1\n");

        assertThat(ConfigLoader.load(file).ok()).isTrue();
    }

    @Test
    void relativePathsResolveAgainstTheConfigFilesDirectoryNotTheWorkingDirectory() throws Exception {
        Path sub = Files.createDirectories(dir.resolve("etc/sekisho"));
        Files.writeString(sub.resolve("root.pem"), "x");
        Files.writeString(sub.resolve("sekisho.yaml"),
                "version: 1\naudit: {file: audit.log}\nupstream:\n  trustedCertificates: [root.pem]\n");

        SekishoConfig c = ConfigLoader.load(sub.resolve("sekisho.yaml")).config();

        assertThat(c.upstream().trustedCertificates()).containsExactly(sub.resolve("root.pem"));
        assertThat(c.auditFile()).isEqualTo(sub.resolve("audit.log").toString());
    }

    @Test
    void inlinePasswordIsNeverRepeatedInAnyProblem() throws Exception {
        Files.writeString(dir.resolve("ca.p12"), "x");
        String secret = "s3cr3t-Pa55word";
        for (String password : List.of("\"" + secret + "\"", "[" + secret + "]", "{env: " + secret + "-x}",
                "{env: \"" + secret + " x\"}")) {
            String yaml = "version: 1\ntls:\n  ca:\n    pkcs12: ca.p12\n    password: " + password + "\n";
            LoadResult r = ConfigLoader.parse(yaml, dir.resolve("s.yaml").toString());

            assertThat(r.ok()).as(password).isFalse();
            assertThat(ConfigReport.format(r)).as(password).doesNotContain(secret);
        }
    }

    @Test
    void passwordFromEnvironmentNamesTheVariableOnly() throws Exception {
        Files.writeString(dir.resolve("ca.p12"), "x");
        String yaml = "version: 1\ntls:\n  ca:\n    pkcs12: ca.p12\n    password: {env: SEKISHO_CA_PASSWORD}\n"
                + "aws:\n  accounts:\n    allow: ['111122223333']\n";

        LoadResult r = ConfigLoader.parse(yaml, dir.resolve("s.yaml").toString());

        assertThat(r.problems()).isEmpty();
        assertThat(r.config().tls().password()).isEqualTo(new SekishoConfig.Secret("SEKISHO_CA_PASSWORD", null));
    }

    @Test
    void listenOnPortZeroIsAllowedForTests() {
        LoadResult r = ConfigLoader.parse("version: 1\nlisten: \"127.0.0.1:0\"\n", "t.yaml");

        assertThat(r.config().listen()).isEqualTo(new SekishoConfig.HostPort("127.0.0.1", 0));
    }

    @Test
    void problemsComeOutInFileOrderEvenWhenFoundOutOfOrder() {
        // aws.accounts is checked after tls, but it is written first.
        String yaml = "version: 1\naws:\n  accounts:\n    allow: ['111122223333']\nmode: nope\n";
        LoadResult r = ConfigLoader.parse(yaml, "t.yaml");

        assertThat(r.problems()).extracting(Problem::line).containsExactly(3, 5);
    }

    @Test
    void summaryCountsRulesAndWarnings() {
        LoadResult ok = ConfigLoader.parse("version: 1\ndomains:\n  allow: [a.example, .b.example]\n"
                + "  deny: [c.b.example]\n", "t.yaml");
        LoadResult bad = ConfigLoader.parse("version: 1\nmode: x\nlisten: y\nports: {connect: [443, 443]}\n", "t.yaml");

        assertThat(ConfigReport.summary(ok)).isEqualTo("config OK: 2 allow rules, 1 deny rule, 0 warnings");
        assertThat(ConfigReport.summary(bad)).isEqualTo("config invalid: 2 errors, 1 warning");
    }
}

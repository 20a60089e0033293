package io.sekisho.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.proxy.explain.ExplainConfigs;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code sekisho pac}: the address clients use, and a refusal to guess it from a wildcard listen. */
class PacCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Main.commandLine(Wiring.DEFAULT);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(out, true));
        return cl.execute(args);
    }

    @Test
    void printsThePacFileForTheAddressGiven() throws Exception {
        Path config = ExplainConfigs.write(dir, "enforce", "pac:\n  direct: [.intranet.example]\n");
        assertThat(run("pac", "--config", config.toString(), "--proxy", "proxy.bank.example:3128")).isZero();
        assertThat(out.toString()).contains("var PROXY = \"PROXY proxy.bank.example:3128\";",
                "[\"apex\", \"intranet.example\", 4]", "function FindProxyForURL(url, host)");
    }

    @Test
    void aWildcardListenNeedsTheAddressClientsUse() throws Exception {
        Path config = ExplainConfigs.write(dir, "enforce", "");
        Files.writeString(config, Files.readString(config).replace("mode:", "listen: \"0.0.0.0:3128\"\nmode:"));
        assertThat(run("pac", "--config", config.toString())).isEqualTo(2);
        assertThat(out.toString()).contains("give the address clients use with --proxy");
    }
}

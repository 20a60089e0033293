package io.sekisho.proxy.cli;

import io.sekisho.proxy.squid.SquidImport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sekisho import-squid squid.conf}: the Sekisho YAML on stdout (or {@code --out}), the
 * findings as {@code file:line: …} on stderr. Exit 0 when everything converted, 1 when something
 * was not converted, 3 when the file cannot be read.
 */
@Command(name = "import-squid", mixinStandardHelpOptions = true,
        description = "Convert a squid.conf into a Sekisho configuration and report what differs.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:converted entirely", "1:converted; some constructs were not (see the findings)",
                "2:bad command line", "3:the file cannot be read"})
final class ImportSquidCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Write the YAML here instead of stdout.")
    Path out;

    @Parameters(paramLabel = "SQUID_CONF", description = "The squid.conf to convert.")
    Path squidConf = Path.of("squid.conf"); // picocli sets it: the parameter is required

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        SquidImport.Result r;
        try {
            r = SquidImport.convert(squidConf);
            if (out != null) {
                Files.writeString(out, r.yaml(), StandardCharsets.UTF_8);
            } else {
                spec.commandLine().getOut().print(r.yaml());
                spec.commandLine().getOut().flush();
            }
        } catch (IOException e) {
            err.println("sekisho import-squid: " + e.getMessage());
            err.flush();
            return 3;
        }
        r.findings().forEach(err::println);
        err.printf("%s: %d not converted, %d warning(s)%n", squidConf, r.notConverted(), r.warnings());
        err.flush();
        return r.notConverted() > 0 ? 1 : 0;
    }
}

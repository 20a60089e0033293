package io.sekisho.proxy.cli;

import io.sekisho.config.SekishoConfig;
import io.sekisho.policy.Nullable;
import io.sekisho.proxy.tls.Interception;
import io.sekisho.tls.TlsProvider;
import io.sekisho.tls.TlsSetupException;
import io.sekisho.tls.UpstreamTls;
import java.time.Clock;
import io.sekisho.config.LoadResult;
import io.sekisho.config.Problem;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sekisho check --config FILE}: every problem as file:line:col, then the CA and the
 * trusted certificates loaded exactly as {@code run} loads them (same messages); exit 1 on errors.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Validate a configuration file and print every problem.")
final class CheckCommand implements Callable<Integer> {
    private final Wiring wiring;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The YAML file to check.")
    Path config;

    CheckCommand(Wiring wiring) {
        this.wiring = wiring;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        LoadResult r = wiring.load(config);
        for (Problem p : r.problems()) {
            out.println(p);
        }
        int errors = r.errors().size();
        int warnings = r.warnings().size();
        SekishoConfig loaded = r.config();
        if (loaded != null) {
            String tlsProblem = tlsProblem(loaded);
            if (tlsProblem != null) {
                out.println(config + ": " + tlsProblem);
                errors++;
            }
        }
        if (errors > 0 || !r.ok()) {
            out.printf("%s: %d error(s), %d warning(s)%n", config, errors, warnings);
            out.flush();
            return 1;
        }
        out.printf("%s: OK, %d warning(s)%n", config, warnings);
        out.flush();
        return 0;
    }

    /** What {@code run} would refuse to start with, in its words; null when it would start. */
    private static @Nullable String tlsProblem(SekishoConfig cfg) {
        try {
            UpstreamTls.create(cfg.upstream().trustedCertificates(), TlsProvider.JDK);
            if (cfg.tls() != null) {
                Interception.check(cfg.tls(), Clock.systemUTC(), System::getenv);
            }
            return null;
        } catch (TlsSetupException e) {
            return e.getMessage();
        }
    }
}

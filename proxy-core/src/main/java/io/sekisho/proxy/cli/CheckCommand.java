package io.sekisho.proxy.cli;

import io.sekisho.config.ConfigReport;
import io.sekisho.config.LoadResult;
import io.sekisho.config.Problem;
import io.sekisho.config.SekishoConfig;
import io.sekisho.policy.Nullable;
import io.sekisho.proxy.tls.Interception;
import io.sekisho.tls.TlsProvider;
import io.sekisho.tls.TlsSetupException;
import io.sekisho.tls.UpstreamTls;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sekisho check --config FILE}: every problem as file:line:col, then the CA and the
 * trusted certificates loaded exactly as {@code run} loads them (same messages), then the summary
 * line of {@link ConfigReport} (docs/configuration.md shows it); exit 1 on errors.
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
        LoadResult r = withTlsProblem(wiring.load(config));
        out.println(ConfigReport.format(r));
        out.flush();
        return r.ok() ? 0 : 1;
    }

    /**
     * A file that loads but names a CA or trusted certificates {@code run} would refuse becomes
     * invalid, with {@code run}'s message as a problem of the file as a whole.
     */
    private LoadResult withTlsProblem(LoadResult r) {
        SekishoConfig loaded = r.config();
        if (loaded == null) {
            return r;
        }
        String tlsProblem = tlsProblem(loaded);
        if (tlsProblem == null) {
            return r;
        }
        List<Problem> problems = new ArrayList<>(r.problems());
        problems.add(new Problem(config.toString(), 0, 0, Problem.Severity.ERROR, tlsProblem));
        return new LoadResult(null, problems);
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

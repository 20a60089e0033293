package io.sekisho.proxy.cli;

import io.sekisho.config.LoadResult;
import io.sekisho.config.Problem;
import io.sekisho.proxy.explain.ExplainInputs;
import io.sekisho.proxy.explain.ExplainOutput;
import io.sekisho.proxy.explain.ExplainRequest;
import io.sekisho.proxy.explain.Explainer;
import io.sekisho.proxy.explain.Explanation;
import io.sekisho.proxy.explain.InputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sekisho explain --config FILE INPUT…}: each request judged offline by the configured
 * policy, with its evidence. Exit codes (stable, docs/explain.md): 0 every request allowed, 1 at
 * least one denied or would be denied (report mode), 2 bad command line, 3 the configuration or
 * an input cannot be read.
 */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Judge requests offline with the configured policy and show the evidence of each decision."
                + " INPUT is a URL, a curl command line (one quoted argument), a HAR file or a raw HTTP request file."
                + " Opens no network connection.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:every request allowed", "1:at least one request denied or would be denied",
                "2:bad command line", "3:the configuration or an input cannot be read"})
final class ExplainCommand implements Callable<Integer> {
    static final int ALLOWED = 0;
    static final int BLOCKED = 1;
    static final int UNREADABLE = 3;

    private final Wiring wiring;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The YAML configuration.")
    Path config;

    @Option(names = {"-X", "--method"}, defaultValue = "GET", paramLabel = "METHOD",
            description = "The method for URL inputs (default GET).")
    String method;

    @Option(names = {"-H", "--header"}, paramLabel = "NAME: VALUE", description = "A header for URL inputs.")
    List<String> headers = new ArrayList<>();

    @Option(names = {"-d", "--data"}, defaultValue = "", paramLabel = "BODY", description = "A body for URL inputs.")
    String data;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Parameters(arity = "1..*", paramLabel = "INPUT", description = "URL, curl command line, HAR or raw HTTP file.")
    List<String> inputs = new ArrayList<>();

    ExplainCommand(Wiring wiring) {
        this.wiring = wiring;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LoadResult r = wiring.load(config);
        if (!r.ok()) {
            for (Problem p : r.errors()) {
                err.println(p);
            }
            err.flush();
            return UNREADABLE;
        }
        List<ExplainRequest> requests;
        try {
            requests = ExplainInputs.read(inputs, method, headers, data);
        } catch (InputException | IOException e) {
            err.println("sekisho explain: " + e.getMessage());
            err.flush();
            return UNREADABLE;
        }
        Explainer explainer = new Explainer(Objects.requireNonNull(r.config(), "a config that loaded ok"));
        List<Explanation> all = new ArrayList<>();
        for (ExplainRequest q : requests) {
            all.add(explainer.explain(q));
        }
        if (json) {
            ExplainOutput.json(all, out);
        } else {
            ExplainOutput.text(all, out);
        }
        return all.stream().anyMatch(Explanation::blocked) ? BLOCKED : ALLOWED;
    }
}

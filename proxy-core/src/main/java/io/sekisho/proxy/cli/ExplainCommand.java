package io.sekisho.proxy.cli;

import io.sekisho.config.LoadResult;
import io.sekisho.config.Problem;
import io.sekisho.config.SekishoConfig;
import io.sekisho.policy.HostName;
import io.sekisho.policy.Identity;
import io.sekisho.policy.Nullable;
import io.sekisho.proxy.explain.ExplainInputs;
import io.sekisho.proxy.explain.ExplainOutput;
import io.sekisho.proxy.explain.ExplainRequest;
import io.sekisho.proxy.explain.Explainer;
import io.sekisho.proxy.explain.Explanation;
import io.sekisho.proxy.explain.InputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

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

    @Option(names = "--user", defaultValue = "", paramLabel = "NAME",
            description = "Judge as this proxy user (policies, aws.sts.roleSessionName).")
    String user;

    @Option(names = "--group", paramLabel = "NAME", description = "A group of --user (repeatable), for policies.")
    List<String> groups = new ArrayList<>();

    @Option(names = "--client", paramLabel = "ADDRESS", description = "The client's IP address, for policies.")
    @Nullable String client;

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
        Explainer explainer = explainer(Objects.requireNonNull(r.config(), "a config that loaded ok"), err);
        if (explainer == null) {
            return UNREADABLE;
        }
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

    /** The explainer for {@code --user}, {@code --group} and {@code --client}; null (said on err) when unusable. */
    private @Nullable Explainer explainer(SekishoConfig config, PrintWriter err) {
        InetAddress from = null;
        if (client != null) {
            from = clientAddress(client);
            if (from == null) {
                err.println("sekisho explain: --client " + client + " is not an IP address");
                err.flush();
                return null;
            }
        }
        Identity who = user.isEmpty() ? Identity.ANONYMOUS : new Identity(user, groups, "basic");
        return new Explainer(config, who, from);
    }

    /** An IP literal, never looked up: explain makes no DNS query. */
    private static @Nullable InetAddress clientAddress(String text) {
        try {
            return HostName.parse(text).literalAddress();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

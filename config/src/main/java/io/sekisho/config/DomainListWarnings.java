package io.sekisho.config;

import io.sekisho.config.Fields.Located;
import io.sekisho.policy.HostClass;
import io.sekisho.policy.HostName;
import io.sekisho.policy.aws.catalog.AwsHostCatalog;
import io.sekisho.policy.domain.DomainPattern;
import io.sekisho.policy.domain.DomainRules;
import io.sekisho.policy.domain.RuleWarning;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Squid-style advice for domain lists (STYLE.md rule 10): duplicates, entries made redundant by
 * a wider one, entries that can never decide, the same entry in allow and deny. They load,
 * because the result is well defined, but each warning says which entry to remove. The
 * analysis is the matcher's own ({@link DomainRules#warnings(io.sekisho.policy.HostClassifier)},
 * with the AWS host catalog so that a narrow entry that alone opens a customer-hosted
 * endpoint is never called redundant); this class maps it to file locations.
 */
final class DomainListWarnings {
    /** Beyond this many, one summary line: a huge list should not bury the errors. */
    static final int MAX_WARNINGS = 50;

    private DomainListWarnings() {
    }

    static void check(Problems problems, List<Located<DomainPattern>> allow, List<Located<DomainPattern>> deny) {
        DomainRules rules = DomainRules.compile(values(allow), values(deny));
        List<RuleWarning> warnings = rules.warnings(AwsHostCatalog.builtIn());
        for (int i = 0; i < warnings.size() && i < MAX_WARNINGS; i++) {
            RuleWarning w = warnings.get(i);
            Located<DomainPattern> entry = (DomainRules.ALLOW.equals(w.list()) ? allow : deny).get(w.index());
            problems.warning(entry.node(), entry.path() + ": " + w.message());
        }
        if (warnings.size() > MAX_WARNINGS) {
            Located<DomainPattern> first = allow.isEmpty() ? deny.get(0) : allow.get(0);
            problems.warning(first.node(), (warnings.size() - MAX_WARNINGS)
                    + " more overlap warnings not shown; remove the entries named above and run check again");
        }
    }

    /** Entries equal after normalisation ({@code Example.COM.} and {@code example.com}). */
    static void repeated(Problems problems, List<Located<DomainPattern>> list) {
        Map<DomainPattern, Located<DomainPattern>> first = new HashMap<>();
        for (Located<DomainPattern> entry : list) {
            Located<DomainPattern> earlier = first.putIfAbsent(entry.value(), entry);
            if (earlier != null) {
                String same = earlier.value().text().equals(entry.value().text())
                        ? "is already listed as " + earlier.path()
                        : "is the same entry as " + earlier.path() + " `" + earlier.value().text() + "`";
                problems.warning(entry.node(), entry.path() + ": `" + entry.value().text() + "` " + same
                        + " (line " + line(earlier) + "); remove this one");
            }
        }
    }

    /**
     * {@code tls.interceptExclude} entries that cover hosts of an AWS class that is inspected
     * (service APIs, sign-in and console): their requests are tunnelled, so no account check
     * sees them. They load (a pinned client may leave no choice), with a warning each.
     */
    static void excludedAwsHosts(Problems problems, List<Located<DomainPattern>> exclude) {
        if (exclude.isEmpty()) {
            return;
        }
        AwsHostCatalog catalog = AwsHostCatalog.builtIn();
        List<HostName> samples = inspectedSamples(catalog);
        for (Located<DomainPattern> entry : exclude) {
            DomainPattern p = entry.value();
            if (p.kind() == DomainPattern.Kind.CIDR) {
                continue;
            }
            boolean covers = inspected(catalog, p.name())
                    || (p.kind() != DomainPattern.Kind.EXACT && inspected(catalog, "x." + p.name()));
            for (int i = 0; i < samples.size() && !covers; i++) {
                covers = p.matches(samples.get(i));
            }
            if (covers) {
                problems.warning(entry.node(), entry.path() + ": `" + p.text() + "` covers AWS hosts whose account"
                        + " checks need interception: their requests will be tunnelled unchecked; remove it unless"
                        + " that is accepted");
            }
        }
    }

    /** One host name for each catalog row whose class is inspected by default, placeholders filled in. */
    private static List<HostName> inspectedSamples(AwsHostCatalog catalog) {
        List<HostName> out = new ArrayList<>();
        for (String pattern : catalog.patterns()) {
            String name = pattern.replace("{region}", "us-east-1").replace("{acct}", "111122223333")
                    .replaceAll("\\{[^}]*\\}", "x").replace("*", "x");
            try {
                HostName h = HostName.parse(name);
                if (inspected(catalog, h.value())) {
                    out.add(h);
                }
            } catch (IllegalArgumentException e) {
                // A row whose sample is no host name: the row itself is checked by its own tests.
            }
        }
        return out;
    }

    private static boolean inspected(AwsHostCatalog catalog, String name) {
        try {
            HostClass c = catalog.classify(HostName.parse(name)).hostClass();
            return c == HostClass.AWS_API || c == HostClass.AWS_SIGNIN_CONSOLE;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static int line(Located<?> entry) {
        return entry.node().getStartMark().getLine() + 1;
    }

    private static List<DomainPattern> values(List<Located<DomainPattern>> list) {
        List<DomainPattern> out = new ArrayList<>(list.size());
        for (Located<DomainPattern> entry : list) {
            out.add(entry.value());
        }
        return out;
    }
}

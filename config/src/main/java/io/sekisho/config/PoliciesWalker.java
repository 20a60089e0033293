package io.sekisho.config;

import io.sekisho.config.Fields.Located;
import io.sekisho.policy.AppliedPolicy;
import io.sekisho.policy.AwsSettings;
import io.sekisho.policy.AwsSettings.AccountEntry;
import io.sekisho.policy.Mode;
import io.sekisho.policy.Nullable;
import io.sekisho.policy.PolicyEntry;
import io.sekisho.policy.PolicySettings;
import io.sekisho.policy.domain.DomainPattern;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * {@code policies}: per-group and per-network policies (docs/authentication.md). Each entry's
 * overrides replace the top-level value of the key they name; a key the entry does not name is
 * the top level's. The entries are walked before the top level is built and put together with it
 * after ({@link Overrides#over}).
 */
final class PoliciesWalker {
    static final List<String> ENTRY_KEYS = List.of("name", "match", "mode", "domains", "aws");
    static final List<String> MATCH_KEYS = List.of("groups", "clients");
    static final List<String> AWS_KEYS = List.of("accounts", "s3", "identityCenter");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    /** One entry as written: null where it names nothing and the top level applies. */
    record Overrides(String name, Set<String> groups, List<DomainPattern> clients, @Nullable Mode mode,
            @Nullable List<DomainPattern> allow, @Nullable List<DomainPattern> deny,
            @Nullable List<AccountEntry> accounts, @Nullable List<String> buckets, @Nullable List<String> startUrls,
            Node at) {

        PolicyEntry over(PolicySettings top) {
            AwsSettings a = top.aws();
            AwsSettings aws = new AwsSettings(or(accounts, a.accounts()), a.staticKeys(), a.unresolvableKeysAllow(),
                    a.s3AnonymousRead(), or(buckets, a.s3BucketsAllow()), or(startUrls, a.identityCenterStartUrls()),
                    a.rootSigninAllow(), a.roleSessionName(), a.controls());
            PolicySettings s = new PolicySettings(mode == null ? top.mode() : mode, or(allow, top.allow()),
                    or(deny, top.deny()), top.connectPorts(), top.httpPorts(), top.intercept(),
                    top.interceptConfigured(), top.inspectBodyBytes(), aws, top.interceptExclude());
            return new PolicyEntry(name, groups, clients, s);
        }

        private static <T> List<T> or(@Nullable List<T> mine, List<T> top) {
            return mine == null ? top : mine;
        }
    }

    private final Problems problems;
    private final Fields fields;
    private final AwsWalker aws;

    PoliciesWalker(Problems problems, Fields fields) {
        this.problems = problems;
        this.fields = fields;
        this.aws = new AwsWalker(problems, fields);
    }

    List<Overrides> walk(Section top) {
        List<Overrides> out = new ArrayList<>();
        List<Node> items = fields.list(top, "policies");
        if (items == null) {
            return out;
        }
        Map<String, Integer> names = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            String path = "policies[" + i + "]";
            if (!(items.get(i) instanceof MappingNode m)) {
                problems.error(items.get(i), path + ": expected a mapping with name, match and overrides, found "
                        + Nodes.describe(items.get(i)));
                continue;
            }
            Overrides o = entry(Section.of(problems, path, m, ENTRY_KEYS), m);
            if (o == null) {
                continue;
            }
            Integer earlier = names.putIfAbsent(o.name().toLowerCase(Locale.ROOT), i);
            if (earlier != null) {
                problems.error(m, path + ".name: `" + o.name() + "` is already the name of policies[" + earlier
                        + "]; each entry needs its own name (it is written in every audit line)");
            }
            out.add(o);
        }
        return out;
    }

    private @Nullable Overrides entry(Section e, MappingNode at) {
        String name = name(e, at);
        Section match = e.section("match", MATCH_KEYS);
        Set<String> groups = groups(match);
        List<DomainPattern> clients = clients(match);
        if (groups.isEmpty() && clients.isEmpty()) {
            problems.error(e.keyNode("match"), e.path("match") + ": an entry applies to `groups`, `clients` or"
                    + " both; give at least one (the top level is the policy for everyone else)");
        }
        Mode mode = e.has("mode") ? Mode.valueOf(fields.choice(e, "mode", "enforce", List.of("enforce", "report"))
                .toUpperCase(Locale.ROOT)) : null;
        Section domains = e.section("domains", List.of("allow", "deny"));
        List<DomainPattern> allow = domains.has("allow") ? values(fields.domains(domains, "allow")) : null;
        List<DomainPattern> deny = domains.has("deny") ? values(fields.domains(domains, "deny")) : null;
        Section a = e.section("aws", AWS_KEYS);
        Section accounts = a.section("accounts", List.of("allow"));
        List<AccountEntry> allowAccounts = accounts.has("allow") ? aws.accounts(accounts) : null;
        if (allowAccounts != null && allowAccounts.isEmpty()) {
            problems.error(accounts.keyNode("allow"), accounts.path("allow") + ": an empty list would turn AWS"
                    + " account checks off for this entry's users; list accounts, or remove the key to keep the"
                    + " top level's");
        }
        Section buckets = a.section("s3", List.of("buckets")).section("buckets", List.of("allow"));
        List<String> bucketsAllow = buckets.has("allow") ? aws.strings(buckets, "allow", AwsValues::bucketGlob) : null;
        Section ic = a.section("identityCenter", List.of("startUrls"));
        List<String> startUrls = ic.has("startUrls") ? aws.strings(ic, "startUrls", AwsValues::startUrl) : null;
        return name == null ? null : new Overrides(name, groups, clients, mode, allow, deny, allowAccounts,
                bucketsAllow, startUrls, at);
    }

    private @Nullable String name(Section e, MappingNode at) {
        if (!e.has("name")) {
            problems.error(at, e.path() + ": `name` is required (it is written as `policy` in audit lines)");
            return null;
        }
        String name = fields.string(e, "name", "");
        if (!NAME.matcher(name).matches()) {
            problems.error(e.value("name"), e.path("name") + ": `" + name + "` is not a policy name: letters,"
                    + " digits, '.', '_' and '-', starting with a letter or digit, at most 64");
            return null;
        }
        if (name.equalsIgnoreCase(AppliedPolicy.DEFAULT_NAME)) {
            problems.error(e.value("name"), e.path("name") + ": `" + name + "` is the top level's name in audit"
                    + " lines; choose another");
            return null;
        }
        return name;
    }

    private Set<String> groups(Section match) {
        Set<String> out = new LinkedHashSet<>();
        List<Node> items = fields.list(match, "groups");
        if (items == null) {
            return out;
        }
        for (int i = 0; i < items.size(); i++) {
            String path = match.path("groups") + "[" + i + "]";
            String g = fields.text(path, items.get(i));
            if (g != null && g.isBlank()) {
                problems.error(items.get(i), path + ": a group name is not empty");
            } else if (g != null) {
                out.add(g);
            }
        }
        return out;
    }

    private List<DomainPattern> clients(Section match) {
        List<DomainPattern> out = new ArrayList<>();
        for (Located<DomainPattern> p : fields.domains(match, "clients")) {
            if (p.value().kind() != DomainPattern.Kind.CIDR) {
                problems.error(p.node(), p.path() + ": a client network is an address or CIDR, such as 10.0.0.0/8,"
                        + " not a host name");
            } else {
                out.add(p.value());
            }
        }
        return out;
    }

    private static List<DomainPattern> values(List<Located<DomainPattern>> located) {
        return located.stream().map(Located::value).toList();
    }
}

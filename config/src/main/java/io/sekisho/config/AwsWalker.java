package io.sekisho.config;

import io.sekisho.config.SekishoConfig.KeyInfoResolver;
import io.sekisho.policy.AwsSettings;
import io.sekisho.policy.AwsSettings.AccountEntry;
import io.sekisho.policy.Nullable;
import io.sekisho.policy.aws.sts.SessionNameTemplate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/** The {@code aws:} section: the company's accounts and how missing evidence is treated. */
final class AwsWalker {
    static final List<String> KEYS = List.of(
            "accounts", "keys", "unresolvableKeys", "keyInfoResolver", "s3", "identityCenter", "signin", "sts", "ssm");
    static final List<String> STS_KEYS = List.of("roleSessionName", "assumeRole");
    static final List<String> ACCOUNT_KEYS = List.of("id", "name", "aliases");
    static final List<String> RESOLVER_KEYS = List.of("region", "timeout", "cacheTtl");
    static final String DEFAULT_REGION = "us-east-1";
    static final Duration DEFAULT_RESOLVER_TIMEOUT = Duration.ofSeconds(2);
    static final Duration DEFAULT_RESOLVER_TTL = Duration.ofHours(1);

    /**
     * @param accountsAt where {@code aws.accounts} is written, or null when no account is listed
     */
    record Result(AwsSettings settings, @Nullable KeyInfoResolver keyInfoResolver, @Nullable Node accountsAt) {
    }

    private final Problems problems;
    private final Fields fields;

    AwsWalker(Problems problems, Fields fields) {
        this.problems = problems;
        this.fields = fields;
    }

    Result walk(Section aws) {
        Section accounts = aws.section("accounts", List.of("allow"));
        List<AccountEntry> allow = accounts(accounts);
        Map<String, String> keys = staticKeys(aws);
        boolean unresolvableAllow = "allow".equals(
                fields.choice(aws, "unresolvableKeys", "deny", List.of("deny", "allow")));
        if (unresolvableAllow) {
            problems.warning(aws.value("unresolvableKeys"), aws.path("unresolvableKeys") + ": `allow` lets"
                    + " requests signed with keys of unknown accounts through; prefer `deny` and list old"
                    + " keys in aws.keys or turn on aws.keyInfoResolver");
        }
        KeyInfoResolver resolver = resolver(aws.section("keyInfoResolver", RESOLVER_KEYS));
        Section s3 = aws.section("s3", List.of("anonymousRead", "buckets", "accessPoints", "multiRegionAccessPoints"));
        List<String> anonymousRead = strings(s3, "anonymousRead", AwsValues::bucketGlob);
        List<String> buckets = strings(s3.section("buckets", List.of("allow")), "allow", AwsValues::bucketGlob);
        List<String> startUrls = strings(aws.section("identityCenter", List.of("startUrls")), "startUrls",
                AwsValues::startUrl);
        Section root = aws.section("signin", List.of("root")).section("root", List.of("allow"));
        List<String> rootAllow = strings(root, "allow", AwsValues::email);
        Section sts = aws.section("sts", STS_KEYS);
        String sessionName = roleSessionName(sts);
        AwsSettings settings = new AwsSettings(allow, keys, unresolvableAllow, anonymousRead, buckets,
                startUrls, rootAllow, sessionName, new ControlsWalker(this).walk(aws, s3, sts));
        return new Result(settings, resolver, allow.isEmpty() ? null : aws.keyNode("accounts"));
    }

    /** {@code aws.sts.roleSessionName}: a template with {@code {user}}; "" when unset. */
    private String roleSessionName(Section sts) {
        String text = fields.string(sts, "roleSessionName", "");
        if (!sts.has("roleSessionName")) {
            return "";
        }
        try {
            SessionNameTemplate.parse(text);
        } catch (IllegalArgumentException e) {
            problems.error(sts.value("roleSessionName"), sts.path("roleSessionName") + ": " + e.getMessage());
        }
        return text;
    }

    List<AccountEntry> accounts(Section accounts) {
        List<AccountEntry> out = new ArrayList<>();
        List<Node> items = fields.list(accounts, "allow");
        if (items == null) {
            return out;
        }
        Map<String, String> seen = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            String path = accounts.path("allow") + "[" + i + "]";
            Node item = items.get(i);
            AccountEntry entry = item instanceof MappingNode ? accountMap(path, (MappingNode) item)
                    : accountEntry(accountId(path, item));
            if (entry == null) {
                continue;
            }
            int line = item.getStartMark().getLine() + 1;
            String earlier = seen.putIfAbsent(entry.id(), path + " (line " + line + ")");
            if (earlier != null) {
                problems.warning(item, path + ": account " + entry.id() + " is already listed as " + earlier
                        + "; remove this one");
                continue;
            }
            out.add(entry);
        }
        return out;
    }

    private static @Nullable AccountEntry accountEntry(@Nullable String id) {
        return id == null ? null : new AccountEntry(id, "", List.of());
    }

    /** Account IDs may be written unquoted: the text is read as written, so 0-led IDs survive. */
    private @Nullable String accountId(String path, @Nullable Node node) {
        if (!(node instanceof ScalarNode scalar) || Nodes.isNull(node)) {
            problems.error(node, path + ": expected a twelve-digit account ID, found " + Nodes.describe(node));
            return null;
        }
        try {
            return AwsValues.accountId(scalar.getValue());
        } catch (IllegalArgumentException e) {
            problems.error(node, path + ": " + e.getMessage());
            return null;
        }
    }

    private @Nullable AccountEntry accountMap(String path, MappingNode item) {
        Section entry = Section.of(problems, path, item, ACCOUNT_KEYS);
        if (!entry.has("id")) {
            problems.error(item, path + ": `id` is required (the twelve-digit account ID)");
            return null;
        }
        String id = accountId(entry.path("id"), entry.value("id"));
        String name = fields.string(entry, "name", "");
        List<String> aliases = strings(entry, "aliases", AwsValues::alias);
        return id == null ? null : new AccountEntry(id, name, aliases);
    }

    private Map<String, String> staticKeys(Section aws) {
        Map<String, String> out = new LinkedHashMap<>();
        List<NodeTuple> entries = fields.map(aws, "keys");
        if (entries == null) {
            return out;
        }
        for (NodeTuple entry : entries) {
            String key = ((ScalarNode) entry.getKeyNode()).getValue();
            String path = aws.path("keys") + "[" + key + "]";
            try {
                AwsValues.accessKeyId(key);
            } catch (IllegalArgumentException e) {
                problems.error(entry.getKeyNode(), aws.path("keys") + ": " + e.getMessage());
                continue;
            }
            String account = accountId(path, entry.getValueNode());
            if (account != null) {
                out.put(key, account);
            }
        }
        return out;
    }

    private @Nullable KeyInfoResolver resolver(Section section) {
        if (!section.present()) {
            return null;
        }
        String region = fields.string(section, "region", DEFAULT_REGION);
        if (!region.matches("[a-z]{2}(-[a-z]+)+-\\d{1,2}")) {
            problems.error(section.value("region"), section.path("region") + ": `" + region
                    + "` is not an AWS region name such as us-east-1");
        }
        Duration timeout = fields.duration(section, "timeout", DEFAULT_RESOLVER_TIMEOUT,
                Duration.ofMillis(100), Duration.ofMinutes(1));
        Duration ttl = fields.duration(section, "cacheTtl", DEFAULT_RESOLVER_TTL,
                Duration.ofMinutes(1), Duration.ofDays(7));
        return new KeyInfoResolver(region, timeout, ttl);
    }

    /** A list of strings, each validated and normalised by {@code check}. */
    List<String> strings(Section s, String key, UnaryOperator<String> check) {
        List<String> out = new ArrayList<>();
        List<Node> items = fields.list(s, key);
        if (items == null) {
            return out;
        }
        for (int i = 0; i < items.size(); i++) {
            String path = s.path(key) + "[" + i + "]";
            String text = fields.text(path, items.get(i));
            if (text == null) {
                continue;
            }
            try {
                out.add(check.apply(text));
            } catch (IllegalArgumentException e) {
                problems.error(items.get(i), path + ": " + e.getMessage());
            }
        }
        return out;
    }
}

package io.sekisho.proxy.reload;

import io.sekisho.config.SekishoConfig;
import io.sekisho.config.SekishoConfig.ResolveRule;
import io.sekisho.policy.AwsControls;
import io.sekisho.policy.AwsSettings;
import io.sekisho.policy.AwsSettings.AccountEntry;
import io.sekisho.policy.Mode;
import io.sekisho.policy.PolicySettings;
import io.sekisho.policy.domain.DomainPattern;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The changes between two configurations that let through something the first one stopped: the
 * ones a reload from a file that may still be being written never applies on its own
 * (docs/deployment.md, "Reloading"). A file cut short loses its end, so what matters is what a
 * lost or shortened section turns off; every such change counts, however it came about:
 *
 * <ul>
 *   <li>{@code mode} enforce → report;</li>
 *   <li>{@code domains.allow} or {@code ports.*} gains an entry; {@code domains.deny} loses one;</li>
 *   <li>{@code tls} disappears (nothing is intercepted, so no AWS check can run), or
 *       {@code tls.intercept} loses an entry or switches between the built-in AWS hosts and a list, or
 *       {@code tls.interceptExclude} gains one;</li>
 *   <li>{@code aws.accounts.allow} becomes empty (account checks off) or gains an account or alias;
 *       {@code aws.keys} gains or changes a mapping; {@code aws.unresolvableKeys} deny → allow;
 *       {@code aws.s3.anonymousRead}, {@code aws.identityCenter.startUrls} or
 *       {@code aws.signin.root.allow} gain an entry; {@code aws.s3.buckets.allow} becomes empty or
 *       gains a pattern; {@code aws.s3.accessPoints.allow} or {@code multiRegionAccessPoints.allow}
 *       gain an alias; {@code aws.sts.assumeRole.mfaRequired} loses a role; a list of
 *       {@code aws.ssm.startSession} becomes empty or gains an entry;</li>
 *   <li>{@code upstream.resolve} gains or retargets a rule (its address skips the private-address
 *       check), {@code upstream.parent} changes, {@code upstream.trustedCertificates} gains a file;</li>
 *   <li>{@code policies} changes in any way (an entry lost at the end of a cut file sends its users
 *       to the top level); {@code aws.sts.roleSessionName} is removed.</li>
 * </ul>
 * Removing an account, an allow entry or a port, adding a deny entry, and any change of
 * {@code limits}, {@code timeouts} or {@code inspection} are not weakenings: they bound resources
 * or narrow what is allowed. Each finding is one short phrase naming the key; none quotes an
 * access key ID or an e-mail address.
 */
final class Weakenings {
    private Weakenings() {
    }

    /** What {@code next} lets through that {@code running} stopped; empty when nothing. */
    static List<String> of(SekishoConfig running, SekishoConfig next) {
        List<String> out = new ArrayList<>();
        PolicySettings a = running.policy();
        PolicySettings b = next.policy();
        if (a.mode() == Mode.ENFORCE && b.mode() == Mode.REPORT) {
            out.add("mode: enforce -> report, nothing is blocked");
        }
        added(out, "domains.allow", names(a.allow()), names(b.allow()));
        added(out, "domains.deny", names(b.deny()), names(a.deny()), "drops");
        added(out, "ports.connect", a.connectPorts(), b.connectPorts());
        added(out, "ports.http", a.httpPorts(), b.httpPorts());
        interception(out, running, next);
        aws(out, a.aws(), b.aws());
        if (!running.policies().equals(next.policies())) {
            out.add("policies: changed, a group may get wider access or another mode");
        }
        if (!a.aws().roleSessionName().isEmpty() && b.aws().roleSessionName().isEmpty()) {
            out.add("aws.sts.roleSessionName: removed, role sessions need not name the user");
        }
        upstream(out, running.upstream(), next.upstream());
        return out;
    }

    private static void interception(List<String> out, SekishoConfig running, SekishoConfig next) {
        if (running.tls() == null) {
            return;
        }
        if (next.tls() == null) {
            out.add("tls: removed, nothing is intercepted and no AWS account check can run");
            return;
        }
        PolicySettings a = running.policy();
        PolicySettings b = next.policy();
        if (a.interceptConfigured() != b.interceptConfigured()) {
            out.add("tls.intercept: " + (b.interceptConfigured() ? "replaces the built-in AWS hosts by a list"
                    : "removed, the built-in AWS hosts replace the list"));
        } else {
            added(out, "tls.intercept", names(b.intercept()), names(a.intercept()), "drops");
        }
        added(out, "tls.interceptExclude", names(a.interceptExclude()), names(b.interceptExclude()));
    }

    private static void aws(List<String> out, AwsSettings a, AwsSettings b) {
        if (!a.accounts().isEmpty() && b.accounts().isEmpty()) {
            out.add("aws.accounts.allow: empty, AWS account checks are off");
        } else if (!a.accounts().isEmpty()) {
            added(out, "aws.accounts.allow", a.accounts().stream().map(AccountEntry::id).toList(),
                    b.accounts().stream().map(AccountEntry::id).toList());
            added(out, "aws.accounts.allow aliases", aliases(a), aliases(b));
        }
        long keys = b.staticKeys().entrySet().stream()
                .filter(e -> !e.getValue().equals(a.staticKeys().get(e.getKey()))).count();
        if (keys > 0) {
            out.add("aws.keys: " + keys + " mapping(s) added or changed");
        }
        if (!a.unresolvableKeysAllow() && b.unresolvableKeysAllow()) {
            out.add("aws.unresolvableKeys: deny -> allow");
        }
        added(out, "aws.s3.anonymousRead", a.s3AnonymousRead(), b.s3AnonymousRead());
        if (!a.s3BucketsAllow().isEmpty() && b.s3BucketsAllow().isEmpty()) {
            out.add("aws.s3.buckets.allow: empty, any bucket may be named");
        } else if (!a.s3BucketsAllow().isEmpty()) {
            added(out, "aws.s3.buckets.allow", a.s3BucketsAllow(), b.s3BucketsAllow());
        }
        added(out, "aws.identityCenter.startUrls", a.identityCenterStartUrls(), b.identityCenterStartUrls());
        long roots = b.rootSigninAllow().stream().filter(e -> !a.rootSigninAllow().contains(e)).count();
        if (roots > 0) {
            out.add("aws.signin.root.allow: " + roots + " address(es) added");
        }
        controls(out, a.controls(), b.controls());
    }

    /** Alias lists that gain an entry; closed-network lists that lose one or become empty (a limit lifted). */
    private static void controls(List<String> out, AwsControls a, AwsControls b) {
        added(out, "aws.s3.accessPoints.allow", a.accessPointAliases(), b.accessPointAliases());
        added(out, "aws.s3.multiRegionAccessPoints.allow", a.multiRegionAccessPoints(), b.multiRegionAccessPoints());
        added(out, "aws.sts.assumeRole.mfaRequired", b.mfaRoles(), a.mfaRoles(), "drops");
        limit(out, "aws.ssm.startSession.documents", a.sessionDocuments(), b.sessionDocuments());
        limit(out, "aws.ssm.startSession.targets", a.sessionTargets(), b.sessionTargets());
        limit(out, "aws.ssm.startSession.remoteHosts", a.remoteHosts(), b.remoteHosts());
    }

    /** A list where empty means "no limit": emptied, or gaining an entry, weakens it. */
    private static void limit(List<String> out, String key, List<String> a, List<String> b) {
        if (!a.isEmpty() && b.isEmpty()) {
            out.add(key + ": empty, no limit");
        } else if (!a.isEmpty()) {
            added(out, key, a, b);
        }
    }

    private static void upstream(List<String> out, SekishoConfig.Upstream a, SekishoConfig.Upstream b) {
        Map<String, String> before = routes(a.resolve());
        List<String> rerouted = routes(b.resolve()).entrySet().stream()
                .filter(e -> !e.getValue().equals(before.get(e.getKey()))).map(Map.Entry::getKey).toList();
        if (!rerouted.isEmpty()) {
            out.add("upstream.resolve: adds or changes " + String.join(", ", rerouted));
        }
        if (!Objects.equals(a.parent(), b.parent())) {
            out.add("upstream.parent: " + a.parent() + " -> " + b.parent());
        }
        added(out, "upstream.trustedCertificates", a.trustedCertificates().stream().map(Path::toString).toList(),
                b.trustedCertificates().stream().map(Path::toString).toList());
    }

    private static <T> void added(List<String> out, String key, Collection<T> before, Collection<T> after) {
        added(out, key, before, after, "adds");
    }

    /** "key: verb x, y" for the entries of {@code after} that {@code before} lacks. */
    private static <T> void added(List<String> out, String key, Collection<T> before, Collection<T> after,
            String verb) {
        List<String> extra = after.stream().filter(x -> !before.contains(x)).map(String::valueOf).sorted().toList();
        if (!extra.isEmpty()) {
            out.add(key + ": " + verb + " " + String.join(", ", extra));
        }
    }

    private static List<String> names(List<DomainPattern> patterns) {
        return patterns.stream().map(DomainPattern::canonical).toList();
    }

    private static List<String> aliases(AwsSettings aws) {
        return aws.accounts().stream().flatMap(a -> a.aliases().stream()).toList();
    }

    private static Map<String, String> routes(List<ResolveRule> rules) {
        Map<String, String> m = new LinkedHashMap<>();
        for (ResolveRule r : rules) {
            m.put(r.pattern().canonical(), r.target().toString());
        }
        return m;
    }
}

package io.sekisho.config;

import io.sekisho.config.ClientAccess.Auth;
import io.sekisho.config.ClientAccess.Ldap;
import io.sekisho.config.ClientAccess.Negotiate;
import io.sekisho.config.Fields.Located;
import io.sekisho.config.SekishoConfig.HostPort;
import io.sekisho.config.SekishoConfig.Secret;
import io.sekisho.policy.HostName;
import io.sekisho.policy.Nullable;
import io.sekisho.policy.domain.DomainPattern;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.nodes.Node;

/** The {@code clients:} and {@code auth:} sections (docs/authentication.md). */
final class AccessWalker {
    static final List<String> CLIENT_KEYS = List.of("allow");
    static final List<String> AUTH_KEYS = List.of("schemes", "realm", "basic", "negotiate", "cache",
            "maxFailuresPerMinute");
    static final List<String> NEGOTIATE_KEYS = List.of("keytab", "principal");
    static final List<String> BASIC_KEYS = List.of("htpasswd", "ldap");
    static final List<String> LDAP_KEYS = List.of("url", "bindDn", "password", "userBase", "userFilter", "groupBase",
            "groupFilter", "groupAttribute", "timeout");
    static final List<String> CACHE_KEYS = List.of("ttl", "negativeTtl");
    static final List<String> SCHEMES = List.of("basic", "negotiate");
    static final List<DomainPattern> LOOPBACK = List.of(DomainPattern.parse("127.0.0.0/8"),
            DomainPattern.parse("::1/128"));
    static final Duration DEFAULT_CACHE_TTL = Duration.ofMinutes(5);
    static final Duration DEFAULT_NEGATIVE_TTL = Duration.ofSeconds(30);
    static final int DEFAULT_MAX_FAILURES = 10;

    private final Problems problems;
    private final Fields fields;

    AccessWalker(Problems problems, Fields fields) {
        this.problems = problems;
        this.fields = fields;
    }

    /** @param listenAt where {@code listen} is written, which the warning about an open listener points at */
    ClientAccess walk(Section clients, Section auth, HostPort listen, Node listenAt) {
        return new ClientAccess(clients(clients, listen, listenAt), auth(auth));
    }

    private List<DomainPattern> clients(Section clients, HostPort listen, Node listenAt) {
        if (!clients.has("allow")) {
            if (!loopback(listen.host())) {
                problems.warning(listenAt, "clients.allow: not set, so only loopback clients may use the"
                        + " proxy although it listens on " + listen + "; list the client networks (CIDR)");
            }
            return LOOPBACK;
        }
        List<DomainPattern> out = new ArrayList<>();
        for (Located<DomainPattern> p : fields.domains(clients, "allow")) {
            if (p.value().kind() != DomainPattern.Kind.CIDR) {
                problems.error(p.node(), p.path() + ": a client network is an address or CIDR, such as 10.0.0.0/8,"
                        + " not a host name");
            } else {
                out.add(p.value());
            }
        }
        return out;
    }

    private static boolean loopback(String host) {
        try {
            InetAddress a = HostName.parse(host).literalAddress();
            return a != null && a.isLoopbackAddress();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private @Nullable Auth auth(Section auth) {
        if (!auth.present()) {
            return null;
        }
        List<String> schemes = schemes(auth);
        String realm = fields.string(auth, "realm", "Sekisho");
        if (realm.indexOf('"') >= 0 || realm.indexOf('\\') >= 0 || realm.chars().anyMatch(c -> c < 0x20)) {
            problems.error(auth.value("realm"), "auth.realm: quotes, backslashes and control characters are"
                    + " not allowed in a realm");
        }
        Section basic = auth.section("basic", BASIC_KEYS);
        Path htpasswd = basic.has("htpasswd") ? fields.existingFile(basic.path("htpasswd"), basic.value("htpasswd"))
                : null;
        Ldap ldap = basic.has("ldap") ? ldap(basic.section("ldap", LDAP_KEYS)) : null;
        if (schemes.contains("basic") && basic.has("htpasswd") == basic.has("ldap")) {
            problems.error(auth.keyNode("schemes"), "auth.schemes: basic needs exactly one of auth.basic.htpasswd"
                    + " (a file of users and bcrypt hashes) or auth.basic.ldap");
        }
        Negotiate negotiate = negotiate(auth, schemes);
        Section cache = auth.section("cache", CACHE_KEYS);
        Duration ttl = fields.duration(cache, "ttl", DEFAULT_CACHE_TTL, Duration.ZERO, Duration.ofHours(24));
        Duration negative = fields.duration(cache, "negativeTtl", DEFAULT_NEGATIVE_TTL, Duration.ZERO,
                Duration.ofHours(1));
        int failures = fields.integer(auth, "maxFailuresPerMinute", DEFAULT_MAX_FAILURES, 1, 1_000_000);
        return new Auth(schemes, realm, htpasswd, ldap, negotiate, ttl, negative, failures);
    }

    private @Nullable Negotiate negotiate(Section auth, List<String> schemes) {
        Section n = auth.section("negotiate", NEGOTIATE_KEYS);
        if (!schemes.contains("negotiate")) {
            if (n.present()) {
                problems.error(auth.keyNode("negotiate"), "auth.negotiate: set, but auth.schemes does not offer"
                        + " negotiate");
            }
            return null;
        }
        Path keytab = n.has("keytab") ? fields.existingFile(n.path("keytab"), n.value("keytab")) : null;
        if (!n.has("keytab")) {
            problems.error(auth.keyNode("schemes"), "auth.schemes: negotiate needs auth.negotiate.keytab (the"
                    + " keys of the proxy's HTTP/<host> service principal)");
        }
        String principal = fields.string(n, "principal", "");
        if (!principal.isEmpty() && !principal.matches("[^\\s@/]+/[^\\s@/]+@[^\\s@/]+")) {
            problems.error(n.value("principal"), n.path("principal") + ": a service principal with its realm,"
                    + " such as HTTP/proxy.corp.example@CORP.EXAMPLE");
        }
        return keytab == null ? null : new Negotiate(keytab, principal);
    }

    private Ldap ldap(Section l) {
        String url = fields.string(l, "url", "");
        if (!url.startsWith("ldap://") && !url.startsWith("ldaps://")) {
            problems.error(l.keyNode("url"), l.path("url") + ": required, as ldap://host:port or ldaps://host:port");
        }
        String userFilter = fields.string(l, "userFilter", "(uid={user})");
        if (!userFilter.contains("{user}")) {
            problems.error(l.keyNode("userFilter"), l.path("userFilter") + ": must contain {user}");
        }
        String userBase = fields.string(l, "userBase", "");
        if (userBase.isEmpty()) {
            problems.error(l.keyNode("userBase"), l.path("userBase")
                    + ": required, such as ou=people,dc=corp,dc=example");
        }
        Secret password = new SecretFields(problems, fields).secret(l, "password");
        return new Ldap(url, fields.string(l, "bindDn", ""), password, userBase,
                userFilter, fields.string(l, "groupBase", userBase), fields.string(l, "groupFilter", "(member={dn})"),
                fields.string(l, "groupAttribute", "cn"),
                fields.duration(l, "timeout", Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofMinutes(1)));
    }

    private List<String> schemes(Section auth) {
        List<Node> items = fields.list(auth, "schemes");
        List<String> out = new ArrayList<>();
        if (items == null || items.isEmpty()) {
            problems.error(auth.keyNode("schemes"), "auth.schemes: required; list the schemes offered, such as"
                    + " [basic]");
            return out;
        }
        for (int i = 0; i < items.size(); i++) {
            String path = auth.path("schemes") + "[" + i + "]";
            String s = fields.text(path, items.get(i));
            if (s == null) {
                continue;
            }
            if (!SCHEMES.contains(s)) {
                problems.error(items.get(i), path + ": unknown scheme `" + s + "`; this Sekisho offers: "
                        + String.join(", ", SCHEMES));
            } else if (out.contains(s)) {
                problems.error(items.get(i), path + ": `" + s + "` is listed twice");
            } else {
                out.add(s);
            }
        }
        return out;
    }
}

package io.sekisho.config;

import io.sekisho.config.Fields.Located;
import io.sekisho.config.SekishoConfig.Secret;
import io.sekisho.config.SekishoConfig.Tls;
import io.sekisho.policy.Nullable;
import io.sekisho.policy.domain.DomainPattern;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.yaml.snakeyaml.nodes.Node;

/** The {@code tls:} section: the corporate CA, what to intercept, and leaf certificates. */
final class TlsWalker {
    static final List<String> KEYS = List.of("ca", "intercept", "interceptExclude", "leaf", "http2", "upstreamHttp2");
    static final List<String> CA_KEYS = List.of("certificate", "privateKey", "pkcs12", "password");
    static final List<String> LEAF_KEYS = List.of("keyType", "lifetime", "cacheSize");
    static final List<String> KEY_TYPES = List.of("ec-p256", "rsa-2048");
    static final Duration DEFAULT_LIFETIME = Duration.ofDays(7);
    static final Duration MIN_LIFETIME = Duration.ofHours(1);
    /** CA/Browser Forum ceiling for TLS server certificates (Baseline Requirements 6.3.2). */
    static final Duration MAX_LIFETIME = Duration.ofDays(397);
    static final int DEFAULT_CACHE_SIZE = 10_000;

    /**
     * @param tls null when the section is absent
     * @param intercept {@code tls.intercept} entries with their locations
     * @param interceptConfigured whether the user wrote {@code tls.intercept}; without a
     *     {@code tls:} section nothing is intercepted, which is also an explicit choice
     * @param interceptExclude {@code tls.interceptExclude} entries: tunnelled although intercept covers them
     */
    record Result(@Nullable Tls tls, List<Located<DomainPattern>> intercept, boolean interceptConfigured,
            List<Located<DomainPattern>> interceptExclude) {
    }

    private final Problems problems;
    private final Fields fields;

    TlsWalker(Problems problems, Fields fields) {
        this.problems = problems;
        this.fields = fields;
    }

    Result walk(Section tls) {
        if (!tls.present()) {
            return new Result(null, List.of(), true, List.of());
        }
        Section ca = tls.section("ca", CA_KEYS);
        if (!tls.has("ca")) {
            problems.error(tls.anchor(), "tls: `ca` is required; interception needs the CA that signs"
                    + " leaf certificates (certificate and privateKey, or pkcs12)");
        }
        Path certificate = file(ca, "certificate");
        Path privateKey = file(ca, "privateKey");
        Path pkcs12 = file(ca, "pkcs12");
        caForm(ca);
        Secret password = password(ca);
        List<Located<DomainPattern>> intercept = fields.domains(tls, "intercept");
        DomainListWarnings.repeated(problems, intercept);
        List<Located<DomainPattern>> exclude = fields.domains(tls, "interceptExclude");
        DomainListWarnings.repeated(problems, exclude);
        DomainListWarnings.excludedAwsHosts(problems, exclude);
        Section leaf = tls.section("leaf", LEAF_KEYS);
        String keyType = fields.choice(leaf, "keyType", KEY_TYPES.get(0), KEY_TYPES);
        Duration lifetime = fields.duration(leaf, "lifetime", DEFAULT_LIFETIME, MIN_LIFETIME, MAX_LIFETIME);
        int cacheSize = fields.integer(leaf, "cacheSize", DEFAULT_CACHE_SIZE, 1, 1_000_000);
        boolean http2 = fields.flag(tls, "http2", true);
        boolean upstreamHttp2 = fields.flag(tls, "upstreamHttp2", true);
        Tls result = new Tls(certificate, privateKey, pkcs12, password, keyType, lifetime, cacheSize, http2,
                upstreamHttp2);
        return new Result(result, intercept, tls.has("intercept"), exclude);
    }

    private @Nullable Path file(Section ca, String key) {
        Node node = ca.value(key);
        return node == null ? null : fields.existingFile(ca.path(key), node);
    }

    /** Exactly one way to give the CA: a PEM pair, or one PKCS#12 file. */
    private void caForm(Section ca) {
        if (!ca.present()) {
            return;
        }
        boolean pem = ca.has("certificate") || ca.has("privateKey");
        boolean p12 = ca.has("pkcs12");
        if (pem && p12) {
            problems.error(ca.anchor(), "tls.ca: give either certificate and privateKey, or pkcs12, not both");
        } else if (!pem && !p12) {
            problems.error(ca.anchor(), "tls.ca: give certificate and privateKey, or pkcs12");
        } else if (pem && !ca.has("privateKey")) {
            problems.error(ca.anchor(), "tls.ca: `certificate` needs `privateKey` beside it");
        } else if (pem && !ca.has("certificate")) {
            problems.error(ca.anchor(), "tls.ca: `privateKey` needs `certificate` beside it");
        }
    }

    private @Nullable Secret password(Section ca) {
        return new SecretFields(problems, fields).secret(ca, "password");
    }
}

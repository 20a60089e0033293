package io.sekisho.policy.signin;

import io.sekisho.policy.HostName;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which IAM Identity Center instance a portal URL names, and the allowed ones
 * ({@code aws.identityCenter.startUrls}).
 *
 * <p>An instance has several URL forms (aws-wire-facts §3.1): {@code https://<alias or
 * d-id>.awsapps.com/start}, {@code https://ssoins-<id>.portal.<region>.app.aws},
 * {@code https://ssoins-<id>.<region>.portal.amazonaws.com} and the issuer
 * {@code https://identitycenter.amazonaws.com/ssoins-<id>}, plus China, EU and GovCloud
 * variants. Each URL is reduced to a key: the {@code ssoins-…} instance ID when the URL
 * carries one (so the issuer form and the region-bearing portal forms of one instance match
 * each other), else the host name (awsapps.com aliases and directory IDs, vanity hosts).
 * An {@code awsapps.com} alias and its {@code d-…} name are different keys: list both when
 * both are used.
 */
final class PortalInstance {
    private static final Pattern SSOINS = Pattern.compile("ssoins-[0-9a-z]{1,64}");

    /** Region-bearing portal hosts (AWS CLI resolve.py {@code _REGION_PATTERNS}, R12). */
    private static final List<Pattern> REGION_PORTALS = List.of(
            Pattern.compile("([^.]+)\\.portal\\.([a-z0-9-]+)\\.app\\.aws"),
            Pattern.compile("([^.]+)\\.([a-z0-9-]+)\\.portal\\.amazonaws\\.com"),
            Pattern.compile("([^.]+)\\.([a-z0-9-]+)\\.portal\\.amazonaws\\.com\\.cn"),
            // [INF] EU sovereign and China app.* forms by analogy with the above.
            Pattern.compile("([^.]+)\\.([a-z0-9-]+)\\.portal\\.amazonaws\\.eu"),
            Pattern.compile("([^.]+)\\.portal\\.([a-z0-9-]+)\\.app\\.amazonwebservices\\.com\\.cn"));

    private final Set<String> allowed;

    private PortalInstance(Set<String> allowed) {
        this.allowed = allowed;
    }

    /**
     * The allowed instances.
     *
     * @throws IllegalArgumentException when a start URL is not an https URL or names no
     *     instance (an issuer URL without its {@code /ssoins-…} path)
     */
    static PortalInstance allowing(List<String> startUrls) {
        Set<String> keys = new LinkedHashSet<>();
        List<String> bad = new ArrayList<>();
        for (String url : startUrls) {
            Optional<String> k = keyOfUrl(url);
            if (k.isPresent()) {
                keys.add(k.get());
            } else {
                bad.add(url);
            }
        }
        if (!bad.isEmpty()) {
            throw new IllegalArgumentException("not an Identity Center start URL: " + bad);
        }
        return new PortalInstance(Set.copyOf(keys));
    }

    boolean isAllowed(String key) {
        return allowed.contains(key);
    }

    /** The instance key of a URL as written in config or an OIDC body; empty when it names none. */
    static Optional<String> keyOfUrl(String url) {
        if (url == null) {
            return Optional.empty();
        }
        try {
            URI u = new URI(url.strip());
            if (!"https".equalsIgnoreCase(u.getScheme()) || u.getHost() == null) {
                return Optional.empty();
            }
            return keyOf(HostName.parse(u.getHost()), u.getRawPath() == null ? "" : u.getRawPath());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The instance key of a request to a portal host; empty when the request does not show
     * which instance it is for (an issuer-host or shared-host path without an instance).
     */
    static Optional<String> keyOf(HostName host, String path) {
        String h = host.value();
        if (SigninHosts.ISSUER_HOSTS.contains(h)) {
            String seg = firstSegment(path).toLowerCase(Locale.ROOT);
            return SSOINS.matcher(seg).matches() ? Optional.of(seg) : Optional.empty();
        }
        if (InferredWire.SHARED_PORTAL_HOST.matcher(h).matches()) {
            Matcher m = InferredWire.SHARED_PORTAL_PATH.matcher(path);
            return m.lookingAt() ? Optional.of(h + "/directory/" + m.group(1).toLowerCase(Locale.ROOT))
                    : Optional.empty();
        }
        for (Pattern p : REGION_PORTALS) {
            Matcher m = p.matcher(h);
            if (m.matches() && SSOINS.matcher(m.group(1)).matches()) {
                return Optional.of(m.group(1));
            }
        }
        return Optional.of(h);
    }

    /** The region a portal host names, "" when none. */
    static String regionOf(String host) {
        for (Pattern p : REGION_PORTALS) {
            Matcher m = p.matcher(host);
            if (m.matches()) {
                return m.group(2);
            }
        }
        return "";
    }

    private static String firstSegment(String path) {
        int start = path.startsWith("/") ? 1 : 0;
        int end = path.indexOf('/', start);
        return end < 0 ? path.substring(start) : path.substring(start, end);
    }
}

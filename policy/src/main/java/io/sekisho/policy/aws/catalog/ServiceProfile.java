package io.sekisho.policy.aws.catalog;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a {@code service} line of host-catalog.txt says about one AWS service: the wire protocols
 * it speaks (R9 {@code metadata.protocols}) and the request paths whose body is the caller's own
 * payload (issue 18 point 3). The body plan reads a body by the protocol the host's service
 * speaks, not by the Content-Type the client chose, and skips a body only on a data-plane path
 * of that very service.
 *
 * @param name the service as {@link HostMatch#service()} names it
 * @param protocols the protocols it speaks; empty for a service the catalog does not list
 * @param dataPlane the data-plane path templates, each split at '/'
 */
public record ServiceProfile(String name, Set<Protocol> protocols, List<String[]> dataPlane) {
    /** A service the catalog does not list: its bodies are read by Content-Type, never skipped. */
    public static final ServiceProfile UNKNOWN = new ServiceProfile("", Set.of(), List.of());

    /** The R9 protocol names, as host-catalog.txt spells them. */
    enum Protocol {
        QUERY("query"), JSON("json"), REST_JSON("rest-json"), REST_XML("rest-xml"), RPC_V2_CBOR("rpc-v2-cbor");

        final String spelling;

        Protocol(String spelling) {
            this.spelling = spelling;
        }

        static Protocol of(String s) {
            for (Protocol p : values()) {
                if (p.spelling.equals(s)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("unknown protocol " + s);
        }
    }

    /** One path segment of a template that stands for any single segment (a function or model name). */
    public static final String ANY_SEGMENT = "{*}";

    public ServiceProfile {
        Objects.requireNonNull(name);
        protocols = protocols.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(protocols));
        dataPlane = List.copyOf(dataPlane);
    }

    /** Parses one template: it starts with '/', and {@code {*}} is the only placeholder. */
    public static String[] template(String path) {
        if (!path.startsWith("/") || path.contains("//")) {
            throw new IllegalArgumentException("bad data-plane path " + path);
        }
        String[] segments = path.split("/", -1);
        for (String s : segments) {
            if (s.contains("{") && !s.equals(ANY_SEGMENT)) {
                throw new IllegalArgumentException("bad placeholder in " + path);
            }
        }
        return segments;
    }

    /** Speaks the Query protocol and nothing else: every body is a form. */
    public boolean queryOnly() {
        return only(Protocol.QUERY);
    }

    /** Speaks JSON (X-Amz-Target) and nothing else: every body is JSON. */
    public boolean jsonOnly() {
        return only(Protocol.JSON);
    }

    /** Without Set.equals, which walks an iterator: this runs for every request with a body. */
    private boolean only(Protocol p) {
        return protocols.size() == 1 && protocols.contains(p);
    }

    /**
     * True when {@code rawPath} is one of the data-plane paths, segment by segment and exactly:
     * literal segments compare as written (a percent-encoded or differently cased one does not
     * match), {@code {*}} takes one non-empty segment other than "." and "..". Any doubt means
     * "not a data plane", so the body is read.
     */
    public boolean isDataPlane(String rawPath) {
        for (int t = 0; t < dataPlane.size(); t++) {
            if (matches(dataPlane.get(t), rawPath)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(String[] template, String path) {
        int at = 0;
        for (int i = 0; i < template.length; i++) {
            int end = path.indexOf('/', at);
            boolean lastSegment = i == template.length - 1;
            if (lastSegment != (end < 0)) {
                return false; // more or fewer segments than the template
            }
            if (end < 0) {
                end = path.length();
            }
            if (!segmentMatches(template[i], path, at, end)) {
                return false;
            }
            at = end + 1;
        }
        return true;
    }

    private static boolean segmentMatches(String template, String path, int from, int to) {
        if (!template.equals(ANY_SEGMENT)) {
            return template.length() == to - from && path.startsWith(template, from);
        }
        int n = to - from;
        return n > 0 && !(n == 1 && path.charAt(from) == '.') && !(n == 2 && path.startsWith("..", from));
    }
}

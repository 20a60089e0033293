package io.sekisho.policy.signin;

import io.sekisho.policy.aws.wire.JsonDocument;
import io.sekisho.policy.Rejection;
import io.sekisho.policy.Headers;
import io.sekisho.policy.Reason;
import io.sekisho.policy.RequestFacts;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;

/**
 * One sign-in request read once for every rule: where it goes, its normalised path, and the
 * named values of its query and body together ({@link Params}).
 *
 * <p>The path is normalised the way a server might before routing — percent-escapes decoded,
 * {@code ;parameters} dropped, dot segments resolved, repeated and trailing slashes removed,
 * lower case — so that {@code /Federation/}, {@code /%66ederation} or {@code /x/../federation;a}
 * cannot slip a federation or SAML request past a rule that matches {@code /federation}.
 */
final class SigninRequest {
    final RequestFacts facts;
    final SigninHosts.Place place;
    final String path;
    final Params params;

    private SigninRequest(RequestFacts facts, SigninHosts.Place place, String path, Params params) {
        this.facts = facts;
        this.place = place;
        this.path = path;
        this.params = params;
    }

    /**
     * Reads a request.
     *
     * @param readBody true when {@code bodyNeed} asked for the body
     * @throws Rejection BAD_REQUEST for a malformed path or query, BODY_TOO_LARGE_TO_INSPECT
     *     for a truncated body, BODY_MALFORMED for a body that cannot be read
     */
    static SigninRequest read(RequestFacts facts, SigninHosts.Place place, boolean readBody) throws Rejection {
        if (!strict(place.kind())) {
            return new SigninRequest(facts, place, lenientPath(facts.path()), Params.parseFormLenient(facts.query()));
        }
        String path = normalisePath(facts.path());
        Params params = Params.parseForm(facts.query(), Reason.BAD_REQUEST);
        if (readBody) {
            params = params.plus(bodyParams(facts));
        }
        return new SigninRequest(facts, place, path, params);
    }

    /**
     * Hosts whose rules read the path or query fields: there a malformed escape is refused,
     * since the server might decode it differently. Elsewhere (console pages, device page,
     * Identity Center sign-in) only a SigV4 query credential is looked for, and an odd URL
     * must not break the page.
     */
    private static boolean strict(SigninHosts.Kind kind) {
        return switch (kind) {
            case SIGNIN, PORTAL, PORTAL_API, OIDC -> true;
            default -> false;
        };
    }

    private static String lenientPath(String raw) {
        try {
            return normalisePath(raw);
        } catch (Rejection e) {
            return raw.toLowerCase(Locale.ROOT);
        }
    }

    boolean isPost() {
        return facts.method().equalsIgnoreCase("POST");
    }

    /** True when the request announces a body (Content-Length above 0, or chunked). */
    static boolean hasBody(Headers h) {
        if (h.contains("Transfer-Encoding")) {
            return true;
        }
        String cl = h.get("Content-Length");
        return cl != null && !cl.strip().equals("0");
    }

    private static Params bodyParams(RequestFacts facts) throws Rejection {
        if (facts.body() == null) {
            throw new Rejection(Reason.INTERNAL_ERROR, "the body was asked for but not given");
        }
        if (!facts.bodyComplete()) {
            throw new Rejection(Reason.BODY_TOO_LARGE_TO_INSPECT, "sign-in body longer than the inspection limit");
        }
        String encoding = facts.headers().get("Content-Encoding");
        if (encoding != null && !encoding.strip().equalsIgnoreCase("identity")) {
            throw new Rejection(Reason.BODY_MALFORMED, "compressed sign-in body");
        }
        String type = contentType(facts.headers());
        if (type.isEmpty() || type.equals("application/x-www-form-urlencoded")) {
            // The form reader takes bytes, one char each (as the query string comes from the
            // request line): escapes and raw UTF-8 bytes decode together, as AWS reads them.
            return Params.parseForm(bytes(facts.body()), Reason.BODY_MALFORMED);
        }
        if (type.endsWith("json")) {
            Map<String, Object> json = JsonDocument.parseObject(text(facts.body()), Reason.BODY_MALFORMED);
            return Params.fromJsonObject(json);
        }
        if (type.startsWith("multipart/")) {
            // A browser form can post SAMLResponse or Session as multipart/form-data; we do not
            // parse multipart here, and AWS's sign-in pages post url-encoded forms or JSON.
            throw new Rejection(Reason.BODY_MALFORMED, "multipart sign-in body");
        }
        return Params.EMPTY; // text/plain beacons and the like: no fields a server would read
    }

    /** The body's bytes as a String of one char per byte (ISO-8859-1), for the form reader. */
    static String bytes(ByteBuffer body) {
        ByteBuffer b = body.duplicate();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    static String text(ByteBuffer body) {
        ByteBuffer b = body.duplicate();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static String contentType(Headers h) {
        String ct = h.get("Content-Type");
        if (ct == null) {
            return "";
        }
        int semi = ct.indexOf(';');
        return (semi < 0 ? ct : ct.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    static String normalisePath(String raw) throws Rejection {
        String decoded = percentDecode(raw);
        Deque<String> out = new ArrayDeque<>();
        for (String segment : decoded.split("/")) {
            int semi = segment.indexOf(';');
            String s = semi < 0 ? segment : segment.substring(0, semi);
            if (s.isEmpty() || s.equals(".")) {
                continue;
            }
            if (s.equals("..")) {
                out.pollLast();
                continue;
            }
            out.addLast(s.toLowerCase(Locale.ROOT));
        }
        return "/" + String.join("/", out);
    }

    /** Decodes %XX escapes (not '+': in a path it is a plus sign). */
    private static String percentDecode(String s) throws Rejection {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '%') {
                byte[] u = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                b.write(u, 0, u.length);
                continue;
            }
            if (i + 2 >= s.length()) {
                throw new Rejection(Reason.BAD_REQUEST, "truncated percent-escape in path");
            }
            int hi = Character.digit(s.charAt(i + 1), 16);
            int lo = Character.digit(s.charAt(i + 2), 16);
            if (hi < 0 || lo < 0) {
                throw new Rejection(Reason.BAD_REQUEST, "bad percent-escape in path");
            }
            b.write(hi * 16 + lo);
            i += 2;
        }
        return b.toString(StandardCharsets.UTF_8);
    }
}

package io.sekisho.proxy.block;

/**
 * The part of a request target a block page may show: the path only. The query is cut off
 * because presigned URLs and sign-in links carry credentials and tokens there
 * ({@code X-Amz-Signature}, {@code SigninToken}); the fragment never reaches a proxy but is cut
 * too in case a client sends it.
 */
final class DisplayPath {
    /** Long enough to recognise an object key, short enough for one line of a page. */
    static final int MAX_CHARS = 200;

    private DisplayPath() {
    }

    /** The path of an origin-form or absolute-form request target; "" for anything else. */
    static String of(String requestTarget) {
        String t = requestTarget == null ? "" : requestTarget;
        int scheme = t.indexOf("://");
        if (scheme > 0 && !t.startsWith("/")) {
            // absolute-form (RFC 9112 §3.2.2): the authority ends at the first '/', '?' or '#'
            int end = indexOfAny(t, scheme + 3, '/', '?', '#');
            t = end < 0 ? "/" : "/" + t.substring(end + (t.charAt(end) == '/' ? 1 : 0));
        }
        int cut = indexOfAny(t, 0, '?', '#', '#');
        if (cut >= 0) {
            t = t.substring(0, cut);
        }
        if (!t.startsWith("/")) {
            return "";
        }
        return t.length() <= MAX_CHARS ? t : t.substring(0, MAX_CHARS) + "\u2026";
    }

    private static int indexOfAny(String s, int from, char a, char b, char c) {
        for (int i = from; i < s.length(); i++) {
            char x = s.charAt(i);
            if (x == a || x == b || x == c) {
                return i;
            }
        }
        return -1;
    }
}

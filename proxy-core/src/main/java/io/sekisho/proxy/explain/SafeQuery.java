package io.sekisho.proxy.explain;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A query string as explain prints it: parameter names and harmless values kept (they are the
 * evidence: {@code Action=login}, {@code account_id=…}), values that are credentials cut
 * ({@code SigninToken}, {@code X-Amz-Signature}, session tokens, SAML assertions), and access key
 * IDs masked as the audit log masks them.
 */
final class SafeQuery {
    private static final Set<String> SECRET = Set.of("signintoken", "x-amz-signature", "x-amz-security-token",
            "signature", "session", "sessiontoken", "samlresponse", "access_token", "id_token", "refresh_token",
            "code", "password", "token", "x-amz-sso_bearer_token");
    /** An access key ID (AKIA/ASIA and the other prefixes), possibly inside a credential scope. */
    private static final Pattern KEY_ID =
            Pattern.compile("\\b(A[KS]IA|AIDA|AROA|ABIA|ACCA)([A-Z0-9]{12})([A-Z0-9]{4})\\b");

    private SafeQuery() {
    }

    static String of(String query) {
        if (query.isEmpty()) {
            return query;
        }
        StringBuilder out = new StringBuilder();
        for (String pair : query.split("&", -1)) {
            if (out.length() > 0) {
                out.append('&');
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            if (eq >= 0 && SECRET.contains(name.toLowerCase(Locale.ROOT))) {
                out.append(name).append("=\u2026");
            } else {
                out.append(maskKeys(pair));
            }
        }
        return out.toString();
    }

    static String maskKeys(String s) {
        Matcher m = KEY_ID.matcher(s);
        return m.replaceAll(r -> r.group(1) + "\u2026" + r.group(3));
    }
}

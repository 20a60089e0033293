package io.sekisho.proxy.audit;

import io.sekisho.policy.Verdict;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The access log in Squid's own formats, for the parsers that read Squid's (SIEM rules, SARG,
 * calamaris). {@code squid}: {@code %ts.%03tu %6tr %>a %Ss/%03>Hs %<st %rm %ru %[un %Sh/%<a %mt};
 * {@code combined}: {@code %>a %[ui %[un [%tl] "%rm %ru HTTP/%rv" %>Hs %<st "%{Referer}>h"
 * "%{User-Agent}>h" %Ss:%Sh}. Where Sekisho has no value Squid would have, the field is what
 * Squid writes for "none" ({@code -}); docs/logs.md lists each field and how it differs.
 */
final class SquidLineFormat implements LineFormat {
    private static final DateTimeFormatter LOCAL_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneId.systemDefault());

    private final AccessLogFormat format;

    SquidLineFormat(AccessLogFormat format) {
        this.format = format;
    }

    @Override
    public void append(AuditRecord r, ByteArrayOutputStream out) {
        String line = format == AccessLogFormat.SQUID ? squid(r) : combined(r);
        out.writeBytes(line.getBytes(StandardCharsets.UTF_8));
    }

    private static String squid(AuditRecord r) {
        long end = r.time().toEpochMilli() + r.durationMs();
        return String.format(Locale.ROOT, "%d.%03d %6d %s %s/%03d %d %s %s %s %s -%n", end / 1000, end % 1000,
                r.durationMs(), ip(r.client()), resultCode(r), r.http().status(), r.bytesDown(), method(r), url(r),
                user(r), hierarchy(r));
    }

    private static String combined(AuditRecord r) {
        Instant end = r.time().plusMillis(r.durationMs());
        return String.format(Locale.ROOT, "%s - %s [%s] \"%s %s HTTP/1.1\" %d %d \"%s\" \"%s\" %s:%s%n", ip(r.client()),
                user(r), LOCAL_TIME.format(end), method(r), url(r), r.http().status(), r.bytesDown(),
                orDash(r.http().referer()), orDash(r.http().userAgent()), resultCode(r), hierarchyCode(r));
    }

    /** Squid's %Ss: TCP_TUNNEL, TCP_MISS (forwarded, also when the upstream failed), TCP_DENIED, NONE_NONE. */
    static String resultCode(AuditRecord r) {
        boolean connect = "CONNECT".equals(r.method());
        if (r.decision().verdict() == Verdict.ALLOW) {
            return connect ? "TCP_TUNNEL" : "TCP_MISS";
        }
        int status = r.http().status();
        if (status == 403 || status == 407) {
            return "TCP_DENIED";
        }
        return status >= 500 && !r.host().isEmpty() ? "TCP_MISS" : "NONE_NONE";
    }

    private static String hierarchyCode(AuditRecord r) {
        return r.decision().verdict() == Verdict.ALLOW ? "HIER_DIRECT" : "HIER_NONE";
    }

    /** %Sh/%<a: Sekisho names the upstream host (Squid its IP address). */
    private static String hierarchy(AuditRecord r) {
        return r.decision().verdict() == Verdict.ALLOW ? "HIER_DIRECT/" + r.host() : "HIER_NONE/-";
    }

    private static String method(AuditRecord r) {
        return r.method().isEmpty() ? "NONE" : r.method();
    }

    /** %ru: host:port for CONNECT, else the URL without its query (Squid's strip_query_terms on). */
    static String url(AuditRecord r) {
        if (r.host().isEmpty()) {
            return "error:invalid-request";
        }
        String host = r.host().indexOf(':') >= 0 ? "[" + r.host() + "]" : r.host();
        if ("CONNECT".equals(r.method())) {
            return host + ":" + r.port();
        }
        String scheme = r.http().scheme().isEmpty() ? "http" : r.http().scheme();
        boolean defaultPort = r.port() == 0 || (scheme.equals("http") ? r.port() == 80 : r.port() == 443);
        return scheme + "://" + host + (defaultPort ? "" : ":" + r.port()) + (r.path().isEmpty() ? "/" : r.path())
                + (r.http().hadQuery() ? "?" : "");
    }

    /** "127.0.0.1:5000" → "127.0.0.1", "[::1]:5000" → "::1". */
    static String ip(String client) {
        if (client.startsWith("[")) {
            int end = client.indexOf(']');
            return end > 0 ? client.substring(1, end) : client;
        }
        int colon = client.lastIndexOf(':');
        return colon > 0 ? client.substring(0, colon) : client;
    }

    /** Squid's %[un: the user the client proved ({@code auth}), "-" when none; odd bytes %-encoded. */
    static String user(AuditRecord r) {
        String u = r.identity().user();
        if (u.isEmpty()) {
            return "-";
        }
        StringBuilder b = new StringBuilder(u.length());
        for (byte c : u.getBytes(StandardCharsets.UTF_8)) {
            if (c > ' ' && c < 0x7f && c != '"' && c != '%') {
                b.append((char) c);
            } else {
                b.append(String.format(Locale.ROOT, "%%%02X", c & 0xff));
            }
        }
        return b.toString();
    }

    private static String orDash(String s) {
        return s.isEmpty() ? "-" : s.replace("\"", "%22");
    }
}

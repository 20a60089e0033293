package io.sekisho.proxy.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The fields of one audit line the report reads (names from proxy-core's AuditFields). Unknown
 * fields are skipped, so lines written by newer versions ({@code user}, {@code status} …) read
 * as well; a field that is absent is "".
 */
final class AuditLine {
    String time = "";
    String client = "";
    String user = "";
    String host = "";
    String verdict = "";
    String reason = "";
    boolean wouldDeny;
    String principalAccount = "";
    final List<String> resourceAccounts = new ArrayList<>();
    String flow = "";
    String action = "";

    void clear() {
        time = "";
        client = "";
        user = "";
        host = "";
        verdict = "";
        reason = "";
        wouldDeny = false;
        principalAccount = "";
        resourceAccounts.clear();
        flow = "";
        action = "";
    }

    /** Denied, or allowed only because of report mode. */
    boolean blocked() {
        return !verdict.equals("ALLOW") || wouldDeny;
    }

    /** Who made the request: the authenticated user when the line has one, else the client address. */
    String who() {
        if (!user.isEmpty()) {
            return user;
        }
        int colon = client.lastIndexOf(':');
        String c = colon > 0 && client.indexOf(':') == colon ? client.substring(0, colon) : client;
        if (c.startsWith("[") && c.contains("]:")) {
            c = c.substring(1, c.indexOf("]:"));
        }
        return c;
    }
}

package io.sekisho.policy.aws.sts;

import io.sekisho.policy.Nullable;
import io.sekisho.policy.aws.wire.Params;

/**
 * The parameters of an STS Query call that the session-name rule reads, from the query string
 * and the form body together: how many {@code Action} and {@code RoleSessionName} parameters
 * there are (names decoded, case ignored), whether one is {@code AssumeRole}, and the session name.
 */
final class StsParams {
    private int actions;
    private boolean assumeRole;
    private int sessionNames;
    private @Nullable String sessionName;
    private boolean malformed;

    private StsParams() {
    }

    static StsParams read(CharSequence query, @Nullable CharSequence body) {
        StsParams out = new StsParams();
        out.scan(query);
        if (body != null) {
            out.scan(body);
        }
        return out;
    }

    private void scan(CharSequence text) {
        Params p = Params.of(text);
        while (p.next()) {
            if (p.nameMalformed()) {
                malformed = true;
            } else if (p.nameIs("Action")) {
                actions++;
                String v = p.value();
                malformed |= v == null;
                assumeRole |= v != null && v.strip().equalsIgnoreCase("AssumeRole");
            } else if (p.nameIs("RoleSessionName")) {
                sessionNames++;
                sessionName = p.value();
                malformed |= sessionName == null;
            }
        }
    }

    int actions() {
        return actions;
    }

    boolean assumeRole() {
        return assumeRole;
    }

    int sessionNames() {
        return sessionNames;
    }

    @Nullable String sessionName() {
        return sessionName;
    }

    boolean malformed() {
        return malformed;
    }
}

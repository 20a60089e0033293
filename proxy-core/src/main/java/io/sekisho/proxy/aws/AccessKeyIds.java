package io.sekisho.proxy.aws;

/** Access key ID text helpers (aws-wire-facts §2). */
public final class AccessKeyIds {

    private AccessKeyIds() {
    }

    /**
     * An AWS access key ID as IAM and STS issue it: 16 to 128 characters from {@code [A-Z0-9]}
     * (IAM API reference, AccessKey.AccessKeyId). Anything else is never sent to STS.
     */
    public static boolean wellFormed(String id) {
        if (id == null || id.length() < 16 || id.length() > 128) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }

    /**
     * The form key IDs take in logs: first 4 and last 4 characters, as in the audit line. Key IDs
     * are not secrets, but a full one plus a leaked secret elsewhere is a credential; logs never
     * need the middle.
     */
    public static String mask(String id) {
        if (id == null || id.length() <= 8) {
            return "****";
        }
        return id.substring(0, 4) + "\u2026" + id.substring(id.length() - 4);
    }

    /** Twelve ASCII digits. */
    static boolean isAccountId(String s) {
        if (s == null || s.length() != 12) {
            return false;
        }
        for (int i = 0; i < 12; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}

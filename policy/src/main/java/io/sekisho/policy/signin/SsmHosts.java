package io.sekisho.policy.signin;

/**
 * The SSM host names {@link SsmDataChannels} judges, matched by hand: asked on every request to
 * an AWS API host, so without a regex. {@code ssm[-fips].<label>.amazonaws.com[.cn]} and
 * {@code ssmmessages.<label>.amazonaws.com[.cn]}, the label one or more of {@code [a-z0-9-]}
 * (what the patterns {@code ssm(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?} and
 * {@code ssmmessages\.[a-z0-9-]+\.amazonaws\.com(\.cn)?} match; SsmHostsTest holds them to it).
 */
final class SsmHosts {
    private static final String SUFFIX = ".amazonaws.com";
    private static final String CN = ".cn";

    private SsmHosts() {
    }

    /** The SSM API: {@code ssm[-fips].<region>.amazonaws.com[.cn]}. */
    static boolean isSsm(String h) {
        return labelled(h, "ssm.") || labelled(h, "ssm-fips.");
    }

    /** The data channels' host: {@code ssmmessages.<region>.amazonaws.com[.cn]}. */
    static boolean isMessages(String h) {
        return labelled(h, "ssmmessages.");
    }

    /** {@code prefix}, one label of {@code [a-z0-9-]}, then {@code .amazonaws.com} or {@code .amazonaws.com.cn}. */
    private static boolean labelled(String h, String prefix) {
        if (!h.startsWith(prefix)) {
            return false;
        }
        int end = h.endsWith(CN) ? h.length() - CN.length() : h.length();
        int labelEnd = end - SUFFIX.length();
        if (labelEnd <= prefix.length() || !h.startsWith(SUFFIX, labelEnd)) {
            return false;
        }
        for (int i = prefix.length(); i < labelEnd; i++) {
            char c = h.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                return false;
            }
        }
        return true;
    }
}

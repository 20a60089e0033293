package io.sekisho.config;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The values of the alias lists and the closed-network controls ({@code aws.s3.accessPoints},
 * {@code aws.s3.multiRegionAccessPoints}, {@code aws.sts}, {@code aws.ssm}); each check throws
 * {@link IllegalArgumentException} with the sentence the loader reports.
 */
final class ControlValues {
    private static final Pattern ACCESS_POINT_ALIAS = Pattern.compile("[a-z0-9*][a-z0-9*-]*");
    private static final String[] ALIAS_SUFFIXES = {"-s3alias", "--ol-s3", "--op-s3"};
    private static final Pattern MRAP_ALIAS = Pattern.compile("[a-z0-9*]+");
    private static final Pattern ROLE_ARN = Pattern.compile("arn:[a-z*-]+:iam::(\\d{12}|\\*):role/[\\x21-\\x7e]+");
    private static final Pattern DOCUMENT = Pattern.compile("[A-Za-z0-9_.:/*-]{3,256}");
    private static final Pattern TARGET = Pattern.compile("[A-Za-z0-9_.:*-]{1,400}");
    private static final Pattern REMOTE_HOST = Pattern.compile("[a-z0-9*][a-z0-9.:*-]{0,252}");

    private ControlValues() {
    }

    /** An access point alias or a glob of them; it must end with an alias suffix. */
    static String accessPointAlias(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        if (!ACCESS_POINT_ALIAS.matcher(t).matches() || !endsWithAliasSuffix(t)) {
            throw new IllegalArgumentException("`" + text + "` is not an access point alias: an alias is lower-case"
                    + " letters, digits and '-' ending in -s3alias, --ol-s3 or --op-s3 ('*' matches any run)");
        }
        return t;
    }

    private static boolean endsWithAliasSuffix(String t) {
        for (String s : ALIAS_SUFFIXES) {
            if (t.endsWith(s)) {
                return true;
            }
        }
        return false;
    }

    /** A Multi-Region Access Point alias, with or without its {@code .mrap}; kept without it. */
    static String mrapAlias(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        if (t.endsWith(".mrap")) {
            t = t.substring(0, t.length() - ".mrap".length());
        }
        if (!MRAP_ALIAS.matcher(t).matches()) {
            throw new IllegalArgumentException("`" + text + "` is not a Multi-Region Access Point alias such as"
                    + " mfzwi23gnjvgw.mrap (letters and digits, '*' matches any run)");
        }
        return t;
    }

    /** An IAM role ARN, '*' matching any run: {@code arn:aws:iam::111122223333:role/Prod*}. */
    static String roleArn(String text) {
        if (!ROLE_ARN.matcher(text).matches()) {
            throw new IllegalArgumentException("`" + text + "` is not a role ARN pattern such as"
                    + " arn:aws:iam::111122223333:role/prod-* ('*' matches any run)");
        }
        return text;
    }

    /** An SSM document name (or ARN), compared exactly as StartSession names it. */
    static String document(String text) {
        if (!DOCUMENT.matcher(text).matches()) {
            throw new IllegalArgumentException("`" + text + "` is not an SSM document name such as"
                    + " AWS-StartPortForwardingSession");
        }
        return text;
    }

    /** A StartSession target or a glob of them: {@code i-0123456789abcdef0}, {@code mi-*}. */
    static String target(String text) {
        if (!TARGET.matcher(text).matches()) {
            throw new IllegalArgumentException("`" + text + "` is not a session target pattern such as i-0abc* or"
                    + " mi-* (letters, digits, '_', '.', ':', '-'; '*' matches any run)");
        }
        return text;
    }

    /** A remote host name or address for port forwarding, lower case, '*' matching any run. */
    static String remoteHost(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        if (!REMOTE_HOST.matcher(t).matches()) {
            throw new IllegalArgumentException("`" + text + "` is not a host name or address pattern such as"
                    + " db.internal.example or 10.0.*");
        }
        return t;
    }
}

package io.sekisho.config;

import io.sekisho.policy.HostName;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Validators for the identifiers of the {@code aws:} section. Each returns the normalised
 * value or throws IllegalArgumentException with a message for the user.
 */
final class AwsValues {
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    /** AKIA (long-term) or ASIA (temporary), then 16 base32 characters (aws-wire-facts §2). */
    private static final Pattern ACCESS_KEY_ID = Pattern.compile("(AKIA|ASIA)[A-Z2-7]{16}");
    /** IAM CreateAccountAlias: 3-63 of a-z, 0-9 and single hyphens, not at either end. */
    private static final Pattern ALIAS = Pattern.compile("[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9]");
    private static final Pattern BUCKET_CHARS = Pattern.compile("[a-z0-9.*-]+");
    private static final Pattern IPV4_LIKE = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");
    /** S3 general purpose bucket naming rules: reserved prefixes and suffixes. */
    private static final String[] RESERVED_PREFIXES = {"xn--", "sthree-", "amzn-s3-demo-"};
    private static final String[] RESERVED_SUFFIXES = {"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"};

    private AwsValues() {
    }

    static String accountId(String text) {
        if (!ACCOUNT.matcher(text).matches()) {
            throw new IllegalArgumentException("`" + text + "` is not an AWS account ID (twelve digits)");
        }
        return text;
    }

    static String accessKeyId(String text) {
        if (!ACCESS_KEY_ID.matcher(text).matches()) {
            throw new IllegalArgumentException("`" + text + "` is not an access key ID"
                    + " (AKIA or ASIA, then 16 characters A-Z and 2-7)");
        }
        return text;
    }

    static String alias(String text) {
        if (!ALIAS.matcher(text).matches()) {
            throw new IllegalArgumentException("`" + text + "` is not an IAM account alias"
                    + " (3-63 lower-case letters, digits and single hyphens, starting and ending"
                    + " with a letter or digit)");
        }
        if (ACCOUNT.matcher(text).matches()) {
            // <alias>.signin.aws.amazon.com would be read as an account ID sign-in page.
            throw new IllegalArgumentException("`" + text + "` looks like an account ID; list it as `id`");
        }
        return text;
    }

    /**
     * A bucket name, or a pattern where {@code *} stands for any run of characters. The literal
     * parts must obey the S3 bucket naming rules, so a typo such as an upper-case letter or an
     * underscore cannot silently match nothing.
     */
    static String bucketGlob(String text) {
        String what = "`" + text + "` is not a bucket name pattern: ";
        if (!BUCKET_CHARS.matcher(text).matches()) {
            throw new IllegalArgumentException(what + "bucket names use only a-z, 0-9, '.' and '-'"
                    + " ('*' matches any run of them)");
        }
        if (text.contains("..")) {
            throw new IllegalArgumentException(what + "two adjacent periods");
        }
        if (text.replace("*", "").length() > 63) {
            throw new IllegalArgumentException(what + "longer than 63 characters");
        }
        char first = text.charAt(0);
        char last = text.charAt(text.length() - 1);
        if (first == '.' || first == '-' || last == '.' || last == '-') {
            throw new IllegalArgumentException(what + "a bucket name starts and ends with a letter or digit");
        }
        for (String prefix : RESERVED_PREFIXES) {
            if (text.startsWith(prefix)) {
                throw new IllegalArgumentException(what + "the prefix " + prefix + " is reserved by S3");
            }
        }
        for (String suffix : RESERVED_SUFFIXES) {
            if (text.endsWith(suffix)) {
                throw new IllegalArgumentException(what + "the suffix " + suffix + " is reserved by S3");
            }
        }
        if (text.indexOf('*') < 0) {
            if (text.length() < 3) {
                throw new IllegalArgumentException(what + "shorter than 3 characters");
            }
            if (IPV4_LIKE.matcher(text).matches()) {
                throw new IllegalArgumentException(what + "a bucket name is not an IP address");
            }
        }
        return text;
    }

    /**
     * An Identity Center start URL, normalised to compare with what clients send: https only,
     * lower-case host, no port, query or fragment, no trailing slash.
     */
    static String startUrl(String text) {
        String what = "`" + text + "` is not an Identity Center start URL: ";
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(what + e.getReason());
        }
        if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getRawAuthority() == null) {
            throw new IllegalArgumentException(what + "write it as https://name.awsapps.com/start");
        }
        if (uri.getRawUserInfo() != null || uri.getPort() != -1 || uri.getHost() == null) {
            throw new IllegalArgumentException(what + "give only the host and path, as https://name.awsapps.com/start");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(what + "remove the query or fragment");
        }
        String host;
        try {
            host = HostName.parse(uri.getHost()).value();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + e.getMessage());
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return "https://" + host + path;
    }

    /** Root sign-in is by e-mail address; compared in lower case. */
    static String email(String text) {
        int at = text.indexOf('@');
        if (at <= 0 || at != text.lastIndexOf('@') || text.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("`" + text + "` is not an e-mail address");
        }
        String domain = text.substring(at + 1);
        try {
            if (HostName.parse(domain).isIpLiteral() || domain.indexOf('.') < 0) {
                throw new IllegalArgumentException("`" + text + "` is not an e-mail address");
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("`" + text + "` is not an e-mail address");
        }
        return text.toLowerCase(Locale.ROOT);
    }
}

package io.sekisho.policy.aws.request;

import io.sekisho.policy.Headers;
import io.sekisho.policy.Nullable;
import io.sekisho.policy.aws.wire.AwsWireFacts;
import io.sekisho.policy.aws.wire.Text;
import java.util.ArrayList;
import java.util.List;

/**
 * The request headers the AWS inspection reads, collected in one pass over the header lines
 * (names compared ignoring case) instead of one lookup per name. Credential and account headers
 * keep every value, so that a second copy of a header cannot hide behind the first.
 */
public final class AwsHeaders {
    /** Every Authorization value (usually one). */
    public final List<String> authorization = new ArrayList<>(1);
    /** Every value of an account-naming header (x-amz-expected-bucket-owner, …); null when none. */
    public @Nullable List<String> accountHeaders;
    public @Nullable String regionSet;
    public @Nullable String sigv3;
    @Nullable String contentType;
    @Nullable String contentLength;
    @Nullable String transferEncoding;
    /** Every Content-Encoding line joined with ", " (RFC 9110 §5.3): a second line cannot hide a coding. */
    @Nullable String contentEncoding;
    @Nullable String contentSha256;
    @Nullable String target;
    public @Nullable String copySource;
    /** x-amz-acl and every x-amz-grant-* value (S3 access control); null when none. */
    public @Nullable List<String> acl;
    public boolean ssoBearer;
    public boolean sessionToken;

    private AwsHeaders() {
    }

    public static AwsHeaders of(Headers h) {
        AwsHeaders a = new AwsHeaders();
        for (int i = 0, n = h.size(); i < n; i++) {
            a.line(h.name(i), h.value(i));
        }
        return a;
    }

    private void line(String name, String value) {
        int len = name.length();
        if (len <= 17) {
            shortName(name, value);
        } else {
            longName(name, value);
        }
        if (len >= 9 && startsWith(name, "x-amz-")) {
            amzHeader(name, value);
        }
    }

    /** Header names are switched on length first: most lines are then compared with nothing. */
    private void shortName(String name, String value) {
        switch (name.length()) {
            case 12:
                if (is(name, "Content-Type")) {
                    contentType = first(contentType, value);
                } else if (is(name, "X-Amz-Target")) {
                    target = first(target, value);
                }
                break;
            case 13:
                if (is(name, AwsWireFacts.AUTHORIZATION)) {
                    authorization.add(value);
                }
                break;
            case 14:
                contentLength = is(name, "Content-Length") ? first(contentLength, value) : contentLength;
                break;
            case 16:
                if (is(name, "X-Amz-Region-Set")) {
                    regionSet = first(regionSet, value);
                } else if (is(name, "Content-Encoding")) {
                    contentEncoding = contentEncoding == null ? value : contentEncoding + ", " + value;
                }
                break;
            case 17:
                if (is(name, "Transfer-Encoding")) {
                    transferEncoding = first(transferEncoding, value);
                } else if (is(name, AwsWireFacts.COPY_SOURCE)) {
                    copySource = first(copySource, value);
                }
                break;
            default:
                break;
        }
    }

    private void longName(String name, String value) {
        switch (name.length()) {
            case 20:
                if (is(name, AwsWireFacts.SIGV3_HEADER)) {
                    sigv3 = first(sigv3, value);
                } else if (is(name, "X-Amz-Content-SHA256")) {
                    contentSha256 = first(contentSha256, value);
                } else {
                    sessionToken |= is(name, "X-Amz-Security-Token");
                }
                break;
            case 21:
                sessionToken |= is(name, "x-amz-s3session-token");
                break;
            case 22:
                ssoBearer |= is(name, AwsWireFacts.SSO_BEARER_HEADER);
                break;
            default:
                break;
        }
    }

    private static final String[] ACCOUNT_HEADERS = AwsWireFacts.ACCOUNT_HEADERS.toArray(new String[0]);

    private void amzHeader(String name, String value) {
        if (is(name, AwsWireFacts.CANNED_ACL_HEADER)
                || startsWith(name, AwsWireFacts.GRANT_HEADER_PREFIX)) {
            if (acl == null) {
                acl = new ArrayList<>(1);
            }
            acl.add(value);
        }
        for (String h : ACCOUNT_HEADERS) {
            if (is(name, h)) {
                if (accountHeaders == null) {
                    accountHeaders = new ArrayList<>(2);
                }
                accountHeaders.add(value);
            }
        }
    }

    /**
     * {@code name.equalsIgnoreCase(expected)} for an ASCII {@code expected}, without the JDK's
     * Unicode case folding on every character (the profile's largest cost on header-signed
     * requests). A non-ASCII character that differs takes the JDK's path, so that names such as
     * one with a Kelvin sign (which folds to 'k') still compare as before.
     */
    static boolean is(String name, String expected) {
        return name.length() == expected.length() && regionIs(name, expected);
    }

    /** {@code name.regionMatches(true, 0, prefix, 0, prefix.length())}, as {@link #is} does it. */
    static boolean startsWith(String name, String prefix) {
        return name.length() >= prefix.length() && regionIs(name, prefix);
    }

    private static boolean regionIs(String name, String expected) {
        for (int i = 0, n = expected.length(); i < n; i++) {
            char a = name.charAt(i);
            char b = expected.charAt(i);
            if (a != b && Text.lower(a) != Text.lower(b)) {
                return a >= 0x80 && name.regionMatches(true, 0, expected, 0, n);
            }
        }
        return true;
    }

    private static String first(@Nullable String existing, String value) {
        return existing == null ? value : existing;
    }

    public boolean contentTypeStartsWith(String prefix) {
        return contentType != null
                && Text.startsWithIgnoreCase(contentType, Text.skipSpaces(contentType, 0, contentType.length()),
                        contentType.length(), prefix);
    }

    boolean contentTypeIsJson() {
        return contentType != null && Text.indexOfIgnoreCase(contentType, "json", 0, contentType.length()) >= 0;
    }
}

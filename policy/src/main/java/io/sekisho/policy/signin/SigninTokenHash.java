package io.sekisho.policy.signin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The SHA-256 of a console sign-in token. A {@link SigninTokenStore} only ever receives these,
 * so no store implementation can keep, log or leak the token itself: a sign-in token is a
 * bearer credential for a console session for 15 minutes (aws-wire-facts §4.1).
 *
 * <p>An unkeyed hash is enough inside one process: the tokens are long random strings (no
 * dictionary to try). A shared store keys its entries with an HMAC of this hash under a secret
 * every instance of the group holds ({@code cluster.tokenKey}), so that what sits in Valkey or
 * Redis cannot even be matched against a token seen elsewhere.
 */
public final class SigninTokenHash {
    private static final String BEARER_DOMAIN = "sekisho-oauth-bearer\u0000";

    private final byte[] sha256;

    private SigninTokenHash(byte[] sha256) {
        this.sha256 = sha256;
    }

    /** Hashes a token as it appears on the wire (UTF-8). */
    public static SigninTokenHash of(CharSequence token) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            return new SigninTokenHash(d.digest(token.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256 (MessageDigest javadoc).
            throw new IllegalStateException(e);
        }
    }

    /**
     * Hashes an OAuth bearer token (issue 15 point 1) apart from console sign-in tokens: the
     * input is prefixed, so a bearer token's record can never redeem a console login, nor a
     * console sign-in token pass as a bearer token.
     */
    public static SigninTokenHash ofBearer(CharSequence token) {
        return of(BEARER_DOMAIN + token);
    }

    /** The hash in lower-case hex (64 characters): a key for a shared store. */
    public String hex() {
        return HexFormat.of().formatHex(sha256);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SigninTokenHash h && MessageDigest.isEqual(h.sha256, sha256);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sha256);
    }

    /** A short prefix only, for debugging; the full hash is for stores, not logs. */
    @Override
    public String toString() {
        return "SigninTokenHash[" + hex().substring(0, 8) + "…]";
    }
}

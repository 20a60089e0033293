package io.sekisho.policy.signin;

import io.sekisho.policy.Reason;
import io.sekisho.policy.Rejection;
import io.sekisho.policy.aws.wire.JsonDocument;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The payload of a JSON Web Token (RFC 7519 §3: three base64url parts joined by dots; RFC 7515
 * §2: no padding, though a padded one is read too). Only the payload is read; the signature is
 * not verified (see {@link OAuthTokens}).
 */
final class Jwt {
    /** The Sign-In idToken is at most 4096 characters (service model, IdToken). */
    static final int MAX_CHARS = 16 * 1024;

    private Jwt() {
    }

    /** The {@code sub} claim; rejects a token that is not a JWT or has no string subject. */
    static String subject(String token) throws Rejection {
        if (token.length() > MAX_CHARS) {
            throw new Rejection(Reason.BODY_MALFORMED, "token too long");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || parts[1].isEmpty()) {
            throw new Rejection(Reason.BODY_MALFORMED, "token is not a JWT");
        }
        String payload;
        try {
            payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new Rejection(Reason.BODY_MALFORMED, "JWT payload is not base64url");
        }
        Map<String, Object> claims = JsonDocument.parseObject(payload, Reason.BODY_MALFORMED);
        String sub = JsonDocument.string(claims, "sub");
        if (sub == null) {
            throw new Rejection(Reason.AWS_SIGNIN_ACCOUNT_UNKNOWN, "JWT has no subject");
        }
        return sub;
    }
}

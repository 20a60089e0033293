package io.sekisho.policy.aws.credentials;

import static io.sekisho.policy.aws.wire.AwsWireFacts.BEDROCK_LONG_TERM_ACCOUNT_MARKER;
import static io.sekisho.policy.aws.wire.AwsWireFacts.BEDROCK_LONG_TERM_PREFIX;
import static io.sekisho.policy.aws.wire.AwsWireFacts.BEDROCK_SHORT_TERM_PREFIX;
import static io.sekisho.policy.aws.wire.AwsWireFacts.EKS_TOKEN_PREFIX;

import io.sekisho.policy.Nullable;
import io.sekisho.policy.aws.wire.Params;
import io.sekisho.policy.aws.wire.Text;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Bearer tokens that name an AWS principal (aws-wire-facts §1.8, §1.2): the Bedrock short-term
 * key and the EKS token both wrap a SigV4 presigned URL whose {@code X-Amz-Credential} is the
 * signer's key; the Bedrock long-term key states its account in clear. Any other bearer token is
 * opaque. The decoded token holds a signature and maybe a session token: nothing of it is kept
 * except the key ID and scope. The scheme {@code Authorization: Bearer …}.
 */
final class BearerTokens implements AuthorizationScheme {
    /** A presigned URL is a few hundred bytes; refuse to decode anything absurdly large. */
    private static final int MAX_TOKEN_CHARS = 16 * 1024;

    @Override
    public String prefix() {
        return "Bearer ";
    }

    @Override
    public void read(String value, int from, int to, CredentialCollector c) {
        read(value.substring(Text.skipSpaces(value, from, to)).strip(), AuthorizationHeader.LOCATION, c);
    }

    static void read(String token, String location, CredentialCollector c) {
        if (token.length() > MAX_TOKEN_CHARS) {
            c.malformed(SigningForm.BEARER, location);
        } else if (token.startsWith(BEDROCK_SHORT_TERM_PREFIX)) {
            presignedUrl(decode(token.substring(BEDROCK_SHORT_TERM_PREFIX.length()), false), location, c);
        } else if (token.startsWith(EKS_TOKEN_PREFIX)) {
            presignedUrl(decode(token.substring(EKS_TOKEN_PREFIX.length()), true), location, c);
        } else if (token.startsWith(BEDROCK_LONG_TERM_PREFIX)) {
            longTermBedrock(token, location, c);
        } else {
            c.opaque(SigningForm.BEARER, location);
        }
    }

    private static void presignedUrl(@Nullable String url, String location, CredentialCollector c) {
        int q = url == null ? -1 : url.indexOf('?');
        if (url == null || q < 0) {
            c.malformed(SigningForm.BEARER, location);
            return;
        }
        Params p = new Params(url, q + 1, url.length());
        if (!Presigned.readAll(p, Where.at(location), SigningForm.BEARER, SigningForm.BEARER, c)) {
            c.malformed(SigningForm.BEARER, location);
        }
    }

    /** "ABSK" + base64("BedrockAPIKey-&lt;id&gt;-at-&lt;account&gt;:&lt;secret&gt;"). [INF] */
    private static void longTermBedrock(String token, String location, CredentialCollector c) {
        String decoded = decode(token.substring(BEDROCK_LONG_TERM_PREFIX.length()), false);
        if (decoded == null) {
            c.opaque(SigningForm.BEARER, location); // not base64: treat as unknown
            return;
        }
        int colon = decoded.indexOf(':');
        int at = colon < 0 ? -1 : decoded.lastIndexOf(BEDROCK_LONG_TERM_ACCOUNT_MARKER, colon);
        int from = at + BEDROCK_LONG_TERM_ACCOUNT_MARKER.length();
        if (at < 0 || !AccessKeys.isAccountId(decoded, from, colon)) {
            c.opaque(SigningForm.BEARER, location); // format not as observed: treat as unknown
            return;
        }
        c.declaredAccount(decoded.substring(from, colon), location);
    }

    /** Base64 (standard or URL alphabet, padding optional) as Latin-1 text; null when invalid. */
    private static @Nullable String decode(String b64, boolean urlAlphabet) {
        try {
            Base64.Decoder d = urlAlphabet || b64.indexOf('-') >= 0 || b64.indexOf('_') >= 0
                    ? Base64.getUrlDecoder() : Base64.getDecoder();
            return new String(d.decode(b64), StandardCharsets.ISO_8859_1);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

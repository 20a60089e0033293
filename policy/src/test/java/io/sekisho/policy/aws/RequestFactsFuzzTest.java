package io.sekisho.policy.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sekisho.policy.Answer;
import io.sekisho.policy.Ask;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Exchange;
import io.sekisho.policy.HostName;
import io.sekisho.policy.Need;
import io.sekisho.policy.PolicyEngine;
import io.sekisho.policy.Reason;
import io.sekisho.policy.RequestFacts;
import io.sekisho.policy.SimpleHeaders;
import io.sekisho.policy.aws.credentials.AccessKeys;
import io.sekisho.policy.aws.credentials.CredentialExtractor;
import io.sekisho.policy.aws.credentials.ExtractedCredential;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Fuzz target (docs/fuzzing.md): credential extraction and the whole engine on fuzzed requests.
 * The input reads like an HTTP/1.1 request: {@code METHOD scheme://host[:port]/path?query},
 * header lines, a blank line, the body (complete when Content-Length says so). The oracle:
 * {@link CredentialExtractor#extract} returns a credential and never throws; the engine
 * (both inspectors, as {@code StandardPolicy} builds it) answers the whole conversation with a
 * {@link Decision} (or a key lookup) and never throws; and a key ID's decoded account is what an
 * independent decoding of aws-wire-facts §2.1 gives.
 */
class RequestFactsFuzzTest {
    private static final PolicyEngine ENGINE = HeadersOnlyDecisionTest.engine(Settings.BASE);

    @FuzzTest
    void decide(byte[] input) {
        RequestFacts facts = parse(input);
        if (facts == null) {
            return;
        }
        ExtractedCredential c = new CredentialExtractor().extract(facts);
        assertThat(c).isNotNull();
        if (c.accessKeyId() != null) {
            assertThat(AccessKeys.decodeAccount(c.accessKeyId())).isEqualTo(referenceAccount(c.accessKeyId()));
        }
        // The whole conversation as the gate holds it: the head (the client waits for 100
        // Continue), then the body when asked for, then the addresses of an absolute-form request.
        RequestFacts headersOnly = facts.withBody(null, false);
        boolean hasBody = facts.body() != null && facts.body().hasRemaining();
        Decision tunnel = facts.connectHost() == null ? null : Decision.allow(Reason.DOMAIN_ALLOWED, "");
        Exchange x = Exchange.request(headersOnly, hasBody, true, tunnel);
        Answer a = ENGINE.decide(x);
        if (a instanceof Need.RequestBody) {
            x = x.withRequestBody(facts.body(), facts.bodyComplete());
            a = ENGINE.decide(x);
        }
        if (a == Need.ADDRESSES) {
            a = ENGINE.decide(x.withRoute(Ask.VIA_PARENT));
        }
        assertThat(a).isNotNull();
        assertThat(a instanceof Decision || a instanceof Need.KeyLookup).as("%s", a).isTrue();
    }

    /** The request the input describes, or null when it is not one the proxy would hand over. */
    static RequestFacts parse(byte[] input) {
        String text = new String(input, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\n\n");
        String head = headEnd < 0 ? text : text.substring(0, headEnd);
        String[] lines = head.split("\n", -1);
        int sp = lines[0].indexOf(' ');
        int schemeEnd = lines[0].indexOf("://");
        if (sp <= 0 || schemeEnd < sp) {
            return null;
        }
        String method = lines[0].substring(0, sp);
        String scheme = lines[0].substring(sp + 1, schemeEnd);
        String rest = lines[0].substring(schemeEnd + 3);
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String target = slash < 0 ? "/" : rest.substring(slash);
        int colon = authority.lastIndexOf(':');
        int port = scheme.equals("http") ? 80 : 443;
        String host = authority;
        if (colon > 0 && colon > authority.lastIndexOf(']')) {
            try {
                port = Integer.parseInt(authority.substring(colon + 1));
            } catch (NumberFormatException e) {
                return null;
            }
            host = authority.substring(0, colon);
        }
        HostName h;
        try {
            h = HostName.parse(host);
        } catch (IllegalArgumentException e) {
            return null; // the proxy refuses such a host before any policy runs
        }
        int q = target.indexOf('?');
        List<String[]> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int c = lines[i].indexOf(':');
            if (c > 0) {
                headers.add(new String[] {lines[i].substring(0, c), lines[i].substring(c + 1).strip()});
            }
        }
        SimpleHeaders hs = SimpleHeaders.fromLines(headers);
        ByteBuffer body = null;
        boolean complete = false;
        if (headEnd >= 0) {
            byte[] b = text.substring(headEnd + 2).getBytes(StandardCharsets.ISO_8859_1);
            body = ByteBuffer.wrap(b).asReadOnlyBuffer();
            complete = Integer.toString(b.length).equals(hs.get("Content-Length"));
        }
        return new RequestFacts("fuzz", "127.0.0.1:40000", method, scheme, h, port,
                q < 0 ? target : target.substring(0, q), q < 0 ? "" : target.substring(q + 1), hs, body, complete, null);
    }

    /**
     * aws-wire-facts §2.1 with BigInteger: the 16 base32 characters after the prefix are 80 bits;
     * the top 48 are the head; its top bit marks a new-generation key, whose bits 7..46 are the
     * account (twelve digits at most).
     */
    static Optional<String> referenceAccount(String keyId) {
        if (!keyId.matches("[A-Z]{4}[A-Z2-7]{16}")) {
            return Optional.empty();
        }
        BigInteger bits = BigInteger.ZERO;
        for (char ch : keyId.substring(4).toCharArray()) {
            int v = ch >= 'A' ? ch - 'A' : ch - '2' + 26;
            bits = bits.shiftLeft(5).or(BigInteger.valueOf(v));
        }
        BigInteger head = bits.shiftRight(32);
        if (!head.testBit(47)) {
            return Optional.empty();
        }
        BigInteger account = head.shiftRight(7).and(BigInteger.ONE.shiftLeft(40).subtract(BigInteger.ONE));
        return account.compareTo(BigInteger.valueOf(999_999_999_999L)) > 0
                ? Optional.empty() : Optional.of(String.format("%012d", account));
    }
}

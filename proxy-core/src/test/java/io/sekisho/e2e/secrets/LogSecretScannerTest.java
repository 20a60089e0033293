package io.sekisho.e2e.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.e2e.AwsIdentities;
import io.sekisho.proxy.testing.ProxyUsers;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The scanner the after-suite check runs finds each kind of planted secret and passes clean lines. */
class LogSecretScannerTest {
    /** The shape of a SPNEGO NegTokenInit with a Kerberos AP-REQ: DER 0x60 0x82, then the mechanism OIDs. */
    static final String SPNEGO = "YIICmQYGKwYBBQUCoIICjTCCAomgDTALBgkqhkiG9xIBAgKiggJ2BIICcmCCAm4GCSqGSIb3EgECAgEAboICXTCC"
            + "AlmgAwIBBaEDAgEOogcDBQAgAAAAo4IBcWGCAW0wggFpoAMCAQWhDhsMU0VLSVNITy5URVNU";

    static Stream<Arguments> lines() {
        AwsIdentities.Identity temp = AwsIdentities.temporary(AwsIdentities.FOREIGN);
        String hex = "0123456789abcdef".repeat(4);
        return Stream.of(
                Arguments.of("a corpus secret key", "creds " + AwsIdentities.longTerm(AwsIdentities.CORPORATE).secretAccessKey(),
                        "corpus secret or password"),
                Arguments.of("the old documentation key's secret", "k=" + AwsIdentities.OLD_FORMAT.secretAccessKey(),
                        "corpus secret or password"),
                Arguments.of("a proxy user's password", "login alice " + ProxyUsers.ALICE_PASSWORD,
                        "corpus secret or password"),
                Arguments.of("a proxy user's Basic token", "token=" + ProxyUsers.basicToken("bob", ProxyUsers.BOB_PASSWORD),
                        "corpus secret or password"),
                Arguments.of("any Proxy-Authorization value", "Proxy-Authorization: Basic Zm9vOmJhcg==",
                        "proxy credential"),
                Arguments.of("a bearer token", "authorization: Bearer opaque-token-1234", "bearer token"),
                Arguments.of("a JWT (idToken)", "idToken=eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhcm4ifQ.c2ln", "bearer token"),
                Arguments.of("a bearer challenge is fine", "WWW-Authenticate: Bearer realm=\"mcp\"", null),
                Arguments.of("a Negotiate token", "got Negotiate YIIBhwYGKwYBBQUCoIIBezCCAXeg", "proxy credential"),
                Arguments.of("a bare Negotiate token in JSON", "{\"token\":\"" + SPNEGO + "\"}", "Negotiate token"),
                Arguments.of("a short GSS token", "x " + SPNEGO.replace("YII", "YIG").substring(0, 70),
                        "Negotiate token"),
                Arguments.of("base64 that is no GSS token", "{\"etag\":\"" + SPNEGO.substring(3) + "\"}", null),
                Arguments.of("the Negotiate challenge is fine", "Proxy-Authenticate: Negotiate", null),
                Arguments.of("a challenge is fine", "Proxy-Authenticate: Basic realm=\"Corp proxy\"", null),
                Arguments.of("a corpus session token", "X-Amz-Security-Token: " + temp.sessionToken(), "corpus session token"),
                Arguments.of("any token of that shape", "token IQoJb3JpZ2luX2VjEAAaCXVzLWVhc3QtMSJH", "session token"),
                Arguments.of("a header signature", "Authorization: AWS4-HMAC-SHA256 Credential=x, Signature=" + hex,
                        "signature value"),
                Arguments.of("a presigned URL", "GET /k?X-Amz-Signature=" + hex + "&x=1", "signature value"),
                Arguments.of("a JSON form field", "{\"x-amz-signature\": \"" + hex + "\"}", "signature value"),
                Arguments.of("the store's AUTH password", "AUTH " + io.sekisho.e2e.RedisServer.TEST_PASSWORD,
                        "cluster store secret"),
                Arguments.of("the cluster token key", "key=" + io.sekisho.e2e.RedisServer.TEST_TOKEN_KEY,
                        "cluster store secret"),
                Arguments.of("an SSM token in JSON", "{\"TokenValue\":\"AAEAAXNzbS10b2tlbi1leGFtcGxl\"}",
                        "SSM session token"),
                Arguments.of("the tests' SSM token anywhere", "token " + io.sekisho.e2e.SsmSessions.TOKEN,
                        "SSM session token"),
                Arguments.of("a masked key ID is fine", "{\"accessKeyId\":\"AKIA\u2026HXS4\",\"signing\":\"sigv4-header\"}", null),
                Arguments.of("a plain audit line is fine", "{\"reason\":\"AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED\"}", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lines")
    void findsWhatIsPlanted(String name, String line, String kind) {
        List<LogSecretScanner.Finding> found = LogSecretScanner.forCorpus().scanLines(Path.of("planted.log"),
                List.of("clean line", line));
        if (kind == null) {
            assertThat(found).as(name).isEmpty();
        } else {
            assertThat(found).as(name).singleElement().satisfies(f -> {
                assertThat(f.line()).isEqualTo(2);
                assertThat(f.kind()).isEqualTo(kind);
                assertThat(f.toString()).doesNotContain(line.substring(line.length() - 20));
            });
        }
    }
}

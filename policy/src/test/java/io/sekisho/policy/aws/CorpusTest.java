package io.sekisho.policy.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sekisho.policy.AwsSettings;
import io.sekisho.policy.Decision;
import io.sekisho.policy.HostClass;
import io.sekisho.policy.Reason;
import io.sekisho.policy.RequestFacts;
import io.sekisho.policy.aws.catalog.AwsHostCatalog;
import io.sekisho.policy.aws.credentials.AccessKeys;
import io.sekisho.policy.aws.credentials.CredentialExtractor;
import io.sekisho.policy.aws.credentials.ExtractedCredential;
import io.sekisho.policy.aws.credentials.SigningForm;
import io.sekisho.policy.aws.resources.ResourceAccountScanner;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every request of the AWS client wire corpus (AWS CLI v1/v2, boto3, the Java SDK v2, curl with
 * presigned URLs and POST forms): the key, account, signing form and resource accounts equal the
 * fixture's {@code expect}, and the decision under the corporate allowlist equals
 * corpus-verdicts.csv.
 */
class CorpusTest {
    private static final AwsHostCatalog CATALOG = AwsHostCatalog.builtIn();
    private static final Set<String> SIGNIN_HOSTS_ONLY = Set.of("sso-bearer-token");
    private static final Map<String, SigningForm> FORMS = Map.of(
            "sigv4-header", SigningForm.SIGV4_HEADER,
            "sigv4-query", SigningForm.SIGV4_QUERY,
            "sigv2-header", SigningForm.SIGV2_HEADER,
            "sigv2-query", SigningForm.SIGV2_QUERY,
            "sigv4-post-policy", SigningForm.POST_FORM_V4,
            "sigv2-post-policy", SigningForm.POST_FORM_V2,
            "sso-bearer-token", SigningForm.BEARER,
            "unsigned", SigningForm.NONE);

    static List<CorpusFixture> fixtures() {
        return CorpusFixture.all();
    }

    @Test
    void everyFixtureIsCoveredByTheVerdictTable() throws IOException {
        assertThat(fixtures()).hasSize(101);
        assertThat(verdicts().keySet()).containsExactlyInAnyOrderElementsOf(fixtures().stream().map(f -> f.name).toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void findsWhatTheFixtureExpects(CorpusFixture f) {
        RequestFacts facts = f.facts();
        ExtractedCredential cred = new CredentialExtractor().extract(facts);
        assertThat(cred.problem()).isEqualTo(ExtractedCredential.Problem.NONE);
        assertThat(cred.accessKeyId()).isEqualTo(f.expect("access_key_id"));
        assertThat(cred.form()).isEqualTo(FORMS.get(f.expect("signing_form")));
        assertThat(cred.location()).isEqualTo(f.expect("key_location"));
        assertThat(AccessKeys.decodeAccount(cred.accessKeyId()).orElse("")).isEqualTo(f.expect("account_id"));
        assertThat(cred.sessionToken()).isEqualTo(!f.expect("session_token_location").isEmpty());
        for (String decoyKey : decoyKeys(f)) {
            assertThat(cred.accessKeyId()).as("a key named in the body is not the signer").isNotEqualTo(decoyKey);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void resourceAccountsAreTheFixtureDecoys(CorpusFixture f) {
        RequestFacts facts = f.facts();
        HostClass cls = CATALOG.classify(facts.host()).hostClass();
        if (SIGNIN_HOSTS_ONLY.contains(f.expect("signing_form")) || cls == HostClass.AWS_SIGNIN_CONSOLE) {
            assertThat(cls).as("portal and OIDC hosts are sign-in hosts").isEqualTo(HostClass.AWS_SIGNIN_CONSOLE);
            return;
        }
        assertThat(cls).isEqualTo(HostClass.AWS_API);
        String principal = f.expect("account_id");
        Set<String> found = new TreeSet<>(new ResourceAccountScanner(CATALOG).scan(facts, "").accounts());
        found.remove(principal);
        assertThat(found).as("resource accounts other than the signer's").isEqualTo(new TreeSet<>(f.decoyAccounts()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void decidesAsTheVerdictTableSays(CorpusFixture f) throws IOException {
        String[] expected = verdicts().get(f.name);
        assumeTrue(!expected[0].equals("-"), "sign-in host: judged by the sign-in inspector");
        assertThat(decide(Settings.BASE, f).reason()).isEqualTo(Reason.valueOf(expected[0]));
        assertThat(decide(Settings.BUCKETS, f).reason()).isEqualTo(Reason.valueOf(expected[1]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void evidenceMatchesTheCredential(CorpusFixture f) {
        assumeTrue(CATALOG.classify(f.facts().host()).hostClass() == HostClass.AWS_API);
        Decision d = decide(Settings.BASE, f);
        String key = f.expect("access_key_id");
        assertThat(d.evidence().accessKeyIdMasked()).isEqualTo(key.isEmpty() ? "" : AccessKeys.mask(key));
        assertThat(d.evidence().signing()).isEqualTo(FORMS.get(f.expect("signing_form")).auditName());
        assertThat(d.evidence().service()).isEqualTo(f.service);
        if (!f.scopeRegion.isEmpty()) {
            assertThat(d.evidence().region()).isEqualTo(f.scopeRegion);
        }
        if (d.reason() != Reason.AWS_KEY_UNRESOLVABLE) {
            assertThat(d.evidence().principalAccount()).isEqualTo(f.expect("account_id"));
        }
    }

    private static Decision decide(AwsSettings settings, CorpusFixture f) {
        return Settings.inspector(settings).decide(f.facts(), HostClass.AWS_API);
    }

    private static List<String> decoyKeys(CorpusFixture f) {
        List<String> out = new java.util.ArrayList<>();
        if (f.expect.get("decoys") != null) {
            f.expect.get("decoys").forEach(d -> {
                if (d.get("kind").asText().equals("access_key_id")) {
                    out.add(d.get("value").asText());
                }
            });
        }
        return out;
    }

    private static Map<String, String[]> verdicts() throws IOException {
        Map<String, String[]> out = new HashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                CorpusTest.class.getClassLoader().getResourceAsStream("corpus-verdicts.csv"), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#") || line.startsWith("fixture,")) {
                    continue;
                }
                String[] cols = line.split(",");
                out.put(cols[0], new String[] {cols[1], cols[2]});
            }
        }
        return out;
    }
}

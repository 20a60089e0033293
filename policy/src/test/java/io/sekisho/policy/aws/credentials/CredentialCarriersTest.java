package io.sekisho.policy.aws.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.policy.RequestFacts;
import io.sekisho.policy.aws.Req;
import io.sekisho.policy.aws.request.AwsHeaders;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The registry of credential carriers: the order of aws-wire-facts §1.13, and what each reads. */
class CredentialCarriersTest {
    @Test
    void theHeadIsReadBeforeTheBodyInTheOrderOfTheWireFacts() {
        List<String> names = CredentialExtractor.CARRIERS.stream().map(c -> c.getClass().getSimpleName()).toList();
        List<CredentialCarrier.Reads> reads = CredentialExtractor.CARRIERS.stream().map(CredentialCarrier::reads)
                .toList();

        assertThat(names).containsExactly("AuthorizationHeader", "SigV3Header", "SsoBearerHeader",
                "SessionTokenHeaders", "PresignedQuery", "QueryFormBody", "PostFormBody");
        assertThat(reads.subList(0, 5)).containsOnly(CredentialCarrier.Reads.HEAD);
        assertThat(reads.subList(5, 7)).containsOnly(CredentialCarrier.Reads.BODY);
    }

    @Test
    void aBodyCarrierDoesNotRunWithoutTheBody() {
        RequestFacts facts = Req.of("POST", "https://sts.amazonaws.com/")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body("Action=GetCallerIdentity&AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE").facts();
        AwsHeaders h = AwsHeaders.of(facts.headers());

        assertThat(new CredentialExtractor().extract(facts, h, null)).isEqualTo(ExtractedCredential.NONE);
        assertThat(new CredentialExtractor().extract(facts).form()).isEqualTo(SigningForm.SIGV2_QUERY);
    }
}

package io.sekisho.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The fixture identities must be the corpus table's (shared/corpus/README.md, keygen.py). */
class AwsIdentitiesTest {

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        "111122223333, AKIA, AKIARTX3GSDST3HFSG5Y",
        "111122223333, ASIA, ASIARTX3GSDS4GCQ34AW",
        "444455556666, AKIA, AKIAWO645SY5PYZFPQLB",
        "444455556666, ASIA, ASIAWO645SY5FRKAIVBJ",
        "999988887777, AKIA, AKIA6RU73QDQRHBTHXS4",
        "999988887777, ASIA, ASIA6RU73QDQ3B36GCJB",
        "123456789012, AKIA, AKIARZPUZDIKIOSRJ4QD",
        "123456789012, ASIA, ASIARZPUZDIKIN6NETSP",
    })
    void corpusIdentitiesEncodeAndDecode(String account, String prefix, String keyId) {
        AwsIdentities.Identity identity = prefix.equals("AKIA") ? AwsIdentities.longTerm(account) : AwsIdentities.temporary(account);

        assertThat(identity.accessKeyId()).isEqualTo(keyId);
        assertThat(AwsIdentities.accountOf(keyId)).hasValue(account);
        assertThat(identity.secretAccessKey()).hasSize(40);
        if (prefix.equals("ASIA")) {
            assertThat(identity.sessionToken()).hasSize(860).startsWith("IQoJb3JpZ2luX2Vj");
        }
    }

    @org.junit.jupiter.api.Test
    void secretsAndTokensAreByteForByteTheCorpusOnes() {
        // keygen.py --identities: the corpus captures were signed with exactly these.
        assertThat(AwsIdentities.longTerm("111122223333").secretAccessKey()).isEqualTo("4l88PEneNLVu93kkPe8VRXbaKxocmlm/PiQ5tmxS");
        assertThat(AwsIdentities.temporary("111122223333").sessionToken()).startsWith("IQoJb3JpZ2luX2VjEDohAP0TwedVKzAWqQPx")
                .endsWith("RVBe47fUoWS0+sv46mPFPlZ9");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "ASIAY34FZKBOKMUTVV7A, 609629065308",   // published vector (aws-wire-facts 2.4)
        "AKIAIOSFODNN7EXAMPLE, ''",             // old generation: no account
        "AKIA, ''",                             // too short
        "AKIA0000000000000000, ''",             // not base32
    })
    void decodesOnlyNewGenerationKeys(String keyId, String account) {
        if (account.isEmpty()) {
            assertThat(AwsIdentities.accountOf(keyId)).isEmpty();
        } else {
            assertThat(AwsIdentities.accountOf(keyId)).hasValue(account);
        }
    }
}

package io.sekisho.policy.aws.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.policy.aws.KeyEncoder;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AccessKeysTest {

    /** aws-wire-facts §2.4 (public vectors) and the corpus identities (corpus/README.md). */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "ASIAY34FZKBOKMUTVV7A, 609629065308",   // Aidan Steele; Tal Be'ery
        "ASIAQNZGKIQY56JQ7WML, 029608264753",   // aws-iam-authenticator: account starting with 0
        "ASIAR2TG44V5PDTTBZRR, 125843596666",   // aws-iam-authenticator
        "AKIASP2TPHJSQH3FJRUX, 171436882533",   // trufflehog (Thinkst canary)
        "AKIAZAVB57H55F3T4BKH, 619888638459",   // trufflehog integration test
        "AKIARTX3GSDST3HFSG5Y, 111122223333",
        "ASIARTX3GSDS4GCQ34AW, 111122223333",
        "AKIAWO645SY5PYZFPQLB, 444455556666",
        "ASIAWO645SY5FRKAIVBJ, 444455556666",
        "AKIA6RU73QDQRHBTHXS4, 999988887777",
        "ASIA6RU73QDQ3B36GCJB, 999988887777",
        "AKIARZPUZDIKIOSRJ4QD, 123456789012",
        "ASIARZPUZDIKIN6NETSP, 123456789012",
        "ASIA6RU73QDQTQB5H4GK, 999988887777",   // corpus AssumeRole answer (seed assumed-role)
    })
    void newFormatKeysDecodeToTheirAccount(String key, String account) {
        assertThat(AccessKeys.isNewFormat(key)).isTrue();
        assertThat(AccessKeys.decodeAccount(key)).contains(account);
    }

    /** Old-generation keys carry no account: the formula's output must never be used. */
    @ParameterizedTest
    @ValueSource(strings = {"AKIAIOSFODNN7EXAMPLE", "AKIAJ7ZKHWLMHA6PQSQA", "ASIAIAAAAAAAAAAAAAAA", "AKIAPZZZZZZZZZZZZZZZ"})
    void oldFormatKeysAreNeverDecoded(String key) {
        assertThat(AccessKeys.isWellFormed(key)).isTrue();
        assertThat(AccessKeys.isNewFormat(key)).isFalse();
        assertThat(AccessKeys.decodeAccount(key)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "AKIA", "ASIAc29tZXRoaW5nCg==", "akiartx3gsdst3hfsg5y", "AKIARTX3GSDST3HFSG5", "AKIARTX3GSDST3HFSG5YY",
        "AKIA0TX3GSDST3HFSG5Y", "AKIA1TX3GSDST3HFSG5Y", "AKIA8TX3GSDST3HFSG5Y", "AKIA9TX3GSDST3HFSG5Y",
        "AK1ARTX3GSDST3HFSG5Y", "AKIARTX3GSDST3HFSG5/", "AKIARTX3 SDST3HFSG5Y",
    })
    void malformedKeysAreNeitherWellFormedNorDecoded(String key) {
        assertThat(AccessKeys.isWellFormed(key)).isFalse();
        assertThat(AccessKeys.decodeAccount(key)).isEmpty();
    }

    @ParameterizedTest(name = "account {0}")
    @ValueSource(longs = {0L, 1L, 12L, 29608264753L, 111122223333L, 444455556666L, 609629065308L, 999999999999L})
    void encodeDecodeRoundTrips(long account) {
        for (String prefix : new String[] {"AKIA", "ASIA", "ABIA", "ACCA"}) {
            for (long free : new long[] {0L, 0x7FL, 0x5A5A5A5A5AL, -1L}) {
                String key = KeyEncoder.encode(prefix, account, free);
                assertThat(AccessKeys.isNewFormat(key)).as(key).isTrue();
                assertThat(AccessKeys.decodeAccount(key)).as(key).contains(String.format("%012d", account));
                assertThat(AccessKeys.decodeAccount(KeyEncoder.encodeOld(prefix, free))).isEmpty();
            }
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "AKIARTX3GSDST3HFSG5Y, AKIA…SG5Y",
        "ASIAWO645SY5FRKAIVBJ, ASIA…IVBJ",
        "AKIAIOSFODNN7EXAMPLE, AKIA…MPLE",
        "short, …",
    })
    void maskShowsOnlyFirstAndLastFour(String key, String masked) {
        assertThat(AccessKeys.mask(key)).isEqualTo(masked);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "AKIARTX3GSDST3HFSG5Y, LONG_TERM",
        "ASIARTX3GSDS4GCQ34AW, TEMPORARY",
        "ABIARTX3GSDST3HFSG5Y, UNKNOWN",
        "AROARTX3GSDST3HFSG5Y, UNKNOWN",
    })
    void keyTypeFollowsThePrefix(String key, KeyType type) {
        assertThat(AccessKeys.keyType(key)).isEqualTo(type);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // key, static map entry, cached lookup, expected account, expected source
        "AKIARTX3GSDST3HFSG5Y, , , 111122223333, DECODED",
        "AKIAIOSFODNN7EXAMPLE, 444455556666, , 444455556666, STATIC",
        "AKIAIOSFODNN7EXAMPLE, , 111122223333, 111122223333, LOOKUP",
        "AKIAIOSFODNN7EXAMPLE, 444455556666, 111122223333, 444455556666, STATIC",
        "AKIAIOSFODNN7EXAMPLE, , , '', NONE",
        "AKIAIOSFODNN7EXAMPLE, , not-an-account, '', NONE",
    })
    void resolverTriesDecodingThenStaticKeysThenTheLookupCache(
            String key, String staticAccount, String cached, String account, AccountResolver.Source source) {
        Map<String, String> keys = staticAccount == null ? Map.of() : Map.of(key, staticAccount);
        KeyLookup lookup = new KeyLookup() {
            @Override
            public Optional<String> cached(String accessKeyId) {
                return Optional.ofNullable(accessKeyId.equals(key) ? cached : null);
            }

            @Override
            public boolean enabled() {
                return true;
            }
        };
        AccountResolver.Resolution r = new AccountResolver(keys, lookup).resolve(key);
        assertThat(r.account()).isEqualTo(account);
        assertThat(r.source()).isEqualTo(source);
        assertThat(new AccountResolver(keys, lookup).wantsLookup(key)).isEqualTo(source == AccountResolver.Source.NONE);
        assertThat(new AccountResolver(keys, KeyLookup.NONE).wantsLookup(key)).isFalse();
    }
}

package io.sekisho.policy.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InMemorySigninTokenStoreTest {
    private static final Instant T0 = Instant.parse("2026-01-01T09:00:00Z");
    private static final Duration LIFE = Duration.ofMinutes(15);

    private static SigninTokenStore.IssuedToken issued(String account, Instant at) {
        return new SigninTokenStore.IssuedToken(account, at, at.plus(LIFE));
    }

    @Test
    void aTokenIsRedeemedOnce() {
        InMemorySigninTokenStore s = new InMemorySigninTokenStore();
        s.recordIssued(SigninTokenHash.of("t1"), issued("111122223333", T0));
        assertThat(s.redeem(SigninTokenHash.of("t1"), T0.plusSeconds(60))).map(SigninTokenStore.IssuedToken::account)
                .contains("111122223333");
        assertThat(s.redeem(SigninTokenHash.of("t1"), T0.plusSeconds(61))).isEmpty();
    }

    @Test
    void aTokenIsNotAcceptedAtOrAfterItsExpiry() {
        InMemorySigninTokenStore s = new InMemorySigninTokenStore();
        s.recordIssued(SigninTokenHash.of("t1"), issued("111122223333", T0));
        s.recordIssued(SigninTokenHash.of("t2"), issued("111122223333", T0));
        assertThat(s.redeem(SigninTokenHash.of("t1"), T0.plus(LIFE).minusMillis(1))).isPresent();
        assertThat(s.redeem(SigninTokenHash.of("t2"), T0.plus(LIFE))).isEmpty();
    }

    @Test
    void anUnknownTokenIsNotRedeemed() {
        InMemorySigninTokenStore s = new InMemorySigninTokenStore();
        s.recordIssued(SigninTokenHash.of("t1"), issued("111122223333", T0));
        assertThat(s.redeem(SigninTokenHash.of("t2"), T0)).isEmpty();
        assertThat(s.redeem(SigninTokenHash.of("T1"), T0)).isEmpty();
    }

    @Test
    void whenFullTheOldestEntryGoes() {
        InMemorySigninTokenStore s = new InMemorySigninTokenStore(2);
        s.recordIssued(SigninTokenHash.of("a"), issued("111122223333", T0));
        s.recordIssued(SigninTokenHash.of("b"), issued("111122223333", T0.plusSeconds(1)));
        s.recordIssued(SigninTokenHash.of("c"), issued("111122223333", T0.plusSeconds(2)));
        assertThat(s.size()).isEqualTo(2);
        assertThat(s.redeem(SigninTokenHash.of("a"), T0.plusSeconds(3))).isEmpty();
        assertThat(s.redeem(SigninTokenHash.of("b"), T0.plusSeconds(3))).isPresent();
        assertThat(s.redeem(SigninTokenHash.of("c"), T0.plusSeconds(3))).isPresent();
    }

    @Test
    void expiredEntriesAreDroppedWhenANewOneArrives() {
        InMemorySigninTokenStore s = new InMemorySigninTokenStore();
        s.recordIssued(SigninTokenHash.of("a"), issued("111122223333", T0));
        s.recordIssued(SigninTokenHash.of("b"), issued("111122223333", T0.plusSeconds(60)));
        s.recordIssued(SigninTokenHash.of("c"), issued("111122223333", T0.plus(LIFE).plusSeconds(30)));
        assertThat(s.size()).isEqualTo(2); // a expired before c was issued; b had not
    }

    @Test
    void hashesCompareByValueAndPrintNoMoreThanAPrefix() {
        SigninTokenHash h = SigninTokenHash.of("secret-token");
        assertThat(h).isEqualTo(SigninTokenHash.of("secret-token")).hasSameHashCodeAs(SigninTokenHash.of("secret-token"));
        assertThat(h).isNotEqualTo(SigninTokenHash.of("secret-tokeN"));
        assertThat(h.hex()).hasSize(64);
        assertThat(h.toString()).doesNotContain("secret-token").doesNotContain(h.hex());
    }
}

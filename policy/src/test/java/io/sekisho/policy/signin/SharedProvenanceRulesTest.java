package io.sekisho.policy.signin;

import static io.sekisho.policy.signin.SigninFixtures.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.policy.Decision;
import io.sekisho.policy.HostClass;
import io.sekisho.policy.Reason;
import io.sekisho.policy.RequestFacts;
import io.sekisho.policy.Verdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 point 2: a store shared by a group answers per exchange, through the conversation;
 * when it holds no answer the login alone is denied with {@code PROVENANCE_STORE_UNAVAILABLE}.
 */
class SharedProvenanceRulesTest {
    private static final String LOGIN = "https://eu-west-1.signin.aws.amazon.com/federation?Action=login"
            + "&Destination=https%3A%2F%2Fconsole.aws.amazon.com%2F&SigninToken=shared-token-1";

    private final SigninFixtures.MutableClock clock = new SigninFixtures.MutableClock(Instant.parse("2026-01-01T09:00:00Z"));
    private final HandOff store = new HandOff();
    private final SigninInspector inspector = SigninFixtures.inspector(store, clock);

    @Test
    void aLoginWithNoAnswerHeldIsDeniedAsStoreUnavailableAndNamesItsExchange() {
        RequestFacts login = get(LOGIN);

        Decision d = inspector.decide(login, HostClass.AWS_SIGNIN_CONSOLE);

        assertThat(d.verdict()).isEqualTo(Verdict.DENY);
        assertThat(d.reason()).isEqualTo(Reason.PROVENANCE_STORE_UNAVAILABLE);
        assertThat(store.asked).containsExactly(login.id());
    }

    @Test
    void theAnswerFetchedForTheExchangeDecides() {
        RequestFacts login = get(LOGIN);
        store.answer = Optional.of(new SigninTokenStore.IssuedToken(SigninFixtures.CORP, clock.instant(),
                clock.instant().plusSeconds(900)));

        Decision d = inspector.decide(login, HostClass.AWS_SIGNIN_CONSOLE);

        assertThat(d.reason()).isEqualTo(Reason.AWS_SIGNIN_ALLOWED);
        assertThat(d.evidence().principalAccount()).isEqualTo(SigninFixtures.CORP);
    }

    @Test
    void anUnknownTokenFetchedIsStillUnknown() {
        store.answer = Optional.empty();

        assertThat(inspector.decide(get(LOGIN), HostClass.AWS_SIGNIN_CONSOLE).reason())
                .isEqualTo(Reason.AWS_SIGNIN_TOKEN_UNKNOWN);
    }

    /** A hand-written fake of a shared store's ledger: no answer held until the test sets one. */
    static final class HandOff implements SigninTokenStore {
        final List<String> asked = new ArrayList<>();
        Optional<IssuedToken> answer;

        @Override
        public void recordIssued(SigninTokenHash token, IssuedToken issued) {
            throw new AssertionError("not used");
        }

        @Override
        public Optional<IssuedToken> redeem(SigninTokenHash token, Instant now) {
            throw new AssertionError("a shared store is asked per exchange");
        }

        @Override
        public Optional<IssuedToken> redeem(String exchangeId, SigninTokenHash token, Instant now) {
            if (answer == null) {
                asked.add(exchangeId);
                throw new Unavailable("not fetched");
            }
            return answer;
        }
    }
}

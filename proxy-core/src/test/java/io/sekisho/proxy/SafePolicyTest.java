package io.sekisho.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.sekisho.policy.BodyNeed;
import io.sekisho.policy.ConnectFacts;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Headers;
import io.sekisho.policy.HostName;
import io.sekisho.policy.Policy;
import io.sekisho.policy.Reason;
import io.sekisho.policy.RequestFacts;
import io.sekisho.policy.SimpleHeaders;
import java.lang.reflect.Method;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** The fail-closed wrapper must stand in front of every policy call, trailers included (issue 18 point 3). */
class SafePolicyTest {

    @Test
    void everyPolicyMethodIsWrapped() {
        for (Method m : Policy.class.getMethods()) {
            assertThatCode(() -> SafePolicy.class.getDeclaredMethod(m.getName(), m.getParameterTypes()))
                    .as(m.getName() + " falls through to the interface default instead of the engine")
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void aTrailerVerdictIsTheEnginesAndAFailureDenies() {
        RequestFacts facts = new RequestFacts("r", "127.0.0.1:1", "PUT", "http", HostName.parse("s3.amazonaws.com"), 80,
                "/", "", SimpleHeaders.EMPTY, null, false, null);
        Headers trailers = SimpleHeaders.of("Authorization", "x");
        assertThat(SafePolicy.wrap(new Refusing(null)).onTrailers(facts, trailers).reason())
                .isEqualTo(Reason.BODY_TRAILER_CREDENTIAL);
        assertThat(SafePolicy.wrap(new Refusing(new IllegalStateException("boom"))).onTrailers(facts, trailers).reason())
                .isEqualTo(Reason.INTERNAL_ERROR);
    }

    /** A policy that refuses every trailer, or throws. */
    private record Refusing(RuntimeException failure) implements Policy {
        @Override
        public Decision onTrailers(RequestFacts facts, Headers trailers) {
            if (failure != null) {
                throw failure;
            }
            return Decision.deny(Reason.BODY_TRAILER_CREDENTIAL, "");
        }

        @Override
        public Decision onConnect(ConnectFacts facts) {
            return Decision.deny(Reason.DOMAIN_NOT_ALLOWED, "");
        }

        @Override
        public Decision onAddress(ConnectFacts facts, InetAddress address, boolean fromOverride) {
            return Decision.deny(Reason.DOMAIN_NOT_ALLOWED, "");
        }

        @Override
        public BodyNeed bodyNeed(RequestFacts facts) {
            return BodyNeed.NONE;
        }

        @Override
        public Decision onRequest(RequestFacts facts) {
            return Decision.deny(Reason.DOMAIN_NOT_ALLOWED, "");
        }
    }
}

package io.sekisho.proxy.audit;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Identity;
import io.sekisho.policy.Mode;
import io.sekisho.policy.Reason;
import io.sekisho.proxy.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class AuditThrottleTest {
    private final List<AuditRecord> written = new CopyOnWriteArrayList<>();
    private final MutableClock clock = new MutableClock();
    private final AuditThrottle throttle = new AuditThrottle(written::add, clock, 3);
    private final Logger logger = (Logger) LoggerFactory.getLogger(AuditThrottle.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void capture() {
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void release() {
        logger.detachAppender(logged);
    }

    private AuditRecord line(Reason reason) {
        return new AuditRecord(clock.instant(), "id", "127.0.0.1:1", "", "", 0, "", Decision.deny(reason, ""),
                Mode.ENFORCE, 0, 0, 0, AuditRecord.Http.NONE, Identity.ANONYMOUS);
    }

    @Test
    void writesAtMostTheLimitPerSecondForEachReasonAndReportsWhatItLeftOut() {
        for (int i = 0; i < 10; i++) {
            throttle.write(line(Reason.CONNECTION_LIMIT));
        }
        throttle.write(line(Reason.PENDING_HEADS_LIMIT));
        assertThat(written).extracting(r -> r.decision().reason()).containsExactly(Reason.CONNECTION_LIMIT,
                Reason.CONNECTION_LIMIT, Reason.CONNECTION_LIMIT, Reason.PENDING_HEADS_LIMIT);
        assertThat(logged.list).isEmpty();

        clock.advance(Duration.ofSeconds(1));
        throttle.write(line(Reason.CONNECTION_LIMIT));

        assertThat(written).hasSize(5);
        assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("audit: 7 CONNECTION_LIMIT line(s) left out, over 3 per second");
    }
}

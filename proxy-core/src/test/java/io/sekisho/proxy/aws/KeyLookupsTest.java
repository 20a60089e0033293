package io.sekisho.proxy.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.config.SekishoConfig.KeyInfoResolver;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** One lookup per configured resolver, kept across reloads that do not change it. */
class KeyLookupsTest {
    static final KeyInfoResolver A = new KeyInfoResolver("us-east-1", Duration.ofSeconds(2), Duration.ofHours(1));
    static final KeyInfoResolver B = new KeyInfoResolver("eu-west-1", Duration.ofSeconds(2), Duration.ofHours(1));

    final List<StsKeyLookup> built = new ArrayList<>();
    final List<String> closed = new ArrayList<>();

    StsKeyLookup build(KeyInfoResolver cfg) {
        AccessKeyInfo sts = new AccessKeyInfo() {
            @Override
            public Optional<String> accountOf(String id) {
                return Optional.of("111122223333");
            }

            @Override
            public void close() {
                closed.add(cfg.region());
            }
        };
        StsKeyLookup l = new StsKeyLookup(sts, Clock.systemUTC(), cfg.cacheTtl(), 10, StsKeyLookup.newExecutor());
        built.add(l);
        return l;
    }

    @Test
    void notConfiguredBuildsNothing() {
        KeyLookups lookups = new KeyLookups(this::build);
        assertThat(lookups.forConfig(null)).isEmpty();
        assertThat(built).isEmpty();
    }

    @Test
    void anUnchangedSectionKeepsTheLookupAndItsCache() {
        KeyLookups lookups = new KeyLookups(this::build);
        StsKeyLookup first = lookups.forConfig(A).orElseThrow();
        assertThat(lookups.forConfig(new KeyInfoResolver("us-east-1", Duration.ofSeconds(2), Duration.ofHours(1))))
                .containsSame(first);
        assertThat(built).hasSize(1);
        assertThat(closed).isEmpty();
    }

    @Test
    void aChangedOrRemovedSectionClosesTheOldOne() {
        KeyLookups lookups = new KeyLookups(this::build);
        StsKeyLookup first = lookups.forConfig(A).orElseThrow();
        StsKeyLookup second = lookups.forConfig(B).orElseThrow();
        assertThat(second).isNotSameAs(first);
        assertThat(closed).containsExactly("us-east-1");

        assertThat(lookups.forConfig(null)).isEmpty();
        assertThat(closed).containsExactly("us-east-1", "eu-west-1");
    }
}

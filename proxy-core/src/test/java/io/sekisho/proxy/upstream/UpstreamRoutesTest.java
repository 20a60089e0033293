package io.sekisho.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.config.SekishoConfig.HostPort;
import io.sekisho.config.SekishoConfig.ResolveRule;
import io.sekisho.policy.HostName;
import io.sekisho.policy.domain.DomainPattern;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** upstream.resolve: the most specific pattern wins whatever the order; then parent; then DNS. */
class UpstreamRoutesTest {
    private static ResolveRule rule(String pattern, String ip) {
        return new ResolveRule(DomainPattern.parse(pattern), new HostPort(ip, 443));
    }

    private static final List<ResolveRule> RULES = List.of(
            rule(".amazonaws.com", "10.0.0.1"),
            rule("*.s3.eu-west-1.amazonaws.com", "10.0.0.2"),
            rule("sts.eu-west-1.amazonaws.com", "10.0.0.3"),
            rule(".s3.eu-west-1.amazonaws.com", "10.0.0.4"));

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "sts.eu-west-1.amazonaws.com, OVERRIDE, 10.0.0.3",
        "bucket.s3.eu-west-1.amazonaws.com, OVERRIDE, 10.0.0.2",
        "s3.eu-west-1.amazonaws.com, OVERRIDE, 10.0.0.4",
        "ec2.us-east-1.amazonaws.com, OVERRIDE, 10.0.0.1",
        "EXAMPLE.com., DNS, example.com"})
    void picksTheMostSpecificOverride(String host, UpstreamRoutes.Route.Kind kind, String target) {
        UpstreamRoutes.Route r = new UpstreamRoutes(RULES, null).route(HostName.parse(host), 443);
        assertThat(r.kind()).isEqualTo(kind);
        assertThat(r.target().host()).isEqualTo(target);
        assertThat(r.targetHost()).isEqualTo(HostName.parse(target));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"sts.eu-west-1.amazonaws.com, OVERRIDE", "example.com, PARENT"})
    void overridesBeatTheParent(String host, UpstreamRoutes.Route.Kind kind) {
        UpstreamRoutes routes = new UpstreamRoutes(RULES, new HostPort("proxy.corp", 3128));
        assertThat(routes.route(HostName.parse(host), 443).kind()).isEqualTo(kind);
    }

    @Test
    void theParentsNameIsParsedOnce() {
        UpstreamRoutes routes = new UpstreamRoutes(RULES, new HostPort("proxy.corp", 3128));
        UpstreamRoutes.Route a = routes.route(HostName.parse("example.com"), 443);
        UpstreamRoutes.Route b = routes.route(HostName.parse("example.org"), 443);
        assertThat(a.targetHost()).isEqualTo(HostName.parse("proxy.corp")).isSameAs(b.targetHost());
    }
}

package io.sekisho.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sekisho.policy.aws.credentials.KeyLookup;
import io.sekisho.policy.domain.DomainPattern;
import io.sekisho.policy.signin.InMemorySigninTokenStore;
import java.net.InetAddress;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code policies}: the first entry matching the user's groups and client network decides. */
class PolicySetTest {
    private static final PolicySettings TOP = settings(Mode.ENFORCE, ".example.com");
    private static final PolicySet SET = StandardPolicy.create(TOP, List.of(
            entry("ops-lab", List.of("ops"), List.of("10.8.0.0/16"), settings(Mode.ENFORCE, "lab.example.com")),
            entry("contractors", List.of("Contractors"), List.of(), settings(Mode.ENFORCE, "docs.example.com")),
            entry("ops", List.of("ops", "admins"), List.of(), settings(Mode.REPORT, "ops.example.com")),
            entry("kiosk", List.of(), List.of("10.9.0.0/16", "fd00:9::/32"), settings(Mode.ENFORCE, "none.invalid"))),
            KeyLookup.NONE, new InMemorySigninTokenStore(), Clock.systemUTC());

    static Stream<Arguments> rows() {
        return Stream.of(
                row("no group, any network", "10.1.0.1", "www.example.com", "default", true, false),
                row("a group no entry names", "10.1.0.1", "www.example.com", "default", true, false, "finance"),
                row("a contractor", "10.1.0.1", "www.example.com", "contractors", false, false, "contractors"),
                row("a contractor, their site", "10.1.0.1", "docs.example.com", "contractors", true, false,
                        "CONTRACTORS"),
                row("ops in report mode", "10.1.0.1", "www.example.com", "ops", true, true, "ops"),
                row("ops, their site", "10.1.0.1", "ops.example.com", "ops", true, false, "ops"),
                row("the second group of an entry", "10.1.0.1", "www.example.com", "ops", true, true, "admins"),
                row("ops from the lab: groups and network", "10.8.3.4", "www.example.com", "ops-lab", false, false,
                        "ops"),
                row("ops from the lab, its site", "10.8.3.4", "lab.example.com", "ops-lab", true, false, "ops"),
                row("a contractor in the lab network", "10.8.3.4", "docs.example.com", "contractors", true, false,
                        "contractors"),
                row("in two groups: the first entry in file order", "10.1.0.1", "docs.example.com", "contractors",
                        true, false, "ops", "contractors"),
                row("no group, kiosk network", "10.9.0.7", "www.example.com", "kiosk", false, false),
                row("IPv6 kiosk network", "fd00:9::1", "www.example.com", "kiosk", false, false),
                row("IPv4-mapped IPv6 is the IPv4 address", "::ffff:10.9.0.7", "www.example.com", "kiosk",
                        false, false),
                row("a contractor at a kiosk: contractors comes first", "10.9.0.7", "docs.example.com",
                        "contractors", true, false, "contractors"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void theFirstMatchingEntryDecides(String name, String address, String host, String policy, boolean allowed,
            boolean wouldDeny, String[] groups) throws Exception {
        Identity who = groups.length == 0 ? Identity.ANONYMOUS
                : new Identity("u", Arrays.asList(groups), "basic");
        InetAddress from = InetAddress.getByName(address);
        Exchange x = Exchange.connect(new ConnectFacts(address + ":5000", HostName.parse(host), 443)).from(who, from);
        Answer a = SET.decide(x);
        Decision d = (Decision) (a == Need.ADDRESSES ? SET.decide(x.withRoute(Ask.VIA_PARENT)) : a);

        assertThat(d.policy().name()).isEqualTo(policy);
        assertThat(d.allowed()).isEqualTo(allowed);
        assertThat(d.wouldDeny()).isEqualTo(wouldDeny);
        assertThat(SET.applied(who, from)).isEqualTo(d.policy());
        assertThat(d.policy().mode()).isEqualTo(policy.equals("ops") ? Mode.REPORT : Mode.ENFORCE);
    }

    @Test
    void needsAreNotStamped() {
        Exchange x = Exchange.connect(new ConnectFacts("c", HostName.parse("www.example.com"), 443))
                .from(Identity.ANONYMOUS, null);
        assertThat(SET.decide(x)).isEqualTo(Need.ADDRESSES);
        assertThat(SET.names()).containsExactly("ops-lab", "contractors", "ops", "kiosk");
    }

    @Test
    void anEntryWithoutAnAddressMatchesOnlyByGroup() {
        assertThat(SET.applied(new Identity("u", List.of("ops"), "basic"), null).name()).isEqualTo("ops");
        assertThat(SET.applied(Identity.ANONYMOUS, null).name()).isEqualTo("default");
    }

    @Test
    void moreThanSixtyFourEntriesAreIndexed() throws Exception {
        List<PolicyEntry> many = new java.util.ArrayList<>();
        for (int i = 0; i < 70; i++) {
            many.add(entry("e" + i, List.of("g" + i), i == 68 ? List.of("10.68.0.0/16") : List.of(),
                    settings(Mode.ENFORCE, "e" + i + ".example.com")));
        }
        PolicySet set = StandardPolicy.create(TOP, many, KeyLookup.NONE, new InMemorySigninTokenStore(),
                Clock.systemUTC());
        assertThat(set.applied(new Identity("u", List.of("G69", "g67"), "basic"), null).name()).isEqualTo("e67");
        assertThat(set.applied(new Identity("u", List.of("g68"), "basic"), null).name()).isEqualTo("default");
        assertThat(set.applied(new Identity("u", List.of("g68", "g69"), "basic"), InetAddress.getByName("10.68.1.1"))
                .name()).isEqualTo("e68");
        assertThat(set.applied(new Identity("u", List.of("g68", "g69"), "basic"), InetAddress.getByName("10.1.1.1"))
                .name()).isEqualTo("e69");
    }

    @Test
    void anEntryMatchesBySomething() {
        assertThatThrownBy(() -> entry("all", List.of(), List.of(), TOP))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> entry("names", List.of(), List.of("example.com"), TOP))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Arguments row(String name, String address, String host, String policy, boolean allowed,
            boolean wouldDeny, String... groups) {
        return Arguments.of(name, address, host, policy, allowed, wouldDeny, groups);
    }

    private static PolicyEntry entry(String name, List<String> groups, List<String> clients, PolicySettings s) {
        return new PolicyEntry(name, Set.copyOf(groups), clients.stream().map(DomainPattern::parse).toList(), s);
    }

    private static PolicySettings settings(Mode mode, String allow) {
        return new PolicySettings(mode, List.of(DomainPattern.parse(allow)), List.of(), Set.of(443), Set.of(80),
                List.of(), false, 65_536, AwsSettings.NONE);
    }
}

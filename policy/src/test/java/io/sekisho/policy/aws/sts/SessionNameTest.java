package io.sekisho.policy.aws.sts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sekisho.policy.Answer;
import io.sekisho.policy.AwsSettings;
import io.sekisho.policy.BodyNeed;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Exchange;
import io.sekisho.policy.Identity;
import io.sekisho.policy.Mode;
import io.sekisho.policy.Need;
import io.sekisho.policy.Policy;
import io.sekisho.policy.PolicySettings;
import io.sekisho.policy.Reason;
import io.sekisho.policy.RequestFacts;
import io.sekisho.policy.StandardPolicy;
import io.sekisho.policy.aws.Encodings;
import io.sekisho.policy.aws.Forms;
import io.sekisho.policy.aws.credentials.KeyLookup;
import io.sekisho.policy.aws.Req;
import io.sekisho.policy.aws.Settings;
import io.sekisho.policy.domain.DomainPattern;
import io.sekisho.policy.signin.InMemorySigninTokenStore;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code aws.sts.roleSessionName: "{user}"}: an AssumeRole must name the authenticated user. */
class SessionNameTest {
    private static final String STS = "https://sts.amazonaws.com/";
    private static final String FORM = "application/x-www-form-urlencoded; charset=utf-8";
    private static final String ROLE = "&RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2Fops";
    private static final Identity ALICE = new Identity("alice", List.of("ops"), "basic");

    static Stream<Arguments> rows() {
        return Stream.of(
                row("form, the user's name", post("Action=AssumeRole" + ROLE + "&RoleSessionName=alice"), ALICE, null),
                row("form, other case", post("Action=AssumeRole" + ROLE + "&RoleSessionName=ALICE"), ALICE, null),
                row("form, another name", post("Action=AssumeRole" + ROLE + "&RoleSessionName=bob"), ALICE,
                        Reason.AWS_SESSION_NAME_MISMATCH),
                row("form, no session name", post("Action=AssumeRole" + ROLE), ALICE,
                        Reason.AWS_SESSION_NAME_MISMATCH),
                row("form, empty session name", post("Action=AssumeRole" + ROLE + "&RoleSessionName="), ALICE,
                        Reason.AWS_SESSION_NAME_MISMATCH),
                row("form, name twice", post("Action=AssumeRole&RoleSessionName=alice" + ROLE
                        + "&RoleSessionName=bob"), ALICE, Reason.AWS_SESSION_NAME_AMBIGUOUS),
                row("form, same name twice", post("Action=AssumeRole&RoleSessionName=alice" + ROLE
                        + "&RoleSessionName=alice"), ALICE, Reason.AWS_SESSION_NAME_AMBIGUOUS),
                row("form, second name in lower case", post("Action=AssumeRole&rolesessionname=bob" + ROLE
                        + "&RoleSessionName=alice"), ALICE, Reason.AWS_SESSION_NAME_AMBIGUOUS),
                row("form, second name percent-encoded", post("Action=AssumeRole&Role%53essionName=bob" + ROLE
                        + "&RoleSessionName=alice"), ALICE, Reason.AWS_SESSION_NAME_AMBIGUOUS),
                row("query and form each name one", Req.of("POST", STS + "?RoleSessionName=bob")
                        .header("Content-Type", FORM).body("Action=AssumeRole" + ROLE + "&RoleSessionName=alice"),
                        ALICE, Reason.AWS_SESSION_NAME_AMBIGUOUS),
                row("action in the query, name in the form", Req.of("POST", STS + "?Action=AssumeRole")
                        .header("Content-Type", FORM).body("RoleSessionName=bob" + ROLE), ALICE,
                        Reason.AWS_SESSION_NAME_MISMATCH),
                row("value percent-encoded", post("Action=AssumeRole" + ROLE + "&RoleSessionName=%61lice"), ALICE,
                        null),
                row("value with an escaped @", post("Action=AssumeRole" + ROLE + "&RoleSessionName=alice%40corp"),
                        ALICE, Reason.AWS_SESSION_NAME_MISMATCH),
                row("a user with @", post("Action=AssumeRole" + ROLE + "&RoleSessionName=alice%40corp"),
                        new Identity("alice@corp", List.of(), "basic"), null),
                row("a bad escape", post("Action=AssumeRole" + ROLE + "&RoleSessionName=%zz"), ALICE,
                        Reason.AWS_SESSION_NAME_AMBIGUOUS),
                row("a name with a bad escape", post("Action=AssumeRole" + ROLE + "&Role%zzName=x&RoleSessionName=alice"),
                        ALICE, Reason.AWS_SESSION_NAME_AMBIGUOUS),
                row("header names in lower case", Req.of("POST", STS).header("content-type",
                        "APPLICATION/X-WWW-FORM-URLENCODED").body("Action=AssumeRole" + ROLE + "&RoleSessionName=bob"),
                        ALICE, Reason.AWS_SESSION_NAME_MISMATCH),
                row("header names in lower case, right name", Req.of("POST", STS).header("content-type",
                        "application/x-www-form-urlencoded").body("Action=AssumeRole" + ROLE
                        + "&RoleSessionName=alice"), ALICE, null),
                row("gzip form, another name", Req.of("POST", STS).header("Content-Type", FORM)
                        .header("Content-Encoding", "gzip").body(Encodings.gzip(Encodings.bytes(
                                "Action=AssumeRole" + ROLE + "&RoleSessionName=bob")), true), ALICE,
                        Reason.AWS_SESSION_NAME_MISMATCH),
                row("gzip form, the user's name", Req.of("POST", STS).header("Content-Type", FORM)
                        .header("Content-Encoding", "gzip").body(Encodings.gzip(Encodings.bytes(
                                "Action=AssumeRole" + ROLE + "&RoleSessionName=alice")), true), ALICE, null),
                row("GET query, another name", Req.of("GET", STS + "?Action=AssumeRole" + ROLE
                        + "&RoleSessionName=bob"), ALICE, Reason.AWS_SESSION_NAME_MISMATCH),
                row("GET query, the user's name", Req.of("GET", STS + "?Action=AssumeRole" + ROLE
                        + "&RoleSessionName=alice"), ALICE, null),
                row("action in lower case", post("Action=assumerole" + ROLE + "&RoleSessionName=bob"), ALICE,
                        Reason.AWS_SESSION_NAME_MISMATCH),
                row("two actions", post("Action=GetCallerIdentity&Action=AssumeRole" + ROLE
                        + "&RoleSessionName=alice"), ALICE, Reason.AWS_SESSION_NAME_AMBIGUOUS),
                row("anonymous", post("Action=AssumeRole" + ROLE + "&RoleSessionName=alice"), Identity.ANONYMOUS,
                        Reason.AWS_SESSION_NAME_NO_USER),
                row("a down-level user name", post("Action=AssumeRole" + ROLE + "&RoleSessionName=alice"),
                        new Identity("CORP\\alice", List.of(), "basic"), null),
                row("a regional endpoint", Req.of("POST", "https://sts.eu-west-1.amazonaws.com/")
                        .header("Content-Type", FORM).body("Action=AssumeRole" + ROLE + "&RoleSessionName=bob"),
                        ALICE, Reason.AWS_SESSION_NAME_MISMATCH),
                row("JSON AssumeRole by X-Amz-Target", Req.of("POST", STS).header("X-Amz-Target",
                        "AWSSecurityTokenServiceV20110615.AssumeRole").header("Content-Type",
                        "application/x-amz-json-1.0").body("{\"RoleSessionName\":\"alice\"}"), ALICE,
                        Reason.AWS_SESSION_NAME_MISMATCH),
                row("another STS action", post("Action=GetCallerIdentity&Version=2011-06-15"), Identity.ANONYMOUS,
                        null),
                row("web identity is not checked", post("Action=AssumeRoleWithWebIdentity" + ROLE
                        + "&RoleSessionName=someone&WebIdentityToken=x"), ALICE, null),
                row("another service", Req.of("POST", "https://sqs.us-east-1.amazonaws.com/").header("Content-Type",
                        FORM).body("Action=ListQueues&RoleSessionName=bob&RoleSessionName=x"), ALICE, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void assumeRoleNamesTheUser(String name, Req req, Identity who, Reason denied) {
        Decision d = decide(policy("{user}"), req.facts(), who);

        if (denied == null) {
            assertThat(d.allowed()).as(d.toString()).isTrue();
        } else {
            assertThat(d.reason()).isEqualTo(denied);
            assertThat(d.allowed()).isFalse();
            assertThat(d.rule()).isEqualTo("aws.sts.roleSessionName");
            assertThat(d.evidence().service()).isEqualTo("sts");
        }
    }

    @Test
    void aTemplateWithTextAroundTheUser() {
        Policy p = policy("corp-{user}");
        Identity bob = new Identity("Bob Smith", List.of(), "basic");

        assertThat(decide(p, post("Action=AssumeRole" + ROLE + "&RoleSessionName=corp-Bob_Smith").facts(), bob)
                .allowed()).isTrue();
        assertThat(decide(p, post("Action=AssumeRole" + ROLE + "&RoleSessionName=Bob_Smith").facts(), bob)
                .reason()).isEqualTo(Reason.AWS_SESSION_NAME_MISMATCH);
    }

    @Test
    void withAccountChecksOnBothInspectorsJudge() {
        AwsSettings aws = new AwsSettings(Settings.CORPORATE, Map.of(), false, List.of(), List.of(), List.of(),
                List.of(), "{user}");
        Policy p = StandardPolicy.create(settings(aws), KeyLookup.NONE, new InMemorySigninTokenStore(),
                Clock.systemUTC());
        String auth = "AWS4-HMAC-SHA256 Credential=" + Forms.scope(Forms.CORP, "us-east-1", "sts")
                + ", SignedHeaders=host, Signature=abcd";
        Req right = post("Action=AssumeRole" + ROLE + "&RoleSessionName=alice").header("Authorization", auth);
        Req wrong = post("Action=AssumeRole" + ROLE + "&RoleSessionName=bob").header("Authorization", auth);
        Req foreignRole = post("Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A999988887777%3Arole%2Fx"
                + "&RoleSessionName=alice").header("Authorization", auth);

        assertThat(decide(p, right.facts(), ALICE).reason()).isEqualTo(Reason.AWS_ACCOUNT_ALLOWED);
        Decision mismatch = decide(p, wrong.facts(), ALICE);
        assertThat(mismatch.reason()).isEqualTo(Reason.AWS_SESSION_NAME_MISMATCH);
        assertThat(mismatch.evidence().principalAccount()).isEqualTo("111122223333");
        assertThat(decide(p, foreignRole.facts(), ALICE).reason()).isEqualTo(Reason.AWS_RESOURCE_ACCOUNT_NOT_ALLOWED);
    }

    @Test
    void theFormBodyIsAskedForAndACutBodyDenies() {
        Policy p = policy("{user}");
        RequestFacts head = Req.of("POST", STS).header("Content-Type", FORM).declaredBody(100).facts();
        Answer a = p.decide(Exchange.request(head, true, false, null).from(ALICE, null));
        assertThat(a).isInstanceOf(Need.RequestBody.class);
        assertThat(((Need.RequestBody) a).body().kind()).isEqualTo(BodyNeed.Kind.WHOLE);

        RequestFacts cut = post("Action=AssumeRole&RoleSessionName=alice").facts()
                .withBody(ByteBuffer.wrap("Action=AssumeRole&RoleSessionName=ali".getBytes()), false);
        assertThat(decide(p, cut, ALICE).allowed()).isFalse();
    }

    @Test
    void withoutTheTemplateNothingIsChecked() {
        Policy p = StandardPolicy.create(settings(AwsSettings.NONE), KeyLookup.NONE, new InMemorySigninTokenStore(),
                Clock.systemUTC());
        assertThat(decide(p, post("Action=AssumeRole" + ROLE + "&RoleSessionName=bob").facts(), Identity.ANONYMOUS)
                .allowed()).isTrue();
    }

    @Test
    void userNamesAreMappedToWhatIamAllows() {
        SessionNameTemplate t = SessionNameTemplate.parse("{user}");
        assertThat(t.render("CORP\\alice")).isEqualTo("alice");
        assertThat(t.render("Jürgen Weiß/ops")).isEqualTo("J_rgen_Wei__ops");
        assertThat(t.render("a+b=c,d.e@f-g_h")).isEqualTo("a+b=c,d.e@f-g_h");
        assertThat(t.render("x".repeat(70))).hasSize(64);
        assertThat(t.render("\uD83D\uDE00x")).isEqualTo("_x");
        assertThat(t.accepts("alice", "ALICE")).isTrue();
        assertThat(t.accepts("kate", "\u212Aate")).as("the Kelvin sign folds to K but is not ASCII").isFalse();
        assertThat(SessionNameTemplate.parse("ops.{user}").render("bob")).isEqualTo("ops.bob");
    }

    @Test
    void badTemplatesAreRefused() {
        assertThatThrownBy(() -> SessionNameTemplate.parse("alice")).hasMessageContaining("{user}");
        assertThatThrownBy(() -> SessionNameTemplate.parse("{user}/{group}")).hasMessageContaining("not allowed");
        assertThatThrownBy(() -> SessionNameTemplate.parse("x".repeat(63) + "{user}"))
                .hasMessageContaining("no room");
    }

    private static Arguments row(String name, Req req, Identity who, Reason denied) {
        return Arguments.of(name, req, who, denied);
    }

    private static Req post(String body) {
        return Req.of("POST", STS).header("Content-Type", FORM).body(body);
    }

    private static Policy policy(String template) {
        AwsSettings aws = new AwsSettings(List.of(), Map.of(), false, List.of(), List.of(), List.of(), List.of(),
                template);
        return StandardPolicy.create(settings(aws), KeyLookup.NONE, new InMemorySigninTokenStore(), Clock.systemUTC());
    }

    private static PolicySettings settings(AwsSettings aws) {
        return new PolicySettings(Mode.ENFORCE, List.of(DomainPattern.parse(".amazonaws.com")), List.of(),
                Set.of(443), Set.of(80, 443), List.of(), false, 65_536, aws);
    }

    private static Decision decide(Policy p, RequestFacts f, Identity who) {
        Exchange x = Exchange.request(f, false, false, null).from(who, null);
        Answer a = p.decide(x);
        if (a == Need.ADDRESSES) {
            a = p.decide(x.withRoute(io.sekisho.policy.Ask.VIA_PARENT));
        }
        return (Decision) a;
    }
}

package io.sekisho.proxy.squid;

import io.sekisho.policy.HostName;
import io.sekisho.policy.domain.DomainPattern;
import java.util.ArrayList;
import java.util.List;

/**
 * What a Squid configuration that reaches AWS cannot do and Sekisho can: tell the company's AWS
 * accounts from everyone else's behind the same host names (DESIGN.md). A deny of the regional
 * sign-in hosts, the usual Squid attempt, also breaks the company's own IAM Identity Center
 * console sign-in, because the access portal sends the browser through
 * {@code <region>.signin.aws.amazon.com/federation}; the import says so and proposes
 * {@code aws.accounts.allow} with the start URL instead.
 */
final class AwsAdvice {
    private static final HostName REGIONAL_SIGNIN = HostName.parse("eu-west-1.signin.aws.amazon.com");
    private static final List<HostName> AWS_SAMPLES = List.of(HostName.parse("sts.amazonaws.com"),
            HostName.parse("signin.aws.amazon.com"), HostName.parse("s3.amazonaws.com"), REGIONAL_SIGNIN);
    private static final String AWSAPPS = "awsapps.com";

    private final SquidImport.Model model;
    private final Findings findings;
    private final boolean awsInUse;

    AwsAdvice(SquidImport.Model model, Findings findings) {
        this.model = model;
        this.findings = findings;
        this.awsInUse = model.allow.stream().anyMatch(AwsAdvice::reachesAws);
        advise();
    }

    private static boolean reachesAws(Entry e) {
        DomainPattern p = e.pattern();
        return AWS_SAMPLES.stream().anyMatch(p::matches)
                || (p.kind() != DomainPattern.Kind.CIDR && HostName.isWithin(p.name(), AWSAPPS));
    }

    private void advise() {
        for (Entry deny : model.deny) {
            if (deny.pattern().matches(REGIONAL_SIGNIN)) {
                findings.warning(deny.where(), "deny " + deny.value() + " breaks the company's own IAM Identity Center"
                        + " console sign-in: the access portal sends the browser through"
                        + " <region>.signin.aws.amazon.com/federation. Squid cannot tell the company's accounts from"
                        + " anyone else's by host name; Sekisho can. Remove this deny and use aws.accounts.allow with"
                        + " aws.identityCenter.startUrls (" + String.join(", ", startUrls()) + "), proposed at the end"
                        + " of the YAML");
            }
        }
        for (Entry allow : model.allow) {
            if (allow.pattern().kind() != DomainPattern.Kind.EXACT && allow.pattern().matches(
                    HostName.parse("d111111abcdef8.cloudfront.net"))) {
                findings.warning(allow.where(), "allow " + allow.value() + " opens every customer's CloudFront"
                        + " distribution, a way to upload data to any AWS account; list the distributions the"
                        + " company uses instead");
            }
        }
        if (awsInUse) {
            findings.note(model.allow.get(0).where(), "these rules let every AWS account through, as Squid did;"
                    + " add aws.accounts.allow (proposed at the end of the YAML) so that only the company's accounts"
                    + " pass");
        }
    }

    /** The company's start URLs, from exact {@code *.awsapps.com} allows; a placeholder when none. */
    List<String> startUrls() {
        List<String> out = new ArrayList<>();
        for (Entry e : model.allow) {
            if (e.pattern().kind() == DomainPattern.Kind.EXACT && HostName.isWithin(e.pattern().name(), AWSAPPS)) {
                out.add("https://" + e.pattern().name() + "/start");
            }
        }
        return out.isEmpty() ? List.of("https://YOUR-PORTAL.awsapps.com/start") : out;
    }

    /** The account-aware policy to add, as commented YAML lines; empty when AWS is not in use. */
    List<String> proposal() {
        if (!awsInUse) {
            return List.of();
        }
        List<String> out = new ArrayList<>(List.of(
                "## Proposed: the account-aware policy Squid cannot express. Put the company's account IDs,",
                "## its access portal start URL and the interception CA (sekisho ca init, docs/ca.md), then",
                "## uncomment, remove any deny of .signin.aws.amazon.com above, and run sekisho check.",
                "# tls:",
                "#   ca:",
                "#     certificate: ca/proxy-ca.pem",
                "#     privateKey: ca/proxy-ca.key",
                "# aws:",
                "#   accounts:",
                "#     allow:",
                "#       - {id: \"111122223333\", name: prod}      # replace with the company's accounts",
                "#   identityCenter:",
                "#     startUrls:"));
        for (String url : startUrls()) {
            out.add("#       - \"" + url + "\"");
        }
        return out;
    }
}

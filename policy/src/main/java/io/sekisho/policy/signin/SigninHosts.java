package io.sekisho.policy.signin;

import io.sekisho.policy.HostName;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sign-in, Identity Center and console host names this package judges, in one place
 * (aws-wire-facts §3.1, §4, §7.3). The AWS host catalog classifies most of them as
 * {@code AWS_SIGNIN_CONSOLE}; the Identity Center API hosts ({@code portal.sso.…},
 * {@code oidc.…}, {@code device.sso.…}) live under {@code amazonaws.com} and may be classified
 * as API hosts, so they are recognised here by name whatever class they get.
 */
final class SigninHosts {

    enum Kind {
        /** Console sign-in: federation, SAML, IAM-user and root ({@code signin.aws.amazon.com} …). */
        SIGNIN,
        /** Identity Center's own sign-in pages and OAuth hosts ({@code *.signin.aws}). */
        IDC_SIGNIN,
        /** An Identity Center access portal (start URL host or issuer host). */
        PORTAL,
        /** The portal web/SDK API, {@code portal.sso.<region>.amazonaws.com}. */
        PORTAL_API,
        /** SSO OIDC, {@code oidc.<region>.amazonaws.com}. */
        OIDC,
        /** The device-code verification page, {@code device.sso.<region>.amazonaws.com}. */
        DEVICE,
        /** The Management Console. */
        CONSOLE,
        /** None of the above. */
        OTHER
    }

    /**
     * Where a request goes.
     *
     * @param kind the kind of host
     * @param region the region named by the host, "" when none
     * @param accountLabel for {@link Kind#SIGNIN}: the account ID or alias label of
     *     {@code <id-or-alias>.signin.aws.amazon.com}, "" when the host has none
     * @param oddShape for {@link Kind#SIGNIN}: more labels than any documented form
     */
    record Place(Kind kind, String region, String accountLabel, boolean oddShape) {
        static final Place OTHER = new Place(Kind.OTHER, "", "", false);
    }

    /** Console sign-in suffixes per partition (aws, aws-us-gov, aws-cn, aws-eusc). */
    private static final List<String> SIGNIN_SUFFIXES = List.of(
            "signin.aws.amazon.com", "signin.amazonaws-us-gov.com", "signin.amazonaws.cn",
            "signin.amazonaws-eusc.eu");

    /** Identity Center sign-in pages moved to this domain in 2020 (R51). */
    private static final String IDC_SIGNIN_SUFFIX = "signin.aws";

    private static final List<String> CONSOLE_SUFFIXES = List.of(
            "console.aws.amazon.com", "console.amazonaws-us-gov.com", "console.amazonaws.cn",
            "console.amazonaws-eusc.eu");

    /** Access portal suffixes the AWS CLI treats as AWS-owned (resolve.py, R12). */
    private static final List<String> PORTAL_SUFFIXES = List.of(
            "awsapps.com", "awsapps.cn", "app.aws", "portal.amazonaws.com", "portal.amazonaws.com.cn",
            "app.amazonwebservices.com.cn", "portal.amazonaws.eu");

    /** Issuer hosts: the instance is the first path segment ({@code /ssoins-…}). */
    static final List<String> ISSUER_HOSTS = List.of(
            "identitycenter.amazonaws.com", "identitycenter.amazonaws.com.cn",
            "identitycenter.amazonaws.eu", "identitycenter.us-gov.amazonaws.com");

    /**
     * A region label on a sign-in host. Deliberately narrow (partition prefix, compass word,
     * number): anything else in that position is read as an account alias and must be
     * configured, so an alias cannot pass as a region by looking vaguely like one.
     */
    private static final Pattern SIGNIN_REGION = Pattern.compile(
            "(us|eu|ap|sa|ca|me|af|il|mx|cn|us-gov|us-iso|us-isob|eu-isoe|us-isof|eusc-de)"
                    + "-(east|west|north|south|central|northeast|northwest|southeast|southwest)-\\d{1,2}");

    /** {@code <prefix>[-fips].<region>.<dnsSuffix>} for the Identity Center API hosts. */
    private static final Pattern IDC_API = Pattern.compile(
            "(portal\\.sso|oidc|device\\.sso)(?:-fips)?\\.([a-z]{2,4}(?:-[a-z]+)+-\\d{1,2})\\."
                    + "(?:amazonaws\\.com|amazonaws\\.com\\.cn|api\\.aws|amazonaws\\.eu"
                    + "|api\\.amazonwebservices\\.com\\.cn|api\\.amazonwebservices\\.eu)");

    private SigninHosts() {
    }

    static Place classify(HostName host) {
        if (host.isIpLiteral()) {
            return Place.OTHER;
        }
        String h = host.value();
        for (String suffix : SIGNIN_SUFFIXES) {
            if (host.isWithin(suffix)) {
                return signin(h, suffix);
            }
        }
        Matcher m = IDC_API.matcher(h);
        if (m.matches()) {
            Kind k = switch (m.group(1)) {
                case "portal.sso" -> Kind.PORTAL_API;
                case "oidc" -> Kind.OIDC;
                default -> Kind.DEVICE;
            };
            return new Place(k, m.group(2), "", false);
        }
        if (ISSUER_HOSTS.contains(h) || PORTAL_SUFFIXES.stream().anyMatch(host::isWithin)) {
            return new Place(Kind.PORTAL, PortalInstance.regionOf(h), "", false);
        }
        if (host.isWithin(IDC_SIGNIN_SUFFIX)) {
            return new Place(Kind.IDC_SIGNIN, firstRegionLabel(h), "", false);
        }
        if (CONSOLE_SUFFIXES.stream().anyMatch(host::isWithin)) {
            return new Place(Kind.CONSOLE, firstRegionLabel(h), "", false);
        }
        return Place.OTHER;
    }

    /**
     * {@code signin.aws.amazon.com} (global), {@code <region>.signin…} (regional federation,
     * SAML, OAuth), {@code <id-or-alias>.signin…} (IAM-user sign-in page, §4.3).
     */
    private static Place signin(String h, String suffix) {
        if (h.length() == suffix.length()) {
            return new Place(Kind.SIGNIN, "", "", false);
        }
        String[] labels = h.substring(0, h.length() - suffix.length() - 1).split("\\.");
        int n = labels.length;
        String region = "";
        if (SIGNIN_REGION.matcher(labels[n - 1]).matches()) {
            region = labels[n - 1];
            n--;
        }
        if (n == 0) {
            return new Place(Kind.SIGNIN, region, "", false);
        }
        return new Place(Kind.SIGNIN, region, labels[0], n > 1);
    }

    private static String firstRegionLabel(String h) {
        for (String label : h.split("\\.")) {
            if (SIGNIN_REGION.matcher(label).matches()) {
                return label;
            }
        }
        return "";
    }
}

package io.sekisho.policy.signin;

import io.sekisho.policy.HostName;
import io.sekisho.policy.Nullable;
import java.util.List;
import java.util.Set;

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
     * A region label on a sign-in host: {@code <partition prefix>-<compass word>-<1 or 2 digits>}.
     * Deliberately narrow: anything else in that position is read as an account alias and must
     * be configured, so an alias cannot pass as a region by looking vaguely like one.
     */
    private static final Set<String> SIGNIN_REGION_PREFIXES = Set.of(
            "us", "eu", "ap", "sa", "ca", "me", "af", "il", "mx", "cn", "us-gov", "us-iso", "us-isob", "eu-isoe",
            "us-isof", "eusc-de");
    private static final Set<String> COMPASS_WORDS = Set.of(
            "east", "west", "north", "south", "central", "northeast", "northwest", "southeast", "southwest");

    /** The Identity Center API hosts: {@code <prefix>[-fips].<region>.<dnsSuffix>}. */
    private static final String[] IDC_API_PREFIXES = {"portal.sso", "oidc", "device.sso"};
    private static final Kind[] IDC_API_KINDS = {Kind.PORTAL_API, Kind.OIDC, Kind.DEVICE};
    private static final String FIPS = "-fips";
    private static final Set<String> IDC_API_SUFFIXES = Set.of(
            "amazonaws.com", "amazonaws.com.cn", "api.aws", "amazonaws.eu", "api.amazonwebservices.com.cn",
            "api.amazonwebservices.eu");

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
        Place api = identityCenterApi(h);
        if (api != null) {
            return api;
        }
        if (ISSUER_HOSTS.contains(h) || within(host, PORTAL_SUFFIXES)) {
            return new Place(Kind.PORTAL, PortalInstance.regionOf(h), "", false);
        }
        if (host.isWithin(IDC_SIGNIN_SUFFIX)) {
            return new Place(Kind.IDC_SIGNIN, firstRegionLabel(h), "", false);
        }
        if (within(host, CONSOLE_SUFFIXES)) {
            return new Place(Kind.CONSOLE, firstRegionLabel(h), "", false);
        }
        return Place.OTHER;
    }

    private static boolean within(HostName host, List<String> suffixes) {
        for (int i = 0; i < suffixes.size(); i++) {
            if (host.isWithin(suffixes.get(i))) {
                return true;
            }
        }
        return false;
    }

    /** {@code portal.sso|oidc|device.sso} [{@code -fips}] {@code .<region>.<dnsSuffix>} exactly, or null. */
    static @Nullable Place identityCenterApi(String h) {
        for (int i = 0; i < IDC_API_PREFIXES.length; i++) {
            String prefix = IDC_API_PREFIXES[i];
            if (!h.startsWith(prefix)) {
                continue;
            }
            int dot = prefix.length();
            if (h.startsWith(FIPS, dot)) {
                dot += FIPS.length();
            }
            int regionEnd = dot < h.length() && h.charAt(dot) == '.' ? h.indexOf('.', dot + 1) : -1;
            if (regionEnd > 0 && apiRegion(h, dot + 1, regionEnd)
                    && IDC_API_SUFFIXES.contains(h.substring(regionEnd + 1))) {
                return new Place(IDC_API_KINDS[i], h.substring(dot + 1, regionEnd), "", false);
            }
        }
        return null;
    }

    /** {@code [a-z]{2,4}(-[a-z]+)+-[0-9]{1,2}}, e.g. us-east-1, us-gov-west-1. */
    private static boolean apiRegion(String h, int from, int to) {
        int lastDash = h.lastIndexOf('-', to - 1);
        if (lastDash < from || !digits(h, lastDash + 1, to, 2)) {
            return false;
        }
        int firstDash = h.indexOf('-', from);
        if (firstDash == lastDash || firstDash - from < 2 || firstDash - from > 4 || !letters(h, from, firstDash)) {
            return false;
        }
        int i = firstDash + 1;
        while (true) {
            int dash = h.indexOf('-', i); // never past lastDash
            if (!letters(h, i, dash)) {
                return false;
            }
            if (dash == lastDash) {
                return true;
            }
            i = dash + 1;
        }
    }

    /** A sign-in region label: a partition prefix (which may hold '-'), a compass word, 1 or 2 digits. */
    static boolean signinRegion(String label) {
        int lastDash = label.lastIndexOf('-');
        int wordDash = lastDash <= 0 ? -1 : label.lastIndexOf('-', lastDash - 1);
        return wordDash > 0 && digits(label, lastDash + 1, label.length(), 2)
                && COMPASS_WORDS.contains(label.substring(wordDash + 1, lastDash))
                && SIGNIN_REGION_PREFIXES.contains(label.substring(0, wordDash));
    }

    /** 1 to {@code max} ASCII digits. */
    private static boolean digits(String s, int from, int to, int max) {
        if (to - from < 1 || to - from > max) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** One or more ASCII lower-case letters. */
    private static boolean letters(String s, int from, int to) {
        if (to <= from) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (s.charAt(i) < 'a' || s.charAt(i) > 'z') {
                return false;
            }
        }
        return true;
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
        if (signinRegion(labels[n - 1])) {
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
            if (signinRegion(label)) {
                return label;
            }
        }
        return "";
    }
}

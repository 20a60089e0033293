package io.sekisho.policy;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code aws:} section: which accounts are the company's, and how to treat requests whose
 * evidence is missing or cannot be resolved.
 *
 * @param accounts {@code aws.accounts.allow}; empty means AWS account checks are off
 *     (domain policy only), which the config loader warns about
 * @param staticKeys {@code aws.keys}: access key ID → account ID for old-format keys
 * @param unresolvableKeysAllow {@code aws.unresolvableKeys: allow}; false (deny) by default
 * @param s3AnonymousRead {@code aws.s3.anonymousRead}: bucket name globs readable without
 *     credentials
 * @param s3BucketsAllow {@code aws.s3.buckets.allow}: when non-empty, the only bucket name
 *     globs any S3 request may name
 * @param identityCenterStartUrls {@code aws.identityCenter.startUrls}, normalised (scheme,
 *     host, path; no trailing slash)
 * @param rootSigninAllow {@code aws.signin.root.allow}: e-mail addresses (lower case) whose
 *     root sign-in is allowed
 * @param roleSessionName {@code aws.sts.roleSessionName}: the template an {@code sts:AssumeRole}'s
 *     {@code RoleSessionName} must equal once rendered ({@code {user}}); "" when off
 * @param controls S3 alias lists and the closed-network controls ({@link AwsControls})
 */
public record AwsSettings(
        List<AccountEntry> accounts,
        Map<String, String> staticKeys,
        boolean unresolvableKeysAllow,
        List<String> s3AnonymousRead,
        List<String> s3BucketsAllow,
        List<String> identityCenterStartUrls,
        List<String> rootSigninAllow,
        String roleSessionName,
        AwsControls controls) {

    public static final AwsSettings NONE =
            new AwsSettings(List.of(), Map.of(), false, List.of(), List.of(), List.of(), List.of());

    /** Without a session-name rule, alias lists or closed-network controls ({@link AwsControls#NONE}). */
    public AwsSettings(List<AccountEntry> accounts, Map<String, String> staticKeys, boolean unresolvableKeysAllow,
            List<String> s3AnonymousRead, List<String> s3BucketsAllow, List<String> identityCenterStartUrls,
            List<String> rootSigninAllow) {
        this(accounts, staticKeys, unresolvableKeysAllow, s3AnonymousRead, s3BucketsAllow, identityCenterStartUrls,
                rootSigninAllow, "", AwsControls.NONE);
    }

    /** With a session-name rule ("" for none), without alias lists or closed-network controls. */
    public AwsSettings(List<AccountEntry> accounts, Map<String, String> staticKeys, boolean unresolvableKeysAllow,
            List<String> s3AnonymousRead, List<String> s3BucketsAllow, List<String> identityCenterStartUrls,
            List<String> rootSigninAllow, String roleSessionName) {
        this(accounts, staticKeys, unresolvableKeysAllow, s3AnonymousRead, s3BucketsAllow, identityCenterStartUrls,
                rootSigninAllow, roleSessionName, AwsControls.NONE);
    }

    /** Without a session-name rule, with alias lists and closed-network controls. */
    public AwsSettings(List<AccountEntry> accounts, Map<String, String> staticKeys, boolean unresolvableKeysAllow,
            List<String> s3AnonymousRead, List<String> s3BucketsAllow, List<String> identityCenterStartUrls,
            List<String> rootSigninAllow, AwsControls controls) {
        this(accounts, staticKeys, unresolvableKeysAllow, s3AnonymousRead, s3BucketsAllow, identityCenterStartUrls,
                rootSigninAllow, "", controls);
    }

    /** These settings with other controls. */
    public AwsSettings withControls(AwsControls c) {
        return new AwsSettings(accounts, staticKeys, unresolvableKeysAllow, s3AnonymousRead, s3BucketsAllow,
                identityCenterStartUrls, rootSigninAllow, roleSessionName, c);
    }

    public AwsSettings {
        accounts = List.copyOf(accounts);
        staticKeys = Map.copyOf(staticKeys);
        s3AnonymousRead = List.copyOf(s3AnonymousRead);
        s3BucketsAllow = List.copyOf(s3BucketsAllow);
        identityCenterStartUrls = List.copyOf(identityCenterStartUrls);
        rootSigninAllow = List.copyOf(rootSigninAllow);
        Objects.requireNonNull(roleSessionName);
        Objects.requireNonNull(controls);
    }

    /**
     * One allowed account.
     *
     * @param id twelve digits
     * @param name a human name for logs and block pages ("" when none)
     * @param aliases IAM account aliases (lower case), used for IAM-user sign-in pages
     */
    public record AccountEntry(String id, String name, List<String> aliases) {
        public AccountEntry {
            Objects.requireNonNull(id);
            if (!id.matches("\\d{12}")) {
                throw new IllegalArgumentException("an AWS account ID is twelve digits: " + id);
            }
            Objects.requireNonNull(name);
            aliases = List.copyOf(aliases);
        }
    }
}

package io.sekisho.policy.signin;

/**
 * The rule ids sign-in decisions carry ({@code Decision.rule}): the configuration entry that
 * decided, so an operator reading the audit line knows what to change.
 */
final class Rules {
    /** No configuration entry decided (a request without account evidence, a parse error). */
    static final String NONE = "";
    static final String ACCOUNTS = "aws.accounts.allow";
    /** IAM account aliases are configured per account, under {@code aws.accounts}. */
    static final String ALIASES = "aws.accounts.aliases";
    static final String KEYS = "aws.keys";
    static final String START_URLS = "aws.identityCenter.startUrls";
    static final String ROOT = "aws.signin.root.allow";
    /** Not a config key: the token-provenance check of {@code Action=login}. */
    static final String TOKEN_PROVENANCE = "signin.tokenProvenance";
    /** {@code aws.accounts} is empty: AWS account checks are off (AwsSettings). */
    static final String CHECKS_OFF = "aws.accounts.allow (empty: account checks off)";

    private Rules() {
    }
}

package io.sekisho.policy.aws;

import io.sekisho.policy.AwsControls;
import io.sekisho.policy.AwsSettings.AccountEntry;
import io.sekisho.policy.AwsSettings;
import io.sekisho.policy.aws.catalog.AwsHostCatalog;
import io.sekisho.policy.aws.credentials.KeyLookup;
import java.util.List;
import java.util.Map;

/** The AWS settings the inspector tests run under. */
public final class Settings {
    public static final List<AccountEntry> CORPORATE = List.of(
            new AccountEntry("111122223333", "corp-prod", List.of()),
            new AccountEntry("444455556666", "corp-dev", List.of()));

    /** The corporate accounts' own alias hosts: one access point alias, one Multi-Region Access Point. */
    public static final AwsControls ALIASES = new AwsControls(List.of("corp-ap-hqfa5nbmsjv3rvxwpktbybc1sn5pusw2a-s3alias"),
            List.of("mfzwi23gnjvgw"), List.of(), List.of(), List.of(), List.of());
    /** The corporate accounts; public-datasets-* readable anonymously; no bucket allowlist; {@link #ALIASES}. */
    public static final AwsSettings BASE = new AwsSettings(CORPORATE, Map.of(), false,
            List.of("public-datasets-*"), List.of(), List.of(), List.of(), ALIASES);
    /** BASE with an S3 bucket allowlist. */
    public static final AwsSettings BUCKETS = new AwsSettings(CORPORATE, Map.of(), false,
            List.of("public-datasets-*"), List.of("corp-data-bucket", "corp.data.*"), List.of(), List.of());
    /** BASE with the old documentation key mapped to a corporate account. */
    public static final AwsSettings STATIC_KEY = new AwsSettings(CORPORATE, Map.of(Forms.OLD, "444455556666"), false,
            List.of(), List.of(), List.of(), List.of());
    /** BASE with aws.unresolvableKeys: allow. */
    public static final AwsSettings LENIENT = new AwsSettings(CORPORATE, Map.of(), true,
            List.of(), List.of(), List.of(), List.of());
    /** No accounts: AWS checks off. */
    public static final AwsSettings OFF = AwsSettings.NONE;

    public static final int BODY_LIMIT = 64 * 1024;

    private Settings() {
    }

    public static AwsApiInspector inspector(AwsSettings s) {
        return new AwsApiInspector(s, BODY_LIMIT, AwsHostCatalog.builtIn(), KeyLookup.NONE);
    }
}

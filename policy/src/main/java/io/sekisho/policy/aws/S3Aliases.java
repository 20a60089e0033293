package io.sekisho.policy.aws;

import io.sekisho.policy.AwsControls;
import io.sekisho.policy.Nullable;
import io.sekisho.policy.Reason;
import io.sekisho.policy.aws.wire.AwsWireFacts;
import java.util.Locale;

/**
 * S3 names that stand for an access point, not a bucket, and hide the account that owns it
 * (issue 15 point 5). A Multi-Region Access Point alias host
 * ({@code <alias>.mrap.accesspoint.s3-global.amazonaws.com}: the catalog gives
 * {@code <alias>.mrap} as its bucket) and an access point alias used as a bucket name, virtual-hosted
 * or path style ({@code …-s3alias}; Object Lambda {@code …--ol-s3}; Outposts {@code …--op-s3}).
 * AWS reserves these suffixes: no bucket name ends with them (see
 * {@link AwsWireFacts#ACCESS_POINT_ALIAS_SUFFIXES}). Each is denied
 * unless listed, as a bucket whose owner is invisible would be with {@code aws.s3.buckets.allow}.
 * ARNs of access points and MRAPs name their account and are checked by the resource scan.
 */
final class S3Aliases {
    static final String RULE_ACCESS_POINTS = "aws.s3.accessPoints.allow";
    static final String RULE_MRAPS = "aws.s3.multiRegionAccessPoints.allow";
    private static final String MRAP_SUFFIX = ".mrap";

    private final BucketGlobs accessPoints;
    private final BucketGlobs mraps;

    S3Aliases(AwsControls controls) {
        this.accessPoints = new BucketGlobs(controls.accessPointAliases());
        this.mraps = new BucketGlobs(controls.multiRegionAccessPoints());
    }

    /** The reason to deny a request naming {@code bucket} ("" for none), or null when it is no alias or listed. */
    @Nullable Reason judge(String bucket) {
        if (bucket.isEmpty()) {
            return null;
        }
        String b = bucket.toLowerCase(Locale.ROOT);
        if (b.endsWith(MRAP_SUFFIX)) {
            String alias = b.substring(0, b.length() - MRAP_SUFFIX.length());
            return mraps.match(alias) == null ? Reason.AWS_MRAP_ALIAS_NOT_ALLOWED : null;
        }
        if (isAccessPointAlias(b)) {
            return accessPoints.match(b) == null ? Reason.AWS_ACCESS_POINT_ALIAS_NOT_ALLOWED : null;
        }
        return null;
    }

    /** The rule a deny of {@link #judge} names. */
    static String rule(Reason r) {
        return r == Reason.AWS_MRAP_ALIAS_NOT_ALLOWED ? RULE_MRAPS : RULE_ACCESS_POINTS;
    }

    /** True when {@code bucket} is an alias of either kind. */
    static boolean isAlias(String bucket) {
        String b = bucket.toLowerCase(Locale.ROOT);
        return b.endsWith(MRAP_SUFFIX) || isAccessPointAlias(b);
    }

    static boolean isAccessPointAlias(String lowerCaseName) {
        for (String suffix : AwsWireFacts.ACCESS_POINT_ALIAS_SUFFIXES) {
            if (lowerCaseName.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }
}

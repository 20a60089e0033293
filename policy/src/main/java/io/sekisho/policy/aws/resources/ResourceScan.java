package io.sekisho.policy.aws.resources;

import java.util.List;
import java.util.Objects;

/**
 * The accounts and buckets a request acts on, as {@link ResourceAccountScanner} found them.
 *
 * @param accounts distinct account IDs, sorted; "*" stands for a public share (everyone)
 * @param bucket the S3 bucket named by host or path, "" when none
 * @param copySourceBucket the source bucket of an S3 copy ({@code x-amz-copy-source}), "" when none
 * @param malformed a body or parameter that must be read could not be parsed
 * @param overflow more accounts than the scan keeps: the request is not judged on a partial list
 */
public record ResourceScan(
        List<String> accounts, String bucket, String copySourceBucket, boolean malformed, boolean overflow) {

    public ResourceScan {
        accounts = List.copyOf(accounts);
        Objects.requireNonNull(bucket);
        Objects.requireNonNull(copySourceBucket);
    }
}

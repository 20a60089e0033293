package io.sekisho.policy.aws.catalog;

import io.sekisho.policy.HostClass;
import java.util.List;
import java.util.Objects;

/**
 * One row of host-catalog.txt, compiled.
 *
 * @param index the row's position among the rows (earlier wins a tie in specificity)
 * @param pattern the pattern as written
 * @param lead what stands in front of the fixed labels: nothing, any labels ({@code *.}) or
 *     the S3 bucket ({@code {bucket}.})
 * @param labels the fixed labels, left to right
 * @param hostClass the class the row assigns
 * @param flags what the row says about the endpoint
 * @param service the {@code svc=} flag, "" when absent
 * @param source the row's source reference, for audit and docs
 */
record CatalogEntry(
        int index,
        String pattern,
        Lead lead,
        List<LabelTemplate> labels,
        HostClass hostClass,
        Flags flags,
        String service,
        String source) {

    enum Lead { NONE, ANY, BUCKET }

    /** The row flags of host-catalog.txt. */
    record Flags(boolean s3, boolean s3AccessPoint, boolean registry, boolean noBody) {
        static final Flags NONE = new Flags(false, false, false, false);
    }

    CatalogEntry {
        Objects.requireNonNull(pattern);
        Objects.requireNonNull(lead);
        labels = List.copyOf(labels);
        Objects.requireNonNull(hostClass);
        Objects.requireNonNull(flags);
        Objects.requireNonNull(service);
        Objects.requireNonNull(source);
    }

    /**
     * Larger is more specific: label weights first, literal characters next, and an exact
     * pattern beats a {@code *.} pattern of the same weight (host-catalog.txt header).
     */
    long specificity() {
        long weight = 0;
        long chars = 0;
        for (LabelTemplate l : labels) {
            weight += l.weight();
            chars += l.literalChars();
        }
        return weight * 1_000_000L + chars * 2 + (lead == Lead.NONE ? 1 : 0);
    }
}

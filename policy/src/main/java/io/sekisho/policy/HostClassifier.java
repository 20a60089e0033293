package io.sekisho.policy;

import java.util.Objects;

/** Classifies a destination; the AWS host catalog is the real one. */
@FunctionalInterface
public interface HostClassifier {
    /** Classifies nothing as AWS: for tests of the domain engine alone. */
    HostClassifier NONE = h -> Classification.NOT_AWS;

    Classification classify(HostName host);

    /**
     * @param hostClass the class
     * @param suffix the catalog entry's domain suffix that matched (e.g. "elb.amazonaws.com"),
     *     "" for {@link HostClass#NOT_AWS}. A customer endpoint is opened only by an allow rule
     *     that names the host exactly or a suffix at or below this one, so a broad
     *     ".amazonaws.com" allow does not open "*.elb.amazonaws.com".
     * @param source where the catalog entry comes from (a reference id), for audit and docs
     */
    record Classification(HostClass hostClass, String suffix, String source) {
        public static final Classification NOT_AWS = new Classification(HostClass.NOT_AWS, "", "");

        public Classification {
            Objects.requireNonNull(hostClass);
            Objects.requireNonNull(suffix);
            Objects.requireNonNull(source);
        }
    }
}

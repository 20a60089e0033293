package io.sekisho.policy;

/** Classifies a destination; the AWS host catalog is the real one. */
@FunctionalInterface
public interface HostClassifier {
    /** Classifies nothing as AWS: for tests of the domain engine alone. */
    HostClassifier NONE = h -> HostClass.NOT_AWS;

    HostClass classify(HostName host);
}

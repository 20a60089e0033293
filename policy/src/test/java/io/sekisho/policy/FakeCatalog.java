package io.sekisho.policy;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A tiny AWS host catalog for engine tests: suffix → class, most specific suffix first, like
 * the real one reports the suffix that matched. Counts its calls so tests can see it was asked.
 */
final class FakeCatalog implements HostClassifier {
    private final Map<String, HostClass> bySuffix = new LinkedHashMap<>();

    static FakeCatalog aws() {
        FakeCatalog c = new FakeCatalog();
        c.bySuffix.put("elb.amazonaws.com", HostClass.AWS_CUSTOMER_ENDPOINT);
        c.bySuffix.put("execute-api.us-east-1.amazonaws.com", HostClass.AWS_CUSTOMER_ENDPOINT);
        c.bySuffix.put("signin.aws.amazon.com", HostClass.AWS_SIGNIN_CONSOLE);
        c.bySuffix.put("console.aws.a2z.com", HostClass.AWS_STATIC);
        c.bySuffix.put("amazonaws.com", HostClass.AWS_API);
        return c;
    }

    @Override
    public Classification classify(HostName host) {
        for (Map.Entry<String, HostClass> e : bySuffix.entrySet()) {
            if (host.isWithin(e.getKey())) {
                return new Classification(e.getValue(), e.getKey(), "fake:" + e.getKey());
            }
        }
        return Classification.NOT_AWS;
    }
}

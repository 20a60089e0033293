package io.sekisho.policy;

import io.sekisho.policy.domain.DomainPattern;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the decision engine needs from the configuration, already validated by the
 * config module. Immutable; a reload builds a new one and swaps it in whole.
 *
 * @param mode enforce or report
 * @param allow {@code domains.allow}
 * @param deny {@code domains.deny}
 * @param connectPorts {@code ports.connect}: ports a CONNECT may name (default 443)
 * @param httpPorts {@code ports.http}: ports an absolute-form http:// request may name (default 80)
 * @param intercept {@code tls.intercept}; empty means the built-in default (AWS API and
 *     sign-in hosts) once the AWS catalog exists, and nothing before
 * @param interceptConfigured true when the user wrote {@code tls.intercept} (even empty)
 * @param interceptExclude {@code tls.interceptExclude}: hosts tunnelled even where
 *     {@code tls.intercept} (or its default) covers them
 * @param inspectBodyBytes the most request-body bytes the policy may ask to see
 * @param aws the AWS account policy
 */
public record PolicySettings(
        Mode mode,
        List<DomainPattern> allow,
        List<DomainPattern> deny,
        Set<Integer> connectPorts,
        Set<Integer> httpPorts,
        List<DomainPattern> intercept,
        boolean interceptConfigured,
        int inspectBodyBytes,
        AwsSettings aws,
        List<DomainPattern> interceptExclude) {

    public PolicySettings {
        Objects.requireNonNull(mode);
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
        connectPorts = Set.copyOf(connectPorts);
        httpPorts = Set.copyOf(httpPorts);
        intercept = List.copyOf(intercept);
        Objects.requireNonNull(aws);
        interceptExclude = List.copyOf(interceptExclude);
    }

    /** Without {@code tls.interceptExclude}. */
    public PolicySettings(Mode mode, List<DomainPattern> allow, List<DomainPattern> deny, Set<Integer> connectPorts,
            Set<Integer> httpPorts, List<DomainPattern> intercept, boolean interceptConfigured, int inspectBodyBytes,
            AwsSettings aws) {
        this(mode, allow, deny, connectPorts, httpPorts, intercept, interceptConfigured, inspectBodyBytes, aws,
                List.of());
    }
}

package io.sekisho.proxy.audit;

import io.sekisho.policy.Nullable;
import java.util.Objects;

/**
 * What {@link AsyncAuditLog#open(AuditSinkSpec)} opens.
 *
 * @param auditFile the JSON audit: a path, or "-" for standard output
 * @param instance written in every JSON line ({@code instance})
 * @param accessFile the Squid-style access log, or null for none
 * @param accessFormat its format
 * @param capacity how many lines may wait for the disk; new requests are refused from half of it on
 * @param rotateBytes rotate a file once it holds this many bytes; 0 for never (external rotation)
 * @param keep how many rotated files are kept ({@code file.1} … {@code file.keep})
 */
public record AuditSinkSpec(String auditFile, String instance, @Nullable String accessFile,
        AccessLogFormat accessFormat, int capacity, long rotateBytes, int keep) {

    public AuditSinkSpec {
        Objects.requireNonNull(auditFile);
        Objects.requireNonNull(instance);
        Objects.requireNonNull(accessFormat);
    }

    /** Only the JSON audit, no rotation by size. */
    public static AuditSinkSpec json(String auditFile, String instance, int capacity) {
        return new AuditSinkSpec(auditFile, instance, null, AccessLogFormat.SQUID, capacity, 0, 0);
    }
}

package io.sekisho.proxy.audit;

/** The formats of the optional access log ({@code audit.accessLog.format}). */
public enum AccessLogFormat {
    /** Squid's native {@code squid} logformat. */
    SQUID,
    /** Squid's {@code combined} logformat (Apache's combined, plus Squid's result codes). */
    COMBINED
}

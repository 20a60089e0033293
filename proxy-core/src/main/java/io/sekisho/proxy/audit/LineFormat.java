package io.sekisho.proxy.audit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/** How one record becomes one line (with its newline) of an output: JSON, Squid's or combined. */
interface LineFormat {
    void append(AuditRecord record, ByteArrayOutputStream out) throws IOException;
}

package io.sekisho.proxy.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.sekisho.policy.Nullable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The JSON audit line ({@link AuditJson}) with the instance that wrote it. One generator serves
 * every line (the audit writer's thread is its only user): a generator per line cost its buffers
 * and context on every request. It writes into the buffer of the batch being formatted.
 */
final class JsonLineFormat implements LineFormat {
    private final JsonFactory factory = new JsonFactory();
    private final String instance;
    private final Target target = new Target();
    private final char[] time = new char[AuditTime.MAX_LENGTH];
    private @Nullable JsonGenerator generator;

    JsonLineFormat(String instance) {
        this.instance = instance;
        factory.setRootValueSeparator(null);
    }

    @Override
    public void append(AuditRecord record, ByteArrayOutputStream out) throws IOException {
        target.out = out;
        JsonGenerator g = generator;
        if (g == null) {
            g = factory.createGenerator(target).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            generator = g;
        }
        try {
            AuditJson.write(g, record, instance, time);
            g.flush();
        } catch (IOException | RuntimeException e) {
            // As a generator of the line's own would: what was written is closed off and flushed
            // (no newline), and the next line starts with a fresh generator.
            generator = null;
            try {
                g.close();
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        out.write('\n');
    }

    /** The batch buffer of the line being written. */
    private static final class Target extends OutputStream {
        private ByteArrayOutputStream out = new ByteArrayOutputStream(0);

        @Override
        public void write(int b) {
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            out.write(b, off, len);
        }
    }
}

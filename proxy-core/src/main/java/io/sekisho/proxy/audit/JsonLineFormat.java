package io.sekisho.proxy.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/** The JSON audit line ({@link AuditJson}) with the instance that wrote it. */
final class JsonLineFormat implements LineFormat {
    private final JsonFactory factory = new JsonFactory();
    private final String instance;

    JsonLineFormat(String instance) {
        this.instance = instance;
        factory.setRootValueSeparator(null);
    }

    @Override
    public void append(AuditRecord record, ByteArrayOutputStream out) throws IOException {
        try (JsonGenerator g = factory.createGenerator(out).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)) {
            AuditJson.write(g, record, instance);
        }
        out.write('\n');
    }
}

package io.sekisho.proxy.explain;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Evidence;
import io.sekisho.proxy.block.BlockReasons;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;

/** Explain's two forms: text for a terminal, and JSON (one array of objects) for tools. */
public final class ExplainOutput {
    private ExplainOutput() {
    }

    public static void text(List<Explanation> all, PrintWriter out) {
        for (Explanation e : all) {
            Decision d = e.decision();
            out.println(e.request().source() + "  " + e.request().method() + " " + e.request().url());
            out.println("  " + Describe.decision(d) + " at " + e.stage());
            if (e.blocked()) {
                out.println("  why: " + BlockReasons.sentence(d.reason()));
            }
            for (String line : Describe.evidence(d.evidence())) {
                out.println("  " + line);
            }
            out.println("  steps:");
            for (String step : e.steps()) {
                out.println("    " + step);
            }
            out.println();
        }
        long blocked = all.stream().filter(Explanation::blocked).count();
        out.println(all.size() + " request(s): " + (all.size() - blocked) + " allowed, " + blocked
                + " denied or would be denied");
        out.flush();
    }

    public static void json(List<Explanation> all, Writer out) throws IOException {
        // The writer is the command's: the generator must not close it.
        JsonFactory json = new JsonFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        try (JsonGenerator g = json.createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartArray();
            for (Explanation e : all) {
                one(g, e);
            }
            g.writeEndArray();
        }
        out.write(System.lineSeparator());
        out.flush();
    }

    private static void one(JsonGenerator g, Explanation e) throws IOException {
        Decision d = e.decision();
        Evidence ev = d.evidence();
        g.writeStartObject();
        g.writeStringField("source", e.request().source());
        g.writeStringField("method", e.request().method());
        g.writeStringField("url", e.request().url());
        g.writeStringField("stage", e.stage());
        g.writeStringField("verdict", d.verdict().name());
        g.writeBooleanField("wouldDeny", d.wouldDeny());
        g.writeStringField("reason", d.reason().name());
        g.writeStringField("why", BlockReasons.sentence(d.reason()));
        g.writeStringField("rule", d.rule());
        g.writeStringField("policy", d.policy().name());
        g.writeObjectFieldStart("evidence");
        g.writeStringField("accessKeyId", ev.accessKeyIdMasked());
        g.writeStringField("keyType", ev.keyType());
        g.writeStringField("principalAccount", ev.principalAccount());
        g.writeArrayFieldStart("resourceAccounts");
        for (String a : ev.resourceAccounts()) {
            g.writeString(a);
        }
        g.writeEndArray();
        g.writeStringField("signing", ev.signing());
        g.writeStringField("service", ev.service());
        g.writeStringField("region", ev.region());
        g.writeStringField("action", ev.action());
        g.writeStringField("flow", ev.flow());
        g.writeStringField("identityCenter", ev.identityCenterInstance());
        g.writeEndObject();
        g.writeArrayFieldStart("steps");
        for (String s : e.steps()) {
            g.writeString(s);
        }
        g.writeEndArray();
        g.writeEndObject();
    }
}

package io.sekisho.proxy.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Evidence;
import io.sekisho.policy.Identity;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/** Serialises one {@link AuditRecord} as a JSON object, keys from {@link AuditFields}. */
public final class AuditJson {
    private AuditJson() {
    }

    public static void write(JsonGenerator g, AuditRecord r) throws IOException {
        write(g, r, "");
    }

    /** @param instance which Sekisho wrote the line ({@code audit.instance}); "" leaves it out */
    public static void write(JsonGenerator g, AuditRecord r, String instance) throws IOException {
        Decision d = r.decision();
        g.writeStartObject();
        g.writeStringField(AuditFields.TIME, AuditTime.format(r.time()));
        g.writeStringField(AuditFields.REQUEST_ID, r.requestId());
        g.writeStringField(AuditFields.CLIENT, r.client());
        g.writeStringField(AuditFields.METHOD, r.method());
        g.writeStringField(AuditFields.HOST, r.host());
        g.writeNumberField(AuditFields.PORT, r.port());
        g.writeStringField(AuditFields.PATH, r.path());
        g.writeStringField(AuditFields.VERDICT, d.verdict().name());
        g.writeStringField(AuditFields.REASON, d.reason().name());
        g.writeStringField(AuditFields.RULE, d.rule());
        g.writeStringField(AuditFields.MODE, r.mode().name().toLowerCase(Locale.ROOT));
        g.writeBooleanField(AuditFields.WOULD_DENY, d.wouldDeny());
        g.writeNumberField(AuditFields.BYTES_UP, r.bytesUp());
        g.writeNumberField(AuditFields.BYTES_DOWN, r.bytesDown());
        g.writeNumberField(AuditFields.DURATION_MS, r.durationMs());
        AuditRecord.Http h = r.http();
        g.writeNumberField(AuditFields.STATUS, h.status());
        optional(g, AuditFields.USER_AGENT, h.userAgent());
        optional(g, AuditFields.TLS_VERSION, h.tlsVersion());
        optional(g, AuditFields.SNI, h.sni());
        optional(g, AuditFields.INSTANCE, instance);
        writeIdentity(g, r.identity());
        g.writeStringField(AuditFields.POLICY, d.policy().name());
        writeEvidence(g, d.evidence());
        g.writeEndObject();
    }

    private static void writeIdentity(JsonGenerator g, Identity who) throws IOException {
        g.writeStringField(AuditFields.USER, who.user());
        g.writeArrayFieldStart(AuditFields.GROUPS);
        for (String group : who.groups()) {
            g.writeString(group);
        }
        g.writeEndArray();
        g.writeStringField(AuditFields.AUTH_SCHEME, who.scheme());
    }

    private static void writeEvidence(JsonGenerator g, Evidence e) throws IOException {
        optional(g, AuditFields.PRINCIPAL_ACCOUNT, e.principalAccount());
        List<String> accounts = e.resourceAccounts();
        if (!accounts.isEmpty()) {
            g.writeArrayFieldStart(AuditFields.RESOURCE_ACCOUNTS);
            for (String a : accounts) {
                g.writeString(a);
            }
            g.writeEndArray();
        }
        // Evidence holds the key ID already masked; the secret half never reaches Evidence.
        optional(g, AuditFields.ACCESS_KEY_ID, e.accessKeyIdMasked());
        optional(g, AuditFields.KEY_TYPE, e.keyType());
        optional(g, AuditFields.SERVICE, e.service());
        optional(g, AuditFields.REGION, e.region());
        optional(g, AuditFields.ACTION, e.action());
        optional(g, AuditFields.SIGNING, e.signing());
        optional(g, AuditFields.FLOW, e.flow());
        optional(g, AuditFields.IDENTITY_CENTER, e.identityCenterInstance());
    }

    private static void optional(JsonGenerator g, String key, String value) throws IOException {
        if (!value.isEmpty()) {
            g.writeStringField(key, value);
        }
    }
}

package io.sekisho.proxy.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Evidence;
import io.sekisho.policy.Identity;
import io.sekisho.policy.Mode;
import io.sekisho.policy.Reason;
import io.sekisho.policy.Verdict;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * Serialises one {@link AuditRecord} as a JSON object, keys from {@link AuditFields}. The keys
 * and the enum values are encoded once, here, not again on every line.
 */
public final class AuditJson {
    private static final SerializableString TIME = key(AuditFields.TIME);
    private static final SerializableString REQUEST_ID = key(AuditFields.REQUEST_ID);
    private static final SerializableString CLIENT = key(AuditFields.CLIENT);
    private static final SerializableString METHOD = key(AuditFields.METHOD);
    private static final SerializableString HOST = key(AuditFields.HOST);
    private static final SerializableString PORT = key(AuditFields.PORT);
    private static final SerializableString PATH = key(AuditFields.PATH);
    private static final SerializableString VERDICT = key(AuditFields.VERDICT);
    private static final SerializableString REASON = key(AuditFields.REASON);
    private static final SerializableString RULE = key(AuditFields.RULE);
    private static final SerializableString MODE = key(AuditFields.MODE);
    private static final SerializableString WOULD_DENY = key(AuditFields.WOULD_DENY);
    private static final SerializableString BYTES_UP = key(AuditFields.BYTES_UP);
    private static final SerializableString BYTES_DOWN = key(AuditFields.BYTES_DOWN);
    private static final SerializableString DURATION_MS = key(AuditFields.DURATION_MS);
    private static final SerializableString STATUS = key(AuditFields.STATUS);
    private static final SerializableString USER_AGENT = key(AuditFields.USER_AGENT);
    private static final SerializableString TLS_VERSION = key(AuditFields.TLS_VERSION);
    private static final SerializableString SNI = key(AuditFields.SNI);
    private static final SerializableString INSTANCE = key(AuditFields.INSTANCE);
    private static final SerializableString USER = key(AuditFields.USER);
    private static final SerializableString GROUPS = key(AuditFields.GROUPS);
    private static final SerializableString AUTH_SCHEME = key(AuditFields.AUTH_SCHEME);
    private static final SerializableString POLICY = key(AuditFields.POLICY);
    private static final SerializableString PRINCIPAL_ACCOUNT = key(AuditFields.PRINCIPAL_ACCOUNT);
    private static final SerializableString RESOURCE_ACCOUNTS = key(AuditFields.RESOURCE_ACCOUNTS);
    private static final SerializableString ACCESS_KEY_ID = key(AuditFields.ACCESS_KEY_ID);
    private static final SerializableString KEY_TYPE = key(AuditFields.KEY_TYPE);
    private static final SerializableString SERVICE = key(AuditFields.SERVICE);
    private static final SerializableString REGION = key(AuditFields.REGION);
    private static final SerializableString ACTION = key(AuditFields.ACTION);
    private static final SerializableString SIGNING = key(AuditFields.SIGNING);
    private static final SerializableString FLOW = key(AuditFields.FLOW);
    private static final SerializableString IDENTITY_CENTER = key(AuditFields.IDENTITY_CENTER);
    private static final SerializableString[] VERDICTS = names(Verdict.values(), false);
    private static final SerializableString[] REASONS = names(Reason.values(), false);
    private static final SerializableString[] MODES = names(Mode.values(), true);

    private AuditJson() {
    }

    public static void write(JsonGenerator g, AuditRecord r) throws IOException {
        write(g, r, "");
    }

    /** @param instance which Sekisho wrote the line ({@code audit.instance}); "" leaves it out */
    public static void write(JsonGenerator g, AuditRecord r, String instance) throws IOException {
        write(g, r, instance, new char[AuditTime.MAX_LENGTH]);
    }

    /** @param scratch room for the time ({@link AuditTime#MAX_LENGTH}), reused by a writer of many lines */
    static void write(JsonGenerator g, AuditRecord r, String instance, char[] scratch) throws IOException {
        Decision d = r.decision();
        g.writeStartObject();
        g.writeFieldName(TIME);
        g.writeString(scratch, 0, AuditTime.format(r.time(), scratch));
        string(g, REQUEST_ID, r.requestId());
        string(g, CLIENT, r.client());
        string(g, METHOD, r.method());
        string(g, HOST, r.host());
        number(g, PORT, r.port());
        string(g, PATH, r.path());
        g.writeFieldName(VERDICT);
        g.writeString(VERDICTS[d.verdict().ordinal()]);
        g.writeFieldName(REASON);
        g.writeString(REASONS[d.reason().ordinal()]);
        string(g, RULE, d.rule());
        g.writeFieldName(MODE);
        g.writeString(MODES[r.mode().ordinal()]);
        g.writeFieldName(WOULD_DENY);
        g.writeBoolean(d.wouldDeny());
        number(g, BYTES_UP, r.bytesUp());
        number(g, BYTES_DOWN, r.bytesDown());
        number(g, DURATION_MS, r.durationMs());
        AuditRecord.Http h = r.http();
        number(g, STATUS, h.status());
        optional(g, USER_AGENT, h.userAgent());
        optional(g, TLS_VERSION, h.tlsVersion());
        optional(g, SNI, h.sni());
        optional(g, INSTANCE, instance);
        writeIdentity(g, r.identity());
        string(g, POLICY, d.policy().name());
        writeEvidence(g, d.evidence());
        g.writeEndObject();
    }

    private static void writeIdentity(JsonGenerator g, Identity who) throws IOException {
        string(g, USER, who.user());
        g.writeFieldName(GROUPS);
        g.writeStartArray();
        for (String group : who.groups()) {
            g.writeString(group);
        }
        g.writeEndArray();
        string(g, AUTH_SCHEME, who.scheme());
    }

    private static void writeEvidence(JsonGenerator g, Evidence e) throws IOException {
        optional(g, PRINCIPAL_ACCOUNT, e.principalAccount());
        List<String> accounts = e.resourceAccounts();
        if (!accounts.isEmpty()) {
            g.writeFieldName(RESOURCE_ACCOUNTS);
            g.writeStartArray();
            for (String a : accounts) {
                g.writeString(a);
            }
            g.writeEndArray();
        }
        // Evidence holds the key ID already masked; the secret half never reaches Evidence.
        optional(g, ACCESS_KEY_ID, e.accessKeyIdMasked());
        optional(g, KEY_TYPE, e.keyType());
        optional(g, SERVICE, e.service());
        optional(g, REGION, e.region());
        optional(g, ACTION, e.action());
        optional(g, SIGNING, e.signing());
        optional(g, FLOW, e.flow());
        optional(g, IDENTITY_CENTER, e.identityCenterInstance());
    }

    private static void string(JsonGenerator g, SerializableString key, String value) throws IOException {
        g.writeFieldName(key);
        g.writeString(value);
    }

    private static void number(JsonGenerator g, SerializableString key, long value) throws IOException {
        g.writeFieldName(key);
        g.writeNumber(value);
    }

    private static void optional(JsonGenerator g, SerializableString key, String value) throws IOException {
        if (!value.isEmpty()) {
            string(g, key, value);
        }
    }

    private static SerializableString key(String name) {
        return new SerializedString(name);
    }

    private static SerializableString[] names(Enum<?>[] values, boolean lowerCase) {
        SerializableString[] out = new SerializableString[values.length];
        for (Enum<?> v : values) {
            out[v.ordinal()] = new SerializedString(lowerCase ? v.name().toLowerCase(Locale.ROOT) : v.name());
        }
        return out;
    }
}

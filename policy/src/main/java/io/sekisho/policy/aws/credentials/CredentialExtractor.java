package io.sekisho.policy.aws.credentials;

import static io.sekisho.policy.aws.wire.AwsWireFacts.SIGV4A_ALGORITHM;
import static io.sekisho.policy.aws.wire.AwsWireFacts.SIGV4_ALGORITHM;

import io.sekisho.policy.Nullable;
import io.sekisho.policy.RequestFacts;
import io.sekisho.policy.aws.request.AwsHeaders;
import io.sekisho.policy.aws.request.PostForm;
import io.sekisho.policy.aws.request.QueryForm;
import io.sekisho.policy.aws.wire.AwsWireFacts;
import io.sekisho.policy.aws.wire.Params;
import io.sekisho.policy.aws.wire.Text;

/**
 * Finds the access key ID in every carrier of aws-wire-facts §1, in the order of §1.13:
 * the {@code Authorization} header (SigV4, SigV4a, SigV2, Bearer, Basic), the SigV3
 * {@code X-Amzn-Authorization} header, Identity Center's {@code x-amz-sso_bearer_token}, the
 * query (presigned SigV4/SigV4a, SigV2 {@code AWSAccessKeyId}), then the body when the caller
 * supplied it (Query-API form bodies, S3 POST forms up to the file part). Header and parameter
 * names are matched ignoring case and the SigV4 parameter list tolerates missing or extra
 * whitespace.
 *
 * <p>Two different key IDs anywhere in one request are a {@code CONFLICT}: the proxy cannot
 * know which one AWS will honour. A credential that is present but unparsable, or whose key ID
 * is not a key ID, is {@code MALFORMED}. Stateless and thread-safe.
 */
public final class CredentialExtractor {
    public static final String AUTHORIZATION = "Authorization";
    public static final String SSO_BEARER_HEADER = "x-amz-sso_bearer_token";

    /** The credential of {@code facts}; reads {@code facts.body()} when present. */
    public ExtractedCredential extract(RequestFacts facts) {
        return extract(facts, AwsHeaders.of(facts.headers()), facts.body() == null ? null : Text.latin1(facts.body()));
    }

    public ExtractedCredential extract(RequestFacts facts, AwsHeaders h, @Nullable CharSequence body) {
        return extract(facts, h, body, null, null);
    }

    /**
     * As above; {@code form} is the POST form already parsed from {@code body}, or null;
     * {@code queryForm} is the Query-protocol form of {@code body} whose single pass this
     * extraction runs (it keeps the resource accounts and Action for the other readers), or null.
     */
    public ExtractedCredential extract(RequestFacts facts, AwsHeaders h, @Nullable CharSequence body,
            @Nullable PostForm form, @Nullable QueryForm queryForm) {
        CredentialCollector c = new CredentialCollector(facts.bodyComplete());
        for (int i = 0; i < h.authorization.size(); i++) {
            authorization(h.authorization.get(i), c);
        }
        if (h.regionSet != null && c.form() == SigningForm.SIGV4A_HEADER) {
            c.regionSet(h.regionSet.strip()); // SigV4a scopes have no region (§1.3)
        }
        if (h.sigv3 != null) {
            sigv3(h.sigv3, c);
        }
        if (h.ssoBearer) {
            // Identity Center portal API (§3.4): a bearer token that names no key.
            c.opaque(SigningForm.BEARER, "header:" + SSO_BEARER_HEADER);
        }
        c.sessionToken |= h.sessionToken;
        if (!facts.query().isEmpty()) {
            presigned(Params.of(facts.query()), Where.QUERY, SigningForm.SIGV4_QUERY, SigningForm.SIGV2_QUERY, c);
        }
        if (body != null) {
            body(h, body, form, queryForm, c);
        }
        return c.result();
    }

    // --- Authorization header --------------------------------------------------------------

    private static void authorization(String value, CredentialCollector c) {
        String location = "header:" + AUTHORIZATION;
        int n = value.length();
        int i = Text.skipSpaces(value, 0, n);
        if (Text.startsWithIgnoreCase(value, i, n, SIGV4A_ALGORITHM)) {
            sigv4Header(value, i + SIGV4A_ALGORITHM.length(), n, true, location, c);
        } else if (Text.startsWithIgnoreCase(value, i, n, SIGV4_ALGORITHM)) {
            sigv4Header(value, i + SIGV4_ALGORITHM.length(), n, false, location, c);
        } else if (Text.startsWithIgnoreCase(value, i, n, "AWS ")) {
            sigv2Header(value, i + 4, n, c);
        } else if (Text.startsWithIgnoreCase(value, i, n, "Bearer ")) {
            BearerTokens.read(value.substring(Text.skipSpaces(value, i + 7, n)).strip(), location, c);
        } else if (Text.startsWithIgnoreCase(value, i, n, "Basic ")) {
            c.opaque(SigningForm.BASIC, location);
        } else {
            // No other scheme reaches an AWS API: an unknown one is not something to guess at.
            c.malformed(SigningForm.SIGV4_HEADER, location);
        }
    }

    private static void sigv4Header(String v, int from, int to, boolean v4a, String location,
            CredentialCollector c) {
        SigningForm form = v4a ? SigningForm.SIGV4A_HEADER : SigningForm.SIGV4_HEADER;
        int found = 0;
        int i = from;
        while (i < to) {
            i = skipSeparators(v, i, to);
            int nameEnd = i;
            while (nameEnd < to && isNameChar(v.charAt(nameEnd))) {
                nameEnd++;
            }
            int j = Text.skipSpaces(v, nameEnd, to);
            if (nameEnd == i || j >= to || v.charAt(j) != '=') {
                i = nameEnd == i ? i + 1 : nameEnd;
                continue;
            }
            int vs = Text.skipSpaces(v, j + 1, to);
            int ve = valueEnd(v, vs, to);
            if (Text.equalsIgnoreCase(v, i, nameEnd, "Credential")) {
                found++;
                scope(v, vs, ve, v4a, form, location, c);
            }
            i = ve;
        }
        if (found == 0) {
            c.malformed(form, location);
        }
    }

    private static void sigv2Header(String v, int from, int to, CredentialCollector c) {
        String location = "header:" + AUTHORIZATION;
        int start = Text.skipSpaces(v, from, to);
        int colon = Text.indexOf(v, ':', start, to);
        if (colon < 0) {
            c.malformed(SigningForm.SIGV2_HEADER, location);
            return;
        }
        c.key(SigningForm.SIGV2_HEADER, v.substring(start, Text.trimEnd(v, start, colon)), "", "", location);
    }

    /** {@code X-Amzn-Authorization: AWS3-HTTPS AWSAccessKeyId=…,Algorithm=…,Signature=…}. */
    private static void sigv3(String v, CredentialCollector c) {
        String location = "header:" + AwsWireFacts.SIGV3_HEADER;
        int n = v.length();
        int at = Text.indexOfIgnoreCase(v, "AWSAccessKeyId", 0, n);
        if (!Text.startsWithIgnoreCase(v, Text.skipSpaces(v, 0, n), n, "AWS3") || at < 0) {
            c.malformed(SigningForm.SIGV3_HEADER, location);
            return;
        }
        int eq = Text.skipSpaces(v, at + "AWSAccessKeyId".length(), n);
        if (eq >= n || v.charAt(eq) != '=') {
            c.malformed(SigningForm.SIGV3_HEADER, location);
            return;
        }
        int vs = Text.skipSpaces(v, eq + 1, n);
        int ve = vs;
        while (ve < n && v.charAt(ve) != ',' && !Text.isSpace(v.charAt(ve))) {
            ve++;
        }
        c.key(SigningForm.SIGV3_HEADER, v.substring(vs, ve), "", "", location);
    }

    // --- query strings and presigned URLs -------------------------------------------------------

    /**
     * Reads presigned-URL parameters: {@code X-Amz-Credential} (with {@code X-Amz-Algorithm}
     * telling SigV4 from SigV4a) and SigV2's {@code AWSAccessKeyId}. Used for the request query
     * and for the URLs inside bearer tokens; Query-API form bodies feed a {@link Presigned} from
     * their single pass ({@link QueryForm}). Returns true when a credential parameter was found.
     */
    public static boolean presigned(Params p, Where where, SigningForm v4Form, SigningForm v2Form,
            CredentialCollector c) {
        Presigned found = new Presigned(where, v4Form, v2Form, c);
        while (p.next()) {
            found.param(p);
        }
        return found.finish();
    }

    /**
     * The audit locations of the parameters of one carrier, built once: concatenating them per
     * request showed in the profile.
     */
    public record Where(String credential, String accessKeyId, String badName) {
        static final Where QUERY = prefixed("query:");
        public static final Where BODY_FORM = prefixed("body:form:");

        /** "query:" → "query:X-Amz-Credential", "query:AWSAccessKeyId", "query:?". */
        static Where prefixed(String prefix) {
            return new Where(prefix + "X-Amz-Credential", prefix + "AWSAccessKeyId", prefix + "?");
        }

        /** One location for every parameter (a bearer token's header). */
        static Where at(String location) {
            return new Where(location, location, location);
        }
    }

    /** The presigned-URL parameters of one query or form, fed to it one parameter at a time. */
    public static final class Presigned {
        private final Where where;
        private final SigningForm v4Form;
        private final SigningForm v2Form;
        private final CredentialCollector c;
        private @Nullable String credential;
        private @Nullable String regionSet;
        private boolean v4a;
        private boolean any;

        public Presigned(Where where, SigningForm v4Form, SigningForm v2Form, CredentialCollector c) {
            this.where = where;
            this.v4Form = v4Form;
            this.v2Form = v2Form;
            this.c = c;
        }

        public void param(Params p) {
            if (p.nameIs("X-Amz-Credential")) {
                String value = p.value();
                if (value == null || (credential != null && !credential.equals(value))) {
                    c.malformedOrConflict(value == null, v4Form, where.credential());
                }
                credential = credential == null ? value : credential;
            } else if (p.nameIs("X-Amz-Algorithm")) {
                String a = p.value();
                v4a = a != null && a.equalsIgnoreCase(SIGV4A_ALGORITHM);
            } else if (p.nameIs("X-Amz-Region-Set")) {
                regionSet = p.value();
            } else if (p.nameIs("AWSAccessKeyId")) {
                String value = p.value();
                any = true;
                if (value == null) {
                    c.malformed(v2Form, where.accessKeyId());
                } else {
                    c.key(v2Form, value, "", "", where.accessKeyId());
                }
            } else if (p.nameIs("X-Amz-Security-Token") || p.nameIs("SecurityToken")
                    || p.nameIs("X-Amz-S3session-Token")) {
                c.sessionToken = true;
            } else if (p.nameMalformed()) {
                c.malformed(v4Form, where.badName());
            }
        }

        /** After the last parameter: reads the credential scope; true when any credential parameter was met. */
        public boolean finish() {
            if (credential != null) {
                SigningForm form = v4Form == SigningForm.SIGV4_QUERY && v4a ? SigningForm.SIGV4A_QUERY : v4Form;
                scope(credential, 0, credential.length(), v4a, form, where.credential(), c);
                if (v4a && regionSet != null) {
                    c.regionSet(regionSet);
                }
            }
            return any || credential != null;
        }
    }

    /**
     * A credential scope {@code AKID/date/region/service/aws4_request} (SigV4a: without the
     * region, the region set travels in {@code X-Amz-Region-Set}).
     */
    public static void scope(CharSequence s, int from, int to, boolean v4a, SigningForm form, String location,
            CredentialCollector c) {
        int parts = v4a ? 4 : 5;
        int[] slash = new int[parts - 1];
        int found = 0;
        for (int i = from; i < to; i++) {
            if (s.charAt(i) == '/') {
                if (found == slash.length) {
                    c.malformed(form, location);
                    return;
                }
                slash[found++] = i;
            }
        }
        if (found != slash.length || slash[0] == from
                || !Text.equals(s, slash[slash.length - 1] + 1, to, AwsWireFacts.SCOPE_TERMINATOR)
                || !isDate(s, slash[0] + 1, slash[1])) {
            c.malformed(form, location);
            return;
        }
        String key = Text.slice(s, from, slash[0]);
        String region = v4a ? "" : Text.slice(s, slash[1] + 1, slash[2]);
        int svcFrom = v4a ? slash[1] + 1 : slash[2] + 1;
        String service = Text.slice(s, svcFrom, slash[slash.length - 1]);
        c.key(form, key, service, region, location);
    }

    // --- bodies ---------------------------------------------------------------------------------

    private static void body(AwsHeaders h, CharSequence body, @Nullable PostForm form, @Nullable QueryForm queryForm,
            CredentialCollector c) {
        if (h.contentTypeStartsWith("application/x-www-form-urlencoded")) {
            if (queryForm != null) {
                queryForm.read(c);
            } else {
                presigned(Params.of(body), Where.BODY_FORM, SigningForm.SIGV4_QUERY, SigningForm.SIGV2_QUERY, c);
            }
        } else if (h.contentTypeStartsWith("multipart/form-data")) {
            postForm(form != null ? form : PostForm.parse(body, h), c);
        }
    }

    private static void postForm(PostForm f, CredentialCollector c) {
        if (f.malformed) {
            c.problem(ExtractedCredential.Problem.BODY_MALFORMED);
            return;
        }
        if (f.conflict) {
            c.problem(ExtractedCredential.Problem.CONFLICT);
            return;
        }
        if (f.credential != null) {
            boolean v4a = f.algorithm != null && f.algorithm.equalsIgnoreCase(SIGV4A_ALGORITHM);
            scope(f.credential, 0, f.credential.length(), v4a, SigningForm.POST_FORM_V4,
                    "body:form-field:x-amz-credential", c);
            if (v4a && f.regionSet != null) {
                c.regionSet(f.regionSet);
            }
        }
        if (f.accessKeyId != null) {
            c.key(SigningForm.POST_FORM_V2, f.accessKeyId.strip(), "", "", "body:form-field:AWSAccessKeyId");
        }
        c.sessionToken |= f.sessionToken;
        if (!f.fileReached) {
            c.postFormUnfinished();
        }
    }

    /** The end of a parameter value: the next ',' or whitespace (String.indexOf is vectorised). */
    private static int valueEnd(String v, int from, int to) {
        return Math.min(before(v, ',', from, to), Math.min(before(v, ' ', from, to), before(v, '\t', from, to)));
    }

    private static int before(String v, char c, int from, int to) {
        int i = v.indexOf(c, from);
        return i < 0 || i > to ? to : i;
    }

    private static int skipSeparators(String v, int i, int to) {
        while (i < to && (v.charAt(i) == ',' || Text.isSpace(v.charAt(i)))) {
            i++;
        }
        return i;
    }

    private static boolean isNameChar(char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '-';
    }

    private static boolean isDate(CharSequence s, int from, int to) {
        if (to - from != 8) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (!Text.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}

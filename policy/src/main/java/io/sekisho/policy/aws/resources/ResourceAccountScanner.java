package io.sekisho.policy.aws.resources;

import io.sekisho.policy.Nullable;
import io.sekisho.policy.RequestFacts;
import io.sekisho.policy.aws.catalog.AwsHostCatalog;
import io.sekisho.policy.aws.catalog.HostMatch;
import io.sekisho.policy.aws.credentials.AccessKeys;
import io.sekisho.policy.aws.request.AwsCall;
import io.sekisho.policy.aws.request.AwsHeaders;
import io.sekisho.policy.aws.request.BodyPlan;
import io.sekisho.policy.aws.request.S3Request;
import io.sekisho.policy.aws.wire.AwsWireFacts;
import io.sekisho.policy.aws.wire.Params;
import io.sekisho.policy.aws.wire.Percent;
import io.sekisho.policy.aws.wire.Text;
import io.sekisho.policy.aws.wire.UndecodableBody;

/**
 * Finds every account a request acts on (aws-wire-facts §5): account-in-host names, S3
 * account-regional bucket names, bucket-owner and S3 Control account headers, the source of an
 * S3 copy, ARNs in the path, query, form and JSON bodies, SQS queue URLs and paths, Lambda
 * partial ARNs, STS {@code RoleArn}, the sharing fields of §5.2 and the principals of policy
 * documents. Fields are chosen by name and ARN shape, never "any twelve digits": data (item
 * values, message bodies, log events) is skipped. Stateless and thread-safe.
 */
public final class ResourceAccountScanner {

    /** The largest {@code inspection.maxBodyBytes}: the most a body decodes to here. */
    public static final int MAX_DECODED_BYTES = 16 * 1024 * 1024;

    private final AwsHostCatalog catalog;

    public ResourceAccountScanner(AwsHostCatalog catalog) {
        this.catalog = catalog;
    }

    /**
     * Scans {@code facts}, reading its body when it carries one the AWS inspection reads
     * (see {@code BodyPlan}), its content codings undone; a body that cannot be decoded is
     * reported malformed. {@code service} is the signing name when known (it tells an SQS path
     * from any other), else "" to take it from the host.
     */
    public ResourceScan scan(RequestFacts facts, String service) {
        AwsCall call = new AwsCall(facts, catalog.match(facts.host()));
        String svc = service.isEmpty() ? call.host.service() : service;
        try {
            call.readBody(call.readableBody(MAX_DECODED_BYTES));
        } catch (UndecodableBody e) {
            ResourceScan s = scan(call, svc, null);
            return new ResourceScan(s.accounts(), s.bucket(), s.copySourceBucket(), true, s.overflow());
        }
        return scan(call, svc, call.body);
    }

    public ResourceScan scan(AwsCall call, String service, @Nullable CharSequence body) {
        return scan(call, service, body, FormAccounts.tapping(call.queryForm));
    }

    /**
     * As {@link #scan(AwsCall, String, CharSequence)}, with the accounts of the call's Query form
     * read in its one pass ({@code form}, tapped before the credential extraction read it).
     */
    public ResourceScan scan(AwsCall call, String service, @Nullable CharSequence body, @Nullable FormAccounts form) {
        RequestFacts f = call.facts();
        HostMatch m = call.host;
        S3Request s3 = call.s3;
        AccountSet out = new AccountSet();
        boolean ok = true;
        if (m.hasAccount()) {
            out.add(m.account());
        }
        headers(call.headers, out);
        String copySourceBucket = "";
        if (s3 != null) {
            publicAcl(call.headers, out);
            if (call.postForm != null && call.postForm.publicAcl) {
                out.add(AccountSet.EVERYONE);
            }
            accountRegionalBucket(s3.bucket, out);
            copySourceBucket = copySource(call.headers.copySource, out);
            ok = s3Query(f.query(), out);
        } else {
            ok = path(f.path(), service, out) && params(f.query(), out);
        }
        if (ok && body != null) {
            ok = form != null ? form.into(out) : body(call.plan, body, out);
        }
        return new ResourceScan(out.toList(), s3 == null ? "" : s3.bucket, copySourceBucket, !ok, out.overflow());
    }

    private static void headers(AwsHeaders h, AccountSet out) {
        if (h.accountHeaders == null) {
            return;
        }
        for (int i = 0; i < h.accountHeaders.size(); i++) {
            String v = h.accountHeaders.get(i);
            int from = Text.skipSpaces(v, 0, v.length());
            out.addIfAccount(v, from, Text.trimEnd(v, from, v.length()));
        }
    }

    /** A canned ACL or grant that opens the object or bucket to everyone is a share with "*". */
    private static void publicAcl(AwsHeaders h, AccountSet out) {
        if (h.acl == null) {
            return;
        }
        for (int i = 0; i < h.acl.size(); i++) {
            String v = h.acl.get(i).strip();
            if (AwsWireFacts.PUBLIC_CANNED_ACLS.contains(v.toLowerCase(java.util.Locale.ROOT)) || publicGrantee(v)) {
                out.add(AccountSet.EVERYONE);
            }
        }
    }

    public static boolean publicGrantee(String text) {
        for (String group : AwsWireFacts.PUBLIC_GRANTEE_GROUPS) {
            if (Text.indexOfIgnoreCase(text, group, 0, text.length()) >= 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean body(BodyPlan plan, CharSequence body, AccountSet out) {
        switch (plan) {
            case FORM:
                return params(body, out);
            case JSON:
                return JsonScanner.scan(body, 0, body.length(), out);
            case S3_CONFIG: {
                // A bucket policy is JSON; every other configuration is XML (R4).
                int first = Text.skipSpaces(body, 0, body.length());
                return first < body.length() && body.charAt(first) == '{'
                        ? JsonScanner.scan(body, first, body.length(), out)
                        : XmlScanner.scan(body, out);
            }
            case OPAQUE:
                opaque(body, out);
                return true;
            default:
                return true; // POST form fields name the signer, not a resource
        }
    }

    /**
     * A body of unknown format: read as JSON or as a form when it parses as one (AWS may),
     * and searched for ARNs in any case. Never malformed: it was not declared as anything.
     */
    private static void opaque(CharSequence body, AccountSet out) {
        AccountSet parsed = new AccountSet();
        int first = Text.skipSpaces(body, 0, body.length());
        boolean json = first < body.length() && (body.charAt(first) == '{' || body.charAt(first) == '[');
        if (json ? JsonScanner.scan(body, first, body.length(), parsed) : params(body, parsed)) {
            out.addAll(parsed);
        }
        ArnScanner.scan(body, 0, body.length(), out);
    }

    /** ARNs anywhere in the (decoded) path; SQS {@code /<acct>/<queue>}; Lambda partial ARNs. */
    private static boolean path(String rawPath, String service, AccountSet out) {
        String path = Percent.decodePath(rawPath, 0, rawPath.length());
        if (path == null) {
            return false;
        }
        ArnScanner.scan(path, out);
        if (service.equals("sqs")) {
            int slash = path.indexOf('/', 1);
            if (slash == 13) {
                out.addIfAccount(path, 1, 13);
            }
        }
        int fn = path.indexOf(AwsWireFacts.LAMBDA_FUNCTIONS_SEGMENT);
        if (fn >= 0) {
            int from = fn + AwsWireFacts.LAMBDA_FUNCTIONS_SEGMENT.length();
            if (from + 12 < path.length() && path.startsWith(AwsWireFacts.LAMBDA_PARTIAL_ARN_MARKER, from + 12)) {
                out.addIfAccount(path, from, from + 12);
            }
        }
        return true;
    }

    /** Query or form parameters: see {@link ParamAccounts}. */
    public static boolean params(CharSequence text, AccountSet out) {
        return ParamAccounts.scan(text, out);
    }

    /**
     * S3 queries carry object names and listing prefixes (the caller's data), so only the
     * bucket-owner claims a presigned URL can carry as parameters are read.
     */
    private static boolean s3Query(String query, AccountSet out) {
        if (query.isEmpty()) {
            return true;
        }
        Params p = Params.of(query);
        while (p.next()) {
            for (String h : AwsWireFacts.ACCOUNT_HEADERS) {
                if (p.nameIs(h)) {
                    String v = p.value();
                    if (v == null) {
                        return false;
                    }
                    out.addIfAccount(v, 0, v.length());
                }
            }
        }
        return true;
    }

    /** {@code x-amz-copy-source}: "bucket/key" (URL-encoded) or an access point ARN; returns the bucket. */
    private String copySource(@Nullable String header, AccountSet out) {
        if (header == null) {
            return "";
        }
        String v = Percent.decodePath(header, 0, header.length());
        if (v == null) {
            return "";
        }
        v = v.strip();
        if (v.startsWith("arn:")) {
            ArnScanner.scan(v, out);
            return "";
        }
        int start = v.startsWith("/") ? 1 : 0;
        int slash = v.indexOf('/', start);
        String bucket = slash < 0 ? v.substring(start) : v.substring(start, slash);
        accountRegionalBucket(bucket, out);
        return bucket;
    }

    /** "&lt;prefix&gt;-&lt;12 digits&gt;-&lt;region&gt;-an" names its owner (§1.11, R4). */
    private void accountRegionalBucket(String bucket, AccountSet out) {
        String suffix = AwsWireFacts.ACCOUNT_REGIONAL_BUCKET_SUFFIX;
        if (!bucket.endsWith(suffix)) {
            return;
        }
        int regionEnd = bucket.length() - suffix.length();
        for (int dash = bucket.indexOf('-'); dash >= 0 && dash + 14 < regionEnd; dash = bucket.indexOf('-', dash + 1)) {
            int acctEnd = dash + 13;
            if (AccessKeys.isAccountId(bucket, dash + 1, acctEnd) && bucket.charAt(acctEnd) == '-'
                    && catalog.regions().matches(bucket, acctEnd + 1, regionEnd)) {
                out.add(bucket, dash + 1, acctEnd);
                return;
            }
        }
    }

    /** {@code https://<host>/<12 digits>/<queue>}: an SQS queue URL names its owner (§5.1). */
    public static void queueUrl(CharSequence t, int from, int to, AccountSet out) {
        int scheme = Text.indexOfIgnoreCase(t, "://", from, to);
        int pathStart = scheme < 0 ? -1 : Text.indexOf(t, '/', scheme + 3, to);
        if (pathStart >= 0 && pathStart + 14 <= to && t.charAt(pathStart + 13) == '/') {
            out.addIfAccount(t, pathStart + 1, pathStart + 13);
        }
    }
}

package io.sekisho.policy.aws.request;

import io.sekisho.policy.RequestFacts;
import io.sekisho.policy.aws.catalog.HostMatch;
import io.sekisho.policy.aws.wire.AwsWireFacts;
import io.sekisho.policy.aws.wire.Params;
import io.sekisho.policy.aws.wire.Percent;
import io.sekisho.policy.aws.wire.Text;

/**
 * How an S3 request names its bucket and object (aws-wire-facts §1.11): the bucket from a
 * virtual-hosted name, else the first path segment (path style); and which sub-resources its
 * query names, which tell the operation apart ({@code ?uploads}, {@code ?policy}…).
 */
public final class S3Request {
    private static final String[] SUBRESOURCES = {
        "uploads", "uploadId", "partNumber", "delete", "acl", "policy", "tagging", "versioning",
        "lifecycle", "cors", "website", "replication", "encryption", "location", "list-type",
        "versions", "session", "restore", "select", "inventory", "analytics", "metrics", "logging",
        "notification", "intelligent-tiering", "ownershipControls", "attributes",
    };
    private static final int UPLOADS = bit("uploads");
    private static final int UPLOAD_ID = bit("uploadId");
    private static final int PART_NUMBER = bit("partNumber");
    private static final int DELETE = bit("delete");
    private static final int LIST_TYPE = bit("list-type");
    private static final int VERSIONS = bit("versions");
    private static final int SESSION = bit("session");
    private static final int CONFIG_WRITES = configBits();

    /** The bucket named by the request, "" when none (ListBuckets, access points). */
    public final String bucket;
    /** True when an object key follows the bucket (or the access point). */
    final boolean hasKey;
    private final int subresources;
    private final boolean accessPoint;

    private S3Request(String bucket, boolean hasKey, int subresources, boolean accessPoint) {
        this.bucket = bucket;
        this.hasKey = hasKey;
        this.subresources = subresources;
        this.accessPoint = accessPoint;
    }

    static S3Request of(RequestFacts f, HostMatch m) {
        String path = f.path();
        int subresources = subresources(f.query());
        if (m.isS3AccessPoint()) {
            return new S3Request("", path.length() > 1, subresources, true);
        }
        String hostBucket = m.bucket();
        if (!hostBucket.isEmpty()) {
            return new S3Request(hostBucket, path.length() > 1, subresources, false);
        }
        int start = path.startsWith("/") ? 1 : 0;
        int slash = path.indexOf('/', start);
        int end = slash < 0 ? path.length() : slash;
        String bucket = end > start ? Percent.decodePath(path, start, end) : "";
        boolean key = slash >= 0 && slash + 1 < path.length();
        return new S3Request(bucket == null ? "" : bucket, key, subresources, false);
    }

    /** True for a write whose body is a bucket configuration document (policy, replication…). */
    boolean isConfigurationWrite(String method) {
        return (subresources & CONFIG_WRITES) != 0 && (method.equals("PUT") || method.equals("POST"));
    }

    /** The S3 operation, e.g. {@code s3:PutObject}; "s3:&lt;METHOD&gt;" for shapes not named here. */
    String operation(String method, boolean copySource, boolean multipartForm) {
        boolean target = accessPoint || !bucket.isEmpty();
        switch (method) {
            case "GET":
                return !target ? "s3:ListBuckets" : hasKey ? get() : getBucket();
            case "HEAD":
                return !target ? "s3:HEAD" : hasKey ? "s3:HeadObject" : "s3:HeadBucket";
            case "PUT":
                return !hasKey ? (has(CONFIG_WRITES) ? "s3:PutBucketConfiguration" : "s3:CreateBucket")
                        : has(PART_NUMBER) && has(UPLOAD_ID) ? (copySource ? "s3:UploadPartCopy" : "s3:UploadPart")
                        : copySource ? "s3:CopyObject" : "s3:PutObject";
            case "POST":
                return has(UPLOADS) ? "s3:CreateMultipartUpload"
                        : has(UPLOAD_ID) ? "s3:CompleteMultipartUpload"
                        : has(DELETE) ? "s3:DeleteObjects"
                        : multipartForm ? "s3:PostObject" : "s3:POST";
            case "DELETE":
                return has(UPLOAD_ID) ? "s3:AbortMultipartUpload"
                        : hasKey ? "s3:DeleteObject" : has(CONFIG_WRITES) ? "s3:DeleteBucketConfiguration"
                        : "s3:DeleteBucket";
            default:
                return "s3:" + method;
        }
    }

    private String get() {
        return has(UPLOAD_ID) ? "s3:ListParts" : "s3:GetObject";
    }

    private String getBucket() {
        return has(SESSION) ? "s3:CreateSession"
                : has(LIST_TYPE) ? "s3:ListObjectsV2"
                : has(VERSIONS) ? "s3:ListObjectVersions"
                : has(UPLOADS) ? "s3:ListMultipartUploads"
                : has(CONFIG_WRITES) ? "s3:GetBucketConfiguration" : "s3:ListObjects";
    }

    private boolean has(int bits) {
        return (subresources & bits) != 0;
    }

    private static int subresources(String query) {
        if (query.isEmpty()) {
            return 0;
        }
        int bits = 0;
        Params p = Params.of(query);
        while (p.next()) {
            CharSequence n = p.nameSource();
            if (n != null) { // a name with a bad escape names no subresource
                bits |= bitOf(n, p.nameFrom(), p.nameTo());
            }
        }
        return bits;
    }

    /** Sub-resource names by length, so that a parameter is compared with a few names at most. */
    private static final String[][] BY_LENGTH = byLength();

    private static String[][] byLength() {
        String[][] out = new String[32][0];
        for (String s : SUBRESOURCES) {
            String[] old = out[s.length()];
            out[s.length()] = java.util.Arrays.copyOf(old, old.length + 1);
            out[s.length()][old.length] = s;
        }
        return out;
    }

    private static int bitOf(CharSequence n, int from, int to) {
        int len = to - from;
        if (len >= BY_LENGTH.length) {
            return 0;
        }
        for (String s : BY_LENGTH[len]) {
            if (Text.equals(n, from, to, s)) {
                return bit(s);
            }
        }
        return 0;
    }

    private static int bit(String name) {
        for (int i = 0; i < SUBRESOURCES.length; i++) {
            if (SUBRESOURCES[i].equals(name)) {
                return 1 << i;
            }
        }
        throw new IllegalArgumentException(name);
    }

    private static int configBits() {
        int bits = 0;
        for (String s : AwsWireFacts.S3_CONFIG_SUBRESOURCES) {
            bits |= bit(s);
        }
        return bits;
    }
}

package io.sekisho.e2e;

import static io.sekisho.e2e.FakeResponse.escape;

import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Enough of Amazon S3 (REST-XML) for the AWS CLI and SDKs to succeed: objects kept in memory,
 * PutObject (plain, {@code aws-chunked}), GetObject (with a single byte range), HeadObject,
 * ListObjectsV2/V1, ListBuckets, multipart upload, browser POST form upload, DeleteObject.
 * Response shapes follow the S3 API reference; what botocore reads is the ETag header and the
 * XML elements named here.
 */
public final class FakeS3 {

    private static final String NS = "http://s3.amazonaws.com/doc/2006-03-01/";
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final Clock clock;
    private final Map<String, StoredObject> objects = new ConcurrentSkipListMap<>();
    private final Map<String, Map<Integer, byte[]>> uploads = new ConcurrentHashMap<>();

    /** An object as stored: decoded content (never the aws-chunked framing). */
    public record StoredObject(byte[] content, String contentType, String etag, Instant lastModified) {
    }

    private record Target(String bucket, String key) {
    }

    FakeS3(Clock clock) {
        this.clock = clock;
    }

    /** Seeds an object, e.g. for a download test. */
    public void putObject(String bucket, String key, byte[] content) {
        objects.put(bucket + "/" + key, stored(content, "application/octet-stream"));
    }

    public Optional<StoredObject> object(String bucket, String key) {
        return Optional.ofNullable(objects.get(bucket + "/" + key));
    }

    FakeResponse handle(RecordedRequest request) {
        Target target = targetOf(request);
        Map<String, String> query = request.query();
        String method = request.method();
        if (target.bucket().isEmpty()) {
            return method.equals("GET") ? listBuckets() : error(400, "InvalidRequest", "no bucket");
        }
        if (target.key().isEmpty()) {
            return switch (method) {
                case "GET" -> list(target.bucket(), query);
                case "PUT", "HEAD", "DELETE" -> FakeResponse.empty(method.equals("DELETE") ? 204 : 200);
                case "POST" -> postForm(target.bucket(), request);
                default -> error(405, "MethodNotAllowed", method);
            };
        }
        return switch (method) {
            case "PUT" -> query.containsKey("uploadId") ? uploadPart(query, request) : putObject(target, request);
            case "GET" -> getObject(target, request, true);
            case "HEAD" -> getObject(target, request, false);
            case "POST" -> query.containsKey("uploads") ? createMultipart(target)
                    : query.containsKey("uploadId") ? completeMultipart(target, query.get("uploadId")) : error(400, "InvalidRequest", "POST");
            case "DELETE" -> {
                objects.remove(target.bucket() + "/" + target.key());
                yield FakeResponse.empty(204);
            }
            default -> error(405, "MethodNotAllowed", method);
        };
    }

    /** Virtual-hosted ({@code bucket.s3….amazonaws.com}) or path-style addressing. */
    private static Target targetOf(RecordedRequest request) {
        String host = request.host();
        String path = request.path();
        int s3 = Math.max(host.lastIndexOf(".s3."), host.lastIndexOf(".s3-"));
        String bucket;
        String key;
        if (s3 > 0) {
            bucket = host.substring(0, s3);
            key = path.length() > 1 ? path.substring(1) : "";
        } else {
            String rest = path.length() > 1 ? path.substring(1) : "";
            int slash = rest.indexOf('/');
            bucket = slash < 0 ? rest : rest.substring(0, slash);
            key = slash < 0 ? "" : rest.substring(slash + 1);
        }
        return new Target(decode(bucket), decode(key));
    }

    private FakeResponse putObject(Target target, RecordedRequest request) {
        if (request.header("x-amz-copy-source").isPresent()) {
            return copyObject(target, request.header("x-amz-copy-source").get());
        }
        byte[] content = AwsChunked.isAwsChunked(request) ? AwsChunked.decode(request.body()) : request.body();
        StoredObject stored = stored(content, request.header("Content-Type").orElse("binary/octet-stream"));
        objects.put(target.bucket() + "/" + target.key(), stored);
        FakeResponse response = FakeResponse.empty(200).withHeader("ETag", stored.etag());
        for (String checksum : List.of("x-amz-checksum-crc32", "x-amz-checksum-crc32c", "x-amz-checksum-sha256")) {
            // Echo the trailer/header checksum like S3 does; clients compare it when present.
            Optional<String> value = request.header(checksum).or(() -> AwsChunked.trailer(request.body(), checksum));
            if (value.isPresent()) {
                response = response.withHeader(checksum, value.get());
            }
        }
        return response.withHeader("x-amz-request-id", requestId());
    }

    private FakeResponse copyObject(Target target, String source) {
        StoredObject from = objects.get(decode(source.startsWith("/") ? source.substring(1) : source));
        if (from == null) {
            return error(404, "NoSuchKey", "The specified key does not exist.");
        }
        objects.put(target.bucket() + "/" + target.key(), from);
        return FakeResponse.xml(200, "<CopyObjectResult xmlns=\"" + NS + "\"><LastModified>" + iso(from.lastModified())
                + "</LastModified><ETag>" + escape(from.etag()) + "</ETag></CopyObjectResult>");
    }

    private FakeResponse getObject(Target target, RecordedRequest request, boolean withBody) {
        StoredObject object = objects.get(target.bucket() + "/" + target.key());
        if (object == null) {
            return withBody ? error(404, "NoSuchKey", "The specified key does not exist.") : FakeResponse.empty(404);
        }
        byte[] content = object.content();
        String range = request.header("Range").orElse("");
        FakeResponse response;
        if (withBody && range.startsWith("bytes=") && !range.contains(",")) {
            String[] bounds = range.substring(6).split("-", 2);
            int from = Integer.parseInt(bounds[0]);
            int to = bounds[1].isEmpty() ? content.length - 1 : Math.min(Integer.parseInt(bounds[1]), content.length - 1);
            byte[] slice = Arrays.copyOfRange(content, from, to + 1);
            response = new FakeResponse(206, List.of(Map.entry("Content-Range",
                    "bytes " + from + "-" + to + "/" + content.length)), slice);
        } else {
            response = new FakeResponse(200, List.of(), withBody ? content : new byte[0]);
            if (!withBody) {
                response = response.withHeader("Content-Length", String.valueOf(content.length));
            }
        }
        return response.withHeader("Content-Type", object.contentType()).withHeader("ETag", object.etag())
                .withHeader("Last-Modified", HTTP_DATE.format(object.lastModified()))
                .withHeader("Accept-Ranges", "bytes").withHeader("x-amz-request-id", requestId());
    }

    private FakeResponse list(String bucket, Map<String, String> query) {
        String prefix = query.getOrDefault("prefix", "");
        String delimiter = query.getOrDefault("delimiter", "");
        boolean v2 = "2".equals(query.get("list-type"));
        StringBuilder contents = new StringBuilder();
        TreeMap<String, Boolean> commonPrefixes = new TreeMap<>();
        int count = 0;
        for (Map.Entry<String, StoredObject> entry : objects.entrySet()) {
            if (!entry.getKey().startsWith(bucket + "/")) {
                continue;
            }
            String key = entry.getKey().substring(bucket.length() + 1);
            if (!key.startsWith(prefix)) {
                continue;
            }
            int cut = delimiter.isEmpty() ? -1 : key.indexOf(delimiter, prefix.length());
            if (cut >= 0) {
                commonPrefixes.put(key.substring(0, cut + delimiter.length()), true);
                continue;
            }
            StoredObject object = entry.getValue();
            contents.append("<Contents><Key>").append(escape(key)).append("</Key><LastModified>")
                    .append(iso(object.lastModified())).append("</LastModified><ETag>").append(escape(object.etag()))
                    .append("</ETag><Size>").append(object.content().length)
                    .append("</Size><StorageClass>STANDARD</StorageClass></Contents>");
            count++;
        }
        commonPrefixes.keySet().forEach(p -> contents.append("<CommonPrefixes><Prefix>").append(escape(p))
                .append("</Prefix></CommonPrefixes>"));
        return FakeResponse.xml(200, "<ListBucketResult xmlns=\"" + NS + "\"><Name>" + escape(bucket) + "</Name><Prefix>"
                + escape(prefix) + "</Prefix>" + (v2 ? "<KeyCount>" + (count + commonPrefixes.size()) + "</KeyCount>" : "<Marker></Marker>")
                + "<MaxKeys>1000</MaxKeys>" + (delimiter.isEmpty() ? "" : "<Delimiter>" + escape(delimiter) + "</Delimiter>")
                + "<IsTruncated>false</IsTruncated>" + contents + "</ListBucketResult>");
    }

    private FakeResponse listBuckets() {
        StringBuilder buckets = new StringBuilder();
        objects.keySet().stream().map(k -> k.substring(0, k.indexOf('/'))).distinct().forEach(b -> buckets
                .append("<Bucket><Name>").append(escape(b)).append("</Name><CreationDate>")
                .append(iso(clock.instant())).append("</CreationDate></Bucket>"));
        return FakeResponse.xml(200, "<ListAllMyBucketsResult xmlns=\"" + NS + "\"><Owner><ID>fake-owner</ID>"
                + "<DisplayName>sekisho-e2e</DisplayName></Owner><Buckets>" + buckets + "</Buckets></ListAllMyBucketsResult>");
    }

    private FakeResponse createMultipart(Target target) {
        String uploadId = UUID.randomUUID().toString().replace("-", "");
        uploads.put(uploadId, new ConcurrentSkipListMap<>());
        return FakeResponse.xml(200, "<InitiateMultipartUploadResult xmlns=\"" + NS + "\"><Bucket>" + escape(target.bucket())
                + "</Bucket><Key>" + escape(target.key()) + "</Key><UploadId>" + uploadId + "</UploadId></InitiateMultipartUploadResult>");
    }

    private FakeResponse uploadPart(Map<String, String> query, RecordedRequest request) {
        Map<Integer, byte[]> parts = uploads.get(query.get("uploadId"));
        if (parts == null) {
            return error(404, "NoSuchUpload", "The specified upload does not exist.");
        }
        byte[] content = AwsChunked.isAwsChunked(request) ? AwsChunked.decode(request.body()) : request.body();
        parts.put(Integer.parseInt(query.getOrDefault("partNumber", "1")), content);
        return FakeResponse.empty(200).withHeader("ETag", etag(content));
    }

    private FakeResponse completeMultipart(Target target, String uploadId) {
        Map<Integer, byte[]> parts = uploads.remove(uploadId);
        if (parts == null) {
            return error(404, "NoSuchUpload", "The specified upload does not exist.");
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        parts.values().forEach(all::writeBytes);
        StoredObject stored = stored(all.toByteArray(), "binary/octet-stream");
        String etag = "\"" + stored.etag().replace("\"", "") + "-" + parts.size() + "\"";
        objects.put(target.bucket() + "/" + target.key(), new StoredObject(stored.content(), stored.contentType(), etag,
                stored.lastModified()));
        return FakeResponse.xml(200, "<CompleteMultipartUploadResult xmlns=\"" + NS + "\"><Location>https://" + escape(target.bucket())
                + ".s3.amazonaws.com/" + escape(target.key()) + "</Location><Bucket>" + escape(target.bucket()) + "</Bucket><Key>"
                + escape(target.key()) + "</Key><ETag>" + escape(etag) + "</ETag></CompleteMultipartUploadResult>");
    }

    /** Browser POST upload (S3 "POST Object"): stores the file part; 204 unless success_action_status says otherwise. */
    private FakeResponse postForm(String bucket, RecordedRequest request) {
        Map<String, MultipartForm.Part> form = MultipartForm.parse(request);
        MultipartForm.Part key = form.get("key");
        MultipartForm.Part file = form.get("file");
        if (key == null || file == null) {
            return error(400, "InvalidArgument", "POST requires key and file fields");
        }
        String name = key.text().replace("${filename}", file.filename() == null ? "file" : file.filename());
        StoredObject stored = stored(file.content(), file.contentType() == null ? "binary/octet-stream" : file.contentType());
        objects.put(bucket + "/" + name, stored);
        String status = form.containsKey("success_action_status") ? form.get("success_action_status").text() : "204";
        int code = status.equals("200") || status.equals("201") ? Integer.parseInt(status) : 204;
        return FakeResponse.empty(code).withHeader("ETag", stored.etag())
                .withHeader("Location", "https://" + bucket + ".s3.amazonaws.com/" + name);
    }

    private StoredObject stored(byte[] content, String contentType) {
        return new StoredObject(content, contentType, etag(content), clock.instant());
    }

    static FakeResponse error(int status, String code, String message) {
        return FakeResponse.xml(status, "<Error><Code>" + code + "</Code><Message>" + escape(message)
                + "</Message><RequestId>" + requestId() + "</RequestId></Error>");
    }

    private static String etag(byte[] content) {
        try {
            return "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content)) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String iso(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    }

    private static String requestId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase(Locale.ROOT);
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}

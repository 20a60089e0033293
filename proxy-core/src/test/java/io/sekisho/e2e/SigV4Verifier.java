package io.sekisho.e2e;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Recomputes the SigV4 signature of a recorded request with the signer's secret key (the fixture
 * identities' secrets are known). A valid signature at the origin proves what the e2e tests must
 * show for allowed calls: method, path, query, every signed header and the payload hash arrived
 * exactly as the client signed them, whatever the proxy did in between.
 *
 * <p>Follows "Create a canonical request for Signature Version 4" (AWS IAM User Guide): S3 paths
 * are used as sent, other services' paths are encoded once more; query parameters are
 * re-encoded per RFC 3986 and sorted; header values are trimmed and inner whitespace collapsed.
 * Presigned (query) requests are verified too; SigV4a and SigV2 are not.
 */
public final class SigV4Verifier {

    /** Outcome with the material needed to see why a signature did not match. */
    public record Result(boolean valid, String expectedSignature, String actualSignature, String canonicalRequest) {
        @Override
        public String toString() {
            return (valid ? "valid" : "INVALID") + " signature; canonical request:\n" + canonicalRequest;
        }
    }

    private SigV4Verifier() {
    }

    public static Result verify(RecordedRequest request, String secretAccessKey) {
        String authorization = request.header("Authorization").orElse("");
        boolean presigned = authorization.isEmpty();
        Map<String, String> fields = presigned ? presignedFields(request) : authorizationFields(authorization);
        String[] scope = fields.get("Credential").split("/", 2)[1].split("/");
        String amzDate = presigned ? request.query().get("X-Amz-Date") : request.header("X-Amz-Date").orElse("");
        List<String> signedHeaders = List.of(fields.get("SignedHeaders").split(";"));
        String canonical = request.method() + "\n" + canonicalUri(request.path(), scope[2]) + "\n"
                + canonicalQuery(request.rawQuery(), presigned) + "\n" + canonicalHeaders(request, signedHeaders) + "\n"
                + String.join(";", signedHeaders) + "\n" + payloadHash(request, scope[2], presigned);
        String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + String.join("/", scope) + "\n" + sha256Hex(canonical.getBytes(StandardCharsets.UTF_8));
        byte[] key = ("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8);
        for (String part : scope) {
            key = hmac(key, part);
        }
        String expected = HexFormat.of().formatHex(hmac(key, stringToSign));
        String actual = fields.get("Signature");
        return new Result(expected.equals(actual), expected, actual, canonical);
    }

    private static Map<String, String> authorizationFields(String authorization) {
        if (!authorization.startsWith("AWS4-HMAC-SHA256 ")) {
            throw new IllegalArgumentException("not a SigV4 Authorization header");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String part : authorization.substring("AWS4-HMAC-SHA256 ".length()).split(",")) {
            String[] kv = part.trim().split("=", 2);
            fields.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        return fields;
    }

    private static Map<String, String> presignedFields(RecordedRequest request) {
        Map<String, String> query = request.query();
        if (!"AWS4-HMAC-SHA256".equals(query.get("X-Amz-Algorithm"))) {
            throw new IllegalArgumentException("neither a SigV4 header nor a SigV4 presigned query");
        }
        return Map.of("Credential", query.get("X-Amz-Credential"), "SignedHeaders", query.get("X-Amz-SignedHeaders"),
                "Signature", query.get("X-Amz-Signature"));
    }

    private static String canonicalUri(String path, String service) {
        String uri = path.isEmpty() ? "/" : path;
        // S3 signs the path as sent; every other service signs the already-encoded path encoded again.
        return service.equals("s3") ? uri : encode(uri, false);
    }

    private static String canonicalQuery(String rawQuery, boolean presigned) {
        TreeMap<String, List<String>> sorted = new TreeMap<>();
        for (String pair : rawQuery.isEmpty() ? new String[0] : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = encode(percentDecode(eq < 0 ? pair : pair.substring(0, eq)), true);
            String value = encode(percentDecode(eq < 0 ? "" : pair.substring(eq + 1)), true);
            if (!(presigned && name.equals("X-Amz-Signature"))) {
                sorted.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            }
        }
        List<String> parts = new ArrayList<>();
        sorted.forEach((name, values) -> values.stream().sorted().forEach(v -> parts.add(name + "=" + v)));
        return String.join("&", parts);
    }

    private static String canonicalHeaders(RecordedRequest request, List<String> signedHeaders) {
        StringBuilder out = new StringBuilder();
        for (String name : signedHeaders) {
            List<String> values = request.headers(name).stream().map(v -> v.trim().replaceAll("\\s+", " ")).toList();
            out.append(name).append(':').append(String.join(",", values)).append('\n');
        }
        return out.toString();
    }

    private static String payloadHash(RecordedRequest request, String service, boolean presigned) {
        return request.header("x-amz-content-sha256")
                .orElseGet(() -> presigned && service.equals("s3") ? "UNSIGNED-PAYLOAD" : sha256Hex(request.body()));
    }

    /** RFC 3986 unreserved characters stay; everything else is %XX (upper case); '/' kept in paths. */
    private static String encode(String text, boolean encodeSlash) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~' || (c == '/' && !encodeSlash)) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xFF));
            }
        }
        return out.toString();
    }

    /** Percent-decoding that, unlike form decoding, leaves '+' alone. */
    private static String percentDecode(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < text.length()) {
                out.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

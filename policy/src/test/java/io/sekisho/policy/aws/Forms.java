package io.sekisho.policy.aws;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Test bodies and tokens built the way the AWS clients build them. */
public final class Forms {
    public static final String BOUNDARY = "------------------------801397dacfda4516";
    public static final String CONTENT_TYPE = "multipart/form-data; boundary=" + BOUNDARY;
    public static final String CORP = "AKIARTX3GSDST3HFSG5Y";
    public static final String CORP_TEMP = "ASIARTX3GSDS4GCQ34AW";
    public static final String CORP2 = "AKIAWO645SY5PYZFPQLB";
    public static final String FOREIGN = "AKIA6RU73QDQRHBTHXS4";
    public static final String FOREIGN_TEMP = "ASIA6RU73QDQ3B36GCJB";
    public static final String OLD = "AKIAIOSFODNN7EXAMPLE";

    private Forms() {
    }

    /** A multipart body of name/value fields; a field named "file" gets a filename and content. */
    public static String multipart(String... nameValues) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < nameValues.length; i += 2) {
            b.append("--").append(BOUNDARY).append("\r\n");
            if (nameValues[i].equals("file")) {
                b.append("Content-Disposition: form-data; name=\"file\"; filename=\"f.txt\"\r\n")
                        .append("Content-Type: text/plain\r\n\r\n");
            } else {
                b.append("Content-Disposition: form-data; name=\"").append(nameValues[i]).append("\"\r\n\r\n");
            }
            b.append(nameValues[i + 1]).append("\r\n");
        }
        return b.append("--").append(BOUNDARY).append("--\r\n").toString();
    }

    public static String scope(String key, String region, String service) {
        return key + "/20261122/" + region + "/" + service + "/aws4_request";
    }

    public static String sigv4(String key, String region, String service) {
        return "AWS4-HMAC-SHA256 Credential=" + scope(key, region, service)
                + ", SignedHeaders=host;x-amz-date, Signature=" + "ab".repeat(32);
    }

    public static String presignedQuery(String key, String region, String service) {
        return "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" + key + "%2F20261122%2F" + region + "%2F" + service
                + "%2Faws4_request&X-Amz-Date=20261122T140332Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host"
                + "&X-Amz-Signature=" + "cd".repeat(32);
    }

    public static String bedrockShortTermKey(String key) {
        String url = "bedrock.amazonaws.com/?Action=CallWithBearerToken&" + presignedQuery(key, "us-east-1", "bedrock")
                + "&Version=1";
        return "bedrock-api-key-" + Base64.getEncoder().encodeToString(url.getBytes(StandardCharsets.ISO_8859_1));
    }

    public static String eksToken(String key) {
        String url = "https://sts.us-west-2.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15&"
                + presignedQuery(key, "us-west-2", "sts") + "&X-Amz-Security-Token=IQoJb3JpZ2luX2VjEXAMPLE";
        return "k8s-aws-v1." + Base64.getUrlEncoder().withoutPadding().encodeToString(url.getBytes(StandardCharsets.ISO_8859_1));
    }

    public static String bedrockLongTermKey(String account) {
        String raw = "BedrockAPIKey-abcd1234-at-" + account + ":c2VjcmV0c2VjcmV0c2VjcmV0";
        return "ABSK" + Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.ISO_8859_1));
    }
}

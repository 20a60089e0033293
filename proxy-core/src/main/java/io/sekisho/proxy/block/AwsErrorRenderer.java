package io.sekisho.proxy.block;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.sekisho.policy.AwsProtocol;
import io.sekisho.policy.Nullable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A denied AWS API call answered in the error dialect its client parses, so that {@code aws},
 * boto3 and the SDKs print "AccessDenied" and Sekisho's message instead of a parse failure
 * (DESIGN.md "Behaviour users rely on"; issue 4 point 8). The shapes are those AWS documents for
 * each protocol: S3 "Error Responses" (REST-XML), the awsJson1_0/1_1 and restJson1 error
 * serialisation ({@code __type} and {@code x-amzn-ErrorType}), and the Query protocol's
 * {@code ErrorResponse} (EC2 uses its own {@code Response/Errors} form).
 *
 * <p>Only policy denials (403) are rendered here: a 502 or 504 in an AWS dialect would name an
 * error code the client may retry on or misreport, so those stay plain text.
 */
public final class AwsErrorRenderer implements BlockRenderer {
    public static final AwsErrorRenderer INSTANCE = new AwsErrorRenderer();

    static final String CODE = "AccessDenied";
    static final String JSON_TYPE = "AccessDeniedException";
    /** botocore, the SDKs and the Query protocol ignore the namespace; STS answers with this one. */
    static final String STS_NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";

    private AwsErrorRenderer() {
    }

    @Override
    public @Nullable Body render(BlockContext c) {
        if (c.connect() || c.protocol() == AwsProtocol.NONE || !c.status().equals(HttpResponseStatus.FORBIDDEN)) {
            return null;
        }
        String message = BlockReasons.awsMessage(c);
        switch (c.protocol()) {
            case REST_XML:
                return restXml(message, c.requestId());
            case JSON:
                return json(message, c.requestId(), c.requestContentType());
            case QUERY:
                return "ec2".equals(c.decision().evidence().service())
                        ? ec2(message, c.requestId())
                        : query(message, c.requestId(), c.decision().evidence().service());
            default:
                return null;
        }
    }

    private static Body restXml(String message, String requestId) {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + CODE + "</Code><Message>"
                + Markup.xml(message) + "</Message><RequestId>" + Markup.xml(requestId)
                + "</RequestId><HostId>sekisho</HostId></Error>";
        return new Body("application/xml", utf8(xml), List.of(Map.entry("x-amz-request-id", requestId)));
    }

    private static Body json(String message, String requestId, String requestContentType) {
        String json = "{\"__type\":\"" + JSON_TYPE + "\",\"message\":\"" + Markup.json(message) + "\"}";
        return new Body(jsonMediaType(requestContentType), utf8(json), List.of(
                Map.entry("x-amzn-ErrorType", JSON_TYPE), Map.entry("x-amzn-RequestId", requestId)));
    }

    /** awsJson services answer in the version the client sent; restJson1 (and unknown) is plain JSON. */
    static String jsonMediaType(String requestContentType) {
        String t = requestContentType.toLowerCase(Locale.ROOT);
        if (t.startsWith("application/x-amz-json-1.0")) {
            return "application/x-amz-json-1.0";
        }
        if (t.startsWith("application/x-amz-json-1.1")) {
            return "application/x-amz-json-1.1";
        }
        return "application/json";
    }

    private static Body query(String message, String requestId, String service) {
        String ns = "sts".equals(service) || service.isEmpty() ? " xmlns=\"" + STS_NAMESPACE + "\"" : "";
        String xml = "<ErrorResponse" + ns + "><Error><Type>Sender</Type><Code>" + CODE + "</Code><Message>"
                + Markup.xml(message) + "</Message></Error><RequestId>" + Markup.xml(requestId)
                + "</RequestId></ErrorResponse>";
        return new Body("text/xml", utf8(xml), List.of(Map.entry("x-amzn-RequestId", requestId)));
    }

    private static Body ec2(String message, String requestId) {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error><Code>" + CODE
                + "</Code><Message>" + Markup.xml(message) + "</Message></Error></Errors><RequestID>"
                + Markup.xml(requestId) + "</RequestID></Response>";
        return new Body("text/xml", utf8(xml), List.of(Map.entry("x-amzn-RequestId", requestId)));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

package io.sekisho.e2e;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.UUID;

/**
 * AWS JSON-protocol services ({@code X-Amz-Target: Service.Operation}). SQS answers SendMessage
 * and GetQueueUrl properly (the AWS CLI v1 1.45 and SDK v2 speak JSON to SQS, see the corpus
 * fixtures {@code awscli-v1/sqs-send-message--01.json}); any other target gets {@code {}}, which
 * every generated client parses as an empty output.
 */
final class FakeJsonApis {

    private static final ObjectMapper JSON = new ObjectMapper();

    FakeResponse handle(RecordedRequest request) {
        String target = request.header("X-Amz-Target").orElse("");
        String contentType = request.header("Content-Type").orElse("application/x-amz-json-1.1");
        JsonNode input;
        try {
            input = request.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(request.body());
        } catch (java.io.IOException e) {
            return error(contentType, "SerializationException", "body is not JSON");
        }
        ObjectNode output = JSON.createObjectNode();
        switch (target) {
            case "AmazonSQS.SendMessage" -> {
                // SDKs check this digest of the message body (SDK v2 MessageMD5ChecksumInterceptor).
                output.put("MD5OfMessageBody", FakeQueryApis.md5Hex(input.path("MessageBody").asText()));
                output.put("MessageId", UUID.randomUUID().toString());
            }
            case "AmazonSQS.GetQueueUrl" -> {
                String owner = input.path("QueueOwnerAWSAccountId").asText(
                        request.accessKeyId().flatMap(AwsIdentities::accountOf).orElse("000000000000"));
                output.put("QueueUrl", "https://sqs.us-east-1.amazonaws.com/" + owner + "/" + input.path("QueueName").asText());
            }
            default -> { }
        }
        return respond(contentType, output);
    }

    private static FakeResponse respond(String contentType, ObjectNode output) {
        try {
            return FakeResponse.json(200, contentType, JSON.writeValueAsString(output))
                    .withHeader("x-amzn-RequestId", UUID.randomUUID().toString());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static FakeResponse error(String contentType, String type, String message) {
        return FakeResponse.json(400, contentType, "{\"__type\":\"" + type + "\",\"message\":" + FakeResponse.jsonString(message) + "}");
    }
}

package io.sekisho.e2e;

import static io.sekisho.e2e.FakeResponse.escape;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

/**
 * AWS Query-protocol services ({@code Action=…} in a form body or the query): STS and SQS with
 * real-looking results, EC2's dialect (no {@code …Result} wrapper, {@code requestId} element), and
 * an empty {@code <ActionResult/>} for any other action so a client's parser still succeeds.
 */
final class FakeQueryApis {

    private static final String STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/";
    private static final String EC2_NS = "http://ec2.amazonaws.com/doc/2016-11-15/";
    private static final Duration SESSION = Duration.ofHours(1);

    private final Clock clock;

    FakeQueryApis(Clock clock) {
        this.clock = clock;
    }

    FakeResponse handle(RecordedRequest request) {
        Map<String, String> params = request.parameters();
        String action = params.get("Action");
        if (action == null) {
            return error("MissingAction", "The request must contain the parameter Action.");
        }
        String service = FakeAwsOrigin.serviceOf(request);
        if (service.equals("ec2")) {
            return FakeResponse.xml(200, "<" + action + "Response xmlns=\"" + EC2_NS + "\"><requestId>" + requestId()
                    + "</requestId><return>true</return></" + action + "Response>");
        }
        String caller = request.accessKeyId().flatMap(AwsIdentities::accountOf).orElse("000000000000");
        return switch (action) {
            case "GetCallerIdentity" -> sts(action, "<Arn>" + callerArn(request, caller) + "</Arn><UserId>AIDAFAKEE2EUSER</UserId><Account>"
                    + caller + "</Account>");
            case "GetAccessKeyInfo" -> sts(action, "<Account>" + caller + "</Account>");
            case "AssumeRole" -> assumeRole(params);
            case "GetSessionToken" -> sts(action, credentials(AwsIdentities.identity("ASIA", caller, "session-token")));
            case "SendMessage" -> sendMessage(params);
            default -> FakeResponse.xml(200, "<" + action + "Response xmlns=\"https://" + service + ".amazonaws.com/doc/\"><"
                    + action + "Result/>" + metadata() + "</" + action + "Response>");
        };
    }

    private FakeResponse assumeRole(Map<String, String> params) {
        String roleArn = params.getOrDefault("RoleArn", "");
        String[] arn = roleArn.split(":", 6);
        if (arn.length < 6 || !arn[4].matches("\\d{12}")) {
            return error("ValidationError", "RoleArn is not a role ARN");
        }
        String role = arn[5].substring(arn[5].lastIndexOf('/') + 1);
        String session = params.getOrDefault("RoleSessionName", "session");
        AwsIdentities.Identity issued = AwsIdentities.identity("ASIA", arn[4], "assumed-role");
        return sts("AssumeRole", credentials(issued) + "<AssumedRoleUser><AssumedRoleId>AROAFAKEE2EROLE:" + escape(session)
                + "</AssumedRoleId><Arn>arn:aws:sts::" + arn[4] + ":assumed-role/" + escape(role) + "/" + escape(session)
                + "</Arn></AssumedRoleUser>");
    }

    private String credentials(AwsIdentities.Identity identity) {
        String expiration = DateTimeFormatter.ISO_INSTANT.format(clock.instant().plus(SESSION).truncatedTo(ChronoUnit.SECONDS));
        return "<Credentials><AccessKeyId>" + identity.accessKeyId() + "</AccessKeyId><SecretAccessKey>"
                + identity.secretAccessKey() + "</SecretAccessKey><SessionToken>" + identity.sessionToken()
                + "</SessionToken><Expiration>" + expiration + "</Expiration></Credentials>";
    }

    /** SQS over the Query protocol (older SDKs); clients verify MD5OfMessageBody. */
    private static FakeResponse sendMessage(Map<String, String> params) {
        String body = params.getOrDefault("MessageBody", "");
        return FakeResponse.xml(200, "<SendMessageResponse xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\"><SendMessageResult>"
                + "<MD5OfMessageBody>" + md5Hex(body) + "</MD5OfMessageBody><MessageId>" + UUID.randomUUID()
                + "</MessageId></SendMessageResult>" + metadata() + "</SendMessageResponse>");
    }

    private static String callerArn(RecordedRequest request, String account) {
        boolean temporary = request.accessKeyId().orElse("").startsWith("ASIA");
        return temporary ? "arn:aws:sts::" + account + ":assumed-role/sekisho-e2e/session"
                : "arn:aws:iam::" + account + ":user/sekisho-e2e";
    }

    private static FakeResponse sts(String action, String result) {
        return FakeResponse.xml(200, "<" + action + "Response xmlns=\"" + STS_NS + "\"><" + action + "Result>" + result
                + "</" + action + "Result>" + metadata() + "</" + action + "Response>");
    }

    private static FakeResponse error(String code, String message) {
        return FakeResponse.xml(400, "<ErrorResponse xmlns=\"" + STS_NS + "\"><Error><Type>Sender</Type><Code>" + code
                + "</Code><Message>" + escape(message) + "</Message></Error><RequestId>" + requestId() + "</RequestId></ErrorResponse>");
    }

    private static String metadata() {
        return "<ResponseMetadata><RequestId>" + requestId() + "</RequestId></ResponseMetadata>";
    }

    static String md5Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String requestId() {
        return UUID.randomUUID().toString();
    }
}

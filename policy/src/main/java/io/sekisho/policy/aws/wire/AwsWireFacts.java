package io.sekisho.policy.aws.wire;

import java.util.List;
import java.util.Set;

/**
 * Every fact about AWS's wire formats that the inspection relies on and that is not plain
 * protocol grammar, in one place, each with its reference in docs/aws-wire-facts.md (§ and
 * R-number) and its confidence: [CS] read in SDK source, [DOC] documented, [INF] inferred — a
 * hypothesis to correct here if AWS proves it wrong. Host name patterns live in
 * host-catalog.txt under the same rule.
 */
public final class AwsWireFacts {
    private AwsWireFacts() {
    }

    // --- access key IDs (§2) -------------------------------------------------------------

    /** Key IDs are a 4-letter type prefix + 16 base32 characters (§2.1, R17). [INF] */
    public static final int KEY_ID_LENGTH = 20;
    public static final int KEY_PREFIX_LENGTH = 4;
    /** RFC 4648 base32 alphabet; 0, 1, 8 and 9 never appear in key IDs (§2.1, R17). [INF] */
    public static final String BASE32_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    /**
     * New-generation keys have bit 47 of the decoded 48-bit head set, i.e. the 5th character's
     * base32 value is at least 16 (Q–Z, 2–7); older keys (A–P) carry no account (§2.1–2.2, R18). [INF]
     */
    public static final int NEW_FORMAT_MIN_BASE32_VALUE = 16;
    /** account = (head48 &amp; mask) &gt;&gt;&gt; 7 (§2.1, R13–R16). [CS] */
    public static final long ACCOUNT_MASK = 0x7FFF_FFFF_FF80L;
    public static final int ACCOUNT_SHIFT = 7;
    /** AKIA long-term user key, ASIA temporary STS key (§2.2, R19). [DOC] */
    public static final String LONG_TERM_PREFIX = "AKIA";
    public static final String TEMPORARY_PREFIX = "ASIA";

    // --- credential carriers (§1) ---------------------------------------------------------

    public static final String SIGV4_ALGORITHM = "AWS4-HMAC-SHA256";
    public static final String SIGV4A_ALGORITHM = "AWS4-ECDSA-P256-SHA256";
    /** The last element of every SigV4 credential scope (§1.1, R1, R10). [CS] */
    public static final String SCOPE_TERMINATOR = "aws4_request";
    /** SigV3 header and its schemes (§1.6, R1 SigV3Auth). [CS] */
    public static final String SIGV3_HEADER = "X-Amzn-Authorization";
    /** The header of SigV4, SigV4a, SigV2 and bearer credentials (§1.1–1.8). [CS] */
    public static final String AUTHORIZATION = "Authorization";
    /** Identity Center's portal API bearer token, which names no key (§3.4). [CS] */
    public static final String SSO_BEARER_HEADER = "x-amz-sso_bearer_token";
    /** Bedrock short-term key: prefix + base64(presigned URL) (§1.8, R23, R24). [CS] */
    public static final String BEDROCK_SHORT_TERM_PREFIX = "bedrock-api-key-";
    /** EKS token: prefix + base64url(presigned STS GetCallerIdentity URL) (§1.2, R14). [CS] */
    public static final String EKS_TOKEN_PREFIX = "k8s-aws-v1.";
    /**
     * Bedrock long-term key: "ABSK" + base64("BedrockAPIKey-&lt;id&gt;-at-&lt;account&gt;:&lt;secret&gt;"),
     * i.e. the account is in clear text (§1.8, from public sample code). [INF]
     */
    public static final String BEDROCK_LONG_TERM_PREFIX = "ABSK";
    public static final String BEDROCK_LONG_TERM_ACCOUNT_MARKER = "-at-";

    /**
     * S3 POST form: the file must be the last field and fields after it are ignored, so every
     * credential field precedes the file bytes (§1.7, R20, R21 [DOC]); the proxy therefore
     * decides on the fields before the file part and streams the rest. [INF]
     */
    public static final String POST_FORM_FILE_FIELD = "file";
    /** The form without the file is at most 20 KB (§1.7, R20) [DOC]; plus multipart framing. */
    public static final int POST_FORM_PREFIX_BYTES = 24 * 1024;

    // --- unsigned operations judged on their own evidence (§1.10) --------------------------

    /** STS operations with authtype none; the target is RoleArn (§1.10, §5.1, R8). [CS] */
    public static final Set<String> UNSIGNED_STS_ACTIONS = Set.of("AssumeRoleWithWebIdentity", "AssumeRoleWithSAML");
    /**
     * Cognito Identity operations that are unsigned (§1.10, R9). Keys they hand out are checked
     * when used. Cognito user-pool operations are not listed: an unsigned write to a user pool is
     * an anonymous write. [CS]/[INF]
     */
    public static final Set<String> UNSIGNED_COGNITO_IDENTITY_TARGETS = Set.of(
            "AWSCognitoIdentityService.GetId",
            "AWSCognitoIdentityService.GetCredentialsForIdentity",
            "AWSCognitoIdentityService.GetOpenIdToken");

    // --- resource-account evidence (§5) -----------------------------------------------------

    /** ARN partitions (R2). [CS] */
    public static final Set<String> ARN_PARTITIONS = Set.of(
            "aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc");

    /**
     * Field names whose value (a string, or each string of a list) is an account ID when it is
     * twelve digits: sharing calls (§5.2), policy principals ("AWS"), Cognito GetId, SQS
     * GetQueueUrl, S3 replication/inventory destinations, ECR registryId, CodeArtifact
     * domain-owner (R9). Matched on JSON keys, query/form parameter name parts and XML elements.
     * [CS]/[INF] for policy documents.
     */
    public static final Set<String> ACCOUNT_FIELDS = Set.of(
            "UserId", "ValuesToAdd", "AccountWithRestoreAccess", "AccountIdsToAdd",
            "AWSAccountIds", "AWSAccountId", "Principal", "SourceAccount", "principals", "principal",
            "GranteePrincipal", "RetiringPrincipal", "AWS", "AccountId", "accountId",
            "QueueOwnerAWSAccountId", "registryId", "domainOwner", "domain-owner", "Account",
            "ExpectedBucketOwner", "ExpectedSourceBucketOwner", "TargetAccountId", "DestinationAccountId",
            "TargetPrincipal",
            // policy condition keys that grant by account [INF]
            "aws:PrincipalAccount", "aws:SourceAccount", "aws:SourceOwner", "aws:ResourceAccount",
            "kms:CallerAccount");

    /**
     * Values of sharing fields that mean "everyone": EC2 Group=all, RDS ValuesToAdd=all, SSM
     * AccountIdsToAdd=All (§5.2, R9). Reported as the resource account "*", never allowed. [CS]
     */
    public static final String PUBLIC_SHARE_VALUE = "all";
    public static final Set<String> PUBLIC_SHARE_FIELDS =
            Set.of("Group", "UserGroup", "ValuesToAdd", "AccountIdsToAdd");
    /**
     * S3 access control that opens an object or bucket to everyone (R4: x-amz-acl canned ACLs,
     * x-amz-grant-* headers, ACL documents): reported as the resource account "*". [CS]/[INF]
     */
    public static final Set<String> PUBLIC_CANNED_ACLS =
            Set.of("public-read", "public-read-write", "authenticated-read");
    public static final String GRANT_HEADER_PREFIX = "x-amz-grant-";
    public static final String CANNED_ACL_HEADER = "x-amz-acl";
    public static final java.util.List<String> PUBLIC_GRANTEE_GROUPS = java.util.List.of(
            "acs.amazonaws.com/groups/global/AllUsers", "acs.amazonaws.com/groups/global/AuthenticatedUsers");

    /** Name parts that mark the removal side of a sharing call: not evidence (R9). [CS] */
    public static final Set<String> REMOVAL_FIELDS = Set.of(
            "Remove", "ValuesToRemove", "AccountIdsToRemove", "RemoveUserIds");

    /**
     * Fields that carry the caller's data, not resource names: scanning them would turn data
     * (a log line, an item, a message) into evidence. Their values are skipped entirely (§5,
     * issue 4 point 4). [INF]
     */
    public static final Set<String> PAYLOAD_FIELDS = Set.of(
            "MessageBody", "Message", "Subject", "MessageAttributes", "MessageAttribute",
            "MessageSystemAttributes", "Item", "Items", "Key", "ExpressionAttributeValues",
            "Data", "logEvents", "message", "Detail", "Payload", "payload", "SecretString",
            "SecretBinary", "Plaintext", "CiphertextBlob", "Blob");

    /** Fields holding an SQS queue URL whose path starts with the owner account (§5.1, R9). [CS] */
    public static final Set<String> QUEUE_URL_FIELDS = Set.of("QueueUrl", "queueUrl");

    // --- request bodies: content codings and trailers (§1.4, issue 18 point 3) ---------------

    /**
     * The SigV4 streaming content coding: {@code hex-size[;chunk-signature=sig]\r\n data \r\n}
     * … {@code 0[;chunk-signature=sig]\r\n}, trailer lines {@code name:value\r\n}, then
     * {@code \r\n} (§1.4, R21 sigv4-streaming and sigv4-streaming-trailers; corpus
     * s3api-put-object-crc32). Its name is compared ignoring case. [DOC]
     */
    public static final String AWS_CHUNKED = "aws-chunked";
    /** The payload length inside an aws-chunked body, checked against the chunks (R21). [DOC] */
    public static final String DECODED_CONTENT_LENGTH = "x-amz-decoded-content-length";
    /** The only chunk extension SigV4 streaming defines (R21); SigV4a pads it with '*' (R22). [DOC] */
    public static final String CHUNK_SIGNATURE_EXTENSION = "chunk-signature";
    /** X-Amz-Content-SHA256 values that announce an aws-chunked body (§1.4, R1, R10). [CS] */
    public static final String STREAMING_PAYLOAD_PREFIX = "STREAMING-";
    /** Flexible checksums sent as trailers: x-amz-checksum-crc32, -crc32c, -crc64nvme, -sha1, -sha256 (R4). [CS] */
    public static final String CHECKSUM_TRAILER_PREFIX = "x-amz-checksum-";
    /** The signature of the trailers of a signed aws-chunked body (R21 sigv4-streaming-trailers). [DOC] */
    public static final String TRAILER_SIGNATURE = "x-amz-trailer-signature";
    /** Trailer names that carry a credential or a session: never allowed as trailers. */
    public static final Set<String> CREDENTIAL_TRAILERS = Set.of(
            "authorization", "proxy-authorization", "x-amzn-authorization", "x-amz-security-token",
            "x-amz-s3session-token", "x-amz-sso_bearer_token");
    /** Any trailer whose name starts so (x-amz-credential, x-amz-credential-…) names a credential. */
    public static final String CREDENTIAL_TRAILER_PREFIX = "x-amz-credential";

    /** Lambda partial ARN "&lt;account&gt;:function:&lt;name&gt;" as a FunctionName (§5.1, R9). [CS] */
    public static final String LAMBDA_FUNCTIONS_SEGMENT = "/functions/";
    public static final String LAMBDA_PARTIAL_ARN_MARKER = ":function:";

    // --- S3 (§1.11, §1.12) -----------------------------------------------------------------

    /** Account-regional bucket names end "-&lt;account&gt;-&lt;region&gt;-an" (§1.11, R4). [CS] */
    public static final String ACCOUNT_REGIONAL_BUCKET_SUFFIX = "-an";
    /**
     * Headers that name the account acted upon: S3 bucket-owner claims (§1.12, R4, R20) and the
     * S3 Control account header (R9 s3control model). [CS]
     */
    public static final Set<String> ACCOUNT_HEADERS = Set.of(
            "x-amz-expected-bucket-owner", "x-amz-source-expected-bucket-owner", "x-amz-account-id");

    public static final String COPY_SOURCE = "x-amz-copy-source";
    /**
     * S3 sub-resources whose request body is a configuration document that can name another
     * account (policy principals, replication/inventory/analytics/metrics destinations,
     * logging target): the body is read. Object uploads are never read (§5.2, R4). [INF]
     */
    public static final Set<String> S3_CONFIG_SUBRESOURCES = Set.of(
            "policy", "replication", "inventory", "analytics", "metrics", "logging",
            "notification", "intelligent-tiering", "ownershipControls", "acl");

    /** Services speaking REST-XML, whose errors are XML (R9 metadata.protocol). [CS] */
    public static final Set<String> REST_XML_SERVICES = Set.of("s3", "s3control", "route53", "cloudfront");

    /** How far into a body the resource scan reads, and how many accounts it keeps (bounded scan). */
    public static final int MAX_RESOURCE_ACCOUNTS = 64;
    public static final int MAX_JSON_DEPTH = 64;
    /** Policy documents embedded as strings are parsed again, this many levels deep. */
    public static final int MAX_EMBEDDED_DOCUMENTS = 2;

    // --- names that hide their owner (issue 15 point 5) -------------

    /**
     * Suffixes of S3 access point aliases, usable wherever a bucket name is: {@code -s3alias}
     * (access points, docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-naming.html
     * "Access point aliases"), {@code --ol-s3} (Object Lambda access points) and {@code --op-s3}
     * (S3 on Outposts access points). S3 refuses bucket names that end with any of them (bucket
     * naming rules), so the suffix alone tells an alias from a bucket. [DOC]
     */
    public static final List<String> ACCESS_POINT_ALIAS_SUFFIXES = List.of(
            "-s3alias", "--ol-s3", "--op-s3");

    // --- closed-network controls: STS AssumeRole MFA, SSM StartSession (issue 15 point 8) ----

    /** AssumeRole's MFA parameters (R8 STS API reference, AssumeRole request parameters). [DOC] */
    public static final String STS_SERIAL_NUMBER = "SerialNumber";
    public static final String STS_TOKEN_CODE = "TokenCode";
    /**
     * StartSession (JSON, {@code X-Amz-Target: AmazonSSM.StartSession}): {@code Target},
     * {@code DocumentName}, {@code Reason}, {@code Parameters} a map of string to list of strings
     * (the SSM API model, e.g. docs.aws.amazon.com/AWSJavaSDK/latest/javadoc/com/amazonaws/
     * services/simplesystemsmanagement/model/StartSessionRequest.html). [DOC]
     */
    public static final String SSM_START_SESSION_TARGET = "AmazonSSM.StartSession";
    /** No DocumentName starts a shell (the same model's DocumentName documentation). [DOC] */
    public static final String SSM_DEFAULT_SESSION_DOCUMENT = "SSM-SessionManagerRunShell";
    /**
     * AWS-StartPortForwardingSessionToRemoteHost takes {@code host}, {@code portNumber} and
     * {@code localPortNumber}, each a list of one string (Session Manager user guide, "Start a
     * session", port forwarding to remote hosts; Start-SSMSession examples). [DOC]
     */
    public static final String SSM_REMOTE_HOST_PARAMETER = "host";
}

package io.sekisho.policy.aws.resources;

import static io.sekisho.policy.aws.Forms.CORP;
import static io.sekisho.policy.aws.Forms.sigv4;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.sekisho.policy.aws.Forms;
import io.sekisho.policy.aws.Req;
import io.sekisho.policy.aws.catalog.AwsHostCatalog;
import io.sekisho.policy.aws.wire.AwsWireFacts;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ResourceAccountScannerTest {
    private static final ResourceAccountScanner SCANNER = new ResourceAccountScanner(AwsHostCatalog.builtIn());
    private static final String FOREIGN = "999988887777";
    private static final String FORM = "application/x-www-form-urlencoded; charset=utf-8";
    private static final String JSON10 = "application/x-amz-json-1.0";
    private static final String JSON11 = "application/x-amz-json-1.1";

    private static Req json(String url, String target, String contentType, String body) {
        Req r = Req.of("POST", url).header("Content-Type", contentType);
        if (target != null) {
            r.header("X-Amz-Target", target);
        }
        return r.body(body);
    }

    private static Req form(String url, String body) {
        return Req.of("POST", url).header("Content-Type", FORM).body(body);
    }

    static Stream<Arguments> signals() {
        return Stream.of(
            // --- account-in-host forms
            arguments("access point host", Req.of("GET", "https://ap-999988887777.s3-accesspoint.us-west-2.amazonaws.com/k"), FOREIGN),
            arguments("Object Lambda host", Req.of("GET", "https://ol-999988887777.s3-object-lambda.us-west-2.amazonaws.com/k"), FOREIGN),
            arguments("Outposts access point host",
                    Req.of("GET", "https://ap-999988887777.op-01ac5d28a6a232904.s3-outposts.us-west-2.amazonaws.com/k"), FOREIGN),
            arguments("account-regional bucket, virtual-hosted",
                    Req.of("PUT", "https://reports-999988887777-eu-west-1-an.s3.eu-west-1.amazonaws.com/k"), FOREIGN),
            arguments("account-regional bucket, path style",
                    Req.of("PUT", "https://s3.eu-west-1.amazonaws.com/reports-999988887777-eu-west-1-an/k"), FOREIGN),
            arguments("not account-regional: no -an", Req.of("PUT", "https://s3.amazonaws.com/reports-999988887777-eu-west-1/k"), ""),
            arguments("not account-regional: no region", Req.of("PUT", "https://s3.amazonaws.com/x-999988887777-nowhere-an/k"), ""),
            arguments("ECR registry host", Req.of("HEAD", "https://999988887777.dkr.ecr.us-east-1.amazonaws.com/v2/r/blobs/sha256:ab"), FOREIGN),
            arguments("ECR dual-stack registry host", Req.of("GET", "https://999988887777.dkr-ecr.us-east-1.on.aws/v2/"), FOREIGN),
            arguments("CodeArtifact repository host",
                    Req.of("PUT", "https://corp-999988887777.d.codeartifact.us-east-1.amazonaws.com/npm/repo/x"), FOREIGN),
            arguments("CodeArtifact domain-owner parameter",
                    Req.of("POST", "https://codeartifact.us-east-1.amazonaws.com/v1/package/version/publish?domain=d&domain-owner=999988887777"),
                    FOREIGN),
            arguments("DynamoDB account endpoint", json("https://999988887777.ddb.us-east-1.amazonaws.com/",
                    "DynamoDB_20120810.PutItem", JSON10, "{\"TableName\":\"t\",\"Item\":{}}"), FOREIGN),
            arguments("Kinesis account endpoint", json("https://999988887777.data-kinesis.us-east-1.amazonaws.com/",
                    "Kinesis_20131202.PutRecord", JSON11, "{\"StreamName\":\"s\",\"Data\":\"eA==\",\"PartitionKey\":\"p\"}"), FOREIGN),
            // --- S3 headers
            arguments("x-amz-expected-bucket-owner", Req.of("PUT", "https://b.s3.amazonaws.com/k")
                    .header("x-amz-expected-bucket-owner", FOREIGN), FOREIGN),
            arguments("x-amz-source-expected-bucket-owner", Req.of("PUT", "https://b.s3.amazonaws.com/k")
                    .header("x-amz-copy-source", "src/k").header("x-amz-source-expected-bucket-owner", FOREIGN), FOREIGN),
            arguments("copy source in an account-regional bucket", Req.of("PUT", "https://b.s3.amazonaws.com/k")
                    .header("x-amz-copy-source", "/src-999988887777-us-east-1-an/k%2Bx?versionId=3"), FOREIGN),
            arguments("copy source through an access point ARN", Req.of("PUT", "https://b.s3.amazonaws.com/k")
                    .header("x-amz-copy-source", "arn%3Aaws%3As3%3Aus-west-2%3A999988887777%3Aaccesspoint%2Fap%2Fobject%2Fk"), FOREIGN),
            arguments("expected owner as a presigned parameter",
                    Req.of("PUT", "https://b.s3.amazonaws.com/k?x-amz-expected-bucket-owner=999988887777"), FOREIGN),
            arguments("S3 Control account header", Req.of("GET", "https://s3-control.us-east-1.amazonaws.com/v20180820/accesspoint")
                    .header("x-amz-account-id", FOREIGN), FOREIGN),
            // --- paths
            arguments("Lambda function ARN in the path", Req.of("POST",
                    "https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A999988887777%3Afunction%3Af/invocations"),
                    FOREIGN),
            arguments("Lambda partial ARN in the path", Req.of("POST",
                    "https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/999988887777%3Afunction%3Af/invocations"), FOREIGN),
            arguments("Bedrock inference profile ARN in the path", Req.of("POST",
                    "https://bedrock-runtime.us-east-1.amazonaws.com/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A999988887777%3Ainference-profile%2Fp/converse"),
                    FOREIGN),
            arguments("ARN in a REST query", Req.of("GET",
                    "https://tagging.us-east-1.amazonaws.com/tags?resourceArn=arn%3Aaws%3Asns%3Aus-east-1%3A999988887777%3At"), FOREIGN),
            arguments("SQS legacy path", form("https://queue.amazonaws.com/999988887777/q", "Action=SendMessage&MessageBody=x"), FOREIGN),
            // --- SQS / SNS / STS
            arguments("SQS JSON QueueUrl", json("https://sqs.us-east-1.amazonaws.com/", "AmazonSQS.SendMessage", JSON10,
                    "{\"QueueUrl\": \"https://sqs.us-east-1.amazonaws.com/999988887777/q\", \"MessageBody\": \"hi\"}"), FOREIGN),
            arguments("SQS form QueueUrl", form("https://sqs.us-east-1.amazonaws.com/",
                    "Action=SendMessage&QueueUrl=https%3A%2F%2Fsqs.us-east-1.amazonaws.com%2F999988887777%2Fq&MessageBody=x"), FOREIGN),
            arguments("SNS TopicArn", form("https://sns.us-east-1.amazonaws.com/",
                    "Action=Publish&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A999988887777%3At&Message=hello"), FOREIGN),
            arguments("STS AssumeRole RoleArn", form("https://sts.amazonaws.com/",
                    "Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A999988887777%3Arole%2FR&RoleSessionName=s"), FOREIGN),
            arguments("STS AssumeRoleWithWebIdentity in the query", Req.of("GET",
                    "https://sts.amazonaws.com/?Action=AssumeRoleWithWebIdentity&RoleArn=arn:aws:iam::999988887777:role/R&WebIdentityToken=x"),
                    FOREIGN),
            arguments("Query call without a Content-Type", Req.of("POST", "https://sts.amazonaws.com/")
                    .body("Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A999988887777%3Arole%2FR&RoleSessionName=s"), FOREIGN),
            arguments("REST-JSON body without a Content-Type", Req.of("POST",
                    "https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/f/policy").body("{\"Principal\":\"999988887777\"}"),
                    FOREIGN),
            arguments("binary Content-Type to a non-S3 API is still read (issue 18 point 3)", Req.of("POST",
                    "https://glacier.us-east-1.amazonaws.com/-/vaults/v/archives").header("Content-Type", "application/octet-stream")
                    .body("arn:aws:iam::999988887777:root"), FOREIGN),
            arguments("CBOR body: ARNs are plain text in it", Req.of("POST", "https://monitoring.us-east-1.amazonaws.com/service/x")
                    .header("Content-Type", "application/cbor").body("\u00a1kResourceArnx!arn:aws:sns:us-east-1:999988887777:t"),
                    FOREIGN),
            arguments("percent-encoded parameter name", form("https://sts.amazonaws.com/",
                    "Action=AssumeRole&Role%41rn=arn%3Aaws%3Aiam%3A%3A999988887777%3Arole%2FR"), FOREIGN),
            arguments("AssumeRoot TargetPrincipal", form("https://sts.amazonaws.com/",
                    "Action=AssumeRoot&TargetPrincipal=999988887777&TaskPolicyArn.arn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2Froot-task%2FX"),
                    FOREIGN),
            // --- sharing calls (§5.2)
            arguments("EC2 snapshot shared", form("https://ec2.us-east-1.amazonaws.com/",
                    "Action=ModifySnapshotAttribute&SnapshotId=snap-1&Attribute=createVolumePermission"
                            + "&CreateVolumePermission.Add.1.UserId=999988887777"), FOREIGN),
            arguments("EC2 image shared, legacy UserId.N", form("https://ec2.us-east-1.amazonaws.com/",
                    "Action=ModifyImageAttribute&ImageId=ami-1&Attribute=launchPermission&OperationType=add&UserId.1=999988887777"),
                    FOREIGN),
            arguments("EC2 share removed: not evidence", form("https://ec2.us-east-1.amazonaws.com/",
                    "Action=ModifySnapshotAttribute&SnapshotId=snap-1&CreateVolumePermission.Remove.1.UserId=999988887777"), ""),
            arguments("EC2 legacy remove: not evidence", form("https://ec2.us-east-1.amazonaws.com/",
                    "Action=ModifyImageAttribute&ImageId=ami-1&OperationType=remove&UserId.1=999988887777"), ""),
            arguments("EC2 image made public", form("https://ec2.us-east-1.amazonaws.com/",
                    "Action=ModifyImageAttribute&ImageId=ami-1&LaunchPermission.Add.1.Group=all"), "*"),
            arguments("RDS snapshot shared", form("https://rds.us-east-1.amazonaws.com/",
                    "Action=ModifyDBSnapshotAttribute&DBSnapshotIdentifier=s&AttributeName=restore&ValuesToAdd.member.1=999988887777"
                            + "&ValuesToRemove.member.1=123456789012"), FOREIGN),
            arguments("RDS snapshot made public", form("https://rds.us-east-1.amazonaws.com/",
                    "Action=ModifyDBClusterSnapshotAttribute&AttributeName=restore&ValuesToAdd.AttributeValue.1=all"), "*"),
            arguments("Redshift snapshot shared", form("https://redshift.us-east-1.amazonaws.com/",
                    "Action=AuthorizeSnapshotAccess&SnapshotIdentifier=s&AccountWithRestoreAccess=999988887777"), FOREIGN),
            arguments("SSM document shared", json("https://ssm.us-east-1.amazonaws.com/", "AmazonSSM.ModifyDocumentPermission", JSON11,
                    "{\"Name\":\"d\",\"PermissionType\":\"Share\",\"AccountIdsToAdd\":[\"999988887777\"],\"AccountIdsToRemove\":[\"123456789012\"]}"),
                    FOREIGN),
            arguments("SSM document made public", json("https://ssm.us-east-1.amazonaws.com/", "AmazonSSM.ModifyDocumentPermission",
                    JSON11, "{\"Name\":\"d\",\"PermissionType\":\"Share\",\"AccountIdsToAdd\":[\"All\"]}"), "*"),
            arguments("SQS AddPermission (query)", form("https://sqs.us-east-1.amazonaws.com/111122223333/q",
                    "Action=AddPermission&Label=l&AWSAccountId.1=999988887777&ActionName.1=SendMessage"), "111122223333,999988887777"),
            arguments("SQS AddPermission (JSON)", json("https://sqs.us-east-1.amazonaws.com/", "AmazonSQS.AddPermission", JSON10,
                    "{\"QueueUrl\":\"https://sqs.us-east-1.amazonaws.com/111122223333/q\",\"Label\":\"l\",\"AWSAccountIds\":[\"999988887777\"],\"Actions\":[\"SendMessage\"]}"),
                    "111122223333,999988887777"),
            arguments("SNS AddPermission", form("https://sns.us-east-1.amazonaws.com/",
                    "Action=AddPermission&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A111122223333%3At&Label=l&AWSAccountId.member.1=999988887777"),
                    "111122223333,999988887777"),
            arguments("Lambda AddPermission", json("https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/f/policy", null,
                    "application/json", "{\"StatementId\":\"s\",\"Action\":\"lambda:InvokeFunction\",\"Principal\":\"999988887777\"}"), FOREIGN),
            arguments("Lambda AddPermission SourceAccount", json("https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/f/policy",
                    null, "application/json", "{\"Principal\":\"s3.amazonaws.com\",\"SourceAccount\":\"999988887777\"}"), FOREIGN),
            arguments("RAM resource share", json("https://ram.us-east-1.amazonaws.com/createresourceshare", null, "application/json",
                    "{\"name\":\"n\",\"principals\":[\"999988887777\"],\"allowExternalPrincipals\":true}"), FOREIGN),
            arguments("KMS CreateGrant", json("https://kms.us-east-1.amazonaws.com/", "TrentService.CreateGrant", JSON11,
                    "{\"KeyId\":\"k\",\"GranteePrincipal\":\"arn:aws:iam::999988887777:root\",\"Operations\":[\"Decrypt\"]}"), FOREIGN),
            arguments("ECR repository policy with a bare account principal", json("https://api.ecr.us-east-1.amazonaws.com/",
                    "AmazonEC2ContainerRegistry_V20150921.SetRepositoryPolicy", JSON11,
                    "{\"repositoryName\":\"r\",\"policyText\":\"{\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\",\\\"Principal\\\":{\\\"AWS\\\":\\\"999988887777\\\"},\\\"Action\\\":\\\"ecr:*\\\"}]}\"}"),
                    FOREIGN),
            arguments("Secrets Manager resource policy", json("https://secretsmanager.us-east-1.amazonaws.com/",
                    "secretsmanager.PutResourcePolicy", JSON11,
                    "{\"SecretId\":\"s\",\"ResourcePolicy\":\"{\\\"Statement\\\":[{\\\"Principal\\\":{\\\"AWS\\\":[\\\"arn:aws:iam::999988887777:root\\\"]}}]}\"}"),
                    FOREIGN),
            arguments("S3 bucket policy", Req.of("PUT", "https://b.s3.amazonaws.com/?policy").header("Content-Type", "application/json")
                    .body("{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"arn:aws:iam::999988887777:root\",\"123456789012\"]},"
                            + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}]}"), "123456789012,999988887777"),
            arguments("S3 replication to another account", Req.of("PUT", "https://b.s3.amazonaws.com/?replication")
                    .body("<ReplicationConfiguration><Role>arn:aws:iam::111122223333:role/r</Role><Rule><Destination>"
                            + "<Bucket>arn:aws:s3:::dst</Bucket><Account>999988887777</Account></Destination></Rule></ReplicationConfiguration>"),
                    "111122223333,999988887777"),
            arguments("S3 replication account split by a comment", Req.of("PUT", "https://b.s3.amazonaws.com/?replication")
                    .body("<ReplicationConfiguration><Rule><Destination><Bucket>arn:aws:s3:::dst</Bucket>"
                            + "<Account>9999<!-- -->8888<?x?>7777</Account></Destination></Rule></ReplicationConfiguration>"),
                    FOREIGN),
            arguments("policy resource ARN with a wildcard region", Req.of("PUT", "https://b.s3.amazonaws.com/?policy")
                    .body("{\"Statement\":[{\"Effect\":\"Allow\",\"Resource\":\"arn:aws:sqs:*:999988887777:*\"}]}"), FOREIGN),
            arguments("policy condition on a foreign account", Req.of("PUT", "https://b.s3.amazonaws.com/?policy")
                    .body("{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\","
                            + "\"Condition\":{\"StringEquals\":{\"aws:PrincipalAccount\":\"999988887777\"}}}]}"), FOREIGN),
            arguments("object uploaded public-read", Req.of("PUT", "https://b.s3.amazonaws.com/k").header("x-amz-acl", "public-read"), "*"),
            arguments("object uploaded private", Req.of("PUT", "https://b.s3.amazonaws.com/k").header("x-amz-acl", "private"), ""),
            arguments("POST form upload with a public acl field", Req.of("POST", "https://b.s3.amazonaws.com/")
                    .header("Content-Type", Forms.CONTENT_TYPE).body(Forms.multipart("key", "k", "acl", "public-read", "file", "d")), "*"),
            arguments("read granted to all users", Req.of("PUT", "https://b.s3.amazonaws.com/k")
                    .header("X-Amz-Grant-Read", "uri=\"http://acs.amazonaws.com/groups/global/AllUsers\""), "*"),
            arguments("bucket ACL document granting all users", Req.of("PUT", "https://b.s3.amazonaws.com/?acl")
                    .body("<AccessControlPolicy><AccessControlList><Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
                            + " xsi:type=\"Group\"><URI>http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee>"
                            + "<Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>"), "*"),
            arguments("SNS topic policy as an attribute", form("https://sns.us-east-1.amazonaws.com/",
                    "Action=SetTopicAttributes&TopicArn=t&AttributeName=Policy&AttributeValue=%7B%22Statement%22%3A%5B%7B%22Principal%22%3A%7B%22AWS%22%3A%22999988887777%22%7D%7D%5D%7D"),
                    FOREIGN),
            arguments("SQS queue policy as a query attribute", form("https://sqs.us-east-1.amazonaws.com/",
                    "Action=SetQueueAttributes&Attribute.1.Name=Policy&Attribute.1.Value=%7B%22Principal%22%3A%7B%22AWS%22%3A%5B%22999988887777%22%5D%7D%7D"),
                    FOREIGN),
            arguments("Cognito GetId AccountId", json("https://cognito-identity.us-east-1.amazonaws.com/",
                    "AWSCognitoIdentityService.GetId", JSON11, "{\"AccountId\":\"999988887777\",\"IdentityPoolId\":\"us-east-1:x\"}"),
                    FOREIGN),
            arguments("JSON string escapes are decoded before the ARN scan", json("https://ram.us-east-1.amazonaws.com/", null,
                    "application/json",
                    "{\"RoleArn\":\"\\u0061rn:aws:iam::999988887777:role\\/R\"}"), FOREIGN),
            arguments("DynamoDB table ARN", json("https://dynamodb.us-east-1.amazonaws.com/", "DynamoDB_20120810.PutItem", JSON10,
                    "{\"TableName\":\"arn:aws:dynamodb:us-east-1:999988887777:table/t\",\"Item\":{\"pk\":{\"S\":\"1\"}}}"), FOREIGN),
            arguments("EventBridge bus ARN, not the event detail", json("https://events.us-east-1.amazonaws.com/", "AWSEvents.PutEvents",
                    JSON11, "{\"Entries\":[{\"EventBusName\":\"arn:aws:events:us-east-1:999988887777:event-bus/b\","
                            + "\"Detail\":\"{\\\"acct\\\":\\\"arn:aws:iam::123456789012:root\\\"}\"}]}"), FOREIGN));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signals")
    void findsEveryResourceSignal(String name, Req req, String expected) {
        ResourceScan scan = SCANNER.scan(req.facts(), "");
        assertThat(scan.malformed()).isFalse();
        assertThat(scan.accounts()).isEqualTo(expected.isEmpty() ? List.of() : Arrays.asList(expected.split(",")));
    }

    /** Issue 4 point 4: twelve-digit numbers and ARNs in data payloads are not evidence. */
    static Stream<Arguments> data() {
        return Stream.of(
            arguments("DynamoDB item values", json("https://dynamodb.us-east-1.amazonaws.com/", "DynamoDB_20120810.PutItem", JSON10,
                    "{\"TableName\":\"t\",\"Item\":{\"AccountId\":{\"S\":\"999988887777\"},\"n\":{\"N\":\"999988887777\"},"
                            + "\"arn\":{\"S\":\"arn:aws:iam::999988887777:role/x\"}}}")),
            arguments("DynamoDB key and expression values", json("https://dynamodb.us-east-1.amazonaws.com/",
                    "DynamoDB_20120810.UpdateItem", JSON10, "{\"TableName\":\"t\",\"Key\":{\"pk\":{\"S\":\"999988887777\"}},"
                            + "\"ExpressionAttributeValues\":{\":a\":{\"S\":\"arn:aws:iam::999988887777:root\"}}}")),
            arguments("SQS message body (JSON)", json("https://sqs.us-east-1.amazonaws.com/", "AmazonSQS.SendMessage", JSON10,
                    "{\"QueueUrl\":\"https://sqs.us-east-1.amazonaws.com/111122223333/q\",\"MessageBody\":"
                            + "\"{\\\"AccountId\\\":\\\"999988887777\\\",\\\"arn\\\":\\\"arn:aws:iam::999988887777:root\\\"}\","
                            + "\"MessageAttributes\":{\"a\":{\"DataType\":\"String\",\"StringValue\":\"arn:aws:iam::999988887777:root\"}}}")),
            arguments("SQS message body (query)", form("https://sqs.us-east-1.amazonaws.com/111122223333/q",
                    "Action=SendMessage&MessageBody=arn%3Aaws%3Aiam%3A%3A999988887777%3Aroot+999988887777"
                            + "&MessageAttribute.1.Value.StringValue=arn%3Aaws%3Aiam%3A%3A999988887777%3Aroot")),
            arguments("log events", json("https://logs.us-east-1.amazonaws.com/", "Logs_20140328.PutLogEvents", JSON11,
                    "{\"logGroupName\":\"g\",\"logStreamName\":\"s\",\"logEvents\":[{\"timestamp\":1,\"message\":"
                            + "\"user arn:aws:iam::999988887777:user/x from 999988887777\"}]}")),
            arguments("SNS message", form("https://sns.us-east-1.amazonaws.com/",
                    "Action=Publish&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A111122223333%3At&Message=arn%3Aaws%3Aiam%3A%3A999988887777%3Aroot"
                            + "&Subject=999988887777")),
            arguments("numbers outside account fields", json("https://cloudwatch.us-east-1.amazonaws.com/",
                    "GraniteServiceVersion20100801.PutMetricData", JSON10,
                    "{\"Namespace\":\"n\",\"MetricData\":[{\"MetricName\":\"m\",\"Value\":999988887777,"
                            + "\"Dimensions\":[{\"Name\":\"AccountId\",\"Value\":\"999988887777\"}]}]}")),
            arguments("Secrets Manager secret value", json("https://secretsmanager.us-east-1.amazonaws.com/",
                    "secretsmanager.PutSecretValue", JSON11,
                    "{\"SecretId\":\"arn:aws:secretsmanager:us-east-1:111122223333:secret:s\",\"SecretString\":\"arn:aws:iam::999988887777:root\"}")),
            arguments("S3 object key and listing prefix", Req.of("GET",
                    "https://b.s3.amazonaws.com/arn:aws:iam::999988887777:root/999988887777?prefix=arn%3Aaws%3Aiam%3A%3A999988887777%3Aroot")),
            arguments("S3 upload body is never read", Req.of("PUT", "https://b.s3.amazonaws.com/k").header("Content-Type", "application/json")
                    .body("{\"RoleArn\":\"arn:aws:iam::999988887777:role/R\"}")),
            arguments("Lambda invocation payload", Req.of("POST", "https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/f/invocations")
                    .header("Content-Type", "application/json").body("{\"RoleArn\":\"arn:aws:iam::999988887777:role/R\"}")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("data")
    void dataIsNotEvidence(String name, Req req) {
        ResourceScan scan = SCANNER.scan(req.facts(), "");
        assertThat(scan.malformed()).isFalse();
        assertThat(scan.accounts()).doesNotContain(FOREIGN);
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
            arguments("broken JSON", json("https://sqs.us-east-1.amazonaws.com/", "AmazonSQS.SendMessage", JSON10, "{\"QueueUrl\":")),
            arguments("JSON with a bad escape", json("https://ram.us-east-1.amazonaws.com/", null, "application/json",
                    "{\"a\":\"\\q\"}")),
            arguments("form with a bad escape", form("https://sts.amazonaws.com/", "Action=AssumeRole&RoleArn=%ZZ")),
            arguments("XML with a DTD (XXE)", Req.of("PUT", "https://b.s3.amazonaws.com/?replication")
                    .body("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>")),
            arguments("broken XML", Req.of("PUT", "https://b.s3.amazonaws.com/?replication").body("<r><Account>1</r>")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void unparsableBodiesAreReported(String name, Req req) {
        assertThat(SCANNER.scan(req.facts(), "").malformed()).isTrue();
    }

    @Test
    void bucketsAreReportedForTheBucketAllowlist() {
        ResourceScan virtual = SCANNER.scan(Req.of("PUT", "https://corp.s3.amazonaws.com/k")
                .header("x-amz-copy-source", "other-bucket/k").header("Authorization", sigv4(CORP, "us-east-1", "s3")).facts(), "");
        assertThat(virtual.bucket()).isEqualTo("corp");
        assertThat(virtual.copySourceBucket()).isEqualTo("other-bucket");
        assertThat(SCANNER.scan(Req.of("GET", "https://s3.amazonaws.com/corp.data.bucket?list-type=2").facts(), "").bucket())
                .isEqualTo("corp.data.bucket");
        assertThat(SCANNER.scan(Req.of("GET", "https://s3.amazonaws.com/").facts(), "").bucket()).isEmpty();
    }

    @Test
    void tooManyAccountsOverflow() {
        String ids = IntStream.range(0, 70).mapToObj(i -> String.format("\"%012d\"", 100000000000L + i))
                .collect(Collectors.joining(","));
        ResourceScan scan = SCANNER.scan(json("https://ram.us-east-1.amazonaws.com/createresourceshare", null,
                "application/json", "{\"principals\":[" + ids + "]}").facts(), "");
        assertThat(scan.overflow()).isTrue();
        assertThat(scan.accounts()).hasSize(AwsWireFacts.MAX_RESOURCE_ACCOUNTS);
    }
}

package io.sekisho.e2e.aws;

import static io.sekisho.e2e.AwsIdentities.CORPORATE;
import static io.sekisho.e2e.AwsIdentities.FOREIGN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sekisho.e2e.AwsIdentities;
import io.sekisho.e2e.CommandResult;
import io.sekisho.e2e.RecordedRequest;
import io.sekisho.e2e.SigV4Verifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * boto3 (the SDK most exfiltration scripts are written with) through the real proxy and
 * engine: a company PutObject arrives signed as sent; a personal-account PutObject is refused
 * with an error boto3 surfaces as {@code AccessDenied} carrying Sekisho's reason.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class Boto3ScenariosTest {
    /** Prints "OK" or "ERROR <code> <message>"; the credentials come from the environment. */
    private static final String PUT_OBJECT = String.join("\n",
            "import sys, boto3, botocore.config, botocore.exceptions",
            "s3 = boto3.client('s3', region_name='eu-west-1',",
            "                  config=botocore.config.Config(retries={'max_attempts': 1}))",
            "try:",
            "    s3.put_object(Bucket=sys.argv[1], Key='from-boto3.txt', Body=b'written by boto3')",
            "    print('OK')",
            "except botocore.exceptions.ClientError as e:",
            "    print('ERROR', e.response['Error']['Code'], e.response['Error']['Message'])",
            "");

    @TempDir
    static Path tmp;
    static SekishoForAws sekisho;
    static Path script;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(CommandResult.onPath("python3").isPresent(), "python3 is not on PATH");
        sekisho = SekishoForAws.start(tmp);
        script = Files.writeString(tmp.resolve("put_object.py"), PUT_OBJECT);
    }

    @AfterAll
    static void stop() {
        if (sekisho != null) {
            sekisho.close();
        }
    }

    @BeforeEach
    void clear() {
        sekisho.origin().clearRequests();
    }

    private static CommandResult putObject(AwsIdentities.Identity id, String bucket) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
        env.put("HOME", tmp.toString());
        env.put("AWS_CONFIG_FILE", tmp.resolve("no-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", tmp.resolve("no-credentials").toString());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_ACCESS_KEY_ID", id.accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", id.secretAccessKey());
        env.put("AWS_CA_BUNDLE", sekisho.caPem().toString());
        env.put("HTTPS_PROXY", "http://127.0.0.1:" + sekisho.port());
        env.put("NO_PROXY", "");
        return CommandResult.run(List.of("python3", script.toString(), bucket), env, tmp.resolve("run"),
                Duration.ofSeconds(60));
    }

    @Test
    void companyPutObjectArrivesWithItsSignatureIntact() {
        AwsIdentities.Identity corp = AwsIdentities.longTerm(CORPORATE);

        CommandResult r = putObject(corp, "corp-boto3");

        assertThat(r.stdout().trim()).as(r.describe()).isEqualTo("OK");
        List<RecordedRequest> got = sekisho.origin().requests().stream()
                .filter(q -> "PUT".equals(q.method()) && q.path().endsWith("/from-boto3.txt")).toList();
        assertThat(got).hasSize(1);
        assertThat(SigV4Verifier.verify(got.get(0), corp.secretAccessKey()).valid()).isTrue();
    }

    @Test
    void personalAccountPutObjectIsRefusedAndNeverArrives() {
        CommandResult r = putObject(AwsIdentities.longTerm(FOREIGN), "personal-drop");

        assertThat(r.stdout()).as(r.describe()).startsWith("ERROR AccessDenied")
                .contains("Blocked by Sekisho").contains(FOREIGN).contains("AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED");
        assertThat(sekisho.origin().requests()).noneMatch(q -> q.path().contains("from-boto3"));
        Map<String, Object> line = sekisho.proxy().audit().await(l -> "PUT".equals(l.get("method"))
                && "DENY".equals(l.get("verdict")), Duration.ofSeconds(10));
        assertThat(line).containsEntry("reason", "AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED")
                .containsEntry("principalAccount", FOREIGN);
    }
}

package io.sekisho.policy.aws.request;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.policy.aws.Forms;
import io.sekisho.policy.aws.credentials.CredentialCollector;
import io.sekisho.policy.aws.credentials.Presigned;
import io.sekisho.policy.aws.credentials.Where;
import io.sekisho.policy.aws.credentials.ExtractedCredential;
import io.sekisho.policy.aws.credentials.SigningForm;
import io.sekisho.policy.aws.resources.AccountSet;
import io.sekisho.policy.aws.resources.FormAccounts;
import io.sekisho.policy.aws.resources.ResourceAccountScanner;
import io.sekisho.policy.aws.wire.Params;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The single pass of {@link QueryForm} gives what its three readers gave when each walked the
 * form on its own: the credential (including which problem comes first), the resource accounts
 * (up to a bad escape) and the first Action.
 */
class QueryFormTest {
    private static final String CRED = "X-Amz-Credential=" + Forms.scope(Forms.CORP, "us-east-1", "sts");

    @ParameterizedTest
    @ValueSource(strings = {
        "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A444455556666%3Arole%2Fx&RoleSessionName=s",
        "Action=SendMessage&QueueUrl=https%3A%2F%2Fsqs.us-east-1.amazonaws.com%2F444455556666%2Fq&MessageBody=arn:aws:sqs:us-east-1:999988887777:q",
        "Action=DescribeInstances&AWSAccessKeyId={CORP}&SignatureMethod=HmacSHA256&SignatureVersion=2",
        "AWSAccessKeyId={CORP}&AWSAccessKeyId={FOREIGN}&%ZZ=1",
        "%ZZ=1&AWSAccessKeyId={CORP}&AWSAccessKeyId={FOREIGN}",
        "AWSAccessKeyId=%ZZ&Action=X",
        "{CRED}&X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256&X-Amz-Region-Set=*&Action=GetCallerIdentity",
        "{CRED}&X-Amz-Credential={FOREIGN_SCOPE}",
        "X-Amz-Credential=%ZZ&Action=A",
        "X-Amz-Security-Token=abc&Action=GetCallerIdentity",
        "Action=ModifyImageAttribute&LaunchPermission.Add.1.UserId=444455556666&LaunchPermission.Add.2.Group=all",
        "Action=ModifyImageAttribute&OperationType=remove&UserId.1=444455556666",
        "Action=ModifyImageAttribute&UserId.1=444455556666&RoleArn=arn:aws:iam::777788889999:role/r&Bad=%Z1&UserId.2=111122223333",
        "Action=A&RoleArn=arn:aws:iam::777788889999:role/r&Ro%ZZle=1&Action=B",
        "Act%69on=Decoded&Action=Second",
        "Action=%ZZ&Action=Second",
        "Action=SetQueueAttributes&Attribute.1.Value=%7B%22Principal%22%3A%7B%22AWS%22%3A%22444455556666%22%7D%7D",
        "",
        "&&&",
        "Action",
    })
    void onePassReadsWhatThreePassesRead(String template) {
        String body = template.replace("{CRED}", CRED).replace("{CORP}", Forms.CORP).replace("{FOREIGN}", Forms.FOREIGN)
                .replace("{FOREIGN_SCOPE}", Forms.scope(Forms.FOREIGN, "us-east-1", "sts"));
        assertThat(onePass(body)).isEqualTo(threePasses(body));
        assertThat(tappedAfterThePass(body)).isEqualTo(threePasses(body));
    }

    @Test
    void onePassReadsWhatThreePassesReadOnGeneratedForms() {
        String[] params = {"Action=AssumeRole", "Action=%ZZ", "AWSAccessKeyId=" + Forms.CORP,
            "AWSAccessKeyId=" + Forms.FOREIGN, "AWSAccessKeyId=bad", CRED, "X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256",
            "X-Amz-Region-Set=us-*", "%ZZ=1", "Bad=%Z", "RoleArn=arn:aws:iam::444455556666:role/r",
            "UserId.1=777788889999", "OperationType=remove", "Group.1=all", "MessageBody=arn:aws:s3:::x:111122223333",
            "QueueUrl=https://sqs.us-east-1.amazonaws.com/222233334444/q", "SecurityToken=t", "Version=2011-06-15"};
        Random random = new Random(20261122L);
        for (int n = 0; n < 5_000; n++) {
            StringBuilder body = new StringBuilder();
            for (int k = random.nextInt(8); k >= 0; k--) {
                body.append(body.length() == 0 ? "" : "&").append(params[random.nextInt(params.length)]);
            }
            String b = body.toString();
            assertThat(onePass(b)).as(b).isEqualTo(threePasses(b));
            assertThat(tappedAfterThePass(b)).as(b).isEqualTo(threePasses(b));
        }
    }

    /** Accounts found before the body, as the resource scan has them when it reaches the body. */
    private static AccountSet earlier() {
        AccountSet out = new AccountSet();
        out.add("111122223333");
        return out;
    }

    private static String onePass(String body) {
        CredentialCollector c = collectorWithHeaderKey();
        QueryForm form = new QueryForm(body);
        FormAccounts resources = FormAccounts.tapping(form);
        form.read(new Presigned(Where.BODY_FORM, SigningForm.SIGV4_QUERY, SigningForm.SIGV2_QUERY, c));
        AccountSet accounts = earlier();
        boolean ok = resources.into(accounts);
        return describe(c.result(), ok, accounts, form.action());
    }

    /** The resource reader tapped in after the credential pass reads the form again on its own. */
    private static String tappedAfterThePass(String body) {
        CredentialCollector c = collectorWithHeaderKey();
        QueryForm form = new QueryForm(body);
        form.read(new Presigned(Where.BODY_FORM, SigningForm.SIGV4_QUERY, SigningForm.SIGV2_QUERY, c));
        AccountSet accounts = earlier();
        boolean ok = FormAccounts.tapping(form).into(accounts);
        return describe(c.result(), ok, accounts, form.action());
    }

    private static String threePasses(String body) {
        CredentialCollector c = collectorWithHeaderKey();
        Presigned.readAll(Params.of(body), Where.BODY_FORM, SigningForm.SIGV4_QUERY, SigningForm.SIGV2_QUERY, c);
        AccountSet accounts = earlier();
        boolean ok = ResourceAccountScanner.params(body, accounts);
        String action = null;
        Params p = Params.of(body);
        while (p.next()) {
            if (p.nameEquals("Action")) {
                action = p.value();
                break;
            }
        }
        return describe(c.result(), ok, accounts, action);
    }

    /** A SigV4 header credential first, as in a header-signed Query call: body keys then conflict or agree. */
    private static CredentialCollector collectorWithHeaderKey() {
        CredentialCollector c = new CredentialCollector(true);
        c.key(SigningForm.SIGV4_HEADER, Forms.CORP, "sts", "us-east-1", "header:Authorization");
        return c;
    }

    private static String describe(ExtractedCredential cred, boolean ok, AccountSet accounts, String action) {
        return cred + " ok=" + ok + " accounts=" + accounts.toList() + " overflow=" + accounts.overflow()
                + " action=" + action;
    }
}

package io.sekisho.policy.aws.request;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.policy.aws.CorpusFixture;
import io.sekisho.policy.aws.Forms;
import io.sekisho.policy.aws.wire.Text;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The one-pass {@link PostForm} reads every form exactly as the parser it replaced
 * ({@link PostFormReference}) did: the same fields, conflicts, file detection and malformed
 * verdicts, on the corpus's forms, on every prefix of them (a body may arrive cut), and on
 * generated forms with the variations real and hostile clients produce.
 */
class PostFormEquivalenceTest {

    private static final String[] NAMES = {
        "x-amz-credential", "X-Amz-Credential", "AWSAccessKeyId", "awsaccesskeyid", "x-amz-algorithm",
        "x-amz-region-set", "X-Amz-Security-Token", "x-amz-s3session-token", "policy", "Policy", "acl", "ACL",
        "key", "Content-Type", "x-amz-signature", "success_action_status", "file", "FILE", "name", "filename",
        "x-amz-credential;x", "acl\"x", "policy\rx", "x-amz-credential\" ", "x; filename=y", "acl\"\rx",
        "x\r\n\r\nfile", "x\r\nContent-Disposition: form-data; name=\"acl",
    };
    private static final String[] VALUES = {
        Forms.scope(Forms.CORP, "us-east-1", "s3"), Forms.scope(Forms.FOREIGN, "eu-west-1", "s3"), Forms.CORP,
        Forms.FOREIGN, "AWS4-HMAC-SHA256", "*", "public-read", " Public-Read-Write ", "private", "eyJ9",
        "line one\r\nline two", "--", "\r\n", "a\rb\nc", "", "caf\u00e9",
    };
    private static final String BCHARS = "0123456789abcdefABCDEF-_'()+,./:=?";

    @Test
    void readsTheCorpusFormsAndEveryPrefixOfThemAsBefore() {
        int forms = 0;
        for (CorpusFixture f : CorpusFixture.all()) {
            String type = f.facts().headers().get("Content-Type");
            if (type == null || !type.startsWith("multipart/form-data") || f.facts().body() == null) {
                continue;
            }
            byte[] body = new byte[f.facts().body().remaining()];
            f.facts().body().duplicate().get(body);
            String boundary = Text.headerParameter(type, "boundary");
            for (int cut = 0; cut <= body.length; cut++) {
                assertSame(latin1(body, cut), boundary);
            }
            forms++;
        }
        assertThat(forms).as("corpus fixtures with a POST form").isGreaterThanOrEqualTo(3);
    }

    @Test
    void readsGeneratedFormsAsBefore() {
        Random random = new Random(20261122L);
        int withCredential = 0;
        int withFile = 0;
        int malformed = 0;
        for (int n = 0; n < 30_000; n++) {
            String boundary = boundary(random);
            String body = form(random, boundary);
            if (random.nextInt(4) == 0) {
                body = body.substring(0, random.nextInt(body.length() + 1));
            }
            String given = random.nextInt(50) == 0 ? boundary(random) : boundary; // now and then the wrong one
            PostForm f = assertSame(body, given);
            withCredential += f.credential != null || f.accessKeyId != null ? 1 : 0;
            withFile += f.fileReached ? 1 : 0;
            malformed += f.malformed ? 1 : 0;
        }
        assertThat(withCredential).as("forms with a credential").isGreaterThan(2_000);
        assertThat(withFile).as("forms that reached the file").isGreaterThan(5_000);
        assertThat(malformed).as("malformed forms").isGreaterThan(500);
    }

    static PostForm assertSame(String body, String boundary) {
        PostForm now = PostForm.parse(body, boundary);
        PostFormReference before = PostFormReference.parse(body, boundary);
        String what = "boundary " + boundary + ", body " + body.replace("\r", "\\r").replace("\n", "\\n");
        assertThat(now.credential).as(what).isEqualTo(before.credential);
        assertThat(now.accessKeyId).as(what).isEqualTo(before.accessKeyId);
        assertThat(now.algorithm).as(what).isEqualTo(before.algorithm);
        assertThat(now.regionSet).as(what).isEqualTo(before.regionSet);
        assertThat(now.sessionToken).as(what).isEqualTo(before.sessionToken);
        assertThat(now.policy).as(what).isEqualTo(before.policy);
        assertThat(now.publicAcl).as(what).isEqualTo(before.publicAcl);
        assertThat(now.conflict).as(what).isEqualTo(before.conflict);
        assertThat(now.fileReached).as(what).isEqualTo(before.fileReached);
        assertThat(now.malformed).as(what).isEqualTo(before.malformed);
        return now;
    }

    private static String boundary(Random random) {
        int length = random.nextInt(10) == 0 ? random.nextInt(75) : 1 + random.nextInt(45);
        StringBuilder b = new StringBuilder(random.nextBoolean() ? "------------------------" : "");
        while (b.length() < length) {
            b.append(BCHARS.charAt(random.nextInt(BCHARS.length())));
        }
        return b.substring(0, Math.min(length, b.length()));
    }

    /** A form whose parts vary in the ways the parser must get right. */
    private static String form(Random random, String boundary) {
        StringBuilder b = new StringBuilder();
        if (random.nextInt(8) == 0) {
            b.append("preamble text\r\n");
        }
        int parts = random.nextInt(10);
        for (int p = 0; p < parts; p++) {
            b.append(p == 0 && random.nextBoolean() ? "--" : "\r\n--").append(boundary);
            if (random.nextInt(10) == 0) {
                b.append(" \t"); // transport padding
            }
            b.append("\r\n");
            String name = NAMES[random.nextInt(NAMES.length)];
            for (String header : headers(random, name)) {
                b.append(header).append("\r\n");
            }
            b.append("\r\n");
            b.append(random.nextInt(10) == 0 ? "--" + boundary : VALUES[random.nextInt(VALUES.length)]);
        }
        if (random.nextBoolean()) {
            b.append("\r\n--").append(boundary).append("--\r\n");
        }
        return b.toString();
    }

    private static List<String> headers(Random random, String name) {
        List<String> headers = new ArrayList<>();
        if (random.nextInt(5) == 0) {
            headers.add("Content-Type: text/plain");
        }
        String quoted = random.nextInt(4) == 0 ? name : '"' + name + '"';
        String disposition = switch (random.nextInt(12)) {
            case 0 -> "content-disposition: form-data; name=" + quoted;
            case 1 -> "Content-Disposition :form-data;name = " + quoted + " ";
            case 2 -> "Content-Disposition: form-data; filename=\"f.txt\"; name=" + quoted;
            case 3 -> "Content-Disposition: form-data; name=" + quoted + "; filename=\"f.txt\"";
            case 4 -> "Content-Disposition: form-data; NAME=" + quoted + "; name=\"other\"";
            case 5 -> "Content-Disposition: form-data";
            case 6 -> "Content-Disposition: form-data; name";
            case 7 -> "X-Disposition: form-data; name=" + quoted;
            case 8 -> "Content-Disposition: form-data; name=" + quoted + "; FileName=x";
            case 9 -> "Content-Disposition: form-data; name=\"\"";
            default -> "Content-Disposition: form-data; name=" + quoted;
        };
        headers.add(disposition);
        if (random.nextInt(6) == 0) {
            headers.add("Content-Disposition: form-data; name=\"second\"; filename=\"x\"");
        }
        if (random.nextInt(5) == 0) {
            headers.add(random.nextBoolean() ? "Content-Type: text/plain" : "X-Odd:\rvalue");
        }
        return headers;
    }

    private static String latin1(byte[] body, int length) {
        return new String(body, 0, length, StandardCharsets.ISO_8859_1);
    }
}

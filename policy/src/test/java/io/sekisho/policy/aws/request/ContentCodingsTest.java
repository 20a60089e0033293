package io.sekisho.policy.aws.request;

import static io.sekisho.policy.aws.BodyPlanTest.CORP_ROLE;
import static io.sekisho.policy.aws.BodyPlanTest.FOREIGN_ROLE;
import static io.sekisho.policy.aws.BodyPlanTest.FORM;
import static io.sekisho.policy.aws.BodyPlanTest.STS;
import static io.sekisho.policy.aws.BodyPlanTest.assumeRole;
import static io.sekisho.policy.aws.Encodings.awsChunked;
import static io.sekisho.policy.aws.Encodings.bytes;
import static io.sekisho.policy.aws.Encodings.concat;
import static io.sekisho.policy.aws.Encodings.cut;
import static io.sekisho.policy.aws.Encodings.gzip;
import static io.sekisho.policy.aws.Encodings.rawDeflate;
import static io.sekisho.policy.aws.Encodings.zlib;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.sekisho.policy.BodyNeed;
import io.sekisho.policy.HostClass;
import io.sekisho.policy.Reason;
import io.sekisho.policy.aws.AwsApiInspector;
import io.sekisho.policy.aws.BodyPlanTest;
import io.sekisho.policy.aws.Forms;
import io.sekisho.policy.aws.Req;
import io.sekisho.policy.aws.Settings;
import io.sekisho.policy.aws.wire.AwsChunkedBody;
import io.sekisho.policy.aws.wire.Inflation;
import io.sekisho.policy.aws.wire.UndecodableBody;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 18 point 3: the content codings of a body that is read are undone before it is read
 * (aws-chunked in any case, gzip, deflate, in reverse order), within the inspection limit and
 * the bomb ratio; what cannot be undone, or is framed loosely, or hides a credential in a
 * trailer, is denied with a reason of its own. Every row is a corporate-signed STS AssumeRole.
 */
class ContentCodingsTest {
    private static final Reason FOREIGN = Reason.AWS_RESOURCE_ACCOUNT_NOT_ALLOWED;

    private static Req sts(String contentEncoding, byte[] body) {
        return assumeRole(STS, FORM, "Content-Encoding", contentEncoding).body(body, true);
    }

    private static byte[] chunked(String text, String... trailers) {
        return awsChunked(text, trailers);
    }

    private static byte[] raw(String framing) {
        return framing.getBytes(StandardCharsets.ISO_8859_1);
    }

    static Stream<Arguments> codings() {
        byte[] foreign = bytes(FOREIGN_ROLE);
        byte[] gz = gzip(foreign);
        return Stream.of(
            // --- what decodes
            arguments("aws-chunked, mixed case", sts("Aws-Chunked", chunked(FOREIGN_ROLE)), FOREIGN),
            arguments("aws-chunked, signed chunks", sts("aws-chunked", awsChunked(foreign, 7, true)), FOREIGN),
            arguments("aws-chunked, gzip: gzip undone first", sts("aws-chunked, gzip", gzip(chunked(FOREIGN_ROLE))), FOREIGN),
            arguments("x-gzip", sts("x-gzip", gz), FOREIGN),
            arguments("gzip of a corporate form", sts("gzip", gzip(bytes(CORP_ROLE))), Reason.AWS_ACCOUNT_ALLOWED),
            arguments("deflate (zlib)", sts("deflate", zlib(foreign)), FOREIGN),
            arguments("identity and empty list elements", sts(" identity , ,gzip", gz), FOREIGN),
            arguments("gzip, gzip", sts("gzip, gzip", gzip(gz)), FOREIGN),
            // --- gzip and deflate that cannot be read
            arguments("deflate without the zlib wrapper (raw)", sts("deflate", rawDeflate(foreign)), Reason.BODY_DECODE_FAILED),
            arguments("truncated gzip", sts("gzip", cut(gz, 12)), Reason.BODY_DECODE_FAILED),
            arguments("gzip with a wrong CRC", sts("gzip", flipByte(gz, gz.length - 6)), Reason.BODY_DECODE_FAILED),
            arguments("gzip followed by a second member", sts("gzip", concat(gz, gzip(bytes("&x=1")))), Reason.BODY_DECODE_FAILED),
            arguments("gzip followed by a byte", sts("gzip", concat(gz, new byte[] {'&'})), Reason.BODY_DECODE_FAILED),
            arguments("gzip of 10 MiB of zeros", sts("gzip", gzip(new byte[10 * 1024 * 1024])), Reason.BODY_ENCODING_BOMB),
            arguments("deflate of 10 MiB of zeros", sts("deflate", zlib(new byte[10 * 1024 * 1024])), Reason.BODY_ENCODING_BOMB),
            arguments("gzip that decodes past the limit", sts("gzip", gzip(incompressible(80 * 1024))),
                    Reason.BODY_TOO_LARGE_TO_INSPECT),
            arguments("gzip, declared but not compressed", sts("gzip", foreign), Reason.BODY_DECODE_FAILED),
            // --- codings that are not undone
            arguments("br", sts("br", foreign), Reason.BODY_ENCODING_UNSUPPORTED),
            arguments("compress", sts("compress", foreign), Reason.BODY_ENCODING_UNSUPPORTED),
            arguments("identity with junk", sts("identity-with-junk", foreign), Reason.BODY_ENCODING_UNSUPPORTED),
            arguments("a coding with a parameter", sts("gzip;q=1", gz), Reason.BODY_ENCODING_UNSUPPORTED),
            arguments("gzip and br", sts("gzip, br", gz), Reason.BODY_ENCODING_UNSUPPORTED),
            arguments("four codings", sts("gzip, gzip, gzip, gzip", gz), Reason.BODY_ENCODING_UNSUPPORTED),
            // --- aws-chunked framing
            arguments("chunk size larger than the data", sts("aws-chunked", raw("ff\r\n" + FOREIGN_ROLE + "\r\n0\r\n\r\n")),
                    Reason.BODY_AWS_CHUNKED_MALFORMED),
            arguments("bare LF after the size", sts("aws-chunked", raw("5\nAct=1\r\n0\r\n\r\n")), Reason.BODY_AWS_CHUNKED_MALFORMED),
            arguments("no final CRLF", sts("aws-chunked", cut(chunked(FOREIGN_ROLE), 2)), Reason.BODY_AWS_CHUNKED_MALFORMED),
            arguments("bytes after the final CRLF", sts("aws-chunked", concat(chunked(CORP_ROLE), bytes("&RoleArn=x"))),
                    Reason.BODY_AWS_CHUNKED_MALFORMED),
            arguments("a chunk extension that is not the signature", sts("aws-chunked",
                    raw("5;x=&RoleArn=arn:aws:iam::999988887777:role/x\r\nAct=1\r\n0\r\n\r\n")), Reason.BODY_AWS_CHUNKED_MALFORMED),
            arguments("a chunk signature that is not hex", sts("aws-chunked",
                    raw("5;chunk-signature=&RoleArn=x\r\nAct=1\r\n0\r\n\r\n")), Reason.BODY_AWS_CHUNKED_MALFORMED),
            arguments("a size of nine hex digits", sts("aws-chunked", raw("000000005\r\nAct=1\r\n0\r\n\r\n")),
                    Reason.BODY_AWS_CHUNKED_MALFORMED),
            arguments("a size with a sign", sts("aws-chunked", raw("+5\r\nAct=1\r\n0\r\n\r\n")), Reason.BODY_AWS_CHUNKED_MALFORMED),
            arguments("a trailer value that is not base64", sts("aws-chunked",
                    chunked(CORP_ROLE, "x-amz-checksum-crc32:&RoleArn=arn:aws:iam::999988887777:role/x")),
                    Reason.BODY_AWS_CHUNKED_MALFORMED),
            arguments("a trailer line without a colon", sts("aws-chunked", chunked(CORP_ROLE, "x-amz-checksum-crc32")),
                    Reason.BODY_AWS_CHUNKED_MALFORMED),
            arguments("decoded length other than declared", assumeRole(STS, FORM, "Content-Encoding", "aws-chunked",
                    "X-Amz-Decoded-Content-Length", "3").body(chunked(CORP_ROLE), true), Reason.BODY_AWS_CHUNKED_MALFORMED),
            arguments("decoded length as declared", assumeRole(STS, FORM, "Content-Encoding", "aws-chunked",
                    "X-Amz-Decoded-Content-Length", Integer.toString(CORP_ROLE.length())).body(chunked(CORP_ROLE), true),
                    Reason.AWS_ACCOUNT_ALLOWED),
            // --- trailers inside aws-chunked
            arguments("x-amz-checksum-crc32 trailer", sts("aws-chunked", chunked(CORP_ROLE, "x-amz-checksum-crc32:ZKlShA==")),
                    Reason.AWS_ACCOUNT_ALLOWED),
            arguments("checksum and trailer signature", sts("aws-chunked", chunked(CORP_ROLE, "x-amz-checksum-sha256: "
                    + "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg= ", "x-amz-trailer-signature:" + "0f".repeat(32))),
                    Reason.AWS_ACCOUNT_ALLOWED),
            arguments("Authorization trailer", sts("aws-chunked", chunked(CORP_ROLE, "Authorization:QUtJQTZSVTcz")),
                    Reason.BODY_TRAILER_CREDENTIAL),
            arguments("x-amz-security-token trailer, mixed case", sts("aws-chunked",
                    chunked(CORP_ROLE, "X-Amz-Security-TOKEN:IQoJb3JpZ2lu")), Reason.BODY_TRAILER_CREDENTIAL),
            arguments("X-Amz-Credential trailer", sts("aws-chunked", chunked(CORP_ROLE, "X-Amz-Credential:AKIA6RU73QDQRHBTHXS4")),
                    Reason.BODY_TRAILER_CREDENTIAL),
            arguments("a trailer AWS does not define", sts("aws-chunked", chunked(CORP_ROLE, "x-foo:YQ==")),
                    Reason.BODY_TRAILER_NOT_ALLOWED),
            // --- headers alone
            arguments("STREAMING- without aws-chunked, gzip body", assumeRole(STS, FORM, "Content-Encoding", "gzip",
                    "X-Amz-Content-Sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER").body(gz, true), Reason.BODY_ENCODING_UNSUPPORTED),
            arguments("streaming- in lower case", assumeRole(STS, FORM, "X-Amz-Content-Sha256", "streaming-unsigned-payload-trailer")
                    .body(foreign, true), Reason.BODY_ENCODING_UNSUPPORTED),
            arguments("S3 POST form, gzip", Req.of("POST", "https://corp-data-bucket.s3.amazonaws.com/")
                    .header("Content-Type", Forms.CONTENT_TYPE).header("Content-Encoding", "gzip")
                    .body(gzip(bytes(Forms.multipart("key", "k", "file", "data"))), true), Reason.BODY_ENCODING_UNSUPPORTED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("codings")
    void decodesOrDenies(String name, Req req, Reason expected) {
        BodyPlanTest.assertDecides(req, expected);
    }

    @Test
    void aCodingThatCannotBeReadIsDeniedOnTheHeadersWithoutWaitingForTheBody() {
        Req req = assumeRole(STS, FORM, "Content-Encoding", "br", "Expect", "100-continue").declaredBody(100);
        AwsApiInspector aws = Settings.inspector(Settings.BASE);
        assertThat(aws.bodyNeed(req.facts(), HostClass.AWS_API)).isEqualTo(BodyNeed.NONE);
        assertThat(aws.onHeaders(req.facts(), HostClass.AWS_API).reason()).isEqualTo(Reason.BODY_ENCODING_UNSUPPORTED);
        Req gz = assumeRole(STS, FORM, "Content-Encoding", "gzip").declaredBody(100);
        assertThat(aws.bodyNeed(gz.facts(), HostClass.AWS_API).kind()).isEqualTo(BodyNeed.Kind.WHOLE);
        assertThat(aws.onHeaders(gz.facts(), HostClass.AWS_API).allowed()).isTrue();
    }

    @Test
    void theCorpusFramingDecodesToItsPayload() throws UndecodableBody {
        // awscli-v1/s3api-put-object-crc32: botocore's unsigned-payload trailer framing.
        ByteBuffer framed = ByteBuffer.wrap(raw("1b\r\nhello corpus, small upload\n\r\n0\r\nx-amz-checksum-crc32:ZKlShA==\r\n\r\n"))
                .asReadOnlyBuffer();
        ByteBuffer payload = AwsChunkedBody.decode(framed, "27");
        assertThat(StandardCharsets.ISO_8859_1.decode(payload).toString()).isEqualTo("hello corpus, small upload\n");
    }

    @Test
    void decodingReadsADirectReadOnlyBodyAndLeavesItsPosition() throws UndecodableBody {
        byte[] gz = gzip(bytes(CORP_ROLE));
        ByteBuffer direct = ByteBuffer.allocateDirect(gz.length + 4).put(new byte[4]).put(gz).flip().position(4);
        ByteBuffer body = direct.slice().asReadOnlyBuffer();
        ByteBuffer out = Inflation.gunzip(body, 1024);
        assertThat(StandardCharsets.ISO_8859_1.decode(out).toString()).isEqualTo(CORP_ROLE);
        assertThat(body.position()).isZero();
    }

    @Test
    void theBombIsStoppedAtTheRatioNotAfterDecodingItAll() {
        byte[] bomb = gzip(new byte[50 * 1024 * 1024]);
        assertThatThrownBy(() -> Inflation.gunzip(ByteBuffer.wrap(bomb), 16 * 1024 * 1024))
                .isInstanceOfSatisfying(UndecodableBody.class, e -> assertThat(e.reason()).isEqualTo(Reason.BODY_ENCODING_BOMB));
    }

    private static byte[] flipByte(byte[] b, int at) {
        byte[] copy = b.clone();
        copy[at] ^= 0x5a;
        return copy;
    }

    /** A form body of random base64: gzip barely shrinks it. */
    private static byte[] incompressible(int n) {
        byte[] random = new byte[n];
        new Random(7).nextBytes(random);
        return bytes("Action=AssumeRole&Policy=" + Base64.getUrlEncoder().encodeToString(random).substring(0, n));
    }
}

package io.sekisho.policy.aws.wire;

import io.sekisho.policy.Nullable;
import io.sekisho.policy.Reason;
import java.nio.ByteBuffer;

/**
 * Undoes the {@code aws-chunked} content coding of a body the inspection reads (§1.4, issue 18
 * point 3): {@code hex-size[;chunk-signature=sig]\r\n data \r\n} … {@code 0[;chunk-signature=sig]\r\n},
 * trailer lines {@code name:value\r\n}, then {@code \r\n} and nothing more.
 *
 * <p>Parsed strictly: one to eight hex digits, the chunk-signature extension and no other, CRLF
 * and never a bare LF, trailer values of base64 characters only, the decoded length equal to
 * {@code x-amz-decoded-content-length} when given. So the framing leaves no room for text of the
 * client's choosing outside the chunk data: a service that read the body without undoing the
 * coding would find no parameter that Sekisho did not see in the data. Trailers follow
 * {@link Trailers}.
 */
public final class AwsChunkedBody {
    private static final int MAX_SIZE_DIGITS = 8;
    /** A SigV4 chunk signature is 64 hex digits; a SigV4a one is a padded DER signature, still short. */
    private static final int MAX_SIGNATURE = 512;

    private AwsChunkedBody() {
    }

    /** The chunk data joined; {@code declaredLength} is x-amz-decoded-content-length or null. */
    public static ByteBuffer decode(ByteBuffer in, @Nullable String declaredLength) throws UndecodableBody {
        int end = in.limit();
        int at = in.position();
        byte[] out = new byte[in.remaining()];
        int n = 0;
        while (true) {
            int digitsEnd = hexEnd(in, at, end);
            int size = Integer.parseUnsignedInt(ascii(in, at, digitsEnd), 16);
            at = crlf(in, extension(in, digitsEnd, end), end);
            if (size == 0) {
                break;
            }
            if (size < 0 || size > end - at - 2) {
                throw malformed("chunk runs past the body");
            }
            in.get(at, out, n, size);
            n += size;
            at = crlf(in, at + size, end);
        }
        trailers(in, at, end);
        if (declaredLength != null && !declaredLength.strip().equals(Integer.toString(n))) {
            throw malformed("x-amz-decoded-content-length does not match the chunks");
        }
        return ByteBuffer.wrap(out, 0, n);
    }

    private static int hexEnd(ByteBuffer in, int at, int end) throws UndecodableBody {
        int i = at;
        while (i < end && i - at <= MAX_SIZE_DIGITS && isHex(in.get(i))) {
            i++;
        }
        if (i == at || i - at > MAX_SIZE_DIGITS) {
            throw malformed("chunk size is not 1 to 8 hex digits");
        }
        return i;
    }

    /** Nothing, or exactly {@code ;chunk-signature=} and hex digits (SigV4a pads with '*'). */
    private static int extension(ByteBuffer in, int at, int end) throws UndecodableBody {
        if (at >= end || in.get(at) != ';') {
            return at;
        }
        String name = AwsWireFacts.CHUNK_SIGNATURE_EXTENSION + "=";
        int valueStart = at + 1 + name.length();
        if (valueStart > end || !ascii(in, at + 1, valueStart).equalsIgnoreCase(name)) {
            throw malformed("chunk extension other than chunk-signature");
        }
        int i = valueStart;
        while (i < end && i - valueStart <= MAX_SIGNATURE && (isHex(in.get(i)) || in.get(i) == '*')) {
            i++;
        }
        if (i == valueStart || i - valueStart > MAX_SIGNATURE) {
            throw malformed("chunk signature is not hex");
        }
        return i;
    }

    /** Trailer lines up to the empty line that ends the body; nothing may follow it. */
    private static void trailers(ByteBuffer in, int at, int end) throws UndecodableBody {
        while (!isCrlf(in, at, end)) {
            int colon = at;
            while (colon < end && isTokenChar(in.get(colon))) {
                colon++;
            }
            if (colon == at || colon >= end || in.get(colon) != ':') {
                throw malformed("trailer line is not name:value");
            }
            Trailers.checkInsideAwsChunked(ascii(in, at, colon));
            int i = skipBlanks(in, colon + 1, end);
            int valueStart = i;
            while (i < end && isBase64(in.get(i))) {
                i++;
            }
            if (i == valueStart) {
                throw malformed("trailer value is not base64");
            }
            at = crlf(in, skipBlanks(in, i, end), end);
        }
        if (at + 2 != end) {
            throw malformed("bytes after the trailers");
        }
    }

    private static int crlf(ByteBuffer in, int at, int end) throws UndecodableBody {
        if (!isCrlf(in, at, end)) {
            throw malformed("CRLF expected");
        }
        return at + 2;
    }

    private static boolean isCrlf(ByteBuffer in, int at, int end) {
        return at + 1 < end && in.get(at) == '\r' && in.get(at + 1) == '\n';
    }

    private static int skipBlanks(ByteBuffer in, int at, int end) {
        while (at < end && (in.get(at) == ' ' || in.get(at) == '\t')) {
            at++;
        }
        return at;
    }

    private static boolean isHex(byte b) {
        return b >= '0' && b <= '9' || b >= 'a' && b <= 'f' || b >= 'A' && b <= 'F';
    }

    /** RFC 9110 §5.6.2 tchar. */
    private static boolean isTokenChar(byte b) {
        return b > 0x20 && b < 0x7f && "\"(),/:;<=>?@[\\]{}".indexOf(b) < 0;
    }

    /** Base64 (checksums), hence hex too (signatures), and SigV4a's '*' padding. */
    private static boolean isBase64(byte b) {
        return b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' || b >= '0' && b <= '9'
                || b == '+' || b == '/' || b == '=' || b == '*';
    }

    private static String ascii(ByteBuffer in, int from, int to) {
        byte[] b = new byte[to - from];
        in.get(from, b);
        return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static UndecodableBody malformed(String why) {
        return new UndecodableBody(Reason.BODY_AWS_CHUNKED_MALFORMED, why);
    }
}

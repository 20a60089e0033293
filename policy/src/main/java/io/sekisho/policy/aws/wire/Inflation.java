package io.sekisho.policy.aws.wire;

import io.sekisho.policy.Reason;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Undoes the {@code gzip} (RFC 1952) and {@code deflate} content codings of a body the
 * inspection reads (issue 18 point 3), with the JDK's zlib and two limits: the decoded body
 * counts against the same inspection limit as a plain one, and a body that grows by more than
 * {@link #MAX_RATIO} times (past {@link #RATIO_FLOOR} bytes) is a decompression bomb.
 *
 * <p>Strict on purpose, so that Sekisho and the service cannot read two different bodies from
 * one: {@code deflate} is the zlib format RFC 9110 §8.4.1.2 defines (a raw deflate stream is
 * refused, not guessed at), a gzip body is exactly one member whose CRC-32 and length match, and
 * nothing may follow the compressed stream.
 */
public final class Inflation {
    /** Decoded bytes per encoded byte beyond which a body is a bomb (deflate's own ceiling is ~1032). */
    public static final int MAX_RATIO = 100;
    /** Bodies that decode to no more than this are never called bombs: tiny inputs have high ratios. */
    public static final int RATIO_FLOOR = 16 * 1024;

    private static final int FTEXT_HCRC = 0x02;
    private static final int FEXTRA = 0x04;
    private static final int FNAME = 0x08;
    private static final int FCOMMENT = 0x10;
    private static final int FRESERVED = 0xE0;
    private static final int GZIP_TRAILER = 8;

    private Inflation() {
    }

    /** gzip: header, raw deflate, CRC-32 and ISIZE trailer, end of body. */
    public static ByteBuffer gunzip(ByteBuffer in, int limit) throws UndecodableBody {
        int start = in.position();
        int end = in.limit();
        int deflateStart = gzipHeaderEnd(in, start, end);
        Inflater inflater = new Inflater(true);
        try {
            Decoded d = inflate(inflater, in.duplicate().position(deflateStart), limit);
            if (inflater.getRemaining() != GZIP_TRAILER) {
                throw failed("gzip trailer missing, or bytes after it");
            }
            CRC32 crc = new CRC32();
            crc.update(d.bytes, 0, d.length);
            if (le32(in, end - 8) != (int) crc.getValue() || le32(in, end - 4) != d.length) {
                throw failed("gzip CRC-32 or length does not match");
            }
            return ByteBuffer.wrap(d.bytes, 0, d.length);
        } finally {
            inflater.end();
        }
    }

    /** deflate: a zlib stream (its header and Adler-32 are checked by zlib), end of body. */
    public static ByteBuffer inflate(ByteBuffer in, int limit) throws UndecodableBody {
        Inflater inflater = new Inflater(false);
        try {
            Decoded d = inflate(inflater, in.duplicate(), limit);
            if (inflater.getRemaining() != 0) {
                throw failed("bytes after the deflate stream");
            }
            return ByteBuffer.wrap(d.bytes, 0, d.length);
        } finally {
            inflater.end();
        }
    }

    @SuppressWarnings("ArrayRecordComponent") // a private carrier, never compared, hashed or shared
    private record Decoded(byte[] bytes, int length) {
    }

    private static Decoded inflate(Inflater inflater, ByteBuffer src, int limit) throws UndecodableBody {
        int encoded = src.remaining();
        inflater.setInput(src);
        byte[] out = new byte[(int) Math.min(limit + 1L, Math.max(1024L, 4L * encoded))];
        int n = 0;
        try {
            while (!inflater.finished()) {
                if (n == out.length) {
                    out = Arrays.copyOf(out, (int) Math.min(limit + 1L, 2L * out.length));
                }
                int k = inflater.inflate(out, n, out.length - n);
                n += k;
                if (n > RATIO_FLOOR && n > (long) MAX_RATIO * Math.max(1L, inflater.getBytesRead())) {
                    throw new UndecodableBody(Reason.BODY_ENCODING_BOMB, "decoded body grows over " + MAX_RATIO + "x");
                }
                if (n > limit) {
                    throw new UndecodableBody(Reason.BODY_TOO_LARGE_TO_INSPECT, "decoded body over the limit");
                }
                if (k == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw failed("compressed body is truncated or needs a dictionary");
                }
            }
        } catch (DataFormatException e) {
            throw failed("compressed body is corrupt");
        }
        return new Decoded(out, n);
    }

    /** RFC 1952 §2.3: ID1 ID2 CM FLG MTIME(4) XFL OS [XLEN extra] [name\0] [comment\0] [CRC16]. */
    private static int gzipHeaderEnd(ByteBuffer in, int start, int end) throws UndecodableBody {
        if (end - start < 10 + GZIP_TRAILER || u8(in, start) != 0x1f || u8(in, start + 1) != 0x8b
                || u8(in, start + 2) != 8) {
            throw failed("not a gzip member");
        }
        int flags = u8(in, start + 3);
        if ((flags & FRESERVED) != 0) {
            throw failed("gzip reserved flags set");
        }
        int at = start + 10;
        if ((flags & FEXTRA) != 0) {
            at = within(at + 2 + (u8(in, at) | u8(in, at + 1) << 8), end);
        }
        if ((flags & FNAME) != 0) {
            at = afterZero(in, at, end);
        }
        if ((flags & FCOMMENT) != 0) {
            at = afterZero(in, at, end);
        }
        if ((flags & FTEXT_HCRC) != 0) {
            CRC32 crc = new CRC32();
            crc.update(in.duplicate().position(start).limit(at));
            if ((u8(in, at) | u8(in, at + 1) << 8) != ((int) crc.getValue() & 0xffff)) {
                throw failed("gzip header CRC does not match");
            }
            at = within(at + 2, end);
        }
        return at;
    }

    private static int afterZero(ByteBuffer in, int at, int end) throws UndecodableBody {
        for (int i = at; i < end; i++) {
            if (in.get(i) == 0) {
                return i + 1;
            }
        }
        throw failed("gzip header field not terminated");
    }

    private static int within(int at, int end) throws UndecodableBody {
        if (at > end - GZIP_TRAILER) {
            throw failed("gzip header runs past the body");
        }
        return at;
    }

    private static int u8(ByteBuffer in, int i) throws UndecodableBody {
        if (i >= in.limit()) {
            throw failed("gzip header runs past the body");
        }
        return in.get(i) & 0xff;
    }

    private static int le32(ByteBuffer in, int i) throws UndecodableBody {
        return u8(in, i) | u8(in, i + 1) << 8 | u8(in, i + 2) << 16 | u8(in, i + 3) << 24;
    }

    private static UndecodableBody failed(String why) {
        return new UndecodableBody(Reason.BODY_DECODE_FAILED, why);
    }
}

package io.sekisho.proxy.http1;

import io.netty.buffer.ByteBuf;
import io.sekisho.policy.Nullable;

/**
 * Reads the raw bytes of request heads and of chunked framing, as they arrive and before Netty's
 * decoder parses them, and finds what that decoder silently repairs: tabs or several spaces
 * between the request line's words, a lower-case or unknown HTTP version, control bytes (NUL, a
 * bare CR) in any line, obs-fold continuation lines (RFC 9112 §3, §5.2), and chunk sizes that
 * are not plain hex or that overflow (Netty's int arithmetic wraps {@code 100000000} to 0, which
 * would end the body early and turn its rest into a request). A proxy that repairs what its
 * upstream may read differently is where request smuggling starts, so each of these is refused.
 *
 * <p>Netty stays the one authority on framing; this scanner only refuses. Positions are kept
 * relative to the buffer's reader index, and {@link #consumed} shifts them when the decoder has
 * read bytes. The scanner always runs over everything the buffer holds before the decoder does,
 * so the decoder never reads a byte the scanner has not seen. Chunk data is counted, not read.
 */
final class RequestHeadScanner {
    /** What the next bytes are. */
    private enum Part { HEAD, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, DONE }

    /** A chunk larger than this is refused: Netty counts chunk sizes in an int. */
    private static final long MAX_CHUNK = Integer.MAX_VALUE;

    private Part part = Part.HEAD;
    /** Where the current line (or chunk data) starts, relative to the reader index. */
    private int lineStart;
    /** How far the search for the current line's LF has come, relative to the reader index. */
    private int searched;
    private boolean requestLineSeen;
    /** Chunk data bytes still to come. */
    private long chunkLeft;

    /** Starts on the next request head. */
    void reset() {
        part = Part.HEAD;
        requestLineSeen = false;
    }

    /** The head just decoded has a chunked body: its chunk-size line comes next. */
    void chunkedBody() {
        part = Part.CHUNK_SIZE;
    }

    /** True while the bytes scanned belong to a chunked body (its framing or its trailers). */
    boolean inBody() {
        return part != Part.HEAD && part != Part.DONE;
    }

    /** True once the head (or the chunked body's trailer section) has ended. */
    boolean waiting() {
        return part == Part.DONE;
    }

    /** The decoder read {@code n} bytes from the buffer. */
    void consumed(int n) {
        lineStart = Math.max(0, lineStart - n);
        searched = Math.max(lineStart, searched - n);
    }

    /**
     * Checks everything the buffer holds beyond what was checked before.
     *
     * @return null, or what is wrong (a fixed phrase: it never quotes the client's bytes)
     */
    @Nullable String scan(ByteBuf in) {
        int base = in.readerIndex();
        int end = in.writerIndex();
        while (part != Part.DONE) {
            if (part == Part.CHUNK_DATA) {
                long step = Math.min(chunkLeft, end - base - lineStart);
                chunkLeft -= step;
                lineStart += (int) step;
                searched = lineStart;
                if (chunkLeft > 0) {
                    return null;
                }
                part = Part.CHUNK_END;
                continue;
            }
            if (part == Part.HEAD && !requestLineSeen) {
                skipEmptyLines(in, base, end);
            }
            int lf = in.indexOf(base + searched, end, (byte) '\n');
            if (lf < 0) {
                searched = end - base;
                return null;
            }
            String problem = line(in, base + lineStart, lf);
            if (problem != null) {
                return problem;
            }
            lineStart = lf + 1 - base;
            searched = lineStart;
        }
        return null;
    }

    /**
     * RFC 9112 §2.2: empty lines before a request line are ignored. Netty's decoder drops CR and
     * LF there one byte at a time, so they are stepped over the same way, never half a line.
     */
    private void skipEmptyLines(ByteBuf in, int base, int end) {
        while (base + lineStart < end) {
            byte b = in.getByte(base + lineStart);
            if (b != '\r' && b != '\n') {
                break;
            }
            lineStart++;
        }
        searched = Math.max(searched, lineStart);
    }

    /** One line, {@code [from, lf)}; {@code lf} is the index of its LF. */
    private @Nullable String line(ByteBuf in, int from, int lf) {
        if (lf == from || in.getByte(lf - 1) != '\r') {
            return "line not ended by CRLF";
        }
        int to = lf - 1;
        switch (part) {
            case HEAD:
                if (!requestLineSeen) {
                    requestLineSeen = true;
                    return requestLine(in, from, to);
                }
                return fieldLine(in, from, to);
            case CHUNK_SIZE:
                return chunkSize(in, from, to);
            case CHUNK_END:
                part = Part.CHUNK_SIZE;
                return to == from ? null : "chunk data longer than its size";
            default:
                return fieldLine(in, from, to);
        }
    }

    /** A header or trailer field line, or the empty line that ends the section. */
    private @Nullable String fieldLine(ByteBuf in, int from, int to) {
        if (to == from) {
            part = Part.DONE;
            return null;
        }
        byte first = in.getByte(from);
        if (first == ' ' || first == '\t') {
            return "obs-fold field line";
        }
        for (int i = from; i < to; i++) {
            int b = in.getByte(i) & 0xff;
            if ((b < 0x20 && b != '\t') || b == 0x7f) {
                return "control character in a field line";
            }
        }
        return null;
    }

    /** {@code chunk-size [ chunk-ext ]} (RFC 9112 §7.1): hex digits, then nothing or ";…". */
    private @Nullable String chunkSize(ByteBuf in, int from, int to) {
        long size = 0;
        int i = from;
        while (i < to && Character.digit(in.getByte(i), 16) >= 0) {
            size = size * 16 + Character.digit(in.getByte(i), 16);
            if (size > MAX_CHUNK) {
                return "chunk size too large";
            }
            i++;
        }
        if (i == from) {
            return "malformed chunk size";
        }
        while (i < to && (in.getByte(i) == ' ' || in.getByte(i) == '\t')) {
            i++; // BWS before a chunk extension
        }
        if (i < to && in.getByte(i) != ';') {
            return "malformed chunk size";
        }
        for (; i < to; i++) {
            int b = in.getByte(i) & 0xff;
            if ((b < 0x20 && b != '\t') || b == 0x7f) {
                return "control character in a chunk extension";
            }
        }
        chunkLeft = size;
        part = size == 0 ? Part.TRAILERS : Part.CHUNK_DATA;
        return null;
    }

    /** {@code method SP request-target SP HTTP-version}, exactly (RFC 9112 §3). */
    private static @Nullable String requestLine(ByteBuf in, int from, int to) {
        int i = from;
        while (i < to && isTchar(in.getByte(i))) {
            i++;
        }
        if (i == from || i == to || in.getByte(i) != ' ') {
            return "malformed request method";
        }
        int targetStart = ++i;
        while (i < to && isTargetByte(in.getByte(i))) {
            i++;
        }
        if (i == targetStart || i == to || in.getByte(i) != ' ') {
            return "malformed request target";
        }
        i++;
        if (to - i != 8 || !isHttp1Version(in, i)) {
            return "unsupported HTTP version";
        }
        return null;
    }

    /** "HTTP/1.0" or "HTTP/1.1", in upper case as RFC 9112 §2.3 requires. */
    private static boolean isHttp1Version(ByteBuf in, int i) {
        return in.getByte(i) == 'H' && in.getByte(i + 1) == 'T' && in.getByte(i + 2) == 'T'
                && in.getByte(i + 3) == 'P' && in.getByte(i + 4) == '/' && in.getByte(i + 5) == '1'
                && in.getByte(i + 6) == '.' && (in.getByte(i + 7) == '0' || in.getByte(i + 7) == '1');
    }

    /** A visible ASCII byte: RFC 3986 has no spaces, controls or raw non-ASCII in a URI. */
    private static boolean isTargetByte(byte b) {
        return b > 0x20 && b < 0x7f;
    }

    /** RFC 9110 §5.6.2 tchar. */
    private static boolean isTchar(byte b) {
        if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')) {
            return true;
        }
        return b > 0x20 && b < 0x7f && "!#$%&'*+-.^_`|~".indexOf(b) >= 0;
    }
}

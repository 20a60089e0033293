package io.sekisho.e2e;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the {@code aws-chunked} content coding S3 uploads use (SigV4 streaming, with optional
 * trailers): {@code hex-size[;chunk-signature=…]\r\n data \r\n … 0\r\n trailer-lines \r\n}.
 * See "Signature Calculations for the Authorization Header: Transferring Payload in Multiple
 * Chunks" in the S3 API reference.
 */
final class AwsChunked {

    private AwsChunked() {
    }

    static boolean isAwsChunked(RecordedRequest request) {
        return request.header("Content-Encoding").orElse("").toLowerCase(Locale.ROOT).contains("aws-chunked")
                || request.header("x-amz-content-sha256").orElse("").startsWith("STREAMING-");
    }

    /** The payload without framing; throws on a malformed stream (a fake must not guess). */
    static byte[] decode(byte[] framed) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (true) {
            int eol = indexOfCrLf(framed, at);
            if (eol < 0) {
                throw new IllegalArgumentException("aws-chunked: no chunk header at " + at);
            }
            String header = new String(framed, at, eol - at, StandardCharsets.US_ASCII);
            int semicolon = header.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? header : header.substring(0, semicolon)).trim(), 16);
            at = eol + 2;
            if (size == 0) {
                return out.toByteArray();
            }
            out.write(framed, at, size);
            at += size + 2;
        }
    }

    /** A trailer value (e.g. {@code x-amz-checksum-crc32}) after the last chunk, if present. */
    static Optional<String> trailer(byte[] framed, String name) {
        String text = new String(framed, StandardCharsets.ISO_8859_1);
        String needle = "\r\n" + name.toLowerCase(Locale.ROOT) + ":";
        int at = text.toLowerCase(Locale.ROOT).lastIndexOf(needle);
        if (at < 0) {
            return Optional.empty();
        }
        int start = at + needle.length();
        int end = text.indexOf("\r\n", start);
        return Optional.of(text.substring(start, end < 0 ? text.length() : end).trim());
    }

    private static int indexOfCrLf(byte[] bytes, int from) {
        for (int i = from; i + 1 < bytes.length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }
}

package io.sekisho.policy.aws;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

/** Test bodies in the content codings clients send: gzip, zlib and raw deflate, aws-chunked. */
public final class Encodings {
    private Encodings() {
    }

    public static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** RFC 1950 zlib, what HTTP calls deflate. */
    public static byte[] zlib(byte[] data) {
        return deflate(data, false);
    }

    /** A bare RFC 1951 stream without the zlib wrapper. */
    public static byte[] rawDeflate(byte[] data) {
        return deflate(data, true);
    }

    private static byte[] deflate(byte[] data, boolean raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream d = new DeflaterOutputStream(out, new Deflater(Deflater.DEFAULT_COMPRESSION, raw))) {
            d.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * SigV4 streaming framing: chunks of {@code chunkSize} bytes, each with a chunk signature
     * when {@code signed}, the zero chunk, then {@code trailerLines} ("name:value") and CRLF.
     */
    public static byte[] awsChunked(byte[] data, int chunkSize, boolean signed, String... trailerLines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int at = 0; at < data.length; at += chunkSize) {
            int n = Math.min(chunkSize, data.length - at);
            out.writeBytes(bytes(Integer.toHexString(n) + extension(signed) + "\r\n"));
            out.write(data, at, n);
            out.writeBytes(bytes("\r\n"));
        }
        out.writeBytes(bytes("0" + extension(signed) + "\r\n"));
        for (String t : trailerLines) {
            out.writeBytes(bytes(t + "\r\n"));
        }
        out.writeBytes(bytes("\r\n"));
        return out.toByteArray();
    }

    public static byte[] awsChunked(String text, String... trailerLines) {
        return awsChunked(bytes(text), 16, false, trailerLines);
    }

    private static String extension(boolean signed) {
        return signed ? ";chunk-signature=" + "ad".repeat(32) : "";
    }

    public static byte[] cut(byte[] b, int dropAtEnd) {
        return Arrays.copyOf(b, b.length - dropAtEnd);
    }

    public static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

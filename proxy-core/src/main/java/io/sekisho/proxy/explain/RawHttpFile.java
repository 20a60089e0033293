package io.sekisho.proxy.explain;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A raw HTTP/1.1 request as saved from the wire (or written by hand): request line, headers, an
 * empty line, the body. An origin-form target ({@code /path}) is judged as a request inside an
 * intercepted CONNECT to its {@code Host} on 443; an absolute-form target as the proxy judges it.
 * A chunked body is de-chunked, as the proxy's HTTP codec does before the policy sees it.
 */
final class RawHttpFile {
    private RawHttpFile() {
    }

    static ExplainRequest parse(byte[] bytes, String source) throws InputException {
        int headEnd = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        int sep = 4;
        int lf = indexOf(bytes, "\n\n".getBytes(StandardCharsets.ISO_8859_1));
        if (headEnd < 0 || (lf >= 0 && lf < headEnd)) {
            headEnd = lf;
            sep = 2;
        }
        String head = new String(bytes, 0, headEnd < 0 ? bytes.length : headEnd, StandardCharsets.ISO_8859_1);
        byte[] body = headEnd < 0 ? new byte[0] : Arrays.copyOfRange(bytes, headEnd + sep, bytes.length);
        String[] lines = head.split("\r?\n");
        String[] requestLine = lines[0].trim().split(" +");
        if (requestLine.length != 3 || !requestLine[2].startsWith("HTTP/")) {
            throw new InputException(source + ":1: not an HTTP request line: " + lines[0]);
        }
        List<String[]> headers = headers(lines, source);
        String host = null;
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase("Host")) {
                host = h[1];
            }
        }
        if (headers.stream().anyMatch(h -> h[0].equalsIgnoreCase("Transfer-Encoding")
                && h[1].toLowerCase(Locale.ROOT).contains("chunked"))) {
            body = dechunk(body, source);
        }
        String target = requestLine[1];
        if (!Urls.isAbsolute(target)) {
            if (host == null) {
                throw new InputException(source + ": an origin-form request needs a Host header");
            }
            target = "https://" + host + target;
        }
        return Urls.request(source, requestLine[0], target, headers, body);
    }

    private static List<String[]> headers(String[] lines, String source) throws InputException {
        List<String[]> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                throw new InputException(source + ":" + (i + 1) + ": not a header line: " + lines[i]);
            }
            headers.add(new String[] {lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()});
        }
        return headers;
    }

    private static byte[] dechunk(byte[] b, String source) throws InputException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (true) {
            int eol = indexOf(Arrays.copyOfRange(b, i, b.length), "\r\n".getBytes(StandardCharsets.ISO_8859_1));
            if (eol < 0) {
                return out.toByteArray();
            }
            String size = new String(b, i, eol, StandardCharsets.ISO_8859_1);
            int semi = size.indexOf(';');
            int n;
            try {
                n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new InputException(source + ": bad chunk size: " + size);
            }
            i += eol + 2;
            if (n == 0) {
                return out.toByteArray();
            }
            if (i + n > b.length) {
                // A capture cut short (a large upload saved in part): judge the bytes there are.
                out.write(b, i, b.length - i);
                return out.toByteArray();
            }
            out.write(b, i, n);
            i += n + 2;
        }
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}

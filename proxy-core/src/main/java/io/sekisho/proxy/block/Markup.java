package io.sekisho.proxy.block;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * Escaping for every value a block body repeats from the request or the config. Host, path,
 * contact and ids may hold anything a client or an operator typed, so nothing is written raw.
 */
final class Markup {

    private Markup() {
    }

    /**
     * Text safe inside XML and HTML element content and quoted attributes. Characters XML 1.0
     * forbids (C0 controls, lone surrogates, U+FFFE/U+FFFF) become U+FFFD so that a strict
     * parser such as botocore's never rejects the error document and loses the message.
     */
    static String xml(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i));
                    } else if (allowedInXml(c)) {
                        out.append(c);
                    } else {
                        out.append('\uFFFD');
                    }
                }
            }
        }
        return out.toString();
    }

    private static boolean allowedInXml(char c) {
        if (c < 0x20) {
            return c == '\t' || c == '\n' || c == '\r';
        }
        return !Character.isSurrogate(c) && c != '\uFFFE' && c != '\uFFFF';
    }

    /** The contents of a JSON string literal (RFC 8259 §7), without the quotes. */
    static String json(String s) {
        return new String(JsonStringEncoder.getInstance().quoteAsString(s));
    }
}

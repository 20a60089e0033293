package io.sekisho.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.IDN;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Fuzz target (docs/fuzzing.md): {@link HostName#parse} against references built from the JDK.
 * A name both accept must normalise alike ({@link IDN#toASCII} then {@link URI}'s RFC 2396
 * host grammar); an IP literal must be the address {@link InetAddress} reads from the same
 * text, written in RFC 5952 form; the fast path must agree with the full one; and nothing but
 * {@link IllegalArgumentException} (the documented refusal) may escape.
 */
class HostNameFuzzTest {
    private static final Pattern URI_SAFE = Pattern.compile("[A-Za-z0-9.-]+");
    private static final Pattern DIGITS_AND_DOTS = Pattern.compile("[0-9.]+");
    private static final Pattern LITERAL_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");
    /** WHATWG's "ends in a number": a host whose last label is one is never a name (HostName's javadoc). */
    private static final Pattern NUMBER = Pattern.compile("0x[0-9a-f]*|[0-9]+");

    @FuzzTest
    void parse(byte[] input) {
        String raw = new String(input, StandardCharsets.UTF_8);
        HostName h;
        try {
            h = HostName.parse(raw);
        } catch (IllegalArgumentException refused) {
            assertRefusedByFullPathToo(raw);
            String reference = referenceName(raw);
            assertThat(reference).as("a name the JDK reads as %s was refused", reference).isNull();
            return;
        }
        assertThat(HostName.parse(h.value())).as("normalising twice").isEqualTo(h);
        assertThat(HostName.parseWithoutFastPath(raw)).as("fast path against full path").isEqualTo(h);
        if (h.isIpLiteral()) {
            checkLiteral(raw, h);
        } else {
            checkName(raw, h);
        }
    }

    private static void assertRefusedByFullPathToo(String raw) {
        try {
            HostName full = HostName.parseWithoutFastPath(raw);
            throw new AssertionError("the fast path refused what the full path reads as " + full);
        } catch (IllegalArgumentException expected) {
            // both refuse
        }
    }

    private static void checkName(String raw, HostName h) {
        String v = h.value();
        assertThat(v).isEqualTo(v.toLowerCase(Locale.ROOT)).doesNotEndWith(".");
        assertThat(v.length()).isBetween(1, 253);
        assertThat(IDN.toASCII(v)).as("a name is already ASCII").isEqualTo(v);
        assertThat(DIGITS_AND_DOTS.matcher(v).matches()).as("a number-looking name").isFalse();
        for (String label : v.split("\\.", -1)) {
            assertThat(label.length()).isBetween(1, 63);
        }
        // RFC 2396's toplabel starts with a letter; RFC 1123 and WHATWG allow a digit (1password.com's kind).
        if (v.indexOf('_') < 0 && !Character.isDigit(v.charAt(v.lastIndexOf('.') + 1))) {
            assertThat(uriHost(v)).as("URI's reading of %s", v).isEqualTo(v);
        }
        String reference = referenceName(raw);
        if (reference != null) {
            assertThat(v).isEqualTo(reference);
        }
    }

    /**
     * The JDK's reading of a name: IDNA ToASCII, lower case, one trailing dot dropped, no empty
     * label, and then a host by URI's grammar (which knows no '_', no length limits, and takes a
     * trailing dot), unless its last label is a number.
     * Null when the JDK does not read it as a plain name.
     */
    static String referenceName(String raw) {
        String s = raw.trim();
        if (s.startsWith("[") || s.indexOf(':') >= 0) {
            return null;
        }
        String ascii;
        try {
            ascii = IDN.toASCII(s).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (ascii.endsWith(".")) {
            ascii = ascii.substring(0, ascii.length() - 1);
        }
        if (!URI_SAFE.matcher(ascii).matches()
                || NUMBER.matcher(ascii.substring(ascii.lastIndexOf('.') + 1)).matches()) {
            return null;
        }
        // IDNA maps U+2024 ONE DOT LEADER to '.', so "a\u2024." comes out "a..": an empty label, no name.
        if (ascii.length() > 253
                || Arrays.stream(ascii.split("\\.", -1)).anyMatch(l -> l.isEmpty() || l.length() > 63)) {
            return null;
        }
        return uriHost(ascii);
    }

    private static String uriHost(String ascii) {
        try {
            String host = new URI("http://" + ascii + "/").getHost();
            return host == null ? null : host.toLowerCase(Locale.ROOT);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static void checkLiteral(String raw, HostName h) {
        String s = raw.trim();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        if (s.endsWith(".") && s.indexOf(':') < 0) {
            s = s.substring(0, s.length() - 1);
        }
        assertThat(LITERAL_CHARS.matcher(s).matches()).as("literal text %s", s).isTrue();
        InetAddress jdk;
        try {
            jdk = InetAddress.getByName(s); // literal characters only: no DNS lookup
        } catch (UnknownHostException e) {
            throw new AssertionError("accepted a literal the JDK refuses: " + raw, e);
        }
        assertThat(h.literalAddress().getAddress()).as("address of %s", raw).isEqualTo(jdk.getAddress());
        if (jdk instanceof Inet6Address) {
            assertThat(h.value()).isEqualTo(rfc5952(jdk.getAddress()));
        } else {
            assertThat(h.value()).isEqualTo(jdk.getHostAddress());
        }
    }

    /** RFC 5952 §4, written independently of HostName: the first longest run (≥2) of zero groups as "::". */
    static String rfc5952(byte[] a) {
        String[] groups = new String[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = Integer.toHexString(((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff));
        }
        String full = ":" + String.join(":", groups) + ":";
        for (int run = 8; run >= 2; run--) {
            String zeros = ":0".repeat(run) + ":";
            int at = full.indexOf(zeros);
            if (at >= 0) {
                String joined = full.substring(0, at) + "::" + full.substring(at + zeros.length());
                return joined.replaceAll("^:(?!:)", "").replaceAll("(?<!:):$", "");
            }
        }
        return String.join(":", groups);
    }
}

package io.sekisho.policy.aws.catalog;

import io.sekisho.policy.Nullable;
import java.util.ArrayList;
import java.util.List;

/**
 * One label of a catalog host pattern: literal text mixed with the placeholders
 * {@code {region}}, {@code {acct}} and {@code {*}} (see host-catalog.txt). Matching works on a
 * slice of the host string so that classifying a host allocates nothing per label.
 */
final class LabelTemplate {
    private static final byte LITERAL = 0;
    private static final byte REGION = 1;
    private static final byte ACCT = 2;
    private static final byte ANY = 3;
    private static final int ACCOUNT_DIGITS = 12;

    private final String text;
    private final byte[] kinds;
    private final String[] literals;

    private LabelTemplate(String text, byte[] kinds, String[] literals) {
        this.text = text;
        this.kinds = kinds;
        this.literals = literals;
    }

    /** Parses one label of a pattern; throws IllegalArgumentException with the reason. */
    static LabelTemplate parse(String label) {
        if (label.isEmpty()) {
            throw new IllegalArgumentException("empty label");
        }
        List<Byte> kinds = new ArrayList<>();
        List<String> literals = new ArrayList<>();
        int i = 0;
        while (i < label.length()) {
            if (label.charAt(i) == '{') {
                int close = label.indexOf('}', i);
                if (close < 0) {
                    throw new IllegalArgumentException("unclosed '{' in label " + label);
                }
                kinds.add(placeholder(label.substring(i, close + 1), label));
                literals.add(null);
                i = close + 1;
            } else {
                int next = label.indexOf('{', i);
                int end = next < 0 ? label.length() : next;
                String lit = label.substring(i, end);
                if (!lit.matches("[a-z0-9_-]+")) {
                    throw new IllegalArgumentException("bad characters in label " + label);
                }
                kinds.add(LITERAL);
                literals.add(lit);
                i = end;
            }
        }
        for (int k = 1; k < kinds.size(); k++) {
            if (kinds.get(k) != LITERAL && kinds.get(k - 1) != LITERAL) {
                throw new IllegalArgumentException("two placeholders without text between them: " + label);
            }
        }
        byte[] k = new byte[kinds.size()];
        for (int j = 0; j < k.length; j++) {
            k[j] = kinds.get(j);
        }
        return new LabelTemplate(label, k, literals.toArray(new String[0]));
    }

    private static byte placeholder(String p, String label) {
        switch (p) {
            case "{region}":
                return REGION;
            case "{acct}":
                return ACCT;
            case "{*}":
                return ANY;
            default:
                throw new IllegalArgumentException("unknown placeholder " + p + " in label " + label);
        }
    }

    /** The whole label when it has no placeholder, else null. */
    @Nullable String literal() {
        return kinds.length == 1 && kinds[0] == LITERAL ? literals[0] : null;
    }

    /**
     * Weight of this label for "most specific wins": literal text outweighs a label that mixes
     * text and placeholders, which outweighs a typed placeholder, which outweighs {@code {*}}.
     */
    int weight() {
        if (literal() != null) {
            return 4;
        }
        boolean hasText = false;
        boolean onlyAny = true;
        for (byte k : kinds) {
            hasText |= k == LITERAL;
            onlyAny &= k == ANY;
        }
        return hasText ? 3 : onlyAny ? 1 : 2;
    }

    /** Number of literal characters, the tie-breaker between labels of equal weight. */
    int literalChars() {
        int n = 0;
        for (String l : literals) {
            n += l == null ? 0 : l.length();
        }
        return n;
    }

    /**
     * True when {@code host[from, to)} matches; the positions of a {@code {region}} or
     * {@code {acct}} placeholder are written into {@code captures}.
     */
    boolean matches(String host, int from, int to, RegionShape regions, Captures captures) {
        return matchFrom(0, host, from, to, regions, captures);
    }

    private boolean matchFrom(int seg, String host, int pos, int to, RegionShape regions, Captures c) {
        if (seg == kinds.length) {
            return pos == to;
        }
        switch (kinds[seg]) {
            case LITERAL: {
                String lit = literals[seg];
                return to - pos >= lit.length() && host.startsWith(lit, pos)
                        && matchFrom(seg + 1, host, pos + lit.length(), to, regions, c);
            }
            case ACCT: {
                int end = pos + ACCOUNT_DIGITS;
                if (end > to || !digits(host, pos, end) || !matchFrom(seg + 1, host, end, to, regions, c)) {
                    return false;
                }
                c.account(pos, end);
                return true;
            }
            case REGION:
                for (int end = to; end > pos; end--) {
                    if (regions.matches(host, pos, end) && matchFrom(seg + 1, host, end, to, regions, c)) {
                        c.region(pos, end);
                        return true;
                    }
                }
                return false;
            default:
                for (int end = pos + 1; end <= to; end++) {
                    if (matchFrom(seg + 1, host, end, to, regions, c)) {
                        return true;
                    }
                }
                return false;
        }
    }

    private static boolean digits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char ch = s.charAt(i);
            if (ch < '0' || ch > '9') {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return text;
    }

    /** Where the placeholders of the best match so far sit in the host string (-1 when none). */
    static final class Captures {
        int accountFrom = -1;
        int accountTo = -1;
        int regionFrom = -1;
        int regionTo = -1;

        void account(int from, int to) {
            accountFrom = from;
            accountTo = to;
        }

        void region(int from, int to) {
            regionFrom = from;
            regionTo = to;
        }

        void copyFrom(Captures o) {
            accountFrom = o.accountFrom;
            accountTo = o.accountTo;
            regionFrom = o.regionFrom;
            regionTo = o.regionTo;
        }
    }
}

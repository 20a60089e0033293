package io.sekisho.policy.signin;

import io.sekisho.policy.Rejection;
import io.sekisho.policy.Nullable;
import io.sekisho.policy.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The named values a sign-in request carries, from its query string and its body together:
 * AWS's sign-in endpoints accept the same fields either way ({@code Action=getSigninToken} as
 * a GET query or a form POST, aws-wire-facts §4.1), so a check that looked at one place only
 * could be walked around through the other.
 *
 * <p>Names are compared case-insensitively: we do not know that AWS is strict about
 * {@code Action} versus {@code action}, and being lenient here only makes the proxy look at
 * more, never less. A field that carries two different values is refused by
 * {@link #single} (AWS_CREDENTIAL_CONFLICT): the proxy and AWS could read different ones.
 */
final class Params {
    static final Params EMPTY = new Params(List.of());

    private final List<String[]> pairs;

    private Params(List<String[]> pairs) {
        this.pairs = pairs;
    }

    /**
     * Decodes {@code application/x-www-form-urlencoded} text (a query string or a form body).
     *
     * @param onError the reason a malformed percent-escape is denied with
     */
    static Params parseForm(String text, Reason onError) throws Rejection {
        if (text.isEmpty()) {
            return EMPTY;
        }
        if (!oneBytePerChar(text)) {
            // Forms are read as bytes (ISO-8859-1 chars); a wider char would be cut to a byte and
            // could read as another name (U+0641 as 'A'), so it is malformed, not guessed at.
            throw new Rejection(onError, "a form is read as bytes");
        }
        List<String[]> l = new ArrayList<>();
        io.sekisho.policy.aws.wire.Params p = io.sekisho.policy.aws.wire.Params.of(text);
        while (p.next()) {
            String name = p.name();
            String value = p.value();
            if (name == null || value == null) {
                throw new Rejection(onError, "malformed percent-encoding");
            }
            l.add(new String[] {name, value});
        }
        return new Params(List.copyOf(l));
    }

    private static boolean oneBytePerChar(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0xff) {
                return false;
            }
        }
        return true;
    }

    /**
     * Decodes a query string where a malformed escape must not break the page: a pair that
     * does not decode is kept as sent. For hosts whose rules read no query field (console,
     * portal pages), so that an odd URL there is not a deny.
     */
    static Params parseFormLenient(String text) {
        List<String[]> l = new ArrayList<>();
        io.sekisho.policy.aws.wire.Params p = io.sekisho.policy.aws.wire.Params.of(text);
        while (p.next()) {
            String name = p.name();
            String value = p.value();
            l.add(name == null || value == null ? new String[] {p.rawName(), p.rawValue()}
                    : new String[] {name, value});
        }
        return new Params(List.copyOf(l));
    }

    /** The top-level string members of a JSON object body (other members are ignored). */
    static Params fromJsonObject(Map<String, Object> object) {
        List<String[]> l = new ArrayList<>();
        for (Map.Entry<String, Object> e : object.entrySet()) {
            if (e.getValue() instanceof String v) {
                l.add(new String[] {e.getKey(), v});
            }
        }
        return new Params(List.copyOf(l));
    }

    /** These values followed by {@code more}'s. */
    Params plus(Params more) {
        if (more.pairs.isEmpty()) {
            return this;
        }
        if (pairs.isEmpty()) {
            return more;
        }
        List<String[]> l = new ArrayList<>(pairs);
        l.addAll(more.pairs);
        return new Params(List.copyOf(l));
    }

    boolean has(String name) {
        for (String[] p : pairs) {
            if (p[0].equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /** Every value of the field, in order. */
    List<String> all(String name) {
        List<String> out = new ArrayList<>(1);
        for (String[] p : pairs) {
            if (p[0].equalsIgnoreCase(name)) {
                out.add(p[1]);
            }
        }
        return out;
    }

    /**
     * The field's one value (repeats of the same value are fine), or null when absent.
     *
     * @throws Rejection AWS_CREDENTIAL_CONFLICT when the field carries two different values
     */
    @Nullable String single(String name) throws Rejection {
        String found = null;
        for (String[] p : pairs) {
            if (!p[0].equalsIgnoreCase(name)) {
                continue;
            }
            if (found != null && !found.equals(p[1])) {
                throw new Rejection(Reason.AWS_CREDENTIAL_CONFLICT, "field '" + name + "' has two different values");
            }
            found = p[1];
        }
        return found;
    }

    /** True when any value of the field equals {@code value}, ignoring case and surrounding blanks. */
    boolean hasValue(String name, String value) {
        for (String v : all(name)) {
            if (v.strip().equalsIgnoreCase(value)) {
                return true;
            }
        }
        return false;
    }
}

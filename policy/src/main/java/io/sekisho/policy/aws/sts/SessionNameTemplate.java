package io.sekisho.policy.aws.sts;

import java.util.Objects;

/**
 * {@code aws.sts.roleSessionName}: the text an {@code sts:AssumeRole} call's
 * {@code RoleSessionName} must equal, {@code {user}} standing for the authenticated user.
 *
 * <p>IAM allows {@code [\w+=,.@-]}, 2 to 64 characters, in a session name (the AssumeRole API
 * reference), so the user name is mapped before it is put in:
 * <ol>
 *   <li>a Windows down-level prefix is dropped: {@code CORP\alice} becomes {@code alice};</li>
 *   <li>each other character outside {@code [A-Za-z0-9_+=,.@-]} (a space, a slash, a non-ASCII
 *       letter…) becomes {@code _}, one per code point;</li>
 *   <li>the whole rendered name is cut to 64 characters.</li>
 * </ol>
 * The comparison ignores ASCII case: directories compare user names so ({@code Alice} and
 * {@code alice} are one Active Directory account), and a session name differing only in case names
 * the same person in CloudTrail.
 */
public final class SessionNameTemplate {
    /** The placeholder for the user name. */
    public static final String USER = "{user}";
    static final int MAX_LENGTH = 64;

    private final String text;

    private SessionNameTemplate(String text) {
        this.text = text;
    }

    /**
     * @throws IllegalArgumentException when {@code text} has no {@code {user}}, another
     *     {@code {…}}, or a character IAM does not allow in a session name
     */
    public static SessionNameTemplate parse(String text) {
        Objects.requireNonNull(text);
        if (!text.contains(USER)) {
            throw new IllegalArgumentException("`" + text + "` must contain {user}, which stands for the"
                    + " authenticated user");
        }
        String literal = text.replace(USER, "");
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            if (!allowed(c)) {
                throw new IllegalArgumentException("`" + text + "`: `" + c + "` is not allowed in a role session"
                        + " name (letters, digits and + = , . @ _ - only; {user} is the only placeholder)");
            }
        }
        if (literal.length() > MAX_LENGTH - 2) {
            throw new IllegalArgumentException("`" + text + "` leaves no room for the user name within "
                    + MAX_LENGTH + " characters");
        }
        return new SessionNameTemplate(text);
    }

    /** The session name {@code user} must give. */
    public String render(String user) {
        String rendered = text.replace(USER, map(user));
        return rendered.length() > MAX_LENGTH ? rendered.substring(0, MAX_LENGTH) : rendered;
    }

    /** True when {@code sent} is what {@code user} must give (ASCII case ignored). */
    public boolean accepts(String user, String sent) {
        return render(user).equalsIgnoreCase(sent) && asciiOnly(sent);
    }

    static String map(String user) {
        String name = user.substring(user.lastIndexOf('\\') + 1);
        StringBuilder out = new StringBuilder(name.length());
        name.codePoints().forEach(cp -> out.append(cp < 0x80 && allowed((char) cp) ? (char) cp : '_'));
        return out.toString();
    }

    private static boolean asciiOnly(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static boolean allowed(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "_+=,.@-".indexOf(c) >= 0;
    }

    @Override
    public String toString() {
        return text;
    }
}

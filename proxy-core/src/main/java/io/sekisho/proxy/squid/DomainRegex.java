package io.sekisho.proxy.squid;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code dstdom_regex} that is exactly a domain pattern, as Sekisho writes it: {@code ^a\.b$}
 * (exact), {@code \.a\.b$} (subdomains only: {@code *.a.b}), {@code (^|\.)a\.b$} or
 * {@code ^(.*\.)?a\.b$} (apex and subdomains: {@code .a.b}). Anything else is not converted.
 */
final class DomainRegex {
    /** Labels of letters, digits and hyphens, dots escaped. */
    private static final String NAME = "((?:[a-z0-9-]+\\\\\\.)*[a-z0-9-]+)";
    private static final Pattern EXACT = Pattern.compile("\\^" + NAME + "\\$");
    private static final Pattern SUBDOMAINS = Pattern.compile("\\\\\\." + NAME + "\\$");
    private static final Pattern APEX_AND_SUBDOMAINS =
            Pattern.compile("(?:\\(\\^\\|\\\\\\.\\)|\\^\\(\\.\\*\\\\\\.\\)\\?)" + NAME + "\\$");

    private DomainRegex() {
    }

    static Optional<String> toDomain(String regex) {
        String r = regex.toLowerCase(java.util.Locale.ROOT);
        Matcher m = EXACT.matcher(r);
        if (m.matches()) {
            return Optional.of(unescape(m.group(1)));
        }
        m = APEX_AND_SUBDOMAINS.matcher(r);
        if (m.matches()) {
            return Optional.of("." + unescape(m.group(1)));
        }
        m = SUBDOMAINS.matcher(r);
        if (m.matches()) {
            return Optional.of("*." + unescape(m.group(1)));
        }
        return Optional.empty();
    }

    private static String unescape(String s) {
        return s.replace("\\.", ".");
    }
}

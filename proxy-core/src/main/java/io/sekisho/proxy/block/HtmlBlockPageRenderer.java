package io.sekisho.proxy.block;

import io.sekisho.policy.AwsProtocol;
import io.sekisho.policy.Nullable;
import io.sekisho.policy.Reason;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The page a browser shows for a blocked navigation (issue 5 point 7): what was blocked, the
 * account(s), the reason, the correlation id (the audit line's request id) and whom to ask.
 * Self-contained: no script, image, font or stylesheet is fetched, and the Content-Security-Policy
 * says so, because the page is served under the blocked site's origin.
 *
 * <p>It answers navigations only (an Accept that names text/html) of non-API requests and of
 * every console sign-in request; an XHR or API call gets its protocol's error instead.
 */
public final class HtmlBlockPageRenderer implements BlockRenderer {
    static final String CSP = "default-src 'none'; style-src 'unsafe-inline'";
    /** Sign-in and console reasons: their pages are for people even where the host is an API host. */
    private static final Set<Reason> SIGNIN_REASONS = EnumSet.of(Reason.AWS_PORTAL_NOT_ALLOWED,
            Reason.AWS_SIGNIN_TOKEN_UNKNOWN, Reason.AWS_SAML_MALFORMED, Reason.AWS_SIGNIN_ACCOUNT_UNKNOWN,
            Reason.AWS_ROOT_SIGNIN, Reason.AWS_CONSOLE_SESSION_FOREIGN, Reason.PROVENANCE_STORE_UNAVAILABLE);

    private static final String STYLE = "body{margin:0;background:#f4f5f7;color:#1d232b;"
            + "font:16px/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif}"
            + "main{max-width:44rem;margin:3rem auto;padding:2rem 2.5rem;background:#fff;"
            + "border-top:6px solid #b3261e;border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.12)}"
            + "h1{margin:0 0 .75rem;font-size:1.6rem}p{margin:.75rem 0}"
            + ".why{font-size:1.15rem}dl{display:grid;grid-template-columns:max-content 1fr;gap:.4rem 1.25rem;"
            + "margin:1.5rem 0;padding:1rem 1.25rem;background:#f4f5f7;border-radius:4px}"
            + "dt{font-weight:600;color:#4a5360}dd{margin:0;overflow-wrap:anywhere}"
            + "code{font:.95rem ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}"
            + ".contact{color:#4a5360}";

    private final String contact;

    /** @param contact {@code blockPage.contact}: who to ask for access ("" when unset) */
    public HtmlBlockPageRenderer(String contact) {
        this.contact = Objects.requireNonNull(contact).strip();
    }

    @Override
    public @Nullable Body render(BlockContext c) {
        if (c.connect() || !c.acceptsHtml() || !forPeople(c)) {
            return null;
        }
        byte[] html = page(c).getBytes(StandardCharsets.UTF_8);
        return new Body("text/html; charset=utf-8", html, List.of(
                Map.entry("Content-Security-Policy", CSP), Map.entry("X-Content-Type-Options", "nosniff")));
    }

    private static boolean forPeople(BlockContext c) {
        return c.protocol() == AwsProtocol.NONE || !c.decision().evidence().flow().isEmpty()
                || SIGNIN_REASONS.contains(c.decision().reason());
    }

    String page(BlockContext c) {
        String title = BlockReasons.headline(c);
        StringBuilder b = new StringBuilder(2048);
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<meta name=\"robots\" content=\"noindex\">")
                .append("<title>").append(title).append("</title><style>").append(STYLE).append("</style></head>\n")
                .append("<body><main>\n<h1>").append(title).append("</h1>\n")
                .append("<p class=\"why\">")
                .append(Markup.xml(BlockReasons.explain(c.decision(), List.of()))).append(".</p>\n<dl>\n");
        row(b, "Address", c.host().isEmpty() ? "(unknown)" : c.host() + c.path());
        if (!c.accounts().isEmpty()) {
            row(b, c.accounts().size() == 1 ? "AWS account" : "AWS accounts", String.join(", ", c.accounts()));
        }
        if (!c.user().isEmpty()) {
            row(b, "User", c.user());
        }
        row(b, "Reason code", c.decision().reason().name());
        row(b, "Correlation id", c.requestId());
        b.append("</dl>\n<p class=\"contact\">");
        if (contact.isEmpty()) {
            b.append("If you need this for your work, ask your IT security team and quote the correlation id.");
        } else {
            b.append("If you need this for your work, contact ").append(Markup.xml(contact))
                    .append(" and quote the correlation id.");
        }
        return b.append("</p>\n</main></body></html>\n").toString();
    }

    private static void row(StringBuilder b, String term, String value) {
        b.append("<dt>").append(term).append("</dt><dd><code>").append(Markup.xml(value)).append("</code></dd>\n");
    }
}

package io.sekisho.policy.signin;

import io.sekisho.policy.aws.wire.JsonDocument;
import io.sekisho.policy.Rejection;
import io.sekisho.policy.Reason;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Defence in depth on console hosts (aws-wire-facts §4.5): the {@code aws-userInfo} cookie
 * names the signed-in principal's ARN. A session of a foreign account is denied.
 *
 * <p>The cookie is undocumented and unsigned, so it only ever counts against a request: a
 * missing or unreadable cookie is no evidence either way, and a company ARN in it proves
 * nothing (anyone can set it). The sign-in checks are what keep foreign sessions from being
 * created; this catches a session created elsewhere whose cookies were carried over.
 */
final class ConsoleRule {
    private final CompanyAccounts accounts;

    ConsoleRule(CompanyAccounts accounts) {
        this.accounts = accounts;
    }

    void check(SigninRequest r, Findings f) throws Rejection {
        boolean foreign = false;
        for (String header : r.facts.headers().getAll("Cookie")) {
            for (String pair : header.split(";")) {
                int eq = pair.indexOf('=');
                if (eq < 0 || !pair.substring(0, eq).strip().equals(InferredWire.USER_INFO_COOKIE)) {
                    continue;
                }
                Optional<String> account = accountOf(pair.substring(eq + 1).strip());
                if (account.isPresent()) {
                    f.principal(account.get());
                    foreign |= !accounts.isAllowed(account.get());
                }
            }
        }
        if (foreign) {
            throw new Rejection(Reason.AWS_CONSOLE_SESSION_FOREIGN, Rules.ACCOUNTS,
                    "console session of a foreign account");
        }
    }

    private static Optional<String> accountOf(String cookieValue) {
        try {
            String json = URLDecoder.decode(unquote(cookieValue), StandardCharsets.UTF_8);
            Map<String, Object> info = JsonDocument.parseObject(json, Reason.BAD_REQUEST);
            return CompanyAccounts.accountOfArn(JsonDocument.string(info, "arn"));
        } catch (Rejection | IllegalArgumentException e) {
            return Optional.empty(); // unreadable: not evidence either way
        }
    }

    private static String unquote(String v) {
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }
}

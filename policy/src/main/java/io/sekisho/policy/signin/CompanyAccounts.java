package io.sekisho.policy.signin;

import io.sekisho.policy.AwsSettings;
import io.sekisho.policy.Nullable;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The company's accounts ({@code aws.accounts}) as the sign-in rules use them: by ID, and by
 * the IAM account aliases the operator configured. Aliases are never guessed or looked up:
 * an alias that is not configured is unknown, whoever owns it.
 */
final class CompanyAccounts {
    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
    /** Account IDs as people type them into the sign-in form: 1111-2222-3333. */
    private static final Pattern DASHED_ID = Pattern.compile("(\\d{4})-(\\d{4})-(\\d{4})");
    /** {@code arn:<partition>:<service>:<region>:<account>:<resource>}. */
    private static final Pattern ARN = Pattern.compile("arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\\d{12}):.+");

    private final Set<String> ids;
    private final Map<String, String> aliasToId;

    CompanyAccounts(AwsSettings settings) {
        Map<String, String> aliases = new HashMap<>();
        for (AwsSettings.AccountEntry a : settings.accounts()) {
            for (String alias : a.aliases()) {
                aliases.put(alias.toLowerCase(Locale.ROOT), a.id());
            }
        }
        this.ids = settings.accounts().stream().map(AwsSettings.AccountEntry::id)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
        this.aliasToId = Map.copyOf(aliases);
    }

    /** True when no account is configured: AWS account checks are off (AwsSettings). */
    boolean checksOff() {
        return ids.isEmpty();
    }

    boolean isAllowed(String accountId) {
        return ids.contains(accountId);
    }

    /**
     * The account an ID-or-alias names: an account ID (any, allowed or not) as itself, a
     * configured alias as its account; empty for an alias nobody configured.
     */
    Optional<String> resolve(String idOrAlias) {
        String s = idOrAlias.strip().toLowerCase(Locale.ROOT);
        if (ACCOUNT_ID.matcher(s).matches()) {
            return Optional.of(s);
        }
        Matcher d = DASHED_ID.matcher(s);
        if (d.matches()) {
            return Optional.of(d.group(1) + d.group(2) + d.group(3));
        }
        return Optional.ofNullable(aliasToId.get(s));
    }

    /** The account in an ARN, or empty when the text is not an ARN with an account. */
    static Optional<String> accountOfArn(@Nullable String arn) {
        if (arn == null) {
            return Optional.empty();
        }
        Matcher m = ARN.matcher(arn.strip());
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }
}

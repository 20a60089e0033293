package io.sekisho.policy.aws.credentials;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Access key ID → account, in the order of issue 4 point 3: offline decoding of new-generation
 * keys; then the configured static map ({@code aws.keys}, for old keys); then the cached answers
 * of an {@code sts:GetAccessKeyInfo} resolver. Pure and thread-safe; never blocks.
 */
public final class AccountResolver {

    /** Where an account came from. */
    public enum Source { DECODED, STATIC, LOOKUP, NONE }

    /**
     * @param account twelve digits, or "" when unresolved
     * @param source how it was found; {@link Source#NONE} when unresolved
     */
    public record Resolution(String account, Source source) {
        public static final Resolution UNRESOLVED = new Resolution("", Source.NONE);

        public Resolution {
            Objects.requireNonNull(account);
            Objects.requireNonNull(source);
        }

        public boolean resolved() {
            return source != Source.NONE;
        }
    }

    private final Map<String, String> staticKeys;
    private final KeyLookup lookup;

    public AccountResolver(Map<String, String> staticKeys, KeyLookup lookup) {
        this.staticKeys = Map.copyOf(staticKeys);
        this.lookup = Objects.requireNonNull(lookup);
    }

    public Resolution resolve(String keyId) {
        if (keyId == null || keyId.isEmpty()) {
            return Resolution.UNRESOLVED;
        }
        String decoded = AccessKeys.decodeOrNull(keyId);
        if (decoded != null) {
            return new Resolution(decoded, Source.DECODED);
        }
        String configured = staticKeys.get(keyId);
        if (configured != null) {
            return new Resolution(configured, Source.STATIC);
        }
        Optional<String> cached = lookup.cached(keyId);
        if (cached.isPresent() && AccessKeys.isAccountId(cached.get())) {
            return new Resolution(cached.get(), Source.LOOKUP);
        }
        return Resolution.UNRESOLVED;
    }

    /**
     * True when this key cannot be resolved yet but a configured lookup could: well-formed, not
     * decodable, not in the static map, not cached.
     */
    public boolean wantsLookup(String keyId) {
        return lookup.enabled() && AccessKeys.isWellFormed(keyId) && !resolve(keyId).resolved();
    }
}

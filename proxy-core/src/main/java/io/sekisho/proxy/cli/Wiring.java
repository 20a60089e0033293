package io.sekisho.proxy.cli;

import io.sekisho.config.ConfigLoader;
import io.sekisho.config.LoadResult;
import io.sekisho.config.SekishoConfig;
import io.sekisho.policy.Policy;
import io.sekisho.policy.StandardPolicy;
import io.sekisho.policy.aws.credentials.KeyLookup;
import io.sekisho.policy.signin.InMemorySigninTokenStore;
import io.sekisho.policy.signin.SigninTokenStore;
import io.sekisho.proxy.aws.KeyLookupAsync;
import io.sekisho.proxy.aws.KeyLookups;
import io.sekisho.proxy.aws.StsKeyLookup;
import io.sekisho.proxy.block.BlockResponses;
import io.sekisho.proxy.provenance.ProvenanceAccess;
import io.sekisho.proxy.provenance.SharedTokenLedger;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * The one place where the CLI meets the other modules: the config loader, the decision engine
 * and the block responses. Tests pass their own.
 */
public interface Wiring {

    LoadResult load(Path file);

    SekishoConfig builtInDefault();

    Policy policyFor(SekishoConfig config);

    /**
     * The block responses: HTML page, AWS error dialects, plain text. Built once at start, so a
     * changed {@code blockPage.contact} takes effect on restart.
     */
    default BlockResponses blocksFor(SekishoConfig config) {
        return BlockResponses.standard(config.blockPageContact());
    }

    /**
     * Resolves the keys the policy names after an {@code AWS_KEY_UNRESOLVABLE} deny; the
     * proxy decides again when it answers. {@link KeyLookupAsync#NONE} when not configured.
     */
    default KeyLookupAsync keyLookup() {
        return KeyLookupAsync.NONE;
    }

    /**
     * The sign-in token store's fetches and records, for the forward path: the shared store's
     * once {@link #policyFor} has met a {@code cluster:} section, else {@link ProvenanceAccess#LOCAL}.
     */
    default ProvenanceAccess provenance() {
        return ProvenanceAccess.LOCAL;
    }

    /** The production wiring. */
    Wiring DEFAULT = new Wiring() {
        /** Kept across reloads: its cache and executor outlive one policy. */
        private final KeyLookups keyLookups = new KeyLookups(StsKeyLookup::fromConfig);
        /** Kept across reloads: a token issued before a reload can still be redeemed after it. */
        private final SigninTokenStore signinTokens = new InMemorySigninTokenStore();
        /** The shared store, made from the first configuration that names one; {@code cluster} needs a restart. */
        private final SharedStores shared = new SharedStores();

        @Override
        public ProvenanceAccess provenance() {
            SharedTokenLedger l = shared.ledger();
            return l == null ? ProvenanceAccess.LOCAL : l;
        }

        @Override
        public KeyLookupAsync keyLookup() {
            return keyLookups;
        }

        @Override
        public LoadResult load(Path file) {
            return ConfigLoader.load(file);
        }

        @Override
        public SekishoConfig builtInDefault() {
            return ConfigLoader.builtInDefault();
        }

        @Override
        public Policy policyFor(SekishoConfig config) {
            // Constructed only when aws.keyInfoResolver is configured.
            Optional<StsKeyLookup> keyLookup = keyLookups.forConfig(config.keyInfoResolver());
            // The policy reads only cached answers; the forward path fills the cache through
            // keyLookup() and decides again.
            KeyLookup lookup = keyLookup.<KeyLookup>map(k -> k).orElse(KeyLookup.NONE);
            SigninTokenStore tokens = config.cluster() == null ? signinTokens : shared.forConfig(config.cluster());
            return StandardPolicy.create(config.policy(), config.policies(), lookup, tokens, Clock.systemUTC());
        }
    };
}

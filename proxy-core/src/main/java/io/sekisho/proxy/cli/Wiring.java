package io.sekisho.proxy.cli;

import io.sekisho.config.ConfigLoader;
import io.sekisho.config.LoadResult;
import io.sekisho.config.SekishoConfig;
import io.sekisho.policy.HostClassifier;
import io.sekisho.policy.Policy;
import io.sekisho.policy.PolicyEngine;
import io.sekisho.proxy.aws.KeyLookups;
import io.sekisho.proxy.aws.StsKeyLookup;
import io.sekisho.proxy.block.BlockResponses;
import java.nio.file.Path;
import java.util.List;
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

    /** The production wiring. */
    Wiring DEFAULT = new Wiring() {
        /** Kept across reloads: its cache and executor outlive one policy. */
        private final KeyLookups keyLookups = new KeyLookups(StsKeyLookup::fromConfig);

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
            // TODO(AWS issue, lead): pass the AWS host catalog and the request inspectors once they exist:
            //   AwsApiInspector.of(config.policy(), keyLookup.<KeyLookup>map(k -> k).orElse(KeyLookup.NONE))
            // once StsKeyLookup implements io.sekisho.policy.aws.KeyLookup; the forward path then calls
            // keyLookup.lookup(inspector.keyNeedingLookup(facts)) off the event loop and decides again.
            return new PolicyEngine(config.policy(), HostClassifier.NONE, List.of());
        }
    };
}

package io.sekisho.proxy.cli;

import io.sekisho.config.ConfigLoader;
import io.sekisho.config.LoadResult;
import io.sekisho.config.SekishoConfig;
import io.sekisho.policy.HostClassifier;
import io.sekisho.policy.Policy;
import io.sekisho.policy.PolicyEngine;
import java.nio.file.Path;
import java.util.List;

/**
 * The one place where the CLI meets the other modules: the config loader and the decision
 * engine. Tests pass their own.
 */
public interface Wiring {

    LoadResult load(Path file);

    SekishoConfig builtInDefault();

    Policy policyFor(SekishoConfig config);

    /** The production wiring. */
    Wiring DEFAULT = new Wiring() {
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
            // TODO(AWS issue): pass the AWS host catalog and the request inspectors once they exist.
            return new PolicyEngine(config.policy(), HostClassifier.NONE, List.of());
        }
    };
}

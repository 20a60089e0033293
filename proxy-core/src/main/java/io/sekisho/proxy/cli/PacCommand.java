package io.sekisho.proxy.cli;

import io.sekisho.config.LoadResult;
import io.sekisho.config.SekishoConfig;
import io.sekisho.proxy.pac.PacFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sekisho pac --config FILE [--proxy HOST:PORT]}: the PAC file on stdout. */
@Command(name = "pac", mixinStandardHelpOptions = true,
        description = "Print the proxy auto-config (PAC) file generated from the configuration.")
final class PacCommand implements Callable<Integer> {
    private final Wiring wiring;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The YAML configuration.")
    Path config;

    @Option(names = "--proxy", paramLabel = "HOST:PORT",
            description = "Where clients reach the proxy (default: the listen address, unless it is a wildcard).")
    String proxy;

    PacCommand(Wiring wiring) {
        this.wiring = wiring;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        LoadResult r = wiring.load(config);
        if (!r.ok()) {
            r.errors().forEach(err::println);
            err.flush();
            return 1;
        }
        SekishoConfig cfg = Objects.requireNonNull(r.config(), "a config that loaded ok");
        String address = proxy;
        if (address == null) {
            String host = cfg.listen().host();
            if (host.equals("0.0.0.0") || host.equals("::")) {
                err.println("sekisho pac: listen is " + cfg.listen() + "; give the address clients use with --proxy");
                err.flush();
                return 2;
            }
            address = cfg.listen().toString();
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(PacFile.of(cfg, address).text());
        out.flush();
        return 0;
    }
}

package io.sekisho.proxy.squid;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Converts a squid.conf into a Sekisho configuration: {@code dstdomain} (inline and from files),
 * {@code dstdom_regex} where it is exactly a domain pattern, {@code src} (to clients.allow),
 * {@code http_port}, {@code cache_peer … parent} and the {@code http_access} rules. Everything
 * else is reported with its {@code file:line}, and so is every rule whose answer changes between
 * Squid's first match and Sekisho's most specific rule.
 */
public final class SquidImport {
    /** Squid's stock ACLs and rules: Sekisho's ports and address checks already do their job. */
    private static final Set<String> STOCK_ACLS = Set.of("SSL_ports", "Safe_ports", "CONNECT", "localhost",
            "manager", "to_localhost", "to_linklocal", "all");
    /** Directives about caching, logging and the process: nothing to convert in a non-caching proxy. */
    private static final Set<String> NOT_APPLICABLE = Set.of("cache_dir", "cache_mem", "coredump_dir",
            "refresh_pattern", "maximum_object_size", "minimum_object_size", "maximum_object_size_in_memory",
            "cache_log", "cache_store_log", "pid_filename", "visible_hostname", "cache", "logfile_rotate",
            "cache_effective_user", "shutdown_lifetime", "dns_nameservers", "never_direct", "always_direct");

    /** The conversion: the YAML, and what it says about the Squid configuration. */
    public record Result(String yaml, List<String> findings, int notConverted, int warnings) {
    }

    private final Findings findings = new Findings();
    private final Model model = new Model();

    /** The converted configuration, before it is written. */
    static final class Model {
        String listen = "";
        String listenWhere = "";
        String parent = "";
        String parentWhere = "";
        final List<Entry> allow = new ArrayList<>();
        final List<Entry> deny = new ArrayList<>();
        final List<Entry> clients = new ArrayList<>();
        final List<Integer> connectPorts = new ArrayList<>();
    }

    private SquidImport() {
    }

    public static Result convert(Path squidConf) throws IOException {
        SquidImport i = new SquidImport();
        List<SquidConf.Directive> directives = SquidConf.read(squidConf);
        Path dir = squidConf.getParent() == null ? Path.of("") : squidConf.getParent();
        SquidAcls acls = new SquidAcls(i.findings, dir);
        HttpAccess access = new HttpAccess(acls, i.findings, i.model);
        for (SquidConf.Directive d : directives) {
            i.directive(d, acls, access);
        }
        access.finish();
        AwsAdvice advice = new AwsAdvice(i.model, i.findings);
        String yaml = SquidYaml.write(squidConf, i.model, advice.proposal());
        return new Result(yaml, i.findings.lines(), i.findings.notConvertedCount(), i.findings.warningCount());
    }

    private void directive(SquidConf.Directive d, SquidAcls acls, HttpAccess access) {
        String name = d.name().toLowerCase(Locale.ROOT);
        switch (name) {
            case "acl" -> acls.add(d);
            case "http_access" -> access.add(d);
            case "http_port" -> httpPort(d);
            case "cache_peer" -> cachePeer(d);
            default -> {
                if (NOT_APPLICABLE.contains(name)) {
                    findings.note(d.where(), d.name() + " not converted: Sekisho does not cache and logs JSON audit"
                            + " lines (audit.file); never_direct/always_direct follow from upstream.parent");
                } else {
                    findings.notConverted(d.where(), d.text());
                }
            }
        }
    }

    private void httpPort(SquidConf.Directive d) {
        if (d.words().size() < 2) {
            findings.notConverted(d.where(), d.text());
            return;
        }
        for (String option : d.words().subList(2, d.words().size())) {
            String o = option.toLowerCase(Locale.ROOT);
            if (o.equals("intercept") || o.equals("transparent") || o.equals("tproxy")) {
                findings.notConverted(d.where(), "http_port " + option + ": Sekisho is an explicit forward proxy;"
                        + " clients must be configured to use it (PAC: sekisho pac)");
                return;
            }
            if (o.startsWith("ssl-bump")) {
                findings.note(d.where(), "ssl-bump: Sekisho intercepts TLS with tls.ca, for AWS hosts only by default");
            } else {
                findings.notConverted(d.where(), "http_port option " + option);
            }
        }
        String addr = d.words().get(1);
        String listen = addr.indexOf(':') < 0 || (addr.startsWith("[") && !addr.contains("]:")) ? "0.0.0.0:" + addr
                : addr;
        if (!model.listen.isEmpty()) {
            findings.notConverted(d.where(), "a second http_port (Sekisho listens on one address; kept "
                    + model.listen + " from " + model.listenWhere + ")");
            return;
        }
        model.listen = listen;
        model.listenWhere = d.where();
    }

    private void cachePeer(SquidConf.Directive d) {
        List<String> w = d.words();
        if (w.size() < 4 || !w.get(2).equals("parent")) {
            findings.notConverted(d.where(), d.text() + " (only a parent peer converts, to upstream.parent)");
            return;
        }
        if (!model.parent.isEmpty()) {
            findings.notConverted(d.where(), "a second cache_peer parent (Sekisho has one upstream.parent; kept "
                    + model.parent + " from " + model.parentWhere + ")");
            return;
        }
        for (String option : w.subList(Math.min(5, w.size()), w.size())) {
            if (!option.equals("no-query") && !option.equals("default") && !option.equals("no-digest")
                    && !option.equals("no-netdb-exchange")) {
                findings.notConverted(d.where(), "cache_peer option " + option.replaceAll("=.*", "=…"));
            }
        }
        model.parent = w.get(1) + ":" + w.get(3);
        model.parentWhere = d.where();
    }

    static boolean isStock(String acl) {
        return STOCK_ACLS.contains(acl);
    }
}

package io.sekisho.proxy.squid;

import io.sekisho.policy.domain.DomainPattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code http_access} rules, in order: destination ACLs become {@code domains.allow} and
 * {@code domains.deny}, client ACLs {@code clients.allow}; then every pair of rules whose answer
 * depends on the order is reported (Squid takes the first match, Sekisho the most specific rule,
 * deny winning a tie).
 */
final class HttpAccess {
    private record Rule(SquidConf.Directive d, boolean allow, List<String> acls) {
    }

    /** A converted destination with the rule it came from. */
    private record Placed(Entry entry, DomainPattern pattern, boolean allow, int rule) {
    }

    private final SquidAcls acls;
    private final Findings findings;
    private final SquidImport.Model model;
    private final List<Rule> rules = new ArrayList<>();
    private final List<Placed> placed = new ArrayList<>();

    HttpAccess(SquidAcls acls, Findings findings, SquidImport.Model model) {
        this.acls = acls;
        this.findings = findings;
        this.model = model;
    }

    void add(SquidConf.Directive d) {
        List<String> w = d.words();
        if (w.size() < 3 || !(w.get(1).equals("allow") || w.get(1).equals("deny"))) {
            findings.notConverted(d.where(), d.text());
            return;
        }
        rules.add(new Rule(d, w.get(1).equals("allow"), w.subList(2, w.size())));
    }

    void finish() {
        for (int i = 0; i < rules.size(); i++) {
            convert(rules.get(i), i);
        }
        new OrderCheck(findings).check(placed.stream().map(p -> new OrderCheck.Item(p.entry(), p.pattern(), p.allow(),
                p.rule(), rules.get(p.rule()).d().where())).toList());
    }

    private void convert(Rule r, int index) {
        List<SquidAcls.Acl> destinations = new ArrayList<>();
        List<SquidAcls.Acl> clients = new ArrayList<>();
        boolean stockOnly = true;
        for (String name : r.acls()) {
            boolean negated = name.startsWith("!");
            String bare = negated ? name.substring(1) : name;
            if (SquidImport.isStock(bare)) {
                continue;
            }
            stockOnly = false;
            Optional<SquidAcls.Acl> acl = acls.get(bare);
            if (acl.isEmpty()) {
                findings.notConverted(r.d().where(), "http_access names an undefined acl " + bare);
                return;
            }
            String type = acl.get().type();
            boolean destination = type.equals("dstdomain") || type.equals("dstdom_regex") || type.equals("dst");
            if (negated || !(destination || type.equals("src"))) {
                findings.notConverted(r.d().where(), r.d().text() + " (acl " + name + " of type " + type
                        + (negated ? ", negated" : "")
                        + ": Sekisho's rules name destinations, and clients.allow clients)");
                return;
            }
            (destination ? destinations : clients).add(acl.get());
        }
        if (stockOnly) {
            stock(r);
            return;
        }
        if (destinations.size() > 1) {
            findings.notConverted(r.d().where(), r.d().text() + " (two destination acls on one line must both match)");
            return;
        }
        clients(r, clients, destinations.isEmpty());
        if (!destinations.isEmpty()) {
            destinations(r, destinations.get(0), index);
        }
    }

    private void stock(Rule r) {
        if (r.allow() && r.acls().equals(List.of("all"))) {
            findings.notConverted(r.d().where(), "http_access allow all: Sekisho allows only listed domains");
            return;
        }
        if (r.acls().contains("!SSL_ports")) {
            acls.get("SSL_ports").ifPresent(ports -> ports.values().forEach(v -> {
                if (v.value().matches("\\d{1,5}")) {
                    model.connectPorts.add(Integer.parseInt(v.value()));
                } else {
                    findings.notConverted(v.where(), "SSL_ports range " + v.value() + " (ports.connect lists ports)");
                }
            }));
        }
        if (!r.allow() && r.acls().equals(List.of("all"))) {
            findings.note(r.d().where(), "http_access deny all: Sekisho denies whatever no rule allows");
            return;
        }
        findings.note(r.d().where(), r.d().text() + ": Squid's stock rule; Sekisho's ports.connect/ports.http and its"
                + " address checks (loopback, link-local, metadata) do this job");
    }

    private void clients(Rule r, List<SquidAcls.Acl> clients, boolean clientsOnly) {
        if (clients.isEmpty()) {
            return;
        }
        if (!r.allow()) {
            findings.notConverted(r.d().where(), r.d().text() + " (list only the networks that may use the proxy in"
                    + " clients.allow)");
            return;
        }
        for (SquidAcls.Acl c : clients) {
            for (Entry e : c.values()) {
                if (model.clients.stream().noneMatch(x -> x.value().equals(e.value()))) {
                    model.clients.add(e);
                }
            }
        }
        if (clientsOnly) {
            findings.warning(r.d().where(), r.d().text() + ": Squid lets these clients reach any site; Sekisho lets"
                    + " them use the proxy (clients.allow) and still allows only the listed domains");
        } else {
            findings.note(r.d().where(), "the client condition applies to the whole proxy (clients.allow), not to"
                    + " this rule alone");
        }
    }

    private void destinations(Rule r, SquidAcls.Acl acl, int index) {
        for (Entry v : acl.values()) {
            String value = v.value();
            if (acl.type().equals("dstdom_regex")) {
                Optional<String> domain = DomainRegex.toDomain(value);
                if (domain.isEmpty()) {
                    findings.notConverted(v.where(), "dstdom_regex " + value + " is not exactly a domain pattern;"
                            + " write the domains it should match");
                    continue;
                }
                value = domain.get();
            }
            DomainPattern p;
            try {
                p = DomainPattern.parse(value);
            } catch (IllegalArgumentException e) {
                findings.notConverted(v.where(), acl.type() + " " + value + ": " + e.getMessage());
                continue;
            }
            Entry converted = new Entry(value, v.where(), acl.name());
            (r.allow() ? model.allow : model.deny).add(converted);
            placed.add(new Placed(converted, p, r.allow(), index));
        }
    }
}

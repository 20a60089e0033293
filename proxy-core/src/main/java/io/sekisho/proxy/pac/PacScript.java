package io.sekisho.proxy.pac;

/**
 * The fixed part of the PAC file: only the standard helpers (dnsDomainIs, shExpMatch,
 * isInNet on IP literals only, so that no DNS query is made for a name), and the same
 * precedence as the proxy's domain rules (the more specific entry wins).
 */
final class PacScript {
    static final String FUNCTIONS = """
            function sekishoMatch(rule, host) {
              var kind = rule[0], name = rule[1];
              if (kind === "exact") return host === name;
              if (kind === "apex") return host === name || dnsDomainIs(host, "." + name);
              if (kind === "below") return host !== name && dnsDomainIs(host, "." + name);
              if (kind === "net") {
                return shExpMatch(host, "*.*.*.*") && /^[0-9.]+$/.test(host) && isInNet(host, name, rule[3]);
              }
              return false;
            }

            function sekishoBest(rules, host) {
              var best = -1;
              for (var i = 0; i < rules.length; i++) {
                if (rules[i][2] > best && sekishoMatch(rules[i], host)) best = rules[i][2];
              }
              return best;
            }

            function FindProxyForURL(url, host) {
              var h = host.toLowerCase();
              if (h.charAt(h.length - 1) === ".") h = h.substring(0, h.length - 1);
              for (var i = 0; i < AWS.length; i++) {
                if (h === AWS[i] || dnsDomainIs(h, "." + AWS[i])) return PROXY;
              }
              var direct = sekishoBest(DIRECT_RULES, h);
              if (direct >= 0 && direct >= sekishoBest(PROXY_RULES, h)) return "DIRECT";
              return PROXY;
            }
            """;

    private PacScript() {
    }
}

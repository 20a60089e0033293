package io.sekisho.proxy.explain;

import java.util.List;

/** Splits an absolute {@code http://} or {@code https://} URL by hand (no DNS, no normalising). */
final class Urls {
    private Urls() {
    }

    /** The parts of an absolute URL. */
    record Parts(String scheme, String host, int port, String path, String query) {
    }

    static boolean isAbsolute(String s) {
        String l = s.toLowerCase(java.util.Locale.ROOT);
        return l.startsWith("http://") || l.startsWith("https://");
    }

    static Parts parse(String url, String source) throws InputException {
        if (!isAbsolute(url)) {
            throw new InputException(source + ": not an http:// or https:// URL: " + url);
        }
        int colon = url.indexOf("://");
        String scheme = url.substring(0, colon).toLowerCase(java.util.Locale.ROOT);
        String rest = url.substring(colon + 3);
        int hash = rest.indexOf('#');
        rest = hash < 0 ? rest : rest.substring(0, hash);
        int end = firstOf(rest, "/?");
        String authority = end < 0 ? rest : rest.substring(0, end);
        String target = end < 0 ? "/" : rest.substring(end);
        int at = authority.lastIndexOf('@');
        authority = at < 0 ? authority : authority.substring(at + 1);
        String host = authority;
        int port = scheme.equals("https") ? 443 : 80;
        int portColon = authority.startsWith("[") ? authority.indexOf("]:") + 1 : authority.lastIndexOf(':');
        if (portColon > 0) {
            host = authority.substring(0, portColon);
            try {
                port = Integer.parseInt(authority.substring(portColon + 1));
            } catch (NumberFormatException e) {
                throw new InputException(source + ": bad port in " + url);
            }
        }
        if (host.isEmpty()) {
            throw new InputException(source + ": no host in " + url);
        }
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        return new Parts(scheme, host, port, path.isEmpty() ? "/" : path, q < 0 ? "" : target.substring(q + 1));
    }

    /** The request for a URL, with a Host header first as a client sends it. */
    static ExplainRequest request(String source, String method, String url, List<String[]> headers, byte[] body)
            throws InputException {
        Parts p = parse(url, source);
        java.util.ArrayList<String[]> all = new java.util.ArrayList<>();
        if (headers.stream().noneMatch(h -> h[0].equalsIgnoreCase("Host"))) {
            boolean defaultPort = p.port() == (p.scheme().equals("https") ? 443 : 80);
            all.add(new String[] {"Host", defaultPort ? p.host() : p.host() + ":" + p.port()});
        }
        all.addAll(headers);
        if (body.length > 0 && headers.stream().noneMatch(h -> h[0].equalsIgnoreCase("Content-Length")
                || h[0].equalsIgnoreCase("Transfer-Encoding"))) {
            all.add(new String[] {"Content-Length", Integer.toString(body.length)});
        }
        return new ExplainRequest(source, method, p.scheme(), p.host(), p.port(), p.path(), p.query(), all, body,
                null, "");
    }

    private static int firstOf(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}

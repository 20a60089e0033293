package io.sekisho.proxy.explain;

import io.sekisho.policy.Nullable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A curl command line (as browsers' "Copy as cURL" and AWS documentation write them) read as
 * the request curl would send. Options that only change how curl runs are ignored; options that
 * change the request and are not understood are an error, so that nothing is judged silently
 * different from what curl would send.
 */
final class CurlCommand {
    /** Options without an argument that do not change the request. */
    private static final Set<String> FLAGS = Set.of("-s", "--silent", "-S", "--show-error", "-v", "--verbose",
            "-k", "--insecure", "-L", "--location", "-i", "--include", "--compressed", "--http1.1", "--http2",
            "-f", "--fail", "-g", "--globoff", "-N", "--no-buffer", "-sS", "-sSL", "-sL", "-fsSL", "--fail-with-body");
    /** Options with an argument that do not change the request. */
    private static final Set<String> IGNORED_WITH_ARG = Set.of("-o", "--output", "-x", "--proxy", "-w",
            "--write-out", "--connect-timeout", "-m", "--max-time", "--resolve", "--cacert", "--retry", "-U",
            "--proxy-user", "--proxy-cacert", "--noproxy");
    private static final Set<String> DATA = Set.of("-d", "--data", "--data-raw", "--data-binary", "--data-ascii",
            "--data-urlencode");

    private CurlCommand() {
    }

    static ExplainRequest parse(String commandLine, String source) throws InputException {
        List<String> words = ShellWords.split(commandLine, source);
        if (words.isEmpty() || !words.get(0).equals("curl")) {
            throw new InputException(source + ": not a curl command line");
        }
        Parsed p = new Parsed(source);
        for (int i = 1; i < words.size(); i++) {
            String w = words.get(i);
            String opt = w;
            String inline = null;
            if (w.startsWith("--") && w.indexOf('=') > 0) {
                opt = w.substring(0, w.indexOf('='));
                inline = w.substring(w.indexOf('=') + 1);
            }
            if (!opt.startsWith("-") || opt.equals("-")) {
                p.url = w;
            } else if (!p.flag(opt)) {
                String arg = inline;
                if (arg == null) {
                    if (i + 1 >= words.size()) {
                        throw new InputException(source + ": curl option " + opt + " needs a value");
                    }
                    arg = words.get(++i);
                }
                p.option(opt, arg);
            }
        }
        return p.request();
    }

    /** What the command line said so far. */
    private static final class Parsed {
        private final String source;
        private @Nullable String method;
        private @Nullable String url;
        private boolean get;
        private final List<String[]> headers = new ArrayList<>();
        private @Nullable StringBuilder data;

        Parsed(String source) {
            this.source = source;
        }

        /** True when {@code opt} takes no value (and was taken). */
        boolean flag(String opt) {
            if (FLAGS.contains(opt)) {
                return true;
            }
            if (opt.equals("-I") || opt.equals("--head")) {
                method = "HEAD";
                return true;
            }
            if (opt.equals("-G") || opt.equals("--get")) {
                get = true;
                return true;
            }
            return false;
        }

        void option(String opt, String arg) throws InputException {
            if (IGNORED_WITH_ARG.contains(opt)) {
                return;
            }
            switch (opt) {
                case "-X", "--request" -> method = arg;
                case "--url" -> url = arg;
                case "-H", "--header" -> headers.add(header(arg, source));
                case "-A", "--user-agent" -> headers.add(new String[] {"User-Agent", arg});
                case "-e", "--referer" -> headers.add(new String[] {"Referer", arg});
                case "-b", "--cookie" -> headers.add(new String[] {"Cookie", arg});
                case "--json" -> {
                    data = append(data, arg);
                    headers.add(new String[] {"Content-Type", "application/json"});
                    headers.add(new String[] {"Accept", "application/json"});
                }
                default -> data(opt, arg);
            }
        }

        private void data(String opt, String arg) throws InputException {
            if (!DATA.contains(opt)) {
                throw new InputException(source + ": curl option " + opt + " is not understood by explain;"
                        + " give the request as a raw HTTP file instead");
            }
            if (arg.startsWith("@") && !opt.equals("--data-raw")) {
                throw new InputException(source + ": curl " + opt + " " + arg
                        + " reads a file; give the request as a raw HTTP file instead");
            }
            data = append(data, arg);
        }

        ExplainRequest request() throws InputException {
            String u = url;
            if (u == null) {
                throw new InputException(source + ": the curl command line names no URL");
            }
            byte[] body = new byte[0];
            StringBuilder d = data;
            if (d != null && get) {
                u = u + (u.indexOf('?') >= 0 ? "&" : "?") + d;
            } else if (d != null) {
                body = d.toString().getBytes(StandardCharsets.UTF_8);
                if (headers.stream().noneMatch(h -> h[0].equalsIgnoreCase("Content-Type"))) {
                    headers.add(new String[] {"Content-Type", "application/x-www-form-urlencoded"});
                }
            }
            String m = method != null ? method : d != null && !get ? "POST" : "GET";
            return Urls.request(source, m, Urls.isAbsolute(u) ? u : "http://" + u, headers, body);
        }
    }

    private static StringBuilder append(@Nullable StringBuilder data, String arg) {
        return data == null ? new StringBuilder(arg) : data.append('&').append(arg);
    }

    private static String[] header(String line, String source) throws InputException {
        int colon = line.indexOf(':');
        if (colon <= 0) {
            throw new InputException(source + ": curl header without a colon: " + line);
        }
        return new String[] {line.substring(0, colon).trim(), line.substring(colon + 1).trim()};
    }
}

package io.sekisho.proxy.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sekisho probe}: asks the admin listener's {@code /readyz} and exits 0 when the proxy is
 * ready, 1 otherwise. The container's HEALTHCHECK uses it, since the image has no curl. One
 * HTTP/1.0 request over a plain socket, with a short timeout.
 */
@Command(name = "probe", mixinStandardHelpOptions = true,
        description = "Ask a running Sekisho's admin listener whether it is ready (exit 0) or not (exit 1).")
final class ProbeCommand implements Callable<Integer> {
    private static final int TIMEOUT_MILLIS = 3000;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--admin", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9128",
            description = "The admin listener (admin.listen); default ${DEFAULT-VALUE}.")
    String admin;

    @Option(names = "--path", defaultValue = "/readyz", description = "The endpoint; default ${DEFAULT-VALUE}.")
    String path;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        int colon = admin.lastIndexOf(':');
        if (colon <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--admin: write host:port");
        }
        String host = admin.substring(0, colon).replace("[", "").replace("]", "");
        int port;
        try {
            port = Integer.parseInt(admin.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--admin: the port is not a number");
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
            s.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream o = s.getOutputStream();
            o.write(("GET " + path + " HTTP/1.0\r\nHost: " + admin + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            o.flush();
            String response = new String(readAll(s.getInputStream()), StandardCharsets.UTF_8);
            String statusLine = response.lines().findFirst().orElse("");
            String body = response.contains("\r\n\r\n") ? response.substring(response.indexOf("\r\n\r\n") + 4) : "";
            out.print(body.isEmpty() ? statusLine + "\n" : body);
            out.flush();
            return statusLine.matches("HTTP/1\\.[01] 200 .*") ? 0 : 1;
        } catch (IOException e) {
            out.println("no answer from " + admin + ": " + e.getMessage());
            out.flush();
            return 1;
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        return in.readNBytes(64 * 1024);
    }
}

package io.sekisho.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.config.SekishoConfig.HostPort;
import io.sekisho.proxy.ProxyServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The admin listener of a test proxy, read over a real socket with the JDK's HTTP client. */
final class AdminScrape implements AutoCloseable {
    private static final Pattern SAMPLE = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})? (\\S+)");
    private final AdminServer admin;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private AdminScrape(AdminServer admin) {
        this.admin = admin;
    }

    /** The admin listener for {@code server} on a free loopback port, wired as {@code sekisho run} wires it. */
    static AdminScrape of(ProxyServer server) throws InterruptedException {
        return new AdminScrape(AdminServer.forProxy(new HostPort("127.0.0.1", 0), server));
    }

    int port() {
        return admin.address().getPort();
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send("GET", path);
    }

    HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** {@code /metrics}, checked: 200 and the Prometheus text format's content type. */
    String metrics() throws IOException, InterruptedException {
        HttpResponse<String> r = get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue(AdminServer.METRICS_TYPE);
        return r.body();
    }

    /** Scrapes now and reads one sample (for conditions that are waited for). */
    double sample(String name, String... labels) {
        try {
            return value(metrics(), name, labels);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The status of a GET of {@code path} (for conditions that are waited for). */
    int status(String path) {
        try {
            return get(path).statusCode();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The value of the first sample named {@code name} whose labels contain every one of {@code labels}. */
    static double value(String exposition, String name, String... labels) {
        Matcher m = SAMPLE.matcher(exposition);
        while (m.find()) {
            String l = m.group(2) == null ? "" : m.group(2);
            boolean all = m.group(1).equals(name);
            for (String label : labels) {
                all &= l.contains(label);
            }
            if (all) {
                return Double.parseDouble(m.group(3));
            }
        }
        throw new AssertionError("no sample " + name + " with " + String.join(",", labels) + " in\n" + exposition);
    }

    /** Every metric family named in {@code # TYPE} lines. */
    static Set<String> families(String exposition) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = Pattern.compile("(?m)^# TYPE (\\S+) ").matcher(exposition);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** {@code promtool check metrics} on {@code exposition}: its output, after asserting it exits 0. */
    static String promtoolCheck(String exposition) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("promtool is missing: install Debian's prometheus package (.ci/run does)", e);
        }
        try (OutputStream in = p.getOutputStream()) {
            in.write(exposition.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("promtool check metrics:\n" + out).isZero();
        return out;
    }

    @Override
    public void close() {
        admin.close();
    }
}

package io.sekisho.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;

/**
 * Headless Chromium (Debian package {@code chromium}) driven over the Chrome DevTools Protocol.
 *
 * <p>Why CDP over the JDK WebSocket: no Selenium dependency tree in the build, no chromedriver
 * whose version must match the browser, and the harness can read the final URL, the page text
 * and a screenshot after a multi-step JavaScript flow (portal XHR → redirect → 302 → console),
 * which {@code --dump-dom} cannot do in one shot.
 *
 * <p>Trust is honest: CA certificates are added to an NSS database in the browser's own temporary
 * {@code HOME} ({@code certutil -A -t "C,,"}), exactly how a managed Linux desktop trusts a
 * corporate CA; certificate errors are never ignored.
 */
public final class HeadlessChromium implements AutoCloseable {

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SETTLE = Duration.ofMillis(1200);
    private static final Duration POLL = Duration.ofMillis(100);

    private final Process process;
    private final CdpConnection cdp;
    private final Path workDir;

    private HeadlessChromium(Process process, CdpConnection cdp, Path workDir) {
        this.process = process;
        this.cdp = cdp;
        this.workDir = workDir;
    }

    /** {@code SEKISHO_CHROMIUM}, else {@code /usr/bin/chromium}, if executable. */
    public static Optional<Path> executable() {
        String configured = System.getenv("SEKISHO_CHROMIUM");
        Path path = Path.of(configured == null || configured.isBlank() ? "/usr/bin/chromium" : configured);
        return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
    }

    /** Whether the browser and certutil (to trust the test CA) are installed. */
    public static boolean available() {
        return executable().isPresent() && CommandResult.onPath("certutil").isPresent();
    }

    /** Skips the calling test, saying what to install, when the browser or certutil is missing. */
    public static void assumeAvailable() {
        Assumptions.assumeTrue(executable().isPresent(),
                "headless Chromium not found (SEKISHO_CHROMIUM, else /usr/bin/chromium): apt-get install -y chromium libnss3-tools");
        Assumptions.assumeTrue(CommandResult.onPath("certutil").isPresent(),
                "certutil not found (needed to trust the test CA in Chromium): apt-get install -y libnss3-tools");
    }

    public static Builder builder(Path workDir) {
        return new Builder(workDir);
    }

    /** Launch options. */
    public static final class Builder {
        private final Path workDir;
        private final List<Path> trustedCas = new ArrayList<>();
        private final List<String> extraFlags = new ArrayList<>();
        private Integer proxyPort;
        private String hostResolverRules;

        private Builder(Path workDir) {
            this.workDir = workDir;
        }

        /** Trusts this CA for TLS server authentication (NSS trust flags "C,,"). */
        public Builder trustCa(Path caPem) {
            trustedCas.add(caPem);
            return this;
        }

        /** Every request, loopback included, goes through the HTTP proxy at {@code 127.0.0.1:port}. */
        public Builder proxy(int port) {
            this.proxyPort = port;
            return this;
        }

        /** Chromium's {@code --host-resolver-rules}, e.g. {@code MAP * 127.0.0.1:8443} (self-tests without a proxy). */
        public Builder hostResolverRules(String rules) {
            this.hostResolverRules = rules;
            return this;
        }

        public Builder flag(String flag) {
            extraFlags.add(flag);
            return this;
        }

        public HeadlessChromium launch() {
            try {
                return start(this);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static HeadlessChromium start(Builder options) throws IOException {
        Path home = Files.createDirectories(options.workDir.resolve("home"));
        Path profile = Files.createDirectories(options.workDir.resolve("profile"));
        trust(home, options.trustedCas, options.workDir);
        List<String> command = new ArrayList<>(List.of(executable().orElseThrow().toString(),
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions", "--disable-default-apps",
                "--window-size=1280,900", "--user-data-dir=" + profile, "--remote-debugging-port=0"));
        if (options.proxyPort != null) {
            command.add("--proxy-server=http://127.0.0.1:" + options.proxyPort);
            // "<-loopback>" removes Chromium's implicit bypass of localhost, so nothing escapes the proxy.
            command.add("--proxy-bypass-list=<-loopback>");
        } else {
            command.add("--no-proxy-server");
        }
        if (options.hostResolverRules != null) {
            command.add("--host-resolver-rules=" + options.hostResolverRules);
        }
        command.addAll(options.extraFlags);
        command.add("about:blank");
        ProcessBuilder builder = new ProcessBuilder(command).directory(options.workDir.toFile())
                .redirectOutput(options.workDir.resolve("chromium.out").toFile())
                .redirectError(options.workDir.resolve("chromium.err").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        // A clean environment: HOME points at the NSS db above, and no *_proxy variable can
        // send traffic around (or to) the proxy behind the test's back.
        builder.environment().clear();
        builder.environment().putAll(Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
                "HOME", home.toString(), "LANG", "C.UTF-8"));
        Process process = builder.start();
        try {
            CdpConnection cdp = CdpConnection.connect(pageEndpoint(devToolsPort(profile, process)));
            return new HeadlessChromium(process, cdp, options.workDir);
        } catch (IOException | RuntimeException e) {
            stop(process);
            throw new IOException(e.getMessage() + "; chromium stderr: "
                    + Files.readString(options.workDir.resolve("chromium.err")), e);
        }
    }

    /** A fresh NSS database in the browser's HOME holding each CA as a trusted TLS issuer. */
    private static void trust(Path home, List<Path> cas, Path workDir) throws IOException {
        Path nssDb = Files.createDirectories(home.resolve(".pki/nssdb"));
        Map<String, String> env = Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"), "HOME", home.toString());
        List<List<String>> commands = new ArrayList<>();
        commands.add(List.of("certutil", "-d", "sql:" + nssDb, "-N", "--empty-password"));
        for (int i = 0; i < cas.size(); i++) {
            commands.add(List.of("certutil", "-d", "sql:" + nssDb, "-A", "-t", "C,,", "-n", "sekisho-test-" + i,
                    "-i", cas.get(i).toString()));
        }
        for (List<String> command : commands) {
            CommandResult result = CommandResult.run(command, env, workDir, Duration.ofSeconds(30));
            if (!result.succeeded()) {
                throw new IOException("certutil failed: " + result.describe());
            }
        }
    }

    /** Chromium writes the port it chose for {@code --remote-debugging-port=0} to DevToolsActivePort. */
    private static int devToolsPort(Path profile, Process process) throws IOException {
        Path file = profile.resolve("DevToolsActivePort");
        Instant deadline = Instant.now().plus(DEFAULT_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IOException("chromium exited with " + process.exitValue());
            }
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file);
                if (!lines.isEmpty() && !lines.get(0).isBlank()) {
                    return Integer.parseInt(lines.get(0).trim());
                }
            }
            sleep(POLL);
        }
        throw new IOException("chromium did not open its DevTools port");
    }

    private static URI pageEndpoint(int port) throws IOException {
        try {
            HttpResponse<String> list = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/json/list")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            for (JsonNode target : new ObjectMapper().readTree(list.body())) {
                if (target.path("type").asText().equals("page")) {
                    return URI.create(target.path("webSocketDebuggerUrl").asText());
                }
            }
            throw new IOException("no page target in " + list.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Navigates and waits until the page has settled (loaded, URL and text unchanged for a moment). */
    public PageResult open(String url) {
        navigate(url);
        return settle(DEFAULT_TIMEOUT);
    }

    /** Navigates and waits until {@code condition} holds (for JavaScript flows with several hops). */
    public PageResult openUntil(String url, Predicate<PageResult> condition) {
        navigate(url);
        return waitUntil(condition, DEFAULT_TIMEOUT);
    }

    /** Polls the current page until {@code condition} holds; throws with the last page seen if it never does. */
    public PageResult waitUntil(Predicate<PageResult> condition, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        PageResult last = null;
        while (Instant.now().isBefore(deadline)) {
            last = current();
            if (last != null && last.loaded() && condition.test(last)) {
                return last;
            }
            sleep(POLL);
        }
        throw new AssertionError("page never reached the expected state; last: " + last);
    }

    /** Fills the named fields of the form matching {@code formSelector}, submits it and waits to settle. */
    public PageResult submitForm(String formSelector, Map<String, String> fields) {
        var values = CdpConnection.params();
        fields.forEach(values::put);
        evaluate("(() => { const form = document.querySelector(" + FakeResponse.jsonString(formSelector) + ");"
                + " const values = " + values + ";"
                + " for (const name in values) { form.elements[name].value = values[name]; }"
                + " form.requestSubmit(); return true; })()");
        return settle(DEFAULT_TIMEOUT);
    }

    /** Evaluates a JavaScript expression in the page and returns its value as a string. */
    public String evaluate(String expression) {
        var params = CdpConnection.params().put("expression", expression).put("returnByValue", true)
                .put("awaitPromise", true);
        JsonNode result = cdp.send("Runtime.evaluate", params, DEFAULT_TIMEOUT);
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException("page script failed: " + result.get("exceptionDetails"));
        }
        JsonNode value = result.path("result").path("value");
        return value.isTextual() ? value.asText() : value.toString();
    }

    /** Saves a PNG of the viewport. */
    public Path screenshot(Path file) {
        JsonNode shot = cdp.send("Page.captureScreenshot", CdpConnection.params().put("format", "png"), DEFAULT_TIMEOUT);
        try {
            return Files.write(file, Base64.getDecoder().decode(shot.path("data").asText()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void navigate(String url) {
        JsonNode result = cdp.send("Page.navigate", CdpConnection.params().put("url", url), DEFAULT_TIMEOUT);
        if (result.hasNonNull("errorText")) {
            // e.g. net::ERR_TUNNEL_CONNECTION_FAILED when a proxy refuses CONNECT: Chromium then
            // shows its own error page, which the PageResult text reports.
            current();
        }
    }

    private PageResult settle(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        PageResult previous = null;
        Instant stableSince = Instant.now();
        while (Instant.now().isBefore(deadline)) {
            PageResult now = current();
            if (now == null || !now.loaded() || !now.sameState(previous)) {
                previous = now;
                stableSince = Instant.now();
            } else if (Duration.between(stableSince, Instant.now()).compareTo(SETTLE) >= 0) {
                return now;
            }
            sleep(POLL);
        }
        throw new AssertionError("page did not settle; last: " + previous);
    }

    /** The page as it is now, or null while a navigation has no document to ask. */
    private PageResult current() {
        try {
            String json = evaluate("JSON.stringify({url: location.href, title: document.title,"
                    + " readyState: document.readyState, text: document.body ? document.body.innerText : '',"
                    + " html: document.documentElement ? document.documentElement.outerHTML : ''})");
            JsonNode page = new ObjectMapper().readTree(json);
            return new PageResult(page.path("url").asText(), page.path("title").asText(), page.path("text").asText(),
                    page.path("html").asText(), page.path("readyState").asText().equals("complete"));
        } catch (IOException | RuntimeException e) {
            return null; // the execution context is being replaced by a navigation
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Where the browser's stderr, profile and NSS db live (kept for diagnosis). */
    public Path workDir() {
        return workDir;
    }

    @Override
    public void close() {
        try {
            cdp.send("Browser.close", CdpConnection.params(), Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            // Already gone or not answering: stop the process below.
        }
        cdp.close();
        stop(process);
    }

    private static void stop(Process process) {
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

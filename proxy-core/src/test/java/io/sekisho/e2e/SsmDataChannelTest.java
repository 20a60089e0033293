package io.sekisho.e2e;

import static io.sekisho.e2e.AwsIdentities.CORPORATE;
import static io.sekisho.e2e.AwsIdentities.FOREIGN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sekisho.config.ConfigLoader;
import io.sekisho.config.LoadResult;
import io.sekisho.config.SekishoConfig;
import io.sekisho.policy.StandardPolicy;
import io.sekisho.policy.aws.credentials.KeyLookup;
import io.sekisho.policy.signin.InMemorySigninTokenStore;
import io.sekisho.policy.signin.SigninTokenHash;
import io.sekisho.policy.signin.SigninTokenStore;
import io.sekisho.proxy.intercept.ProxyCa;
import io.sekisho.proxy.provenance.SharedTokenLedger;
import io.sekisho.proxy.provenance.TokenStoreClient;
import io.sekisho.proxy.testing.FakeResolver;
import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.WebSocketOrigin;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 point 2 with issue 16 point 1, end to end: the real proxy with the real engine, TLS
 * interception, a SigV4-signed StartSession and the JDK's WebSocket client on the stream URL it
 * returned, as the session-manager-plugin does it ({@link SsmSessions}). A data channel opens
 * only to a stream URL an allowed account's StartSession issued through Sekisho, once; a stream
 * URL made elsewhere (at home, with personal credentials) is refused before the upgrade reaches
 * AWS (SSM_SESSION_UNKNOWN); with the shared store away it is PROVENANCE_STORE_UNAVAILABLE.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SsmDataChannelTest {
    @TempDir
    static Path tmp;
    static WebSocketOrigin origin;
    static ProxyCa ca;
    static SekishoConfig config;
    static ProxyFixture proxy;
    static HttpClient client;

    @BeforeAll
    static void start() throws IOException {
        TestPki originPki = TestPki.create(tmp.resolve("origin-pki"));
        origin = new WebSocketOrigin(originPki.leaf(SsmSessions.SSM_HOST, SsmSessions.MESSAGES_HOST).serverContext());
        origin.answer(r -> "AmazonSSM.StartSession".equals(r.headers().get("X-Amz-Target"))
                ? SsmSessions.issued(new String(r.content().toString(StandardCharsets.UTF_8)).contains("i-0bad")
                        ? "never" : "operator-0a1b2c3d4e5f67890") : null);
        ca = ProxyCa.create(tmp.resolve("proxy-ca"));
        String yaml = "version: 1\nlisten: \"127.0.0.1:0\"\n"
                + "domains:\n  allow: [.amazonaws.com]\n"
                + "tls:\n  ca:\n    certificate: \"" + ca.pem() + "\"\n    privateKey: \"" + ca.key() + "\"\n"
                + "aws:\n  accounts:\n    allow: [\"" + CORPORATE + "\"]\n"
                + "upstream:\n  trustedCertificates: [\"" + originPki.caPem() + "\"]\n"
                + "  resolve:\n    \".amazonaws.com\": \"127.0.0.1:" + origin.port() + "\"\n";
        LoadResult r = ConfigLoader.load(Files.writeString(tmp.resolve("sekisho.yaml"), yaml));
        assertThat(r.errors()).as(yaml).isEmpty();
        config = r.config();
        proxy = ProxyFixture.start(config, StandardPolicy.create(config.policy(), KeyLookup.NONE,
                new InMemorySigninTokenStore(), Clock.systemUTC()));
        client = httpClient(proxy.port());
    }

    @AfterAll
    static void stop() {
        proxy.close();
        origin.close();
    }

    static HttpClient httpClient(int port) {
        return HttpClient.newBuilder().proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", port)))
                .sslContext(ca.clientContext()).connectTimeout(Duration.ofSeconds(10)).build();
    }

    static String startSession(HttpClient c, AwsIdentities.Identity who, String target) throws Exception {
        HttpResponse<String> r = c.send(SsmSessions.signed(who, "AmazonSSM.StartSession",
                "{\"Target\":\"" + target + "\",\"DocumentName\":\"AWS-StartPortForwardingSession\"}"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    @Test
    void aSessionStartedByTheCompanyOpensItsDataChannelOnce() throws Exception {
        String issued = startSession(client, AwsIdentities.longTerm(CORPORATE), "i-0123456789abcdef0");
        assertThat(issued).contains("\"StreamUrl\"");
        URI stream = URI.create(SsmSessions.streamUrl("operator-0a1b2c3d4e5f67890"));

        Messages m = new Messages();
        WebSocket ws = client.newWebSocketBuilder().buildAsync(stream, m).get(30, TimeUnit.SECONDS);
        String open = SsmSessions.openDataChannel("client-1");
        ws.sendText(open, true).get(10, TimeUnit.SECONDS);
        assertThat(m.next()).isEqualTo(open);
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);

        assertThat(origin.firstMessages()).contains(open);
        Map<String, Object> line = proxy.audit().await(l -> SsmSessions.MESSAGES_HOST.equals(l.get("host"))
                && Long.valueOf(101).equals(l.get("status")), Duration.ofSeconds(30));
        assertThat(line).containsEntry("verdict", "ALLOW").containsEntry("principalAccount", CORPORATE)
                .containsEntry("flow", "ssm-data-channel");
        assertThat(proxy.audit().await(l -> SsmSessions.SSM_HOST.equals(l.get("host"))
                && CORPORATE.equals(l.get("principalAccount")), Duration.ofSeconds(10)))
                .containsEntry("verdict", "ALLOW").containsEntry("action", "ssm:StartSession");

        // The same stream URL again, with no new StartSession or ResumeSession: refused.
        assertThat(refusal(client, stream)).isEqualTo(403);
        assertThat(proxy.audit().await(l -> "SSM_SESSION_UNKNOWN".equals(l.get("reason")), Duration.ofSeconds(30)))
                .containsEntry("host", SsmSessions.MESSAGES_HOST);
    }

    @Test
    void aStreamUrlMadeElsewhereIsRefusedBeforeTheUpgradeReachesAws() throws Exception {
        int before = origin.requests().size();
        URI madeAtHome = URI.create(SsmSessions.streamUrl("personal-0fedcba9876543210"));

        assertThat(refusal(client, madeAtHome)).isEqualTo(403);
        assertThat(origin.requests()).hasSize(before);
        Map<String, Object> line = proxy.audit().await(l -> "SSM_SESSION_UNKNOWN".equals(l.get("reason"))
                && String.valueOf(l.get("path")).contains("personal-"), Duration.ofSeconds(30));
        assertThat(line).containsEntry("verdict", "DENY").containsEntry("rule", "ssm.dataChannel");
    }

    @Test
    void aForeignAccountNeverGetsAStreamUrl() throws Exception {
        HttpResponse<String> r = client.send(SsmSessions.signed(AwsIdentities.longTerm(FOREIGN),
                "AmazonSSM.StartSession", "{\"Target\":\"i-0bad\"}"), HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("X-Sekisho-Reason")).hasValue("AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED");
        assertThat(r.body()).doesNotContain(SsmSessions.TOKEN);
        assertThat(origin.requests()).noneMatch(x -> x.bodyText().contains("i-0bad"));
    }

    @Test
    void withTheSharedStoreAwayTheDataChannelIsRefusedAsUnavailable() throws Exception {
        SharedTokenLedger ledger = new SharedTokenLedger(new StoreAway(), System::nanoTime);
        try (ProxyFixture shared = ProxyFixture.start(config, StandardPolicy.create(config.policy(), KeyLookup.NONE,
                ledger, Clock.systemUTC()), new FakeResolver(), b -> b.provenance(ledger))) {
            HttpClient c = httpClient(shared.port());
            startSession(c, AwsIdentities.longTerm(CORPORATE), "i-0123456789abcdef1");

            assertThat(refusal(c, URI.create(SsmSessions.streamUrl("operator-0a1b2c3d4e5f67890")))).isEqualTo(403);
            assertThat(shared.audit().await(l -> SsmSessions.MESSAGES_HOST.equals(l.get("host"))
                    && "GET".equals(l.get("method")), Duration.ofSeconds(30)))
                    .containsEntry("reason", "PROVENANCE_STORE_UNAVAILABLE");
        }
    }

    /** The status of the refused upgrade. */
    static int refusal(HttpClient c, URI uri) {
        Throwable[] failure = new Throwable[1];
        assertThatThrownBy(() -> c.newWebSocketBuilder().buildAsync(uri, new Messages()).get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .satisfies(e -> failure[0] = e.getCause());
        assertThat(failure[0]).isInstanceOf(WebSocketHandshakeException.class);
        return ((WebSocketHandshakeException) failure[0]).getResponse().statusCode();
    }

    /** Whole text messages on a queue. */
    static final class Messages implements WebSocket.Listener {
        private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                queue.add(partial.toString());
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        String next() throws InterruptedException {
            String s = queue.poll(30, TimeUnit.SECONDS);
            assertThat(s).as("a message within 30 s").isNotNull();
            return s;
        }
    }

    /** A shared store that is down: every call fails, as Lettuce's do while it reconnects. */
    static final class StoreAway implements TokenStoreClient {
        @Override
        public CompletionStage<Void> record(SigninTokenHash token, SigninTokenStore.IssuedToken issued) {
            return CompletableFuture.failedFuture(new IOException("store away"));
        }

        @Override
        public CompletionStage<Optional<SigninTokenStore.IssuedToken>> redeem(SigninTokenHash token) {
            return CompletableFuture.failedFuture(new IOException("store away"));
        }

        @Override
        public boolean healthy() {
            return false;
        }

        @Override
        public void close() {
        }
    }
}

package io.sekisho.proxy.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.proxy.testing.ProxyFixture;
import io.sekisho.proxy.testing.RecordingOrigin;
import io.sekisho.proxy.testing.TestConfigs;
import io.sekisho.proxy.testing.TestPolicy;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The JDK's HttpClient through the proxy (a ProxySelector, as applications configure it). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JdkClientTest {
    private RecordingOrigin origin;
    private ProxyFixture proxy;
    private HttpClient client;

    @BeforeEach
    void start() throws Exception {
        origin = new RecordingOrigin();
        proxy = ProxyFixture.start(TestConfigs.builder().resolve("origin.test", origin.port()).build(),
                TestPolicy.allowing("origin.test"));
        client = HttpClient.newBuilder().proxy(ProxySelector.of(proxy.address()))
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void stop() {
        proxy.close();
        origin.close();
    }

    @Test
    void getAndPostGoThroughAndReuseTheConnection() throws Exception {
        HttpResponse<String> get = client.send(HttpRequest.newBuilder(URI.create("http://origin.test/jdk")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create("http://origin.test/echo"))
                .POST(HttpRequest.BodyPublishers.ofString("posted by the JDK")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo("ok GET /jdk");
        assertThat(post.statusCode()).isEqualTo(200);
        assertThat(post.body()).isEqualTo("posted by the JDK");
        assertThat(origin.requests()).extracting(RecordingOrigin.Recorded::connection).containsOnly(1);
    }

    @Test
    void aDeniedHostIsA403WithTheReasonHeader() throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://denied.test/")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("X-Sekisho-Reason")).hasValue("DOMAIN_NOT_ALLOWED");
    }
}

package io.sekisho.policy.signin;

import static io.sekisho.policy.signin.SigninFixtures.CORP;
import static io.sekisho.policy.signin.SigninFixtures.form;
import static io.sekisho.policy.signin.SigninFixtures.role;
import static io.sekisho.policy.signin.SigninFixtures.samlForm;
import static io.sekisho.policy.signin.SigninFixtures.samlXml;
import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.policy.Decision;
import io.sekisho.policy.HostClass;
import io.sekisho.policy.Reason;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SAML parser never fetches or reads anything an assertion points to. A server on
 * 127.0.0.1 stands in for the attacker's: it counts connections and answers each with a
 * foreign role, so a parser that fetched would both be counted and see a foreign account.
 * The parser runs on the calling thread, and the server counts a connection before it
 * answers, so any fetch is counted by the time {@code decide} returns.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SamlXxeTest {
    private static final String MARKER = "sekisho-xxe-marker-7f3a";

    @TempDir
    static Path dir;

    private final AtomicInteger connections = new AtomicInteger();
    private ServerSocket attacker;
    private Thread acceptor;
    private final SigninInspector inspector = SigninFixtures.inspector(new InMemorySigninTokenStore(),
            new SigninFixtures.MutableClock(Instant.parse("2026-01-01T00:00:00Z")));

    @BeforeEach
    void listen() throws IOException {
        attacker = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        byte[] answer = ("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n" + role("999988887777", MARKER))
                .getBytes(StandardCharsets.US_ASCII);
        acceptor = new Thread(() -> {
            while (true) {
                try (Socket s = attacker.accept()) {
                    connections.incrementAndGet();
                    s.getOutputStream().write(answer);
                } catch (IOException closed) {
                    return;
                }
            }
        }, "xxe-attacker");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterEach
    void close() throws IOException, InterruptedException {
        attacker.close();
        acceptor.join(5_000);
    }

    static Stream<Arguments> payloads() {
        return Stream.of(
                Arguments.of("external general entity over http",
                        "<!DOCTYPE r [<!ENTITY x SYSTEM \"http://127.0.0.1:PORT/x\">]>" + samlXml("&x;"), Reason.AWS_SAML_MALFORMED),
                Arguments.of("external DTD", "<!DOCTYPE r SYSTEM \"http://127.0.0.1:PORT/evil.dtd\">" + samlXml(role(CORP, "A")),
                        Reason.AWS_SAML_MALFORMED),
                Arguments.of("external parameter entity",
                        "<!DOCTYPE r [<!ENTITY % p SYSTEM \"http://127.0.0.1:PORT/p.dtd\"> %p;]>" + samlXml(role(CORP, "A")),
                        Reason.AWS_SAML_MALFORMED),
                Arguments.of("external entity reading a local file",
                        "<!DOCTYPE r [<!ENTITY x SYSTEM \"FILE\">]>" + samlXml("&x;"), Reason.AWS_SAML_MALFORMED),
                Arguments.of("XInclude over http",
                        samlXml(role(CORP, "A")).replace("<saml:Issuer>", "<xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"http://127.0.0.1:PORT/inc\"/><saml:Issuer>"),
                        // No DOCTYPE: it parses, the include stays an inert element, the role is read.
                        Reason.AWS_SIGNIN_ALLOWED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("payloads")
    void externalReferencesAreNeitherFetchedNorRead(String name, String template, Reason expected) throws IOException {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, role("999988887777", MARKER), StandardCharsets.UTF_8);
        int port = attacker.getLocalPort();
        String xml = template.replace("PORT", Integer.toString(port)).replace("FILE", secret.toUri().toString());

        Decision d = inspector.decide(form("https://signin.aws.amazon.com/saml", samlForm(xml)), HostClass.AWS_SIGNIN_CONSOLE);

        assertThat(connections.get()).as("connections to the attacker's server").isZero();
        assertThat(d.toString()).doesNotContain(MARKER).doesNotContain("999988887777");
        assertThat(d.reason()).isEqualTo(expected);
    }
}

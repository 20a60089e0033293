package io.sekisho.proxy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real MIT Kerberos KDC ({@code krb5kdc}, Debian package {@code krb5-kdc}; {@code kdb5_util}
 * and {@code kadmin.local} from {@code krb5-admin-server}; {@code kinit} from {@code krb5-user},
 * all installed by .ci/run) with a test realm on 127.0.0.1: its own krb5.conf and kdc.conf, a
 * database made with {@code kdb5_util create -s}, the users alice and bob, and the proxy's
 * service principal {@code HTTP/localhost} whose keys are in {@link #serviceKeytab()}. Clients
 * (kinit, curl) get {@link #clientEnv()}: the test's krb5.conf and a credential cache of their own.
 */
public final class Kdc implements AutoCloseable {
    public static final String REALM = "SEKISHO.TEST";
    public static final String SERVICE = "HTTP/localhost@" + REALM;
    public static final String KRB5KDC = "/usr/sbin/krb5kdc";
    static final List<String> TOOLS = List.of(KRB5KDC, "/usr/sbin/kdb5_util", "/usr/sbin/kadmin.local",
            "/usr/bin/kinit");

    private final Path dir;
    private final Process process;
    private final int port;

    private Kdc(Path dir, Process process, int port) {
        this.dir = dir;
        this.process = process;
        this.port = port;
    }

    /** Whether the MIT tools are installed; under CI=true a missing one fails the test instead of skipping it. */
    public static boolean available() {
        return TOOLS.stream().allMatch(t -> Files.isExecutable(Path.of(t))) || "true".equals(System.getenv("CI"));
    }

    public static Kdc start(Path dir) {
        try {
            Files.createDirectories(dir);
            int port = freePort();
            Files.writeString(dir.resolve("krb5.conf"), krb5Conf(port));
            Files.writeString(dir.resolve("kdc.conf"), kdcConf(dir, port));
            Files.writeString(dir.resolve("kadm5.acl"), "");
            Map<String, String> env = kdcEnv(dir);
            run(env, "/usr/sbin/kdb5_util", "create", "-s", "-r", REALM, "-P", "kdc-master-" + port);
            for (String user : List.of("alice", "bob")) {
                kadmin(env, "addprinc -randkey " + user);
                kadmin(env, "ktadd -k " + dir.resolve(user + ".keytab") + " " + user);
            }
            kadmin(env, "addprinc -randkey " + SERVICE);
            kadmin(env, "ktadd -k " + dir.resolve("http.keytab") + " " + SERVICE);
            kadmin(env, "addprinc -randkey HTTP/other.test@" + REALM);
            kadmin(env, "ktadd -k " + dir.resolve("other.keytab") + " HTTP/other.test@" + REALM);
            ProcessBuilder b = new ProcessBuilder(KRB5KDC, "-n", "-r", REALM).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("krb5kdc.out").toFile());
            b.environment().putAll(env);
            Kdc kdc = new Kdc(dir, b.start(), port);
            kdc.awaitListening();
            return kdc;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String krb5Conf(int port) {
        // No DNS, no reverse lookups: curl asks for HTTP/localhost exactly as the proxy URL names it.
        return "[libdefaults]\n  default_realm = " + REALM + "\n  dns_lookup_kdc = false\n"
                + "  dns_lookup_realm = false\n  rdns = false\n  dns_canonicalize_hostname = false\n"
                + "  udp_preference_limit = 1\n  forwardable = false\n"
                + "[realms]\n  " + REALM + " = {\n    kdc = 127.0.0.1:" + port + "\n  }\n"
                + "[domain_realm]\n  localhost = " + REALM + "\n";
    }

    private static String kdcConf(Path dir, int port) {
        return "[kdcdefaults]\n  kdc_listen = 127.0.0.1:" + port + "\n  kdc_tcp_listen = 127.0.0.1:" + port + "\n"
                + "[realms]\n  " + REALM + " = {\n    database_name = " + dir.resolve("principal") + "\n"
                + "    key_stash_file = " + dir.resolve("stash") + "\n    acl_file = " + dir.resolve("kadm5.acl") + "\n"
                + "    max_life = 1h\n    supported_enctypes = aes256-cts-hmac-sha1-96:normal"
                + " aes128-cts-hmac-sha1-96:normal\n  }\n"
                + "[logging]\n  kdc = FILE:" + dir.resolve("kdc.log") + "\n";
    }

    private static Map<String, String> kdcEnv(Path dir) {
        Map<String, String> env = new HashMap<>();
        env.put("KRB5_CONFIG", dir.resolve("krb5.conf").toString());
        env.put("KRB5_KDC_PROFILE", dir.resolve("kdc.conf").toString());
        return env;
    }

    /** The environment of a client of this realm: its krb5.conf and a credential cache in the test's directory. */
    public Map<String, String> clientEnv(String user) {
        Map<String, String> env = new HashMap<>();
        env.put("KRB5_CONFIG", dir.resolve("krb5.conf").toString());
        env.put("KRB5CCNAME", "FILE:" + dir.resolve("ccache-" + user));
        return env;
    }

    /** {@code kinit -k -t <user>.keytab <user>}: a ticket-granting ticket in the user's cache. */
    public void kinit(String user) {
        try {
            run(clientEnv(user), "/usr/bin/kinit", "-k", "-t", dir.resolve(user + ".keytab").toString(), user);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The keytab of {@link #SERVICE}, the proxy's own. */
    public Path serviceKeytab() {
        return dir.resolve("http.keytab");
    }

    /** The keytab of another service ({@code HTTP/other.test}): no key in it opens a ticket for the proxy. */
    public Path otherKeytab() {
        return dir.resolve("other.keytab");
    }

    /** The directory with krb5.conf, kdc.conf, the database and the keytabs. */
    public Path dir() {
        return dir;
    }

    private static void kadmin(Map<String, String> env, String query) throws IOException {
        run(env, "/usr/sbin/kadmin.local", "-r", REALM, "-q", query);
    }

    static void run(Map<String, String> env, String... cmd) throws IOException {
        ProcessBuilder b = new ProcessBuilder(new ArrayList<>(List.of(cmd))).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        b.environment().putAll(env);
        Process p = b.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void awaitListening() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException e) {
                if (!process.isAlive()) {
                    throw new IOException("krb5kdc exited with " + process.exitValue() + ": "
                            + Files.readString(dir.resolve("krb5kdc.out")));
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException(ie);
                }
            }
        }
        throw new IOException("krb5kdc did not listen on " + port);
    }

    /** Stops the KDC: tickets already issued stay valid, new ones cannot be had. */
    public void stop() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }
}

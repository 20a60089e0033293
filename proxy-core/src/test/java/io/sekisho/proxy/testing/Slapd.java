package io.sekisho.proxy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenLDAP {@code slapd} (Debian package {@code slapd}, installed by .ci/run) with a test
 * directory under {@code dc=corp,dc=test}: alice in {@code aws-admins} and {@code developers},
 * bob in {@code developers}, carol in no group, and a service account that searches. Started in the foreground on a
 * free loopback port, stopped (killed) by {@link #stop} or {@link #close}.
 */
public final class Slapd implements AutoCloseable {
    public static final String SLAPD = "/usr/sbin/slapd";
    public static final String SUFFIX = "dc=corp,dc=test";
    public static final String SERVICE_DN = "cn=sekisho,ou=services," + SUFFIX;
    public static final String SERVICE_PASSWORD = "Ldap-svc-pw-4Tq8$wE1";

    private final Process process;
    private final int port;

    private Slapd(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Whether slapd is installed; under CI=true a missing slapd fails the test instead of skipping it. */
    public static boolean available() {
        return Files.isExecutable(Path.of(SLAPD)) || "true".equals(System.getenv("CI"));
    }

    public static Slapd start(Path dir) {
        try {
            Files.createDirectories(dir.resolve("data"));
            Path conf = Files.writeString(dir.resolve("slapd.conf"), String.join("\n",
                    "include /etc/ldap/schema/core.schema",
                    "include /etc/ldap/schema/cosine.schema",
                    "include /etc/ldap/schema/inetorgperson.schema",
                    "modulepath /usr/lib/ldap",
                    "moduleload back_mdb",
                    "pidfile " + dir.resolve("slapd.pid"),
                    "database mdb",
                    "maxsize 10485760",
                    "suffix \"" + SUFFIX + "\"",
                    "rootdn \"cn=admin," + SUFFIX + "\"",
                    "directory " + dir.resolve("data"),
                    "access to attrs=userPassword by anonymous auth by * none",
                    "access to * by dn.exact=\"" + SERVICE_DN + "\" read by * none", ""));
            Path ldif = Files.writeString(dir.resolve("directory.ldif"), directory());
            run(List.of("/usr/sbin/slapadd", "-f", conf.toString(), "-l", ldif.toString()));
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            Process p = new ProcessBuilder(SLAPD, "-f", conf.toString(), "-h", "ldap://127.0.0.1:" + port + "/",
                    "-d", "0").redirectErrorStream(true).redirectOutput(dir.resolve("slapd.log").toFile()).start();
            Slapd slapd = new Slapd(p, port);
            slapd.awaitListening();
            return slapd;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String directory() {
        String people = "ou=people," + SUFFIX;
        return entry(SUFFIX, "objectClass: dcObject", "objectClass: organization", "o: Corp", "dc: corp")
                + entry("ou=people," + SUFFIX, "objectClass: organizationalUnit", "ou: people")
                + entry("ou=groups," + SUFFIX, "objectClass: organizationalUnit", "ou: groups")
                + entry("ou=services," + SUFFIX, "objectClass: organizationalUnit", "ou: services")
                + entry(SERVICE_DN, "objectClass: organizationalRole", "objectClass: simpleSecurityObject",
                        "cn: sekisho", "userPassword: " + SERVICE_PASSWORD)
                + person("alice", ProxyUsers.ALICE_PASSWORD) + person("bob", ProxyUsers.BOB_PASSWORD)
                + person("carol", ProxyUsers.CAROL_PASSWORD)
                + entry("cn=aws-admins,ou=groups," + SUFFIX, "objectClass: groupOfNames", "cn: aws-admins",
                        "member: uid=alice," + people)
                + entry("cn=developers,ou=groups," + SUFFIX, "objectClass: groupOfNames", "cn: developers",
                        "member: uid=alice," + people, "member: uid=bob," + people);
    }

    private static String person(String uid, String password) {
        return entry("uid=" + uid + ",ou=people," + SUFFIX, "objectClass: inetOrgPerson", "uid: " + uid,
                "cn: " + uid, "sn: " + uid, "userPassword: " + password);
    }

    private static String entry(String dn, String... lines) {
        return "dn: " + dn + "\n" + String.join("\n", lines) + "\n\n";
    }

    private static void run(List<String> cmd) throws IOException {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(cmd.get(0) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
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
                    throw new IOException("slapd exited with " + process.exitValue());
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException(ie);
                }
            }
        }
        throw new IOException("slapd did not listen on " + port);
    }

    public String url() {
        return "ldap://127.0.0.1:" + port;
    }

    /** Stops the directory: a verification after this finds nobody listening. */
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

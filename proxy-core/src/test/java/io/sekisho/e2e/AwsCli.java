package io.sekisho.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the real AWS CLI (v1 on every build machine) in a clean environment: only the variables set
 * here reach it, so a developer's profile, proxy settings or instance metadata never leak into a
 * test. One attempt, no retries (a blocked call must fail at once, not after backoff).
 *
 * <pre>{@code
 * AwsCli cli = AwsCli.viaProxy(tmp, proxyCaPem, proxyPort).identity(AwsIdentities.longTerm(CORPORATE));
 * CommandResult r = cli.run("s3", "cp", file.toString(), "s3://corp-data-bucket/a.txt");
 * }</pre>
 */
public final class AwsCli {

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final Path workDir;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final List<String> leadingArgs = new ArrayList<>();
    private Duration timeout = DEFAULT_TIMEOUT;

    private AwsCli(Path workDir, Path caBundle) {
        this.workDir = workDir;
        try {
            Files.createDirectories(workDir.resolve("home"));
            Path config = Files.writeString(workDir.resolve("aws-config"), "");
            Path credentials = Files.writeString(workDir.resolve("aws-credentials"), "");
            environment.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
            environment.put("HOME", workDir.resolve("home").toString());
            environment.put("LANG", "C.UTF-8");
            environment.put("AWS_CONFIG_FILE", config.toString());
            environment.put("AWS_SHARED_CREDENTIALS_FILE", credentials.toString());
            environment.put("AWS_CA_BUNDLE", caBundle.toString());
            environment.put("AWS_DEFAULT_REGION", "us-east-1");
            environment.put("AWS_EC2_METADATA_DISABLED", "true");
            environment.put("AWS_RETRY_MODE", "standard");
            environment.put("AWS_MAX_ATTEMPTS", "1");
            environment.put("AWS_PAGER", "");
            environment.put("NO_PROXY", "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether an {@code aws} executable is on this JVM's PATH. */
    public static boolean available() {
        return CommandResult.onPath("aws").isPresent();
    }

    /** Talks to endpoints itself (self-tests against the fake; pair with {@link #endpointUrl}). */
    public static AwsCli direct(Path workDir, Path caBundle) {
        return new AwsCli(workDir, caBundle);
    }

    /** Sends everything through the proxy at {@code 127.0.0.1:proxyPort}, trusting {@code caBundle} (the MITM CA). */
    public static AwsCli viaProxy(Path workDir, Path caBundle, int proxyPort) {
        AwsCli cli = new AwsCli(workDir, caBundle);
        String proxy = "http://127.0.0.1:" + proxyPort;
        cli.environment.put("HTTPS_PROXY", proxy);
        cli.environment.put("HTTP_PROXY", proxy);
        return cli;
    }

    /** Credentials for the following runs (session token included for {@code ASIA} identities). */
    public AwsCli identity(AwsIdentities.Identity identity) {
        environment.put("AWS_ACCESS_KEY_ID", identity.accessKeyId());
        environment.put("AWS_SECRET_ACCESS_KEY", identity.secretAccessKey());
        if (identity.sessionToken() != null) {
            environment.put("AWS_SESSION_TOKEN", identity.sessionToken());
        } else {
            environment.remove("AWS_SESSION_TOKEN");
        }
        return this;
    }

    public AwsCli region(String region) {
        environment.put("AWS_DEFAULT_REGION", region);
        return this;
    }

    /** Adds {@code --endpoint-url} to every command (e.g. {@code https://127.0.0.1:<port>}). */
    public AwsCli endpointUrl(String url) {
        leadingArgs.add("--endpoint-url");
        leadingArgs.add(url);
        return this;
    }

    public AwsCli env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    public AwsCli timeout(Duration value) {
        this.timeout = value;
        return this;
    }

    /** {@code aws <args> [--endpoint-url …]}; the command line never contains secrets. */
    public CommandResult run(String... args) {
        List<String> command = new ArrayList<>();
        command.add("aws");
        command.addAll(List.of(args));
        command.addAll(leadingArgs);
        return CommandResult.run(command, environment, workDir, timeout);
    }
}

package io.sekisho.e2e.secrets;

import io.sekisho.e2e.AwsIdentities;
import io.sekisho.e2e.SsmSessions;
import io.sekisho.e2e.RedisServer;
import io.sekisho.proxy.testing.ProxyUsers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Looks through log files for credential material (issue 4 point 7): the corpus identities'
 * secret keys and session tokens, any session token of the corpus's shape (they all start
 * {@code IQoJb3JpZ2luX2Vj}, corpus README), and SigV4 signature values in headers, presigned
 * query strings or POST forms, proxy credentials and Negotiate (SPNEGO/Kerberos) tokens. A finding names the file, line and kind, never the secret.
 */
public final class LogSecretScanner {
    /** Every session token of the corpus (and of the fakes' AssumeRole answers) starts so. */
    static final String SESSION_TOKEN_PREFIX = "IQoJb3JpZ2luX2Vj";
    /** {@code Signature=<hex>}, {@code X-Amz-Signature=<hex>}, form field {@code x-amz-signature}. */
    static final Pattern SIGNATURE = Pattern.compile("(?i)(x-amz-)?signature[\"']?\\s*[=:]\\s*[\"']?[0-9a-f]{64}");
    /**
     * A proxy credential as it travels: a {@code Proxy-Authorization} (or {@code Authorization})
     * value with Basic or Negotiate credentials, or a SPNEGO token ({@code YII…}, DER) after
     * {@code Negotiate}.
     */
    static final Pattern PROXY_CREDENTIAL = Pattern.compile(
            "(?i)(proxy-)?authorization[\"']?\\s*[=:]\\s*[\"']?(basic|negotiate)\\s+[A-Za-z0-9+/=]{4,}"
            + "|negotiate\\s+YII[A-Za-z0-9+/=]{8,}");

    /**
     * OAuth material (issue 15): an {@code Authorization: Bearer} value, or a JWT anywhere (an
     * idToken or a Sign-In access token: header and payload are base64url JSON, so both start
     * {@code eyJ}).
     */
    static final Pattern BEARER = Pattern.compile(
            "(?i)authorization[\"']?\\s*[=:]\\s*[\"']?bearer\\s+[A-Za-z0-9._~+/=-]{8,}"
            + "|eyJ[A-Za-z0-9_-]{6,}\\.eyJ[A-Za-z0-9_-]{6,}\\.");

    /**
     * A GSS-API initial context token in base64 wherever it appears, with or without the word
     * Negotiate before it (a JSON field, a quoted header, a hex-free dump): DER tag 0x60 with a
     * one- or two-byte length ({@code YIG…}, {@code YII…}); a Kerberos AP-REQ is hundreds of bytes.
     */
    static final Pattern NEGOTIATE_TOKEN = Pattern.compile("(?<![A-Za-z0-9+/])YI[GI][A-Za-z0-9+/]{60,}");

    /**
     * An SSM Session Manager token as it travels: the {@code TokenValue} of a StartSession or
     * ResumeSession response and of the data channel's first message ({@code OpenDataChannelInput}).
     */
    static final Pattern SSM_TOKEN = Pattern.compile("(?i)\"?tokenvalue\"?\\s*[=:]\\s*\"?[A-Za-z0-9+/=_-]{16,}");

    public record Finding(Path file, int line, String kind) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + kind;
        }
    }

    private final Set<String> secrets;

    public LogSecretScanner(Set<String> secrets) {
        this.secrets = Set.copyOf(secrets);
    }

    /** The corpus identities' secret keys and session tokens, for the four accounts and the old key. */
    public static LogSecretScanner forCorpus() {
        Set<String> s = new LinkedHashSet<>();
        s.add(AwsIdentities.OLD_FORMAT.secretAccessKey());
        for (String account : List.of(AwsIdentities.CORPORATE, AwsIdentities.CORPORATE_2, AwsIdentities.FOREIGN,
                AwsIdentities.FOREIGN_2)) {
            for (AwsIdentities.Identity id : List.of(AwsIdentities.longTerm(account), AwsIdentities.temporary(account))) {
                s.add(id.secretAccessKey());
                if (id.sessionToken() != null) {
                    s.add(id.sessionToken());
                }
            }
        }
        // The proxy users' passwords (issue 11), in clear and as the Basic tokens clients send.
        for (String password : ProxyUsers.passwords()) {
            s.add(password);
        }
        for (String user : List.of(ProxyUsers.ALICE, ProxyUsers.BOB, ProxyUsers.CAROL)) {
            for (String password : ProxyUsers.passwords()) {
                s.add(ProxyUsers.basicToken(user, password));
            }
        }
        return new LogSecretScanner(s);
    }

    public List<Finding> scanLines(Path file, List<String> lines) {
        List<Finding> found = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String kind = kindOf(lines.get(i));
            if (kind != null) {
                found.add(new Finding(file, i + 1, kind));
            }
        }
        return found;
    }

    public List<Finding> scan(Path file) {
        try (Stream<String> lines = Files.lines(file, StandardCharsets.ISO_8859_1)) {
            return scanLines(file, lines.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String kindOf(String line) {
        if (line.contains(RedisServer.TEST_PASSWORD) || line.contains(RedisServer.TEST_TOKEN_KEY)) {
            return "cluster store secret";
        }
        for (String s : secrets) {
            if (line.contains(s)) {
                return s.startsWith(SESSION_TOKEN_PREFIX) ? "corpus session token" : "corpus secret or password";
            }
        }
        if (line.contains(SESSION_TOKEN_PREFIX)) {
            return "session token";
        }
        if (SIGNATURE.matcher(line).find()) {
            return "signature value";
        }
        if (PROXY_CREDENTIAL.matcher(line).find()) {
            return "proxy credential";
        }
        if (BEARER.matcher(line).find()) {
            return "bearer token";
        }
        if (NEGOTIATE_TOKEN.matcher(line).find()) {
            return "Negotiate token";
        }
        if (line.contains(SsmSessions.TOKEN) || SSM_TOKEN.matcher(line).find()) {
            return "SSM session token";
        }
        return null;
    }
}

package io.sekisho.proxy.auth;

import io.sekisho.policy.Identity;
import io.sekisho.policy.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Objects;

/**
 * {@code auth.basic.htpasswd}, read again when its size, modification time or inode change, so
 * that adding or removing a user needs no reload (a removed user's cached credential lasts at
 * most {@code auth.cache.ttl}). Called only on the authentication executor: it touches the file
 * system.
 */
final class HtpasswdStore implements CredentialStore {
    private final Path file;
    private volatile Snapshot current;

    private record Snapshot(Object fileKey, long size, FileTime modified, Htpasswd entries) {
    }

    HtpasswdStore(Path file) {
        this.file = Objects.requireNonNull(file);
        this.current = new Snapshot("", -1, FileTime.fromMillis(0), Htpasswd.empty());
    }

    @Override
    public AuthOutcome check(String user, String password) {
        try {
            return entries().verify(user, password)
                    ? AuthOutcome.allowed(new Identity(user, List.of(), "basic"))
                    : AuthOutcome.denied(Reason.AUTH_FAILED);
        } catch (IOException | RuntimeException e) {
            return AuthOutcome.denied(Reason.AUTH_BACKEND_UNAVAILABLE);
        }
    }

    /**
     * The entries as the file holds them now.
     *
     * @throws IOException when the file cannot be read: the caller denies (AUTH_BACKEND_UNAVAILABLE)
     */
    synchronized Htpasswd entries() throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        Snapshot s = current;
        Object key = a.fileKey() != null ? a.fileKey() : "";
        if (!key.equals(s.fileKey()) || a.size() != s.size() || !a.lastModifiedTime().equals(s.modified())) {
            s = new Snapshot(key, a.size(), a.lastModifiedTime(), Htpasswd.load(file));
            current = s;
        }
        return s.entries();
    }
}

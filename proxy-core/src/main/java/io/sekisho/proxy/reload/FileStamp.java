package io.sekisho.proxy.reload;

import io.sekisho.policy.Nullable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What a configuration file was at one moment: which file (its inode, through symbolic links),
 * its size, modification time and content hash. Two equal stamps taken around a load mean the
 * loader read one version; a new {@code fileKey} means the name now points at another file,
 * which is how {@code mv}, {@code sed -i} and Kubernetes ConfigMap updates replace a file whole.
 *
 * @param fileKey the file's identity (device and inode on Linux); null where the file system has none
 */
record FileStamp(@Nullable Object fileKey, long size, FileTime modified, String sha256) {

    static FileStamp of(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        byte[] content = Files.readAllBytes(file);
        try {
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
            return new FileStamp(attributes.fileKey(), attributes.size(), attributes.lastModifiedTime(), hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}

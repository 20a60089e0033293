package io.sekisho.config;

import io.sekisho.config.Problem.Severity;
import io.sekisho.policy.Nullable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads and validates a configuration file in three stages (STYLE.md rule 10): SnakeYAML
 * compose to a node tree ({@link YamlComposer}), a walker that collects every problem with
 * its location ({@link ConfigWalker}), then immutable records. Reference:
 * docs/configuration.md.
 *
 * <p>Thread-safe and side-effect free apart from reading the file and checking that the
 * files it names exist, so a reload can call it while the old config keeps serving.
 */
public final class ConfigLoader {
    /** Larger than any real config; stops a wrong path (a log, a disk image) early. */
    static final int MAX_FILE_BYTES = 1024 * 1024;

    /**
     * What {@code sekisho run} serves without {@code --config}: listen on 127.0.0.1:3128,
     * enforce, audit to standard output, and a small example allowlist. Everything else takes
     * its documented default; nothing is intercepted.
     */
    public static final String BUILT_IN_DEFAULT_YAML = ""
            + "version: 1\n"
            + "listen: \"127.0.0.1:3128\"\n"
            + "mode: enforce\n"
            + "audit:\n"
            + "  file: \"-\"\n"
            + "domains:\n"
            + "  allow:\n"
            + "    - example.com\n"
            + "    - .example.org\n";

    private ConfigLoader() {
    }

    /** Reads, validates and builds the file; relative paths in it resolve against its directory. */
    public static LoadResult load(Path file) {
        Problems problems = new Problems(file.toString());
        String text = read(file, problems);
        if (text == null) {
            return new LoadResult(null, problems.inFileOrder());
        }
        Path absolute = file.toAbsolutePath().normalize();
        return walk(text, absolute, parentOrSelf(absolute), problems);
    }

    /**
     * Parses YAML text; {@code fileName} is used in problem locations, and relative paths in
     * the text resolve against its directory (the working directory for a bare name).
     */
    public static LoadResult parse(String yaml, String fileName) {
        Problems problems = new Problems(fileName);
        Path source;
        try {
            source = Path.of(fileName).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            source = Path.of("").toAbsolutePath();
        }
        return walk(yaml, source, parentOrSelf(source), problems);
    }

    /** The documented built-in default ({@link #BUILT_IN_DEFAULT_YAML}); its source is null. */
    public static SekishoConfig builtInDefault() {
        LoadResult r = parse(BUILT_IN_DEFAULT_YAML, "<built-in>");
        SekishoConfig c = r.config();
        if (c == null || !r.problems().isEmpty()) {
            throw new IllegalStateException("the built-in default does not load: " + r.problems());
        }
        return new SekishoConfig(null, c.listen(), c.audit(), c.policy(), c.upstream(), c.timeouts(),
                c.limits(), c.tls(), c.keyInfoResolver(), c.blockPageContact(), c.cluster(),
                c.access(), c.adminListen(), List.of());
    }

    /** The directory relative paths resolve against; a file system root is its own. */
    private static Path parentOrSelf(Path absolute) {
        Path parent = absolute.getParent();
        return parent != null ? parent : absolute;
    }

    private static LoadResult walk(String yaml, Path source, Path baseDir, Problems problems) {
        String text = yaml.startsWith("\uFEFF") ? yaml.substring(1) : yaml;
        var root = YamlComposer.compose(text, problems);
        @Nullable SekishoConfig config = null;
        if (!problems.hasErrors()) {
            config = new ConfigWalker(problems, baseDir).walk(root, source);
        } else if (root != null) {
            // Tag errors leave a usable tree: walk it too so every other problem shows at once.
            new ConfigWalker(problems, baseDir).walk(root, source);
        }
        return new LoadResult(config, problems.inFileOrder());
    }

    /** Problems about the file as a whole have no position (line 0). */
    private static @Nullable String read(Path file, Problems problems) {
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) {
                problems.add(0, 0, Severity.ERROR, "is a directory, not a config file");
                return null;
            }
            if (Files.size(file) > MAX_FILE_BYTES) {
                problems.add(0, 0, Severity.ERROR,
                        "larger than " + MAX_FILE_BYTES + " bytes; is this the config file?");
                return null;
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            problems.add(0, 0, Severity.ERROR, "no such file");
            return null;
        } catch (IOException e) {
            problems.add(0, 0, Severity.ERROR, "cannot read: " + e.getMessage());
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            problems.add(0, 0, Severity.ERROR, "not UTF-8 text");
            return null;
        }
    }
}

package io.sekisho.config;

import io.sekisho.config.Problem.Severity;
import io.sekisho.policy.Nullable;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Stage one (STYLE.md rule 10): YAML text to a node tree with SnakeYAML's composer only.
 * Nothing is ever constructed from the document, so no tag can instantiate a class; explicit
 * tags other than the standard scalar ones are still reported, because a config that carries
 * {@code !!java...} was written by someone probing the loader or copying from a gadget list.
 */
final class YamlComposer {
    private static final String YAML_TAG_PREFIX = "tag:yaml.org,2002:";
    private static final Set<String> ALLOWED_TAGS = Set.of(
            YAML_TAG_PREFIX + "str", YAML_TAG_PREFIX + "int", YAML_TAG_PREFIX + "bool",
            YAML_TAG_PREFIX + "float", YAML_TAG_PREFIX + "null");
    /** Aliases to whole lists or maps are the "billion laughs" amplifier; a config needs few. */
    static final int MAX_COLLECTION_ALIASES = 10;
    static final int MAX_NESTING = 20;
    static final int MAX_CODE_POINTS = 1 << 20;

    private YamlComposer() {
    }

    /**
     * Returns the document's root node, null for an empty document or when the text is not
     * YAML (the reason is recorded in {@code problems}).
     */
    static @Nullable Node compose(String text, Problems problems) {
        LoaderOptions options = new LoaderOptions();
        // Duplicates are found by the walker, which reports both locations.
        options.setAllowDuplicateKeys(true);
        options.setMaxAliasesForCollections(MAX_COLLECTION_ALIASES);
        options.setNestingDepthLimit(MAX_NESTING);
        options.setCodePointLimit(MAX_CODE_POINTS);
        options.setMergeOnCompose(false);
        options.setProcessComments(false);
        // The composer only records a tag; the walker reports it. Construction never happens.
        options.setTagInspector(tag -> true);
        TagCheckingParser parser = new TagCheckingParser(
                new ParserImpl(new StreamReader(text), options), problems);
        try {
            return new Composer(parser, new Resolver(), options).getSingleNode();
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            problems.add(mark, Severity.ERROR, "YAML syntax error: " + describe(e));
        } catch (ReaderException e) {
            int[] lineColumn = lineAndColumn(text, e.getPosition());
            problems.add(lineColumn[0], lineColumn[1], Severity.ERROR, String.format(
                    "YAML syntax error: character U+%04X is not allowed in YAML", e.getCodePoint()));
        } catch (YAMLException e) {
            // Limits (aliases, nesting, size) carry no mark; the last event read is where it tripped.
            problems.add(parser.lastMark(), Severity.ERROR, "YAML rejected: " + limitMessage(e));
        } catch (IllegalArgumentException e) {
            // SnakeYAML's Tag constructor refuses a tag that decodes with a space ("!!a%20"),
            // unwrapped: without this catch `check` ended in a stack trace.
            problems.add(parser.lastMark(), Severity.ERROR, "YAML rejected: " + e.getMessage());
        }
        return null;
    }

    private static String describe(MarkedYAMLException e) {
        String problem = e.getProblem() == null ? "" : e.getProblem().strip();
        String context = e.getContext() == null ? "" : e.getContext().strip();
        if (context.isEmpty() || problem.isEmpty()) {
            return problem.isEmpty() ? context : problem;
        }
        if (problem.startsWith("but ")) {
            // The composer words it as context then problem: "expected a single document in the
            // stream", "but found another document".
            return context + ", " + problem;
        }
        return problem + " (" + context + ")";
    }

    private static String limitMessage(YAMLException e) {
        String m = String.valueOf(e.getMessage());
        if (m.startsWith("Number of aliases")) {
            return "more than " + MAX_COLLECTION_ALIASES + " aliases to lists or mappings";
        }
        if (m.startsWith("Nesting Depth")) {
            return "nested more than " + MAX_NESTING + " levels deep";
        }
        if (m.contains("exceeds the limit")) {
            return "longer than " + MAX_CODE_POINTS + " characters";
        }
        return m;
    }

    /** ReaderException positions count code points from the start of the text. */
    private static int[] lineAndColumn(String text, int codePointIndex) {
        int line = 1;
        int column = 1;
        int seen = 0;
        for (int i = 0; i < text.length() && seen < codePointIndex; i += Character.charCount(text.codePointAt(i))) {
            if (text.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
            seen++;
        }
        return new int[] {line, column};
    }

    /** {@code tag:yaml.org,2002:java.net.URL} is written {@code !!java.net.URL}. */
    private static String shortTag(String tag) {
        return tag.startsWith(YAML_TAG_PREFIX) ? "!!" + tag.substring(YAML_TAG_PREFIX.length()) : tag;
    }

    /** Sees every event once, so tags on keys the walker never visits are still reported. */
    private static final class TagCheckingParser implements Parser {
        private final Parser delegate;
        private final Problems problems;
        private @Nullable Mark lastMark;

        TagCheckingParser(Parser delegate, Problems problems) {
            this.delegate = delegate;
            this.problems = problems;
        }

        @Override
        public boolean checkEvent(Event.ID choice) {
            return delegate.checkEvent(choice);
        }

        @Override
        public Event peekEvent() {
            return delegate.peekEvent();
        }

        @Override
        public Event getEvent() {
            Event event = delegate.getEvent();
            lastMark = event.getStartMark();
            String tag = null;
            if (event instanceof ScalarEvent scalar) {
                tag = scalar.getTag();
            } else if (event instanceof CollectionStartEvent collection) {
                tag = collection.getTag();
            }
            if (tag != null && !tag.equals("!") && !ALLOWED_TAGS.contains(tag)) {
                problems.add(event.getStartMark(), Severity.ERROR, "explicit YAML tag `" + shortTag(tag)
                        + "` is not allowed (only !!str, !!int, !!bool, !!float and !!null)");
            }
            return event;
        }

        @Nullable Mark lastMark() {
            return lastMark;
        }
    }
}

package io.sekisho.policy;

import java.util.ArrayList;
import java.util.List;

/** An immutable {@link Headers} from name/value pairs; for tests and non-Netty callers. */
public final class SimpleHeaders implements Headers {
    public static final SimpleHeaders EMPTY = new SimpleHeaders(List.of());

    private final List<String[]> lines;

    private SimpleHeaders(List<String[]> lines) {
        this.lines = lines;
    }

    /** {@code of("Host", "a.example", "Accept", "text/plain")}: names and values alternate. */
    public static SimpleHeaders of(String... nameValues) {
        if (nameValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must alternate");
        }
        List<String[]> l = new ArrayList<>(nameValues.length / 2);
        for (int i = 0; i < nameValues.length; i += 2) {
            l.add(new String[] {nameValues[i], nameValues[i + 1]});
        }
        return new SimpleHeaders(List.copyOf(l));
    }

    public static SimpleHeaders fromLines(List<String[]> nameValuePairs) {
        List<String[]> l = new ArrayList<>(nameValuePairs.size());
        for (String[] p : nameValuePairs) {
            l.add(new String[] {p[0], p[1]});
        }
        return new SimpleHeaders(List.copyOf(l));
    }

    @Override
    public @Nullable String get(String name) {
        for (String[] l : lines) {
            if (l[0].equalsIgnoreCase(name)) {
                return l[1];
            }
        }
        return null;
    }

    @Override
    public List<String> getAll(String name) {
        List<String> out = new ArrayList<>(1);
        for (String[] l : lines) {
            if (l[0].equalsIgnoreCase(name)) {
                out.add(l[1]);
            }
        }
        return out;
    }

    @Override
    public int size() {
        return lines.size();
    }

    @Override
    public String name(int i) {
        return lines.get(i)[0];
    }

    @Override
    public String value(int i) {
        return lines.get(i)[1];
    }
}

package io.sekisho.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package graphs that docs/architecture.md draws, read from the main sources' import lines:
 * no import circle between the packages of proxy-core or of policy (each class of a root package
 * counted on its own), and only {@code ProxyServer} imports the assembly ({@code pipeline}). A
 * new arrow that closes a circle fails the build here.
 */
class PackageGraphTest {
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?(io\\.sekisho\\.[\\w.]+);", Pattern.MULTILINE);
    private static final Pattern PACKAGE = Pattern.compile("^package (io\\.sekisho\\.[\\w.]+);", Pattern.MULTILINE);

    @Test
    void proxyCorePackagesImportEachOtherWithoutACircle() {
        assertThat(circles(graph(Path.of("src/main/java"), "io.sekisho.proxy"))).isEmpty();
    }

    @Test
    void policyPackagesImportEachOtherWithoutACircle() {
        assertThat(circles(graph(Path.of("../policy/src/main/java"), "io.sekisho.policy"))).isEmpty();
    }

    @Test
    void onlyProxyServerImportsTheAssembly() {
        Map<String, Set<String>> importers = new TreeMap<>();
        forEachSource(Path.of("src/main/java"), (pkg, file, imports) -> {
            for (String imported : imports) {
                if (imported.startsWith("io.sekisho.proxy.pipeline.") && !pkg.equals("io.sekisho.proxy.pipeline")) {
                    importers.computeIfAbsent(file, k -> new TreeSet<>()).add(imported);
                }
            }
        });
        assertThat(importers).containsOnlyKeys("ProxyServer.java");
    }

    @Test
    void aCircleIsFound() {
        Map<String, Set<String>> g = new TreeMap<>();
        g.put("a", Set.of("b"));
        g.put("b", Set.of("c"));
        g.put("c", Set.of("a"));
        g.put("d", Set.of("a"));
        assertThat(circles(g)).containsExactly(List.of("a", "b", "c"));
    }

    /**
     * node → the nodes of this tree it imports (itself excluded). A node is a package, except in
     * the tree's root package ({@code root}), whose classes are nodes of their own: it holds both
     * the top ({@code ProxyServer}, {@code PolicyEngine}) and the shared floor ({@code ProxyServices},
     * {@code Decision}), as docs/architecture.md draws them.
     */
    private static Map<String, Set<String>> graph(Path root, String rootPackage) {
        Set<String> packages = new TreeSet<>();
        forEachSource(root, (pkg, file, imports) -> packages.add(pkg));
        Map<String, Set<String>> g = new TreeMap<>();
        forEachSource(root, (pkg, file, imports) -> {
            String self = pkg.equals(rootPackage) ? pkg + "." + file.replace(".java", "") : pkg;
            Set<String> out = g.computeIfAbsent(self, k -> new TreeSet<>());
            for (String imported : imports) {
                String target = packageOf(imported, packages);
                if (target != null && target.equals(rootPackage)) {
                    String rest = imported.substring(rootPackage.length() + 1);
                    target = rootPackage + "." + (rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest);
                }
                if (target != null && !target.equals(self)) {
                    out.add(target);
                }
            }
        });
        assertThat(g).as("sources under %s", root).isNotEmpty();
        return g;
    }

    /** The longest known package that {@code imported} (a class, a nested class or a static member) lies in. */
    private static String packageOf(String imported, Set<String> packages) {
        String name = imported;
        while (name.contains(".")) {
            name = name.substring(0, name.lastIndexOf('.'));
            if (packages.contains(name)) {
                return name;
            }
        }
        return null;
    }

    /** The strongly connected components of more than one package, each sorted (Tarjan). */
    static List<List<String>> circles(Map<String, Set<String>> g) {
        Tarjan t = new Tarjan(g);
        g.keySet().forEach(t::visit);
        return t.circles;
    }

    private static final class Tarjan {
        private final Map<String, Set<String>> g;
        private final Map<String, Integer> index = new TreeMap<>();
        private final Map<String, Integer> low = new TreeMap<>();
        private final List<String> stack = new ArrayList<>();
        final List<List<String>> circles = new ArrayList<>();

        Tarjan(Map<String, Set<String>> g) {
            this.g = g;
        }

        void visit(String v) {
            if (index.containsKey(v)) {
                return;
            }
            index.put(v, index.size());
            low.put(v, index.get(v));
            stack.add(v);
            for (String w : g.getOrDefault(v, Set.of())) {
                if (!index.containsKey(w)) {
                    visit(w);
                    low.put(v, Math.min(low.get(v), low.get(w)));
                } else if (stack.contains(w)) {
                    low.put(v, Math.min(low.get(v), index.get(w)));
                }
            }
            if (low.get(v).equals(index.get(v))) {
                List<String> component = new ArrayList<>();
                String w;
                do {
                    w = stack.remove(stack.size() - 1);
                    component.add(w);
                } while (!w.equals(v));
                if (component.size() > 1) {
                    component.sort(null);
                    circles.add(component);
                }
            }
        }
    }

    private interface SourceVisitor {
        void visit(String pkg, String file, List<String> imports);
    }

    private static void forEachSource(Path root, SourceVisitor visitor) {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                String text = Files.readString(f);
                Matcher pm = PACKAGE.matcher(text);
                if (!pm.find()) {
                    continue;
                }
                List<String> imports = new ArrayList<>();
                Matcher im = IMPORT.matcher(text);
                while (im.find()) {
                    imports.add(im.group(1));
                }
                visitor.visit(pm.group(1), f.getFileName().toString(), imports);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

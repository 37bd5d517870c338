package dev.panic;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps core's packages layered: the only cycles allowed are between a public package and its own
 * internal implementation, and other modules use no internal package of core.
 */
class LayeringTest {

    /**
     * The public package each internal package implements. An internal package not listed here fails
     * the test: say which public package it belongs to.
     */
    private static final Map<String, String> OWNER = Map.of(
            "dev.panic.internal", "dev.panic",
            "dev.panic.internal.run", "dev.panic",
            "dev.panic.internal.rules", "dev.panic",
            "dev.panic.internal.detect", "dev.panic",
            "dev.panic.internal.store", "dev.panic",
            "dev.panic.internal.analysis", "dev.panic.analysis",
            "dev.panic.internal.http", "dev.panic.spi.http",
            "dev.panic.simulator.internal", "dev.panic.simulator");

    private static Map<String, Set<String>> graph;

    @BeforeAll
    static void importCore() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.panic");
        graph = new TreeMap<>();
        for (JavaClass c : classes) {
            String from = owner(c.getPackageName());
            graph.computeIfAbsent(from, k -> new TreeSet<>());
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                String to = d.getTargetClass().getPackageName();
                if (to.startsWith("dev.panic") && !owner(to).equals(from)) {
                    graph.get(from).add(owner(to));
                }
            }
        }
    }

    private static String owner(String pkg) {
        if (pkg.contains(".internal")) {
            String o = OWNER.get(pkg);
            if (o == null) {
                throw new AssertionError("internal package " + pkg + " has no public owner in LayeringTest.OWNER");
            }
            return o;
        }
        return pkg;
    }

    @Test
    void corePackagesFormNoCycleBeyondAPackageAndItsOwnInternals() {
        assertThat(graph).containsKeys("dev.panic", "dev.panic.store", "dev.panic.analysis", "dev.panic.spi.http");
        List<String> cycleEdges = new ArrayList<>();
        for (Set<String> component : stronglyConnected(graph)) {
            if (component.size() > 1) {
                for (String a : component) {
                    for (String b : graph.getOrDefault(a, Set.of())) {
                        if (component.contains(b)) {
                            cycleEdges.add(a + " -> " + b);
                        }
                    }
                }
            }
        }
        assertThat(cycleEdges).as("edges in a cycle of public packages").isEmpty();
    }

    @Test
    void analysisAndStoreAreLayered() {
        assertThat(graph.get("dev.panic.store")).doesNotContain("dev.panic.analysis", "dev.panic.detection");
        assertThat(graph.get("dev.panic.spi")).doesNotContain("dev.panic.store", "dev.panic");
        assertThat(graph.get("dev.panic")).doesNotContain("dev.panic.store", "dev.panic.analysis");
    }

    /** Tarjan's strongly connected components. */
    static List<Set<String>> stronglyConnected(Map<String, Set<String>> g) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<Set<String>> out = new ArrayList<>();
        int[] counter = {0};
        for (String v : g.keySet()) {
            if (!index.containsKey(v)) {
                visit(v, g, index, low, stack, onStack, out, counter);
            }
        }
        return out;
    }

    private static void visit(String v, Map<String, Set<String>> g, Map<String, Integer> index, Map<String, Integer> low,
                              Deque<String> stack, Set<String> onStack, List<Set<String>> out, int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]++);
        stack.push(v);
        onStack.add(v);
        for (String w : g.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                visit(w, g, index, low, stack, onStack, out, counter);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            out.add(component);
        }
    }

    @Test
    void theCycleFinderFindsACycle() {
        Map<String, Set<String>> g = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));
        assertThat(stronglyConnected(g)).contains(Set.of("a", "b", "c"), Set.of("d"));
    }

    /**
     * Modules that still use core's internal JSON codec (dev.panic.internal.store.JsonCodec,
     * RunFolderLayout) to keep runs in their own stores, and benchmarks, which measure engine
     * internals. No other module may name a dev.panic.internal package.
     */
    private static final Set<String> MAY_USE_CORE_INTERNALS = Set.of("panic-postgres", "panic-temporal", "benchmarks");

    private static final Pattern CORE_INTERNAL = Pattern.compile("\\bdev\\.panic\\.internal\\.[a-z]");

    @Test
    void otherModulesUseNoInternalPackageOfCore() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        assertThat(root.resolve("panic-openai/src/main/java")).isDirectory();
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path module : modules.filter(m -> Files.isDirectory(m.resolve("src/main/java"))).toList()) {
                String name = module.getFileName().toString();
                if (name.equals("panic-core") || MAY_USE_CORE_INTERNALS.contains(name)) {
                    continue;
                }
                try (Stream<Path> files = Files.walk(module.resolve("src/main/java"))) {
                    files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
                        Matcher m = CORE_INTERNAL.matcher(read(f));
                        if (m.find()) {
                            offenders.add(root.relativize(f).toString());
                        }
                    });
                }
            }
        }
        assertThat(offenders).isEmpty();
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.raregen.broadcaster.architecture;

import org.junit.jupiter.api.Test;

import java.io.IOException;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The broadcaster's packages form a graph without cycles (read from the main sources' import lines): a reader can
 * take them bottom-up, e.g. {@code store} before {@code pipeline}, {@code loops} before {@code recovery}, without a
 * package that needs one above it.
 */
class PackageCyclesTest {
    private static final String ROOT = "io.raregen.broadcaster";
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?io\\.raregen\\.broadcaster\\.([a-z0-9_]+)\\.",
            Pattern.MULTILINE);

    @Test
    void mainPackages_importEachOtherWithoutACycle() throws IOException {
        Map<String, Set<String>> graph = imports(Path.of("src/main/java/io/raregen/broadcaster"));
        assertTrue(graph.size() > 20, "read the packages: " + graph.keySet());
        List<String> cycle = findCycle(graph);
        assertEquals(List.of(), cycle, "a cycle of packages (each imports the next): " + cycle);
    }

    @Test
    void theCheckFindsACycleWhenThereIsOne() {
        Map<String, Set<String>> graph = new TreeMap<>(Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of()));
        assertEquals(List.of("a", "b", "c", "a"), findCycle(graph));
    }

    /** Package (first segment under the root) → the root's packages its files import, itself excluded. */
    static Map<String, Set<String>> imports(Path dir) throws IOException {
        Map<String, Set<String>> graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Path rel = dir.relativize(f);
                if (rel.getNameCount() < 2) {
                    continue; // the root's own files (Application)
                }
                String pkg = rel.getName(0).toString();
                Set<String> targets = graph.computeIfAbsent(pkg, k -> new TreeSet<>());
                Matcher m = IMPORT.matcher(Files.readString(f));
                while (m.find()) {
                    if (!m.group(1).equals(pkg)) {
                        targets.add(m.group(1));
                    }
                }
            }
        }
        return graph;
    }

    /** The first cycle found by depth-first search, as the packages in order with the first repeated; else empty. */
    static List<String> findCycle(Map<String, Set<String>> graph) {
        Map<String, Integer> state = new TreeMap<>(); // 1 on the current path, 2 done
        for (String start : graph.keySet()) {
            List<String> path = new ArrayList<>();
            List<String> found = visit(start, graph, state, path);
            if (!found.isEmpty()) {
                return found;
            }
        }
        return List.of();
    }

    private static List<String> visit(String node, Map<String, Set<String>> graph, Map<String, Integer> state, List<String> path) {
        Integer s = state.get(node);
        if (s != null && s == 2) {
            return List.of();
        }
        if (s != null && s == 1) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(node), path.size()));
            cycle.add(node);
            return cycle;
        }
        state.put(node, 1);
        path.add(node);
        for (String next : graph.getOrDefault(node, Set.of())) {
            List<String> found = visit(next, graph, state, path);
            if (!found.isEmpty()) {
                return found;
            }
        }
        path.remove(path.size() - 1);
        state.put(node, 2);
        return List.of();
    }
}

package io.raregen.broadcaster.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The metric names the repository's observability/ files query: every {@code expr} of the Grafana
 * dashboards and of the Prometheus rule files. Only {@code raregen_*} names are the broadcaster's; the
 * Prometheus-made series they also use ({@code up}, {@code ALERTS}) are not collected.
 */
final class ObservabilityFiles {

    private static final Pattern NAME = Pattern.compile("\\braregen_[a-z0-9_]+\\b");

    private ObservabilityFiles() {
    }

    static Path root() {
        Path base = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        Path dir = base.resolveSibling("observability");
        if (!Files.isDirectory(dir)) {
            dir = base.resolve("observability");
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("no observability/ directory beside " + base);
        }
        return dir;
    }

    static Set<String> metricNames() throws IOException {
        Set<String> names = new TreeSet<>();
        Path root = root();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String file = f.getFileName().toString();
                if (file.endsWith(".json")) {
                    collectJson(new ObjectMapper().readTree(f.toFile()), names);
                } else if ((file.endsWith(".yml") || file.endsWith(".yaml")) && f.getParent().equals(root.resolve("prometheus"))) {
                    collectRules(f, names);
                }
            }
        }
        return names;
    }

    private static void collectJson(JsonNode node, Set<String> names) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals("expr") && e.getValue().isTextual()) {
                    add(e.getValue().asText(), names);
                } else {
                    collectJson(e.getValue(), names);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectJson(n, names));
        }
    }

    @SuppressWarnings("unchecked")
    private static void collectRules(Path f, Set<String> names) throws IOException {
        try (Reader r = Files.newBufferedReader(f)) {
            Map<String, Object> doc = new Yaml().load(r);
            for (Map<String, Object> group : (List<Map<String, Object>>) doc.get("groups")) {
                for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                    add(String.valueOf(rule.get("expr")), names);
                }
            }
        }
    }

    private static void add(String expr, Set<String> names) {
        Matcher m = NAME.matcher(expr);
        while (m.find()) {
            names.add(m.group());
        }
    }
}

package io.raregen.infra.api;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * API Gateway routes exactly the operations the functions app serves: every path and method of its OpenAPI
 * document (generated from the controllers when {@code functions} is built, before this module in the reactor) has
 * a route, and no route points at nothing. Path parameters are compared by position, not by name.
 */
class ApiRoutesMatchTheFunctionsTest {

    private static final Path SWAGGER = Path.of("..", "functions", "target", "classes", "META-INF", "swagger");

    @Test
    void everyOperationOfTheFunctions_hasARoute_andEveryRouteAnOperation() throws IOException {
        assumeTrue(Files.isDirectory(SWAGGER), "SKIPPED: build the functions module first (its OpenAPI document is " + SWAGGER + ")");
        Path doc;
        try (Stream<Path> s = Files.list(SWAGGER)) {
            doc = s.filter(p -> p.getFileName().toString().endsWith(".yml")).findFirst().orElseThrow();
        }
        Set<String> served = new TreeSet<>();
        try (InputStream in = Files.newInputStream(doc)) {
            Map<String, Object> root = new Yaml().load(in);
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) root.get("paths");
            paths.forEach((path, ops) -> ops.keySet().forEach(method -> served.add(key(method, path))));
        }
        Set<String> routed = new TreeSet<>();
        ApiRoutes.ALL.forEach(r -> routed.add(key(r.method().name(), r.path())));

        Set<String> unrouted = new TreeSet<>(served);
        unrouted.removeAll(routed);
        Set<String> dangling = new TreeSet<>(routed);
        dangling.removeAll(served);
        assertEquals(Set.of(), unrouted, "operations of the functions without an API Gateway route");
        assertEquals(Set.of(), dangling, "API Gateway routes to no operation");
    }

    private static String key(String method, String path) {
        return method.toUpperCase(Locale.ROOT) + " " + path.replaceAll("\\{[^}]+}", "{}");
    }
}

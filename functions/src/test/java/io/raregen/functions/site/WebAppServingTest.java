package io.raregen.functions.site;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.raregen.functions.support.TestEnv;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The web app at / on the Netty host, beside the API, which answers exactly as before. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebAppServingTest implements TestPropertyProvider {

    private static final String HEADERS = "http://127.0.0.1:9999/admin/blocks/{hash}";
    private final HttpClient http = HttpClient.newHttpClient();
    private TestEnv env;

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        env = TestEnv.create();
        Map<String, String> p = new HashMap<>(env.properties());
        p.put("raregen.site.headers-url", HEADERS);
        return p;
    }

    @AfterAll
    void dropDatabase() {
        env.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(server.getURI().resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void root_servesTheAppPage_withSecurityHeaders() throws Exception {
        HttpResponse<String> r = get("/");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), r.headers().toString());
        assertTrue(r.body().contains("<div id=\"app\">") && r.body().contains("src=\"app.js\""), r.body());
        String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), csp);
        assertTrue(csp.contains("connect-src 'self' http://127.0.0.1:9999"), "the header source may be fetched: " + csp);
        assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertEquals("no-referrer", r.headers().firstValue("Referrer-Policy").orElse(""));
        assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElse(""));
    }

    @Test
    void bundle_andStyles_areServedWithTheirTypes() throws Exception {
        HttpResponse<String> js = get("/app.js");
        assertEquals(200, js.statusCode());
        assertTrue(js.headers().firstValue("Content-Type").orElse("").contains("javascript"), js.headers().toString());
        HttpResponse<String> css = get("/app.css");
        assertEquals(200, css.statusCode());
        assertTrue(css.headers().firstValue("Content-Type").orElse("").startsWith("text/css"), css.headers().toString());
        assertEquals(200, get("/lion.svg").statusCode());
    }

    @Test
    void configJson_tellsThePageItsHeaderSourceAndPayloadLimit() throws Exception {
        HttpResponse<String> r = get("/config.json");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode n = new ObjectMapper().readTree(r.body());
        assertEquals(HEADERS, n.path("headersUrl").asText());
        assertEquals(100000, n.path("maxPayloadBytes").asInt());
    }

    @Test
    void api_answersAsBefore_problemsStayProblems_withoutThePagePolicy() throws Exception {
        HttpResponse<String> bad = get("/v1/jobs/not-a-ulid");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertTrue(bad.body().contains("JOB_ID_INVALID"), bad.body());
        assertFalse(bad.headers().firstValue("Content-Security-Policy").isPresent());
        assertEquals("nosniff", bad.headers().firstValue("X-Content-Type-Options").orElse(""));

        HttpResponse<String> missing = get("/v1/no-such-endpoint");
        assertEquals(404, missing.statusCode());
        assertTrue(missing.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), missing.body());

        HttpResponse<String> noFile = get("/no-such-file.js");
        assertEquals(404, noFile.statusCode());
        assertTrue(noFile.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), noFile.body());

        assertEquals(200, get("/health").statusCode());
    }
}

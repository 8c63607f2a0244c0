package io.raregen.broadcaster.funding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Refused requests over the real broadcaster HTTP server (Netty, Postgres, local chain): each gets an answer
 * (a hang fails on the client's timeout, not on a stopwatch), a 4xx status, and the API's problem document
 * ({@code application/problem+json}, a stable {@code code}). The token is checked before the body is decoded, and
 * every pool endpoint, reads included, needs it; /health and /prometheus stay open (a private port in AWS).
 */
class FundingHttpErrorsTest {
    private static final String TOKEN = FundingApp.TOKEN;
    private static final String FUNDING = "/v1/pool/funding";
    private static final String WELL_FORMED = "{\"outpoint\":\"" + "ab".repeat(32) + ":0\",\"rawTx\":\"00\"}";
    /** Generous: only a request that never answers reaches it. */
    private static final Duration NO_ANSWER = Duration.ofSeconds(20);

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static FundingApp app;

    @BeforeAll
    static void start() {
        app = FundingApp.start(Map.of());
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void importFunding_wrongToken_answers401Unauthorized() throws Exception {
        assertRefused(post(WELL_FORMED, "not-the-token"), 401, "UNAUTHORIZED");
    }

    @Test
    void importFunding_noToken_answers401Unauthorized() throws Exception {
        assertRefused(post(WELL_FORMED, null), 401, "UNAUTHORIZED");
    }

    @Test
    void importFunding_wrongTokenAndMalformedBody_answers401BeforeLookingAtTheBody() throws Exception {
        assertRefused(post("{not json", "not-the-token"), 401, "UNAUTHORIZED");
    }

    @Test
    void importFunding_malformedJson_answers400MalformedBody() throws Exception {
        assertRefused(post("{not json", TOKEN), 400, "MALFORMED_BODY");
    }

    @Test
    void importFunding_jsonOfTheWrongShape_answers400MalformedBody() throws Exception {
        assertRefused(post("[1, 2]", TOKEN), 400, "MALFORMED_BODY");
        assertRefused(post("{\"outpoint\": 5, \"rawTx\": {}, \"confirmed\": \"maybe\"}", TOKEN), 400, "MALFORMED_BODY");
    }

    @Test
    void importFunding_emptyBody_answers400MissingField() throws Exception {
        assertRefused(post("", TOKEN), 400, "MISSING_FIELD");
    }

    @Test
    void importFunding_badOutpoint_answers400OutpointInvalid() throws Exception {
        assertRefused(post("{\"outpoint\":\"zz\",\"rawTx\":\"00\"}", TOKEN), 400, "OUTPOINT_INVALID");
    }

    @Test
    void importFunding_badRawTx_answers400RawTxInvalid() throws Exception {
        assertRefused(post("{\"outpoint\":\"" + "ab".repeat(32) + ":0\",\"rawTx\":\"zz\"}", TOKEN), 400, "RAW_TX_INVALID");
    }

    @Test
    void poolReads_withoutOrWithWrongToken_answer401_andWithTheTokenAnswer200() throws Exception {
        for (String path : new String[] {"/v1/pool", "/v1/pool/funding-address"}) {
            assertRefused(send("GET", path, null, null, null), 401, "UNAUTHORIZED");
            assertRefused(send("GET", path, null, "not-the-token", null), 401, "UNAUTHORIZED");
            assertRefused(send("GET", path, null, null, "Basic dXNlcjpwYXNz"), 401, "UNAUTHORIZED");
            assertEquals(200, send("GET", path, null, TOKEN, null).statusCode(), path);
        }
    }

    @Test
    void poolActions_withoutToken_answer401() throws Exception {
        assertRefused(send("POST", "/v1/pool/replenish", "", null, null), 401, "UNAUTHORIZED");
        assertRefused(send("POST", "/v1/pool/consolidate", "", null, null), 401, "UNAUTHORIZED");
    }

    @Test
    void healthAndMetrics_stayOpen() throws Exception {
        int health = send("GET", "/health", null, null, null).statusCode();
        assertTrue(health == 200 || health == 503, "health answers without a token (UP or DOWN), got " + health);
        HttpResponse<String> prom = send("GET", "/prometheus", null, null, null);
        assertEquals(200, prom.statusCode(), prom.body());
    }

    @Test
    void frameworkErrors_areProblemsWithTheApiCodes() throws Exception {
        assertRefused(send("GET", "/v1/nothing-here", null, TOKEN, null), 404, "NOT_FOUND");
        assertRefused(send("DELETE", "/v1/pool", null, TOKEN, null), 405, "METHOD_NOT_ALLOWED");
        assertRefused(send("GET", "/v1/pool/replenish", null, TOKEN, null), 405, "METHOD_NOT_ALLOWED");
    }

    @Test
    void importFunding_charsetOtherThanUtf8_answers415_andUtf8InAnySpellingIsRead() throws Exception {
        for (String charset : new String[] {"klingon", "", "utf-16"}) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(app.uri(FUNDING)).timeout(NO_ANSWER)
                    .header("Content-Type", "application/json; charset=" + charset).header("Authorization", "Bearer " + TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofString(WELL_FORMED)).build(), HttpResponse.BodyHandlers.ofString());
            assertRefused(r, 415, "CHARSET_UNSUPPORTED");
        }
        HttpResponse<String> quoted = HTTP.send(HttpRequest.newBuilder(app.uri(FUNDING)).timeout(NO_ANSWER)
                .header("Content-Type", "application/json; charset=\"UTF-8\"").header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString("{\"outpoint\":\"zz\",\"rawTx\":\"00\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertRefused(quoted, 400, "OUTPOINT_INVALID");
    }

    private static HttpResponse<String> send(String method, String path, String body, String token, String authorization)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(app.uri(path)).timeout(NO_ANSWER)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        } else if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertRefused(HttpResponse<String> r, int status, String code) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"),
                () -> "problem document, got " + r.headers().map() + " " + r.body());
        JsonNode body = JSON.readTree(r.body());
        assertEquals(code, body.path("code").asText(), r.body());
        assertEquals("urn:raregen:problem:" + code, body.path("type").asText(), r.body());
        assertEquals(status, body.path("status").asInt(), r.body());
        assertTrue(body.path("detail").isTextual(), r.body());
    }

    private static HttpResponse<String> post(String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(app.uri(FUNDING))
                .timeout(NO_ANSWER)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}

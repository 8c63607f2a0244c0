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
 * Refused operator requests over the real broadcaster HTTP server (Netty, Postgres, local chain): each gets an answer
 * (a hang fails on the client's timeout, not on a stopwatch), a 4xx status, a JSON body and a stable {@code code}.
 * The token is checked before the body is decoded.
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

    private static void assertRefused(HttpResponse<String> r, int status, String code) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                () -> "JSON error body, got " + r.headers().map());
        JsonNode body = JSON.readTree(r.body());
        assertEquals(code, body.path("code").asText(), r.body());
        assertTrue(body.path("message").isTextual(), r.body());
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

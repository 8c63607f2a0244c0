package io.raregen.functions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raregen.core.keys.KeyPair;
import io.raregen.functions.support.ApiRequest;
import io.raregen.functions.support.ApiResponse;
import io.raregen.functions.support.Envelopes;
import io.raregen.functions.support.LambdaTransport;
import io.raregen.functions.support.TestEnv;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Stored API Gateway v2 events fed unchanged (or with only the body filled in) to the Lambda
 * handler, with the Lambda environment's own defaults (admin registration mode).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LambdaFixturesTest {

    private TestEnv env;
    private LambdaTransport lambda;

    @BeforeAll
    void start() {
        env = TestEnv.create();
        Map<String, String> p = new HashMap<>(env.properties());
        p.remove("raregen.identity.registration-mode"); // application-lambda.yml says account
        lambda = new LambdaTransport(p);
    }

    @AfterAll
    void stop() {
        lambda.close();
        env.close();
    }

    @Test
    void healthEvent_returns200Up() {
        ApiResponse r = lambda.invoke(LambdaTransport.fixture("health.json"));
        assertEquals(200, r.status(), r.toString());
        assertEquals("UP", r.json().get("status").asText());
    }

    @Test
    void unknownJobEvent_returns404ProblemJobNotFound() {
        ApiResponse r = lambda.invoke(LambdaTransport.fixture("get-unknown-job.json"));
        assertEquals(404, r.status(), r.toString());
        assertEquals("JOB_NOT_FOUND", r.code());
        assertEquals("application/problem+json", r.contentType());
    }

    @Test
    void wrongContentTypeEvent_returns415() {
        ApiResponse r = lambda.invoke(LambdaTransport.fixture("publish-wrong-content-type.json"));
        assertEquals(415, r.status(), r.toString());
        assertEquals("UNSUPPORTED_MEDIA_TYPE", r.code());
    }

    @Test
    void register_inLambdaAccountMode_needsASessionOrTheOperatorToken() {
        KeyPair key = KeyPair.generate();
        ApiRequest register = ApiRequest.postJson("/v1/identities", Envelopes.body(Envelopes.register(key)));

        ApiResponse anonymous = lambda.send(register);
        assertEquals(401, anonymous.status(), anonymous.toString());
        assertEquals("SESSION_INVALID", anonymous.code());
        assertEquals(0, env.count("SELECT count(*) FROM identities WHERE pubkey = ?", key.publicKey().hex()));
        ApiResponse wrong = lambda.send(register.withHeader("Authorization", "Bearer not-the-operator-token"));
        assertEquals(401, wrong.status(), wrong.toString());
        assertEquals("UNAUTHORIZED", wrong.code());

        ApiResponse operator = lambda.send(register.asOperator());
        assertEquals(201, operator.status(), operator.toString());
    }

    @Test
    void base64EncodedPublishEvent_isDecodedAndAccepted() {
        KeyPair key = KeyPair.generate();
        assertEquals(201, lambda.send(ApiRequest.postJson("/v1/identities", Envelopes.body(Envelopes.register(key))).asOperator()).status());
        ObjectNode event = LambdaTransport.fixture("publish-base64.json");
        String body = Envelopes.body(Envelopes.publish(key));
        event.put("body", Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)));

        ApiResponse r = lambda.invoke(event);

        assertEquals(202, r.status(), r.toString());
        assertEquals("queued", env.string("SELECT status FROM publish_jobs WHERE job_id = ?", r.json().get("jobId").asText()));
    }
}

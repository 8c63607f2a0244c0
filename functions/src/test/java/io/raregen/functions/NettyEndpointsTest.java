package io.raregen.functions;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.raregen.functions.support.ApiRequest;
import io.raregen.functions.support.ApiResponse;
import io.raregen.functions.support.HttpTransport;
import io.raregen.functions.support.TestEnv;
import io.raregen.functions.support.Transport;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every endpoint over real HTTP on the Netty host. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NettyEndpointsTest extends AbstractEndpointsTest implements TestPropertyProvider {

    private TestEnv env;

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        env = TestEnv.create();
        return env.properties();
    }

    @AfterAll
    void dropDatabase() {
        env.close();
    }

    @Override
    protected TestEnv env() {
        return env;
    }

    @Override
    protected Transport transport() {
        return new HttpTransport(server.getURI());
    }

    @Inject
    io.raregen.functions.queue.QueueCracResource cracResource;

    @Test
    void queueCracResource_beforeCheckpoint_closesClient_andNextPublishStillEnqueues() throws Exception {
        io.raregen.core.keys.KeyPair key = registeredKey();
        publishedJob(key);
        io.raregen.functions.support.ElasticMq.drain(env.queueUrl());

        cracResource.beforeCheckpoint(null);
        cracResource.afterRestore(null);
        String jobId = publishedJob(key);

        assertEquals(java.util.List.of("{\"jobId\":\"" + jobId + "\"}"), io.raregen.functions.support.ElasticMq.drain(env.queueUrl()));
    }

    @Test
    void openApiDocument_isServedWithSwaggerUi() {
        ApiResponse spec = send(ApiRequest.get("/swagger/raregen-publisher-api-0.1.0.yml"));
        assertEquals(200, spec.status(), spec.toString());
        assertTrue(spec.body().contains("/v1/publish"), "spec lists the publish endpoint");
        ApiResponse ui = send(ApiRequest.get("/swagger-ui/index.html"));
        assertEquals(200, ui.status(), ui.toString());
    }
}

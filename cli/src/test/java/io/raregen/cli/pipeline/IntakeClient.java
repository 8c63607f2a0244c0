package io.raregen.cli.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.raregen.cli.api.ApiClient;
import io.raregen.cli.support.Json;
import io.raregen.core.envelope.Envelope;
import io.raregen.core.envelope.EnvelopeSigner;
import io.raregen.core.envelope.Payloads;
import io.raregen.core.keys.KeyPair;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The functions app's intake over plain HTTP (docs/API.md): {@code POST /v1/identities} and {@code POST /v1/publish},
 * with envelopes signed by core's {@link EnvelopeSigner} as the CLI signs them.
 */
final class IntakeClient {
    /** One HTTP answer to one envelope; {@code index} is the envelope's position in the list given. */
    record Answer(int index, int status, JsonNode body) {
        String jobId() {
            return body.path("jobId").asText(null);
        }
    }

    private final String api;
    private final String adminToken;

    IntakeClient(String api, String adminToken) {
        this.api = api;
        this.adminToken = adminToken;
    }

    /** Registers {@code key} with a proof of possession (and the operator token, harmless in open mode). */
    Answer register(KeyPair key, String nonce) throws IOException, InterruptedException {
        Envelope e = EnvelopeSigner.sign(Payloads.register(key.publicKey(), nonce, Instant.now()), key);
        return post(newClient(), "/v1/identities", e, 0, true);
    }

    /** A signed publish envelope for {@code record}. */
    static Envelope publishEnvelope(KeyPair key, JsonNode record, String nonce, String recordId) {
        return EnvelopeSigner.sign(Payloads.publish(record, nonce, Instant.now(), recordId), key);
    }

    /**
     * Posts every envelope to {@code /v1/publish} from {@code clients} threads, each with its own HttpClient, and returns
     * the answers in envelope order.
     */
    List<Answer> publishAll(List<Envelope> envelopes, int clients) throws Exception {
        AtomicInteger next = new AtomicInteger();
        List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < clients; w++) {
                workers.add(pool.submit(() -> {
                    HttpClient http = newClient();
                    for (int i = next.getAndIncrement(); i < envelopes.size(); i = next.getAndIncrement()) {
                        answers.add(post(http, "/v1/publish", envelopes.get(i), i, false));
                    }
                    return null;
                }));
            }
            for (Future<?> f : workers) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        List<Answer> ordered = new ArrayList<>(answers);
        ordered.sort((a, b) -> Integer.compare(a.index(), b.index()));
        return ordered;
    }

    private Answer post(HttpClient http, String path, Envelope e, int index, boolean operator) throws IOException, InterruptedException {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(api + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, application/problem+json")
                .POST(HttpRequest.BodyPublishers.ofString(ApiClient.envelopeJson(e), StandardCharsets.UTF_8));
        if (operator) {
            req.header("Authorization", "Bearer " + adminToken);
        }
        HttpResponse<String> r = http.send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        JsonNode body = r.body() == null || r.body().isBlank() ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(r.body());
        return new Answer(index, r.statusCode(), body);
    }

    private static HttpClient newClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }
}

package io.raregen.broadcaster.app;

import io.micronaut.context.ApplicationContext;
import io.micronaut.jdbc.DataSourceResolver;
import io.micronaut.runtime.server.EmbeddedServer;
import io.raregen.broadcaster.support.LocalSqs;
import io.raregen.core.envelope.Envelope;
import io.raregen.core.envelope.EnvelopeSigner;
import io.raregen.core.envelope.Payloads;
import io.raregen.core.keys.KeyPair;
import io.raregen.core.keys.Network;
import io.raregen.core.types.JobId;
import io.raregen.core.types.Ulid;
import io.raregen.localchain.LocalChain;
import io.raregen.localchain.LocalChainConfig;
import io.raregen.migrations.TestDatabase;
import io.raregen.broadcaster.receive.QueueMessages;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

import javax.sql.DataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real Micronaut application: Flyway at start, SQS → chain, /health and /prometheus on its port, and
 * every metric the observability/ dashboard and alert rules name is in that /prometheus output.
 */
class ApplicationTest {

    @Test
    void application_migratesTheDatabase_publishesAQueuedJob_andServesHealthAndPrometheus() throws Exception {
        KeyPair poolKey = KeyPair.generate();
        KeyPair client = KeyPair.generate();
        try (TestDatabase db = TestDatabase.createEmpty();
             LocalChain chain = LocalChain.start(LocalChainConfig.builder().manualMining().build());
             LocalSqs sqs = new LocalSqs()) {
            String queue = sqs.createQueue();
            Map<String, Object> props = new HashMap<>();
            props.put("micronaut.server.port", -1);
            props.put("datasources.default.url", db.jdbcUrlWithoutCredentials());
            props.put("datasources.default.username", db.username());
            props.put("datasources.default.password", db.password());
            // two providers: the first a door that is down, so the job goes out through the second
            LocalChain.Door down = chain.openDoor("down", 0);
            down.faults().errorRate(1.0);
            props.put("raregen.arc.providers.down.url", down.arcUrl());
            props.put("raregen.arc.providers.down.priority", 1);
            props.put("raregen.arc.providers.chain.url", chain.arcUrl());
            props.put("raregen.arc.providers.chain.priority", 2);
            props.put("raregen.queue.url", queue);
            props.put("raregen.aws.endpoint", sqs.client.serviceClientConfiguration().endpointOverride().get().toString());
            props.put("raregen.keys.pool-wif", poolKey.toWif(Network.REGTEST));
            props.put("raregen.network", "regtest");
            props.put("raregen.broadcaster.receive-wait-seconds", 1);
            // the pool loops run for their gauges and depth samples; the replenisher itself stays off
            props.put("raregen.replenisher.enabled", "false");
            try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, props)) {
                try (Connection c = db.connect()) {
                    c.createStatement().execute("INSERT INTO identities (pubkey) VALUES ('" + client.publicKey().hex() + "')");
                    var coin = chain.faucet(poolKey.p2pkhLockingScript(), 1000);
                    c.createStatement().execute("INSERT INTO utxos (txid, vout, satoshis, script_pub_key, purpose) VALUES ('"
                            + coin.txid().hex() + "', " + coin.vout() + ", 1000, '\\x" + java.util.HexFormat.of().formatHex(coin.script()) + "', 'publish')");
                    String payload = Payloads.publish(new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"hello\":\"world\"}"),
                            "app-1", Instant.now(), null);
                    Envelope e = EnvelopeSigner.sign(payload, client);
                    String jobId = Ulid.generate();
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO publish_jobs (job_id, pubkey, nonce, signed_payload, signature, payload_hash) VALUES (?,?,?,?,?,?)")) {
                        ps.setString(1, jobId);
                        ps.setString(2, e.pubkey());
                        ps.setString(3, "app-1");
                        ps.setString(4, e.signedPayload());
                        ps.setString(5, e.signature());
                        ps.setString(6, "ab".repeat(32));
                        ps.executeUpdate();
                    }
                    sqs.client.sendMessage(SendMessageRequest.builder().queueUrl(queue).messageBody(QueueMessages.body(new JobId(jobId))).build());
                    String status = "";
                    long deadline = System.currentTimeMillis() + 30_000;
                    while (!status.equals("sent") && System.currentTimeMillis() < deadline) {
                        Thread.sleep(100);
                        try (ResultSet rs = c.createStatement().executeQuery("SELECT status FROM job_states WHERE job_id = '" + jobId + "'")) {
                            rs.next();
                            status = rs.getString(1);
                        }
                    }
                    assertEquals("sent", status);
                }
                String fundingAddress = null;
                long deadline = System.currentTimeMillis() + 15_000;
                while (fundingAddress == null && System.currentTimeMillis() < deadline) {
                    try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery(
                            "SELECT funding_address FROM pool_depth_samples ORDER BY sampled_at DESC LIMIT 1")) {
                        fundingAddress = rs.next() ? rs.getString(1) : null;
                    }
                    Thread.sleep(fundingAddress == null ? 200 : 0);
                }
                assertEquals(poolKey.address(Network.REGTEST), fundingAddress,
                        "the pool metrics loop writes depth samples with the funding address (the pool key's: no funding key set)");
                // the broadcaster's connections run without Postgres's JIT (application.yml), which is on by default
                DataSource wrapped = server.getApplicationContext().getBean(DataSource.class);
                DataSource pool = server.getApplicationContext().getBean(DataSourceResolver.class).resolve(wrapped);
                try (Connection c = pool.getConnection(); ResultSet rs = c.createStatement().executeQuery("SHOW jit")) {
                    rs.next();
                    assertEquals("off", rs.getString(1));
                }
                try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery("SHOW jit")) {
                    rs.next();
                    assertEquals("on", rs.getString(1), "the premise: the server's default");
                }
                HttpClient http = HttpClient.newHttpClient();
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(server.getURL() + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, health.statusCode(), health.body());
                assertTrue(health.body().contains("\"collector\"") && health.body().contains("\"reconciler\""), health.body());
                HttpResponse<String> prom = http.send(HttpRequest.newBuilder(URI.create(server.getURL() + "/prometheus")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, prom.statusCode());
                // exact sample names (the dashboard and README use these families), not prefixes
                java.util.Set<String> samples = prom.body().lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                        .map(l -> l.split("[{ ]", 2)[0]).collect(java.util.stream.Collectors.toSet());
                assertTrue(prom.body().contains("raregen_arc_provider_breaker{provider=\"down\"}"), "the down door's breaker is exported");
                assertTrue(prom.body().contains("raregen_arc_provider_latency_seconds_count{call=\"broadcast\",provider=\"chain\"}"),
                        "the job went out through the second provider");
                for (String metric : new String[]{"raregen_batch_size_count", "raregen_tx_per_sec",
                        "raregen_publish_duration_seconds_count", "raregen_broadcast_outcomes_total",
                        // histogram buckets, so Prometheus can compute percentiles (histogram_quantile)
                        "raregen_batch_size_bucket", "raregen_publish_duration_seconds_bucket"}) {
                    assertTrue(samples.contains(metric), metric + " exported; have " + samples);
                }
                Set<String> named = ObservabilityFiles.metricNames();
                assertTrue(named.size() >= 10, "the dashboard and rules name the broadcaster's metrics: " + named);
                for (String metric : named) {
                    assertTrue(samples.contains(metric), metric + " (named in observability/) exported; have " + samples);
                }

            }
        }
    }
}

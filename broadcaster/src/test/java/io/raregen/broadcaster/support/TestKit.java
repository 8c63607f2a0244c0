package io.raregen.broadcaster.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.raregen.broadcaster.broadcast.ArcTransactionBroadcaster;
import io.raregen.broadcaster.broadcast.Broadcasting;
import io.raregen.broadcaster.broadcast.TransactionBroadcaster;
import io.raregen.broadcaster.broadcast.ArcSettings;
import io.raregen.broadcaster.pipeline.PipelineSettings;
import io.raregen.broadcaster.recovery.RecoverySettings;
import io.raregen.broadcaster.fees.ArcFeePolicy;
import io.raregen.broadcaster.health.Heartbeats;
import io.raregen.broadcaster.metrics.PipelineMetrics;
import io.raregen.broadcaster.hooks.PipelineHooks;
import io.raregen.broadcaster.pipeline.PublishPipeline;
import io.raregen.broadcaster.ratelimit.RateLimiter;
import io.raregen.broadcaster.receive.Queue;
import io.raregen.broadcaster.store.PublishJobStore;
import io.raregen.broadcaster.utxo.PoolSettings;
import io.raregen.broadcaster.utxo.PostgresUtxoPool;
import io.raregen.broadcaster.utxo.Payer;
import io.raregen.broadcaster.utxo.UtxoPool;
import io.raregen.core.envelope.Envelope;
import io.raregen.core.envelope.EnvelopeSigner;
import io.raregen.core.envelope.Payloads;
import io.raregen.core.keys.KeyPair;
import io.raregen.core.tx.FeeRate;
import io.raregen.core.tx.Utxo;
import io.raregen.core.types.Ulid;
import io.raregen.localchain.FaucetOutput;
import io.raregen.localchain.LocalChain;
import io.raregen.localchain.LocalChainConfig;
import io.raregen.migrations.TestDatabase;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/** A fresh database, a pool key, a UTXO pool, a local chain: what every pipeline test starts from. */
public final class TestKit implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    public final TestDatabase db;
    public final HikariDataSource ds;
    public final KeyPair poolKey;
    public final KeyPair client;
    public final PostgresUtxoPool pool;
    public final PublishJobStore store;
    public LocalChain chain;
    /** False for a kit that shares another kit's chain ({@link #onRestored}): closing it leaves the chain running. */
    private boolean ownsChain = true;

    public TestKit() {
        this(TestDatabase.create(), hc -> { });
    }

    /** A kit on {@code db} (e.g. on a {@code RestartablePostgres}), its pool configured further by {@code tweak}. */
    public TestKit(TestDatabase db, Consumer<HikariConfig> tweak) {
        this(db, tweak, KeyPair.generate(), KeyPair.generate());
        registerClient();
    }

    private TestKit(TestDatabase db, Consumer<HikariConfig> tweak, KeyPair poolKey, KeyPair client) {
        this.db = db;
        this.poolKey = poolKey;
        this.client = client;
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(db.jdbcUrl());
        hc.setMaximumPoolSize(24);
        tweak.accept(hc);
        this.ds = new HikariDataSource(hc);
        this.pool = new PostgresUtxoPool(ds, new PoolSettings());
        this.store = new PublishJobStore(ds);
    }

    /**
     * A kit on {@code restored} (a copy of this kit's database, e.g. from pg_restore) with this kit's keys and chain:
     * the services of a restore drill. Closing it drops {@code restored} but not the shared chain.
     */
    public TestKit onRestored(TestDatabase restored) {
        TestKit k = new TestKit(restored, hc -> { }, poolKey, client);
        k.chain = chain;
        k.ownsChain = false;
        return k;
    }

    public TestKit withChain(Consumer<LocalChainConfig.Builder> tweak) {
        LocalChainConfig.Builder b = LocalChainConfig.builder().manualMining();
        tweak.accept(b);
        this.chain = LocalChain.start(b.build());
        return this;
    }

    public TestKit withChain() {
        return withChain(b -> { });
    }

    public ArcSettings arcProperties() {
        ArcSettings p = new ArcSettings();
        p.setUrl(chain.arcUrl());
        p.setMaxTimeoutSeconds(2);
        p.setRequestTimeoutMargin(Duration.ofSeconds(3));
        return p;
    }

    private void registerClient() {
        sql("INSERT INTO identities (pubkey) VALUES ('" + client.publicKey().hex() + "')");
    }

    /** Inserts {@code n} queued jobs with valid client-signed envelopes; returns their ids in insert order. */
    public List<String> insertJobs(int n) {
        return insertJobs(n, "record");
    }

    /** {@link #insertJobs(int)} in publish mode {@code mode} ({@code record} or {@code anchor}). */
    public List<String> insertJobs(int n, String mode) {
        List<String> ids = new ArrayList<>(n);
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO publish_jobs (job_id, pubkey, nonce, signed_payload, signature, payload_hash, mode, "
                        + "envelope, envelope_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, NULLIF(?, publish_body(?, ?, ?, ?)), ?)");
             // the nonce's guard, as the intake writes it with each job (V57), expiring with the envelope
             PreparedStatement guard = c.prepareStatement("INSERT INTO publish_nonces (nonce_key, job_id, expires_at) "
                     + "VALUES (nonce_key(?, ?), ?, now() + interval '5 minutes')")) {
            for (int i = 0; i < n; i++) {
                String nonce = "n-" + UUID.randomUUID();
                Envelope e = envelope(nonce, i);
                String id = Ulid.generate();
                ps.setString(1, id);
                ps.setString(2, e.pubkey());
                ps.setString(3, nonce);
                ps.setString(4, e.signedPayload());
                ps.setString(5, e.signature());
                ps.setString(6, sha256Hex(e.signedPayload()));
                ps.setString(7, mode);
                // the request body as the intake keeps it for the receipt (stored only when not canonical, V42)
                String body = e.toJson();
                ps.setBytes(8, body.getBytes(StandardCharsets.UTF_8));
                ps.setString(9, e.signedPayload());
                ps.setString(10, e.signature());
                ps.setString(11, e.pubkey());
                ps.setString(12, mode);
                ps.setString(13, sha256Hex(body));
                ps.addBatch();
                guard.setString(1, e.pubkey());
                guard.setString(2, nonce);
                guard.setString(3, id);
                guard.addBatch();
                ids.add(id);
                if (i % 500 == 499) {
                    guard.executeBatch();
                    ps.executeBatch();
                }
            }
            guard.executeBatch();
            ps.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return ids;
    }

    public Envelope envelope(String nonce, int i) {
        try {
            String payload = Payloads.publish(JSON.readTree("{\"title\":\"record " + i + "\",\"n\":" + i + "}"), nonce,
                    Instant.now(), null);
            return EnvelopeSigner.sign(payload, client);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Funds the pool from the chain's faucet: {@code count} UTXOs of {@code sats}, all paying the pool key. */
    public List<Utxo> fundPool(int count, long sats) {
        List<Utxo> utxos = new ArrayList<>();
        for (FaucetOutput f : chain.faucet(poolKey.p2pkhLockingScript(), sats, count)) {
            utxos.add(f.utxo());
        }
        pool.add(utxos, UtxoPool.Purpose.PUBLISH, 0);
        return utxos;
    }

    public PipelineSettings fastPipeline() {
        PipelineSettings p = new PipelineSettings();
        p.setReceiveWaitSeconds(1);
        p.setLinger(Duration.ofMillis(30));
        p.setWindow(Duration.ofMillis(500));
        p.setResolveInitialBackoff(Duration.ofMillis(100));
        p.setSignThreads(2);
        p.setShutdownGrace(Duration.ofSeconds(5));
        return p;
    }

    public RecoverySettings fastRecovery() {
        RecoverySettings r = new RecoverySettings();
        r.setReconcileAfter(Duration.ofSeconds(1));
        r.setReconcileInterval(Duration.ofMillis(300));
        r.setRescueProcessingAfter(Duration.ofSeconds(2));
        r.setRebroadcastAfter(Duration.ofSeconds(2));
        r.setRescueInterval(Duration.ofMillis(500));
        r.setReservationExpiryInterval(Duration.ofMillis(500));
        r.setConfirmationInterval(Duration.ofSeconds(1));
        r.setConfirmationMinAge(Duration.ofMillis(100));
        return r;
    }

    /** A pipeline against this kit's database and chain. */
    public PublishPipeline pipeline(PipelineSettings pp, RecoverySettings rp, RateLimiter limiter,
                                    software.amazon.awssdk.services.sqs.SqsClient sqs, String queueUrl,
                                    PipelineHooks hooks, String instanceId) {
        return pipeline(pp, rp, limiter, sqs, queueUrl, hooks, instanceId, new SimpleMeterRegistry());
    }

    /** {@link #pipeline} recording its metrics in {@code registry}. */
    public PublishPipeline pipeline(PipelineSettings pp, RecoverySettings rp, RateLimiter limiter,
                                    software.amazon.awssdk.services.sqs.SqsClient sqs, String queueUrl,
                                    PipelineHooks hooks, String instanceId, MeterRegistry registry) {
        return pipeline(pp, rp, limiter, new ArcTransactionBroadcaster(arcProperties()), sqs, queueUrl, hooks, instanceId,
                registry, new Heartbeats());
    }

    /** {@link #pipeline} beating {@code heartbeats} (a test may watch its threads). */
    public PublishPipeline pipeline(PipelineSettings pp, RecoverySettings rp, RateLimiter limiter,
                                    software.amazon.awssdk.services.sqs.SqsClient sqs, String queueUrl,
                                    PipelineHooks hooks, String instanceId, MeterRegistry registry, Heartbeats heartbeats) {
        return pipeline(pp, rp, limiter, new ArcTransactionBroadcaster(arcProperties()), sqs, queueUrl, hooks, instanceId,
                registry, heartbeats);
    }

    /** A pipeline broadcasting through {@code broadcaster} (several providers, for instance). */
    public PublishPipeline pipeline(PipelineSettings pp, RecoverySettings rp, RateLimiter limiter,
                                    TransactionBroadcaster broadcaster,
                                    software.amazon.awssdk.services.sqs.SqsClient sqs, String queueUrl,
                                    PipelineHooks hooks, String instanceId, MeterRegistry registry) {
        return pipeline(pp, rp, limiter, broadcaster, sqs, queueUrl, hooks, instanceId, registry, new Heartbeats());
    }

    private PublishPipeline pipeline(PipelineSettings pp, RecoverySettings rp, RateLimiter limiter,
                                     TransactionBroadcaster broadcaster,
                                     software.amazon.awssdk.services.sqs.SqsClient sqs, String queueUrl,
                                     PipelineHooks hooks, String instanceId, MeterRegistry registry, Heartbeats heartbeats) {
        ArcFeePolicy fees = new ArcFeePolicy(arcProperties(), new FeeRate(100, 1000));
        return new PublishPipeline(new PublishPipeline.Parts(pp, rp, instanceId, store, new Payer(pool, poolKey, fees),
                new Broadcasting(broadcaster, limiter, 500, false), sqs == null ? null : new Queue(sqs, queueUrl),
                new PipelineMetrics(registry), heartbeats, hooks));
    }

    public long scalar(String sql) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public List<String> strings(String sql) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public int sql(String sql) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            return s.executeUpdate(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public DataSource dataSource() {
        return ds;
    }

    /** Waits until {@code sql} returns {@code expected} or the timeout passes; returns the last value. */
    public long awaitScalar(String sql, long expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long v = scalar(sql);
        while (v != expected && System.nanoTime() < deadline) {
            Thread.sleep(100);
            v = scalar(sql);
        }
        return v;
    }

    static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (chain != null && ownsChain) {
            chain.close();
        }
        ds.close();
        db.close();
    }
}

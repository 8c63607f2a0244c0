package io.raregen.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.raregen.localchain.LocalChain;
import io.raregen.localchain.LocalChainConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * The whole system on one machine: ElasticMQ, the mail server and the local chain in this process, Postgres (the
 * machine's or embedded), and the functions app and the broadcaster as supervised child processes
 * wired together through the same configuration keys they use in AWS (docs/ARCHITECTURE.md).
 */
public final class LocalStack implements AutoCloseable {
    private static final int MAX_RESTARTS = 3;
    /** Under the state directory: copies of the jars the stack runs from (kept by --fresh). */
    static final String RUN_DIR = "run";
    /** The broadcaster's name for the chain's own endpoint; its doors are local2, local3. */
    static final String LOCAL_PROVIDER = "local";

    private final LocalStackOptions o;
    private final Log log;
    private final ObjectMapper json = new ObjectMapper();
    private final List<ChildApp> children = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private LocalDatabase db;
    private LocalQueue queue;
    private LocalChain chain;
    private LocalMail mail;
    private LocalSecrets secrets;
    private PoolFunding.Funded funded;
    private volatile String failure;

    public LocalStack(LocalStackOptions options, Log log) {
        this.o = options;
        this.log = log;
    }

    public LocalStack start() throws IOException, SQLException, InterruptedException {
        for (Path jar : List.of(o.functionsJar(), o.broadcasterJar())) {
            if (!Files.isRegularFile(jar)) {
                throw new IOException("missing " + jar + ": build first (./mvnw -B -DskipTests install, which ./raregen local does for you)");
            }
        }
        if (o.fresh()) {
            wipe(o.stateDir());
        }
        Files.createDirectories(o.stateDir());
        secrets = LocalSecrets.loadOrCreate(o.stateDir(), json);

        db = LocalDatabase.open(o, LocalDatabase.Owner.of(secrets), log);
        log.info("Postgres: " + db.url() + (db.embedded() ? " (embedded)" : ""));

        queue = LocalQueue.start(o.sqsPort(), json);
        log.info("ElasticMQ: " + queue.queueUrl() + " (dead letters: " + queue.dlqUrl() + ")");

        chain = LocalChain.start(LocalChainConfig.builder()
                .port(o.chainPort())
                .blockInterval(o.blockInterval())
                .stateFile(o.stateDir().resolve("chain-state.json"))
                .persistInterval(Duration.ofSeconds(10))
                .build());
        log.info("local chain: " + chain.arcUrl() + " (height " + chain.tip().height() + ", a block every "
                + o.blockInterval().toMillis() / 1000.0 + " s)");

        for (int i = 0; i < o.doorPorts().size(); i++) {
            LocalChain.Door d = chain.openDoor(LOCAL_PROVIDER + (i + 2), o.doorPorts().get(i));
            log.info("local chain door " + d.name() + ": " + d.arcUrl() + " (the same chain; its own faults at "
                    + d.arcUrl() + "/admin/faults)");
        }

        mail = LocalMail.start(o.smtpPort(), o.stateDir(), log, json);
        log.info("mail server: smtp://127.0.0.1:" + mail.port() + " (sign-in codes are printed here and kept in "
                + mail.inbox() + ")");

        Path logs = o.stateDir().resolve("logs");
        Map<String, String> common = commonEnv();

        Map<String, String> fEnv = new HashMap<>(common);
        fEnv.put("MICRONAUT_SERVER_PORT", Integer.toString(o.apiPort()));
        // POST /v1/callbacks/arc accepts only this bearer token
        fEnv.put("RAREGEN_ARC_CALLBACK_TOKEN", secrets.arcCallbackToken());
        // the web app checks merkle roots against the local chain's headers, not against the API it verifies
        fEnv.put("RAREGEN_SITE_HEADERS_URL", headersUrl());
        // the operator dashboard's dead-letter depth (raregen.ops.dlq-url)
        fEnv.put("RAREGEN_OPS_DLQ_URL", queue.dlqUrl());
        // sign-in codes go to the local mail server, hashed with the stack's own code key
        fEnv.put("RAREGEN_MAIL_SMTP_HOST", "127.0.0.1");
        fEnv.put("RAREGEN_MAIL_SMTP_PORT", Integer.toString(mail.port()));
        fEnv.put("RAREGEN_ACCOUNTS_CODE_KEY", secrets.codeKey());
        // receipts are signed with the stack's own receipt key (published at GET /v1/service-keys)
        fEnv.put("RAREGEN_RECEIPTS_SIGNING_KEY", secrets.receiptKey().toWif(io.raregen.core.keys.Network.REGTEST));
        // the children run from copies, so that rebuilding target/ while the stack runs cannot pull classes
        // out from under them (a replaced jar makes a running JVM fail at its next class load)
        Path runDir = Files.createDirectories(o.stateDir().resolve(RUN_DIR));
        ChildApp functions = new ChildApp("functions", snapshot(o.functionsJar(), runDir), o.javaOpts(), fEnv, logs, log);

        Map<String, String> bEnv = new HashMap<>(common);
        bEnv.put("MICRONAUT_SERVER_PORT", Integer.toString(o.broadcasterPort()));
        bEnv.put("BROADCASTER_PORT", Integer.toString(o.broadcasterPort()));
        bEnv.put("RAREGEN_ARC_URL", chain.arcUrl());
        // each door onto the chain is one more provider, tried in this order (primary-with-failover)
        bEnv.putAll(providerEnv());
        bEnv.put("RAREGEN_KEYS_POOL_WIF", secrets.poolKey().toWif(io.raregen.core.keys.Network.REGTEST));
        bEnv.put("RAREGEN_KEYS_FUNDING_WIF", secrets.fundingKey().toWif(io.raregen.core.keys.Network.REGTEST));
        // every broadcast asks the local chain for status callbacks (MINED and REJECTED by default) to the
        // functions app, which stores them; the broadcaster's arc-callbacks loop applies them within a second
        bEnv.put("RAREGEN_ARC_CALLBACK_URL", callbackUrl());
        bEnv.put("RAREGEN_ARC_CALLBACK_TOKEN", secrets.arcCallbackToken());
        // merkle paths are checked against headers from the chain's admin API, not from the ARC answer
        bEnv.put("RAREGEN_HEADERS_URL", chain.arcUrl() + "/admin/blocks/{hash}");
        bEnv.put("RAREGEN_HEADERS_HEIGHT_URL", chain.arcUrl() + "/admin/blocks/{height}");
        // local pace for the reorg watch (POST /admin/reorg on the chain): AWS keeps the 30 s default
        bEnv.put("RAREGEN_HEADERS_REORG_INTERVAL", "3s");
        // local pace for the queue's long poll: a stop waits for the receivers' polls in flight, so Ctrl-C takes ~3 s
        // instead of ~16 (AWS keeps 20 s: fewer SQS requests; its task definition gives the container 60 s to stop)
        bEnv.put("RAREGEN_BROADCASTER_RECEIVE_WAIT_SECONDS", "2");
        // local pace: split soon after funding (AWS keeps the 30 s default); mined arrives by (batched) callback,
        // so confirmation polling is only the fallback for a missed callback: it waits 30 s after sent here
        // (blocks come every few seconds) where AWS waits 20 minutes (two blocks)
        bEnv.put("RAREGEN_REPLENISHER_INTERVAL", "5s");
        bEnv.put("RAREGEN_RECOVERY_CONFIRMATION_INTERVAL", "5s");
        bEnv.put("RAREGEN_RECOVERY_CONFIRMATION_FALLBACK_MIN_AGE", "30s");
        // local pace for webhook retries: a receiver back after a minute gets its events within seconds
        // (AWS keeps 10 s doubling to 1 h)
        bEnv.put("RAREGEN_WEBHOOKS_BACKOFF_BASE", "1s");
        bEnv.put("RAREGEN_WEBHOOKS_BACKOFF_CAP", "10s");
        // top-ups: the deposit addresses are read from the local chain's WhatsOnChain-shaped routes every 2 s and a
        // payment is credited two blocks deep (AWS: WhatsOnChain every 30 s, six blocks)
        bEnv.put("RAREGEN_DEPOSITS_CHAIN_URL", chain.arcUrl() + "/woc");
        bEnv.put("RAREGEN_DEPOSITS_INTERVAL", "2s");
        // the deposit terms (what `raregen accounts deposit/topup` read) are published at once, not 5 s after start
        bEnv.put("RAREGEN_DEPOSITS_INITIAL_DELAY", "0s");
        bEnv.put("RAREGEN_DEPOSITS_CONFIRMATIONS", "2");
        ChildApp broadcaster = new ChildApp("broadcaster", snapshot(o.broadcasterJar(), runDir), o.javaOpts(), bEnv, logs, log);

        // the functions app migrates the schema in its local environment; the broadcaster runs Flyway too (idempotent)
        functions.start();
        children.add(functions);
        functions.awaitHealthy(apiUrl() + "/health", o.healthTimeout());
        log.info("functions healthy at " + apiUrl());

        broadcaster.start();
        children.add(broadcaster);
        broadcaster.awaitHealthy(broadcasterUrl() + "/health", o.healthTimeout());
        log.info("broadcaster healthy at " + broadcasterUrl());

        funded = PoolFunding.fundOnChain(chain, secrets, o.stateDir(), o.fundSats(), json, log);
        PoolFunding.importIntoPool(funded, broadcasterUrl(), secrets.adminToken(), json, log);
        PoolFunding.replenishNow(broadcasterUrl(), secrets.adminToken(), json, log);

        writeCliEnv();
        return this;
    }

    private Map<String, String> commonEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("MICRONAUT_ENVIRONMENTS", "local");
        env.put("DATASOURCES_DEFAULT_URL", db.url());
        env.put("DATASOURCES_DEFAULT_USERNAME", db.username());
        env.put("DATASOURCES_DEFAULT_PASSWORD", db.password());
        env.put("RAREGEN_QUEUE_URL", queue.queueUrl());
        env.put("RAREGEN_AWS_ENDPOINT", queue.endpoint());
        env.put("RAREGEN_AWS_REGION", "us-east-1");
        // ElasticMQ ignores credentials, the AWS SDK insists on having some
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("AWS_REGION", "us-east-1");
        env.put("RAREGEN_ADMIN_TOKEN", secrets.adminToken());
        env.put("RAREGEN_NETWORK", "regtest");
        // webhooks to a receiver on this machine (http://127.0.0.1:…); other private addresses stay refused
        env.put("RAREGEN_WEBHOOKS_ALLOW_LOOPBACK_HTTP", "true");
        return env;
    }

    /** Settings the {@code ./raregen} script hands to the CLI so its commands find this stack. */
    private void writeCliEnv() throws IOException {
        String env = "# written by ./raregen local; read by ./raregen for CLI commands (variables already set win)\n"
                + "RAREGEN_API=" + apiUrl() + "\n"
                + "RAREGEN_ADMIN_TOKEN=" + secrets.adminToken() + "\n"
                + "RAREGEN_OPERATOR_API=" + broadcasterUrl() + "\n"
                + "RAREGEN_DB_URL=" + db.urlWithCredentials() + "\n"
                + "RAREGEN_HEADERS_URL=" + headersUrl() + "\n"
                + "RAREGEN_LOCAL_MAILBOX=" + mail.inbox() + "\n"
                + "RAREGEN_LOCAL_CHAIN=" + chain.arcUrl() + "\n";
        Path f = o.stateDir().resolve("cli.env");
        Files.writeString(f, env);
        try {
            Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not POSIX
        }
    }

    /**
     * Blocks until close() or until a child keeps dying: each unexpected exit is restarted up to
     * {@value #MAX_RESTARTS} times. Returns the failure message, or null after a clean close.
     */
    public String supervise() throws InterruptedException {
        Map<String, Integer> restarts = new HashMap<>();
        while (!closed.get()) {
            for (ChildApp c : children) {
                if (!c.alive() && !c.stopping() && !closed.get()) {
                    // Ctrl-C reaches the children too (same process group): give our own shutdown a moment to begin
                    Thread.sleep(1500);
                    if (closed.get() || c.stopping()) {
                        break;
                    }
                    int n = restarts.merge(c.name(), 1, Integer::sum);
                    int code = c.process().exitValue();
                    if (n > MAX_RESTARTS) {
                        failure = c.name() + " exited (code " + code + ") " + n + " times; giving up. Last lines:\n" + c.tail();
                        return failure;
                    }
                    log.info(c.name() + " exited unexpectedly (code " + code + "); restart " + n + " of " + MAX_RESTARTS);
                    try {
                        c.start();
                    } catch (IOException e) {
                        failure = "cannot restart " + c.name() + ": " + e.getMessage();
                        return failure;
                    }
                }
            }
            Thread.sleep(500);
        }
        return null;
    }

    public String apiUrl() {
        return "http://localhost:" + o.apiPort();
    }

    /** The web app, served by the functions app on the API's origin. */
    public String webUrl() {
        return apiUrl() + "/";
    }

    /** The chain's own endpoint as provider "local" (priority 1), then each door ("local2", "local3"). */
    private Map<String, String> providerEnv() {
        Map<String, String> env = new HashMap<>();
        if (chain.doors().isEmpty()) {
            return env;
        }
        env.put("RAREGEN_ARC_PROVIDERS_" + LOCAL_PROVIDER.toUpperCase() + "_URL", chain.arcUrl());
        env.put("RAREGEN_ARC_PROVIDERS_" + LOCAL_PROVIDER.toUpperCase() + "_PRIORITY", "1");
        int priority = 2;
        for (LocalChain.Door d : chain.doors()) {
            env.put("RAREGEN_ARC_PROVIDERS_" + d.name().toUpperCase() + "_URL", d.arcUrl());
            env.put("RAREGEN_ARC_PROVIDERS_" + d.name().toUpperCase() + "_PRIORITY", Integer.toString(priority++));
        }
        return env;
    }

    /** Block headers by hash from the local chain: what verifiers compare merkle roots with. */
    public String headersUrl() {
        return chain.arcUrl() + "/admin/blocks/{hash}";
    }

    /** Where the local chain POSTs ARC status callbacks: the functions app's {@code /v1/callbacks/arc}. */
    public String callbackUrl() {
        return "http://127.0.0.1:" + o.apiPort() + "/v1/callbacks/arc";
    }

    public String broadcasterUrl() {
        return "http://localhost:" + o.broadcasterPort();
    }

    public LocalChain chain() {
        return chain;
    }

    public LocalSecrets secrets() {
        return secrets;
    }

    public LocalDatabase database() {
        return db;
    }

    public LocalQueue queue() {
        return queue;
    }

    public PoolFunding.Funded funding() {
        return funded;
    }

    public LocalStackOptions options() {
        return o;
    }

    /** Stops the children first (they drain their work), then the chain (which saves its state), the queue and Postgres. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<ChildApp> reversed = new ArrayList<>(children);
        java.util.Collections.reverse(reversed);
        for (ChildApp c : reversed) {
            c.stop(Duration.ofSeconds(20));
        }
        if (chain != null) {
            chain.close();
        }
        if (queue != null) {
            queue.close();
        }
        if (mail != null) {
            mail.close();
        }
        if (db != null) {
            db.close();
        }
    }

    /**
     * Deletes the state directory's contents except {@code run/}: that folder holds copies of built jars, not
     * state, and the {@code ./raregen} script starts this very launcher from {@code run/launcher.jar}; deleting
     * it would pull the running JVM's own classes out from under it.
     */
    static void wipe(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Path keep = dir.resolve(RUN_DIR);
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.startsWith(keep) && !p.equals(dir)) {
                    Files.delete(p);
                }
            }
        }
    }

    private static Path snapshot(Path jar, Path dir) throws IOException {
        Path copy = dir.resolve(jar.getFileName());
        // a copy to a temporary name and a rename: a child of an earlier run keeps its own (unlinked) file
        Path tmp = dir.resolve(jar.getFileName() + ".tmp");
        Files.copy(jar, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return copy;
    }
}

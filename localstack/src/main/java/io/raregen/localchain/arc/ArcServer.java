package io.raregen.localchain.arc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.raregen.core.keys.P2pkh;
import io.raregen.core.types.Outpoint;
import io.raregen.core.types.Txid;
import io.raregen.localchain.ArcErrorCode;
import io.raregen.localchain.LocalChain;
import io.raregen.localchain.LocalChainConfig;
import io.raregen.localchain.TxStatus;
import io.raregen.localchain.TxView;
import io.raregen.localchain.blocks.Block;
import io.raregen.localchain.faults.FaultSettings;
import io.raregen.localchain.faults.Faults;
import io.raregen.localchain.ledger.CallbackTarget;
import io.raregen.localchain.ledger.Candidate;
import io.raregen.localchain.ledger.Ledger;
import io.raregen.localchain.ledger.SubmitOptions;
import io.raregen.localchain.ledger.SubmitOutcome;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP face of the local chain: ARC's API under {@code /v1} and the local-only admin API
 * under {@code /admin}. Each request is decoded and parsed on its own worker thread; only the
 * ledger commit is serialised.
 */
public final class ArcServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ArcServer.class);
    private static final String VERSION = "raregen-localchain/0.1";
    private static final int DEFAULT_MAX_TIMEOUT_S = 5;
    private static final int MAX_MAX_TIMEOUT_S = 30;

    private final LocalChain chain;
    private final LocalChainConfig config;
    private final Ledger ledger;
    private final Faults faults;
    private final ObjectMapper json;
    private final ArcJson arcJson;
    private final BodyDecoder bodies;
    /** Shared by the chain's own endpoint and its doors: one log of what reached the network. */
    private final Arrivals arrivals;
    /** GET /v1/tx/{txid} requests: the polling that callbacks should make rare. */
    private final java.util.concurrent.atomic.AtomicLong statusQueries = new java.util.concurrent.atomic.AtomicLong();
    /** Set on an extra door: its forced rejections are its own answer and never reach the ledger. */
    private final boolean door;
    private final int port;
    private HttpServer server;
    private ExecutorService workers;

    /** The chain's own endpoint, on the configured port; its faults are the ledger's. */
    public ArcServer(LocalChain chain, LocalChainConfig config, Ledger ledger, Faults faults, ObjectMapper json) {
        this(chain, config, ledger, faults, json, false, config.port(), new Arrivals());
    }

    /**
     * Another door onto the same ledger ({@code door} true), on {@code port} (0: any free port), with
     * fault switches of its own: it can be down, slow or hang while the others answer, and its
     * {@code rejectRate}/{@code rejectNext} make it reject transactions the network would accept.
     */
    public ArcServer(LocalChain chain, LocalChainConfig config, Ledger ledger, Faults faults, ObjectMapper json,
                     boolean door, int port, Arrivals arrivals) {
        this.chain = chain;
        this.config = config;
        this.ledger = ledger;
        this.faults = faults;
        this.json = json;
        this.arcJson = new ArcJson(json);
        this.bodies = new BodyDecoder(json);
        this.door = door;
        this.port = port;
        this.arrivals = arrivals;
    }

    public void start() throws IOException {
        // The JDK server writes a response's headers and body separately with Nagle on: a client that sends one small
        // request at a time (WhatsOnChain-shaped reads) then waits ~40 ms for the delayed ACK on every answer. Read
        // once per JVM when the first server is created; an explicit setting wins.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        server = HttpServer.create(new InetSocketAddress(config.host(), port), 512);
        AtomicInteger n = new AtomicInteger();
        workers = new ThreadPoolExecutor(config.httpThreads(), config.httpThreads(), 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "localchain-http-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        server.setExecutor(workers);
        server.createContext("/", this::handle);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** When each submitted transaction arrived (see {@link Arrivals}). */
    public Arrivals arrivals() {
        return arrivals;
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
            workers.shutdownNow();
        }
    }

    private void handle(HttpExchange ex) {
        try {
            route(ex);
        } catch (BadRequestException e) {
            sendProblem(ex, e.status() == 400 ? ArcErrorCode.BAD_REQUEST : ArcErrorCode.ofStatus(e.status()),
                    e.status(), e.getMessage(), null);
        } catch (Exception e) {
            LOG.warn("request {} {} failed", ex.getRequestMethod(), ex.getRequestURI(), e);
            sendProblem(ex, ArcErrorCode.INTERNAL, 500, e.toString(), null);
        } finally {
            ex.close();
        }
    }

    private void route(HttpExchange ex) throws Exception {
        String method = ex.getRequestMethod();
        String rawPath = ex.getRequestURI().getPath();
        String path = rawPath.length() > 1 && rawPath.endsWith("/") ? rawPath.substring(0, rawPath.length() - 1) : rawPath;
        switch (path) {
            case "/v1/health" -> requireGet(method, () -> sendJson(ex, 200, arcJson.value(health())));
            case "/v1/policy" -> requireGet(method, () -> sendJson(ex, 200, arcJson.value(policy())));
            case "/v1/tx" -> requirePost(method, () -> submit(ex, true));
            case "/v1/txs" -> requirePost(method, () -> submit(ex, false));
            case "/admin/faucet" -> requirePost(method, () -> adminFaucet(ex));
            case "/admin/mine" -> requirePost(method, () -> sendJson(ex, 200, arcJson.value(blockJson(chain.mineBlock(), true))));
            case "/admin/reorg" -> requirePost(method, () -> adminReorg(ex));
            case "/admin/faults" -> adminFaults(ex, method);
            case "/admin/export" -> requireGet(method, () -> sendJson(ex, 200, arcJson.value(chain.export())));
            case "/admin/stats" -> requireGet(method, () -> sendJson(ex, 200, arcJson.value(stats())));
            case "/admin/save" -> requirePost(method, () -> {
                chain.saveState();
                sendJson(ex, 200, arcJson.value(Map.of("saved", config.stateFile() != null)));
            });
            case "/admin/blocks" -> requireGet(method, () -> {
                List<Object> list = new ArrayList<>();
                for (long h = 0; h <= ledger.tip().height(); h++) {
                    list.add(blockJson(ledger.block(h), false));
                }
                sendJson(ex, 200, arcJson.value(list));
            });
            default -> {
                if (path.startsWith("/v1/tx/")) {
                    requireGet(method, () -> getTx(ex, path.substring("/v1/tx/".length())));
                } else if (path.startsWith("/woc/")) {
                    requireGet(method, () -> whatsOnChain(ex, path));
                } else if (path.startsWith("/admin/blocks/")) {
                    String id = path.substring("/admin/blocks/".length());
                    // the web app (on the API's origin) checks merkle roots against these headers from the browser
                    ex.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
                    requireGet(method, () -> {
                        Block b = id.length() == 64 ? ledger.blockByHash(id) : parseHeight(id);
                        if (b == null) {
                            sendProblem(ex, ArcErrorCode.NOT_FOUND, 404, "no block " + id, null);
                        } else {
                            sendJson(ex, 200, arcJson.value(blockJson(b, true)));
                        }
                    });
                } else {
                    sendProblem(ex, ArcErrorCode.NOT_FOUND, 404, "no route " + method + " " + path, null);
                }
            }
        }
    }

    private Block parseHeight(String id) {
        try {
            return ledger.block(Long.parseLong(id));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    interface Action {
        void run() throws Exception;
    }

    private static void requireGet(String method, Action a) throws Exception {
        if (!"GET".equals(method)) {
            throw new BadRequestException("use GET");
        }
        a.run();
    }

    private static void requirePost(String method, Action a) throws Exception {
        if (!"POST".equals(method)) {
            throw new BadRequestException("use POST");
        }
        a.run();
    }

    // ------------------------------------------------------------------ ARC

    private Map<String, Object> health() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("healthy", true);
        m.put("version", VERSION);
        m.put("reason", null);
        return m;
    }

    private Map<String, Object> policy() {
        Map<String, Object> fee = new LinkedHashMap<>();
        fee.put("satoshis", config.feeSatoshis());
        fee.put("bytes", config.feeBytes());
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("maxscriptsizepolicy", 100_000_000);
        p.put("maxtxsigopscountspolicy", 4_294_967_295L);
        p.put("maxtxsizepolicy", config.maxTxSize());
        p.put("miningFee", fee);
        p.put("standardFormatSupported", true);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("timestamp", Instant.now().toString());
        m.put("policy", p);
        return m;
    }

    /** Applies the request-level faults shared by every ARC call; true if the request was answered by a fault. */
    private boolean requestFaults(HttpExchange ex) throws Exception {
        long latency = faults.latencyMs();
        if (latency > 0) {
            Thread.sleep(latency);
        }
        if (faults.failRequest()) {
            drain(ex);
            int status = faults.errorStatus();
            sendProblem(ex, status == 503 ? ArcErrorCode.UNAVAILABLE : ArcErrorCode.INTERNAL, status,
                    "injected failure (fault injection)", null);
            return true;
        }
        return false;
    }

    /** The ledger's counts, and how the chain was asked and answered: status queries, callbacks delivered. */
    private Map<String, Object> stats() {
        Map<String, Object> m = json.convertValue(ledger.stats(),
                new com.fasterxml.jackson.core.type.TypeReference<java.util.LinkedHashMap<String, Object>>() { });
        m.put("statusQueries", statusQueries.get());
        m.put("callbacksDelivered", chain.callbacks().delivered());
        m.put("callbackBatches", chain.callbacks().batchesDelivered());
        return m;
    }

    private void getTx(HttpExchange ex, String txid) throws Exception {
        statusQueries.incrementAndGet();
        if (requestFaults(ex)) {
            return;
        }
        TxView v = ledger.view(txid);
        if (v == null) {
            sendProblem(ex, ArcErrorCode.NOT_FOUND, 404, "transaction " + txid + " not found", txid);
        } else {
            sendJson(ex, 200, arcJson.transactionStatus(v));
        }
    }

    private void submit(HttpExchange ex, boolean single) throws Exception {
        // the arrival, as a rate limit at the network's door counts it: the moment the request is received, before
        // any fault, delay or validation; every transaction the request carries has arrived, accepted or not
        long receivedAt = System.currentTimeMillis();
        byte[] body = ex.getRequestBody().readAllBytes(); // left open: a fault drains it, handle() closes the exchange
        List<Candidate> candidates = new ArrayList<>();
        BadRequestException undecodable = null;
        try {
            List<byte[]> raws = bodies.decode(ex.getRequestHeaders().getFirst("Content-Type"), body, single);
            for (int i = 0; i < raws.size(); i++) {
                candidates.add(TxDecoder.decode(raws.get(i), i));
            }
        } catch (BadRequestException e) {
            undecodable = e; // answered below, after the header checks, as before
        }
        arrivals.record(candidates.stream().map(c -> c.txid().hex()).toList(), receivedAt);
        if (requestFaults(ex)) {
            return;
        }
        var h = ex.getRequestHeaders();
        int maxTimeout = DEFAULT_MAX_TIMEOUT_S;
        String mt = h.getFirst("X-MaxTimeout");
        if (mt != null) {
            try {
                maxTimeout = Integer.parseInt(mt.trim());
            } catch (NumberFormatException e) {
                throw new BadRequestException("X-MaxTimeout must be a number of seconds");
            }
            if (maxTimeout < 1 || maxTimeout > MAX_MAX_TIMEOUT_S) {
                throw new BadRequestException("X-MaxTimeout must be between 1 and " + MAX_MAX_TIMEOUT_S + " seconds");
            }
        }
        TxStatus waitFor = TxStatus.SEEN_ON_NETWORK;
        String wf = h.getFirst("X-WaitFor");
        if (wf != null && !wf.isBlank()) {
            waitFor = TxStatus.parseOrNull(wf);
            if (waitFor == null) {
                throw new BadRequestException("unknown X-WaitFor status '" + wf + "'");
            }
        }
        CallbackTarget callback = null;
        String url = h.getFirst("X-CallbackUrl");
        if (url != null && !url.isBlank()) {
            callback = new CallbackTarget(url.trim(), h.getFirst("X-CallbackToken"), flag(h.getFirst("X-FullStatusUpdates")),
                    flag(h.getFirst("X-CallbackBatch")));
        }
        SubmitOptions options = new SubmitOptions(flag(h.getFirst("X-SkipScriptValidation")),
                flag(h.getFirst("X-SkipFeeValidation")), flag(h.getFirst("X-SkipTxValidation")), callback);

        if (undecodable != null) {
            throw undecodable;
        }
        List<SubmitOutcome> outcomes = door ? submitThroughDoor(candidates, options) : ledger.submit(candidates, options);

        // usually every status is already final enough: only the others make the request wait
        List<String> waiting = new ArrayList<>();
        for (SubmitOutcome o : outcomes) {
            if (!o.isError() && !o.view().status().atLeast(waitFor) && !o.view().status().endsWait()) {
                waiting.add(o.txid());
            }
        }
        boolean waited = !waiting.isEmpty();
        if (waited) {
            ledger.await(waiting, waitFor, System.nanoTime() + TimeUnit.SECONDS.toNanos(maxTimeout));
        }

        if (faults.timeoutAfterAccept()) {
            // accepted, but the client never hears it: it must find out with GET /v1/tx or a resubmit
            Thread.sleep(faults.hangMs());
            return; // handle() closes the exchange without a response: the connection is dropped
        }
        if (faults.dropResponse()) {
            return;
        }

        if (single) {
            SubmitOutcome o = outcomes.get(0);
            if (o.isError()) {
                sendProblem(ex, o.error(), o.error().status(), o.detail(), o.txid());
            } else {
                sendJson(ex, 200, arcJson.transactionResponse(waited ? fresh(o) : o.view()));
            }
            return;
        }
        // ARC answers successes first, then failures; never in request order. Within each group we
        // order by txid, which is deterministic but unrelated to the request: clients must match by txid.
        List<SubmitOutcome> ordered = new ArrayList<>(outcomes.size());
        for (SubmitOutcome o : outcomes) {
            ordered.add(o.isError() || !waited ? o : SubmitOutcome.status(fresh(o)));
        }
        ordered.sort(Comparator.comparing((SubmitOutcome o) -> o.isError()).thenComparing(SubmitOutcome::txid));
        sendJson(ex, 200, arcJson.batch(ordered));
    }

    /** A door's forced rejections are answered here; the rest go to the ledger, answers in request order. */
    private List<SubmitOutcome> submitThroughDoor(List<Candidate> candidates, SubmitOptions options) {
        SubmitOutcome[] out = new SubmitOutcome[candidates.size()];
        List<Candidate> passed = new ArrayList<>();
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            if (faults.forceReject()) {
                out[i] = SubmitOutcome.status(new TxView(candidates.get(i).txid().hex(), TxStatus.REJECTED, null, null, null,
                        "rejected by this door only (fault injection)", List.of(), Instant.now()));
            } else {
                passed.add(candidates.get(i));
                at.add(i);
            }
        }
        List<SubmitOutcome> fromLedger = passed.isEmpty() ? List.of() : ledger.submit(passed, options);
        for (int k = 0; k < fromLedger.size(); k++) {
            out[at.get(k)] = fromLedger.get(k);
        }
        return List.of(out);
    }

    /** The view after waiting (the submit-time view may be older). */
    private TxView fresh(SubmitOutcome o) {
        TxView now = ledger.view(o.txid());
        return now != null ? now : o.view();
    }

    private static boolean flag(String v) {
        return v != null && (v.equalsIgnoreCase("true") || v.equals("1"));
    }

    // ------------------------------------------------------------------ admin

    /**
     * The WhatsOnChain routes the broadcaster's deposit watch and {@code raregen ops reconcile} read, with
     * WhatsOnChain's shapes, under {@code /woc/{net}/}: {@code address/{address}/unspent}
     * ({@code [{"height","tx_pos","tx_hash","value"}]}, height 0 while unmined), {@code chain/info}
     * ({@code {"blocks": tip height}}), {@code tx/hash/{txid}} ({@code {"txid","hash","size","blockhash",
     * "blockheight","confirmations"}}, block fields null while unmined), {@code tx/{txid}/hex} (the raw
     * transaction as hex text) and {@code tx/{txid}/{vout}/spent} ({@code {"txid","vin","status"}} of the spending
     * transaction, status {@code confirmed|unconfirmed}; 404 while the output is unspent). Only accepted
     * transactions (mempool or mined) exist here, as on WhatsOnChain.
     */
    private void whatsOnChain(HttpExchange ex, String path) throws Exception {
        String[] p = path.split("/");
        // "", "woc", net, ...
        if (p.length == 6 && p[3].equals("address") && p[5].equals("unspent")) {
            byte[] script;
            try {
                script = P2pkh.lockingScriptForAddress(p[4]);
            } catch (IllegalArgumentException e) {
                throw new BadRequestException("not a P2PKH address: " + p[4]);
            }
            List<Object> list = new ArrayList<>();
            for (io.raregen.localchain.ledger.Ledger.Unspent u : ledger.unspent(script)) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("height", u.height());
                m.put("tx_pos", u.outpoint().vout());
                m.put("tx_hash", u.outpoint().txid().hex());
                m.put("value", u.value());
                list.add(m);
            }
            sendJson(ex, 200, arcJson.value(list));
        } else if (p.length == 5 && p[3].equals("chain") && p[4].equals("info")) {
            sendJson(ex, 200, arcJson.value(Map.of("blocks", ledger.tip().height())));
        } else if (p.length == 6 && p[3].equals("tx") && p[4].equals("hash")) {
            Ledger.AcceptedTx t = ledger.acceptedTx(wocTxid(p[5]));
            if (t == null) {
                sendProblem(ex, ArcErrorCode.NOT_FOUND, 404, "unknown transaction " + p[5], p[5]);
                return;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("txid", p[5]);
            m.put("hash", p[5]);
            m.put("size", t.raw().length);
            m.put("blockhash", t.view().blockHash());
            m.put("blockheight", t.view().blockHeight());
            m.put("confirmations", t.view().blockHeight() == null ? 0 : ledger.tip().height() - t.view().blockHeight() + 1);
            sendJson(ex, 200, arcJson.value(m));
        } else if (p.length == 6 && p[3].equals("tx") && p[5].equals("hex")) {
            Ledger.AcceptedTx t = ledger.acceptedTx(wocTxid(p[4]));
            if (t == null) {
                sendProblem(ex, ArcErrorCode.NOT_FOUND, 404, "unknown transaction " + p[4], p[4]);
                return;
            }
            byte[] body = HexFormat.of().formatHex(t.raw()).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            ex.getResponseHeaders().set("Content-Type", "text/plain");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
        } else if (p.length == 7 && p[3].equals("tx") && p[6].equals("spent")) {
            int vout;
            try {
                vout = Integer.parseInt(p[5]);
            } catch (NumberFormatException e) {
                throw new BadRequestException("vout must be a number: " + p[5]);
            }
            if (vout < 0) {
                throw new BadRequestException("vout must not be negative: " + p[5]);
            }
            Ledger.Spend s = ledger.spender(new Outpoint(wocTxid(p[4]), vout));
            if (s == null) {
                sendProblem(ex, ArcErrorCode.NOT_FOUND, 404, "output " + p[4] + ":" + vout + " is not spent", p[4]);
                return;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("txid", s.txid().hex());
            m.put("vin", s.vin());
            m.put("status", s.view().blockHeight() == null ? "unconfirmed" : "confirmed");
            sendJson(ex, 200, arcJson.value(m));
        } else {
            sendProblem(ex, ArcErrorCode.NOT_FOUND, 404, "no route GET " + path, null);
        }
    }

    private static Txid wocTxid(String hex) throws BadRequestException {
        try {
            return Txid.fromHex(hex);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("not a txid: " + hex);
        }
    }

    private void adminFaucet(HttpExchange ex) throws Exception {
        JsonNode req = readJson(ex);
        long sats = req.path("satoshis").asLong(0);
        int count = req.path("outputs").asInt(1);
        byte[] script;
        if (req.hasNonNull("script")) {
            try {
                script = HexFormat.of().parseHex(req.get("script").asText());
            } catch (IllegalArgumentException e) {
                throw new BadRequestException("script must be hex");
            }
        } else if (req.hasNonNull("address")) {
            try {
                script = P2pkh.lockingScriptForAddress(req.get("address").asText());
            } catch (IllegalArgumentException e) {
                throw new BadRequestException("address is not a P2PKH address: " + e.getMessage());
            }
        } else {
            throw new BadRequestException("faucet needs \"script\" (hex) or \"address\", and \"satoshis\"");
        }
        if (sats < 1 || count < 1 || count > 100_000) {
            throw new BadRequestException("satoshis must be >= 1 and outputs between 1 and 100000");
        }
        Ledger.TxEntryView f = chain.faucetTx(script, sats, count);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("txid", f.txid().hex());
        m.put("vout", 0);
        m.put("satoshis", sats);
        m.put("lockingScript", HexFormat.of().formatHex(script));
        m.put("outputs", count);
        m.put("rawTx", HexFormat.of().formatHex(f.raw()));
        sendJson(ex, 200, arcJson.value(m));
    }

    /**
     * POST /admin/reorg?blocks=N: the last N blocks leave the chain; {@code ?from=H}: the blocks from height H up,
     * counted under the ledger's lock (a block mined since the caller read the tip goes too). Their transactions are
     * mined again in one new block.
     */
    private void adminReorg(HttpExchange ex) throws Exception {
        drain(ex);
        String query = ex.getRequestURI().getQuery();
        long blocks = 1;
        Long from = null;
        if (query != null) {
            for (String kv : query.split("&")) {
                if (kv.startsWith("blocks=")) {
                    blocks = reorgNumber(kv, "blocks");
                } else if (kv.startsWith("from=")) {
                    from = reorgNumber(kv, "from");
                }
            }
        }
        long tip = chain.tip().height();
        Ledger.Reorg r;
        try {
            r = from != null ? chain.reorgFrom(from) : chain.reorg((int) Math.max(0, Math.min(blocks, Integer.MAX_VALUE)));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(400, from != null ? "from must be a height 1.." + tip + " (the genesis block stays)"
                    : "blocks must be 1.." + tip + " (the genesis block stays)");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("removed", r.removed().stream().map(Block::hash).toList());
        m.put("returnedToMempool", r.returned());
        m.put("newBlock", blockJson(r.newBlock(), true));
        sendJson(ex, 200, arcJson.value(m));
    }

    private static long reorgNumber(String kv, String name) throws BadRequestException {
        try {
            return Long.parseLong(kv.substring(name.length() + 1));
        } catch (NumberFormatException e) {
            throw new BadRequestException(400, name + " must be a number");
        }
    }

    private void adminFaults(HttpExchange ex, String method) throws Exception {
        switch (method) {
            case "GET" -> {
            }
            case "DELETE" -> faults.reset();
            case "PUT", "POST" -> {
                JsonNode req = readJson(ex);
                if (!req.isObject()) {
                    throw new BadRequestException("faults must be a JSON object");
                }
                // PUT replaces every switch (missing ones take their defaults), POST changes only those given
                ObjectNode base = json.valueToTree("PUT".equals(method) ? FaultSettings.NONE : faults.settings());
                var it = req.fieldNames();
                while (it.hasNext()) {
                    String f = it.next();
                    if (!base.has(f)) {
                        throw new BadRequestException("unknown fault '" + f + "'");
                    }
                }
                base.setAll((ObjectNode) req);
                try {
                    faults.set(json.treeToValue(base, FaultSettings.class));
                } catch (IOException | IllegalArgumentException e) {
                    throw new BadRequestException("bad faults: " + rootMessage(e));
                }
            }
            default -> throw new BadRequestException("use GET, PUT, POST or DELETE");
        }
        sendJson(ex, 200, arcJson.value(faults.settings()));
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    private JsonNode readJson(HttpExchange ex) throws IOException, BadRequestException {
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readAllBytes();
        }
        if (body.length == 0) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new BadRequestException("body is not JSON");
        }
    }

    private static Map<String, Object> blockJson(Block b, boolean withTxids) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("height", b.height());
        m.put("hash", b.hash());
        m.put("prevHash", b.prevHash());
        m.put("merkleRoot", b.merkleRoot());
        m.put("time", b.time());
        m.put("header", HexFormat.of().formatHex(b.header()));
        m.put("txCount", b.txids().size());
        // the 80 header bytes, so that a client can recompute the hash instead of trusting it
        m.put("header", java.util.HexFormat.of().formatHex(b.header()));
        if (withTxids) {
            m.put("txids", b.txids());
        }
        return m;
    }

    // ------------------------------------------------------------------ plumbing

    private static void drain(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
    }

    private void sendProblem(HttpExchange ex, ArcErrorCode code, int status, String detail, String txid) {
        try {
            byte[] body = arcJson.problem(code, status, detail, txid, null);
            ex.getResponseHeaders().set("Content-Type", "application/problem+json");
            ex.sendResponseHeaders(status, body.length);
            ex.getResponseBody().write(body);
        } catch (IOException | IllegalStateException e) {
            LOG.debug("could not answer {}: {}", ex.getRequestURI(), e.toString());
        }
    }

    private static void sendJson(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
    }
}

package io.raregen.localchain.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raregen.core.keys.KeyPair;
import io.raregen.core.tx.FeeRate;
import io.raregen.core.tx.SignedTransaction;
import io.raregen.core.tx.TransactionBuilder;
import io.raregen.core.tx.TxOutput;
import io.raregen.core.types.Satoshis;
import io.raregen.localchain.FaucetOutput;
import io.raregen.localchain.LocalChain;
import io.raregen.localchain.LocalChainConfig;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * Throughput of POST /v1/txs (not a test): signed one-input publish transactions in Extended
 * Format, batches of 500, several client threads, chain in the same JVM with 5 s blocks.
 * Measures with script verification off (X-SkipScriptValidation) and on.
 * Run: {@code mvn -pl localstack exec:exec@localchain-bench} (see docs/benchmarks/localchain.md).
 * Args (system properties): bench.off (60000), bench.on (5000), bench.warm (5000), bench.batch (500), bench.clients (4).
 */
public final class LocalChainBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        int off = Integer.getInteger("bench.off", 60_000);
        int on = Integer.getInteger("bench.on", 5_000);
        int warm = Integer.getInteger("bench.warm", 5_000);
        int batch = Integer.getInteger("bench.batch", 500);
        int clients = Integer.getInteger("bench.clients", 4);
        System.out.printf("cores=%d batch=%d clients=%d java=%s%n", Runtime.getRuntime().availableProcessors(), batch,
                clients, System.getProperty("java.version"));
        KeyPair key = KeyPair.fromPrivateKeyHex("3333333333333333333333333333333333333333333333333333333333333333");
        try (LocalChain chain = LocalChain.start(LocalChainConfig.builder().blockInterval(Duration.ofSeconds(5)).build())) {
            long t0 = System.nanoTime();
            List<byte[]> warmTx = build(chain, key, warm);
            List<byte[]> offTx = build(chain, key, off);
            List<byte[]> onTx = build(chain, key, on);
            System.out.printf("prepared %d signed transactions in %.1f s (avg EF size %d B)%n", warm + off + on,
                    (System.nanoTime() - t0) / 1e9, offTx.get(0).length);

            run(chain, "warm-up (verification on)", warmTx, batch, clients, false, "application/octet-stream");
            run(chain, "verification OFF, octet-stream EF", offTx.subList(0, off / 2), batch, clients, true, "application/octet-stream");
            run(chain, "verification OFF, text/plain hex EF", offTx.subList(off / 2, off), batch, clients, true, "text/plain");
            run(chain, "verification ON, octet-stream EF", onTx, batch, clients, false, "application/octet-stream");
            System.out.println("ledger: " + chain.stats());
        }
    }

    /** Signs {@code n} one-input publish transactions (data output + change) from faucet outputs, on all cores. */
    private static List<byte[]> build(LocalChain chain, KeyPair key, int n) throws Exception {
        List<FaucetOutput> funds = new ArrayList<>(n);
        for (int i = 0; i < n; i += 50_000) {
            funds.addAll(chain.faucet(key.p2pkhLockingScript(), 1_000, Math.min(50_000, n - i)));
        }
        FeeRate rate = new FeeRate(1, 1000);
        byte[][] out = new byte[n][];
        IntStream.range(0, n).parallel().forEach(i -> {
            byte[] payload = ("{\"record\":\"benchmark " + i + "\",\"pad\":\"" + "x".repeat(80) + "\"}").getBytes();
            ByteArrayOutputStream s = new ByteArrayOutputStream();
            s.write(0x00);
            s.write(0x6a);
            s.write(payload.length);
            s.write(payload, 0, payload.length);
            SignedTransaction t = new TransactionBuilder().addInput(funds.get(i).utxo())
                    .addOutput(new TxOutput(Satoshis.ZERO, s.toByteArray())).changeTo(key.p2pkhLockingScript())
                    .sign(key, rate);
            out[i] = t.extendedFormat();
        });
        return List.of(out);
    }

    private static void run(LocalChain chain, String label, List<byte[]> txs, int batch, int clients, boolean skipScripts,
                            String contentType) throws Exception {
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < txs.size(); i += batch) {
            List<byte[]> part = txs.subList(i, Math.min(txs.size(), i + batch));
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (byte[] t : part) {
                if (contentType.equals("text/plain")) {
                    b.writeBytes(HexFormat.of().formatHex(t).getBytes());
                    b.write('\n');
                } else {
                    b.writeBytes(t);
                }
            }
            bodies.add(b.toByteArray());
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicInteger next = new AtomicInteger();
        AtomicLong seen = new AtomicLong();
        AtomicLong other = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long serverCpu0 = serverCpuNanos();
        long processCpu0 = processCpuNanos();
        long start = System.nanoTime();
        List<Future<?>> fs = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            fs.add(pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < bodies.size()) {
                    HttpRequest req = HttpRequest.newBuilder(URI.create(chain.arcUrl() + "/v1/txs"))
                            .header("Content-Type", contentType)
                            .header("X-SkipScriptValidation", Boolean.toString(skipScripts))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(i))).build();
                    HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
                    JsonNode arr = JSON.readTree(r.body());
                    for (JsonNode n : arr) {
                        if ("SEEN_ON_NETWORK".equals(n.path("txStatus").asText()) || "MINED".equals(n.path("txStatus").asText())) {
                            seen.incrementAndGet();
                        } else {
                            other.incrementAndGet();
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        double secs = (System.nanoTime() - start) / 1e9;
        double serverUs = (serverCpuNanos() - serverCpu0) / 1e3 / txs.size();
        double processUs = (processCpuNanos() - processCpu0) / 1e3 / txs.size();
        pool.shutdown();
        System.out.printf("%-40s %7d tx in %6.2f s = %8.0f tx/s wall (accepted %d, other %d); CPU per tx: chain %.1f us,"
                        + " chain+client %.1f us => chain alone on 2 cores ~%.0f tx/s%n", label, txs.size(), secs,
                txs.size() / secs, seen.get(), other.get(), serverUs, processUs, 2e6 / serverUs);
    }

    /** CPU time of the chain's own threads (HTTP workers, scheduler), to separate it from the client in this JVM. */
    private static long serverCpuNanos() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (java.lang.management.ThreadInfo ti : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (ti != null && (ti.getThreadName().startsWith("localchain-") || ti.getThreadName().startsWith("HTTP-Dispatcher"))) {
                long t = mx.getThreadCpuTime(ti.getThreadId());
                if (t > 0) {
                    sum += t;
                }
            }
        }
        return sum;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}

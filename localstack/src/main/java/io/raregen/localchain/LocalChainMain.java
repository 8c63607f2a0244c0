package io.raregen.localchain;

import io.raregen.localchain.faults.FaultSettings;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the local chain standalone: {@code java -jar raregen-localstack-<version>-all.jar [flags]}.
 * Every flag is listed by {@code --help} and in localstack/README.md.
 */
public final class LocalChainMain {
    private static final String USAGE = """
            usage: java -jar raregen-localstack-<version>-all.jar [flags]
              --host H                        interface to bind (127.0.0.1)
              --port N                        ARC API port (9090)
              --block-interval D              time between blocks, e.g. 5s, 500ms, 0 = manual only (5s)
              --fee-sats N --fee-bytes N      mining fee in GET /v1/policy and the fee rule (1 / 1000)
              --skip-script-validation        accept without verifying unlocking scripts
              --max-chain-depth N             longest unconfirmed ancestor chain (9999)
              --max-tx-size N                 maxtxsizepolicy in bytes (10000000)
              --orphan-expiry D               SEEN_IN_ORPHAN_MEMPOOL → REJECTED after (10m)
              --state-file PATH               load at start, save every --persist-interval and at exit
              --persist-interval D            (30s)
              --http-threads N                HTTP worker threads (64)
              --callback-max-attempts N       (10)
              --callback-backoff D            first retry delay, doubled each time (500ms)
              --callback-max-backoff D        (30s)
            faults (also switchable at run time: /admin/faults):
              --latency-ms N                  added to every ARC request
              --error-rate F                  fraction of ARC requests answered 5xx without processing
              --error-status N                the 5xx status (503)
              --timeout-after-accept-rate F   fraction of submits accepted, then hung for --hang-ms and dropped
              --hang-ms N                     (60000)
              --drop-response-rate F          fraction of submits accepted, then dropped without answer
              --orphan-for-ms N               accepted txs show SEEN_IN_ORPHAN_MEMPOOL this long
              --stored-for-ms N               accepted txs show STORED this long
              --reject-rate F                 fraction of txs rejected (txStatus REJECTED)
              --reject-next N                 the next N txs are rejected
              --fault-seed N                  seed of the fault random generator (42)
            """;

    private LocalChainMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        LocalChainConfig config;
        try {
            config = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        if (config == null) {
            System.out.print(USAGE);
            return;
        }
        LocalChain chain = LocalChain.start(config);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            chain.close();
            stop.countDown();
        }, "localchain-shutdown"));
        System.out.println("local chain (ARC API) listening on " + chain.arcUrl());
        stop.await();
    }

    /** Parses flags into a config; null when --help was asked. */
    static LocalChainConfig parse(String[] args) {
        LocalChainConfig.Builder b = LocalChainConfig.builder().port(9090);
        FaultSettings f = FaultSettings.NONE;
        long latency = f.latencyMs();
        double errorRate = f.errorRate();
        int errorStatus = f.errorStatus();
        double timeoutRate = f.timeoutAfterAcceptRate();
        long hang = f.hangMs();
        double dropRate = f.dropResponseRate();
        long orphanFor = f.orphanForMs();
        long storedFor = f.storedForMs();
        double rejectRate = f.rejectRate();
        int rejectNext = f.rejectNext();
        long seed = f.seed();
        long feeSats = 1;
        long feeBytes = 1000;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = null;
            int eq = a.indexOf('=');
            if (eq > 0) {
                v = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            if (a.equals("--help") || a.equals("-h")) {
                return null;
            }
            if (a.equals("--skip-script-validation")) {
                b.skipScriptValidation(v == null || Boolean.parseBoolean(v));
                continue;
            }
            if (v == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                v = args[++i];
            }
            try {
                switch (a) {
                    case "--host" -> b.host(v);
                    case "--port" -> b.port(Integer.parseInt(v));
                    case "--block-interval" -> b.blockInterval(Durations.parse(a, v));
                    case "--fee-sats" -> feeSats = Long.parseLong(v);
                    case "--fee-bytes" -> feeBytes = Long.parseLong(v);
                    case "--max-chain-depth" -> b.maxChainDepth(Integer.parseInt(v));
                    case "--max-tx-size" -> b.maxTxSize(Integer.parseInt(v));
                    case "--orphan-expiry" -> b.orphanExpiry(Durations.parse(a, v));
                    case "--state-file" -> b.stateFile(Path.of(v));
                    case "--persist-interval" -> b.persistInterval(Durations.parse(a, v));
                    case "--http-threads" -> b.httpThreads(Integer.parseInt(v));
                    case "--callback-max-attempts" -> b.callbackMaxAttempts(Integer.parseInt(v));
                    case "--callback-backoff" -> b.callbackInitialBackoff(Durations.parse(a, v));
                    case "--callback-max-backoff" -> b.callbackMaxBackoff(Durations.parse(a, v));
                    case "--latency-ms" -> latency = Long.parseLong(v);
                    case "--error-rate" -> errorRate = Double.parseDouble(v);
                    case "--error-status" -> errorStatus = Integer.parseInt(v);
                    case "--timeout-after-accept-rate" -> timeoutRate = Double.parseDouble(v);
                    case "--hang-ms" -> hang = Long.parseLong(v);
                    case "--drop-response-rate" -> dropRate = Double.parseDouble(v);
                    case "--orphan-for-ms" -> orphanFor = Long.parseLong(v);
                    case "--stored-for-ms" -> storedFor = Long.parseLong(v);
                    case "--reject-rate" -> rejectRate = Double.parseDouble(v);
                    case "--reject-next" -> rejectNext = Integer.parseInt(v);
                    case "--fault-seed" -> seed = Long.parseLong(v);
                    default -> throw new IllegalArgumentException("unknown flag " + a);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(a + ": not a number: " + v);
            }
        }
        b.fee(feeSats, feeBytes);
        b.faults(new FaultSettings(latency, errorRate, errorStatus, timeoutRate, hang, dropRate, orphanFor, storedFor,
                rejectRate, rejectNext, seed));
        return b.build();
    }
}

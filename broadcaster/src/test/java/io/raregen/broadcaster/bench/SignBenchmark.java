package io.raregen.broadcaster.bench;

import io.raregen.core.keys.KeyPair;

import java.security.MessageDigest;
import java.util.stream.IntStream;

/**
 * Cost of one ECDSA signature (the pipeline's per-transaction CPU floor), a program, not a test:
 * signs N distinct digests on 1 thread, then on every core.
 *
 * <pre>java -cp ... io.raregen.broadcaster.bench.SignBenchmark 20000</pre>
 */
public final class SignBenchmark {

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        KeyPair key = KeyPair.generate();
        byte[][] digests = new byte[n][];
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < n; i++) {
            digests[i] = sha.digest(Integer.toString(i).getBytes());
        }
        for (int i = 0; i < Math.min(n, 2_000); i++) {
            key.signDigest(digests[i]); // warm-up
        }
        long t0 = System.nanoTime();
        for (byte[] d : digests) {
            key.signDigest(d);
        }
        double one = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        IntStream.range(0, n).parallel().forEach(i -> key.signDigest(digests[i]));
        double all = (System.nanoTime() - t1) / 1e9;
        System.out.printf("signatures=%d: 1 thread %.3f ms each = %.0f/s; %d threads %.0f/s%n", n, one * 1000 / n, n / one,
                Runtime.getRuntime().availableProcessors(), n / all);
    }
}

package io.raregen.broadcaster.ratelimit;

/** Paces broadcasts: hands out permission to send a number of transactions now. */
public interface RateLimiter {

    /**
     * Blocks until at least one token is available and takes up to {@code wanted} of them.
     * Returns how many were granted (1..wanted); the caller sends exactly that many.
     */
    int acquire(int wanted) throws InterruptedException;

    /** Takes up to {@code wanted} tokens without waiting; 0 when the bucket is empty. */
    int tryAcquire(int wanted);

    /** No pacing at all (benchmarks, or a broadcaster with no limit). */
    static RateLimiter unlimited() {
        return new RateLimiter() {
            @Override
            public int acquire(int wanted) {
                return wanted;
            }

            @Override
            public int tryAcquire(int wanted) {
                return wanted;
            }
        };
    }
}

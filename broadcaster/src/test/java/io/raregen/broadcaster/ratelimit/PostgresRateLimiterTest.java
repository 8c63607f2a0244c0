package io.raregen.broadcaster.ratelimit;

import io.raregen.migrations.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PostgresRateLimiterTest {
    static TestDatabase db;

    @BeforeAll
    static void setUp() {
        db = TestDatabase.create();
    }

    @AfterAll
    static void tearDown() {
        db.close();
    }

    @Test
    void twoInstancesSharingTheRow_togetherNeverExceedTheCapacity() throws Exception {
        // a period so long that refill during the test is below one token
        PostgresRateLimiter a = new PostgresRateLimiter(db.dataSource(), "shared", 500, Duration.ofHours(10));
        PostgresRateLimiter b = new PostgresRateLimiter(db.dataSource(), "shared", 500, Duration.ofHours(10));
        ExecutorService ex = Executors.newFixedThreadPool(4);
        List<Future<Integer>> fs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            PostgresRateLimiter l = i % 2 == 0 ? a : b;
            fs.add(ex.submit((Callable<Integer>) () -> l.tryAcquire(30)));
        }
        int total = 0;
        for (Future<Integer> f : fs) {
            total += f.get();
        }
        ex.shutdown();
        assertEquals(500, total, "40 × 30 asked, exactly the capacity granted");
        assertEquals(0, a.tryAcquire(1));
    }

    @Test
    void acquire_waitsForTheRefill_insteadOfOverdrawing() throws Exception {
        PostgresRateLimiter l = new PostgresRateLimiter(db.dataSource(), "small", 5, Duration.ofMillis(500));
        assertEquals(5, l.tryAcquire(5));
        long t0 = System.nanoTime();
        int got = l.acquire(5);
        long waitedMs = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(got >= 1 && got <= 5);
        assertTrue(waitedMs >= 50, "had to wait for at least one token's refill (100 ms), waited " + waitedMs);
    }

    @Test
    void buckets_withDifferentNames_areIndependent() {
        PostgresRateLimiter x = new PostgresRateLimiter(db.dataSource(), "x", 3, Duration.ofHours(1));
        PostgresRateLimiter y = new PostgresRateLimiter(db.dataSource(), "y", 3, Duration.ofHours(1));
        assertEquals(3, x.tryAcquire(10));
        assertEquals(3, y.tryAcquire(10));
    }
}

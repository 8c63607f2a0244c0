package io.raregen.cli.publish;

import com.fasterxml.jackson.databind.JsonNode;
import io.raregen.cli.api.ApiClient;
import io.raregen.cli.api.ApiException;
import io.raregen.cli.support.Json;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/** Polls jobs until each reaches a target status (or fails), with a deadline. */
public final class JobWaiter {
    private final ApiClient client;
    private final Duration pollInterval;
    private final int parallelism;

    public JobWaiter(ApiClient client, Duration pollInterval, int parallelism) {
        this.client = client;
        this.pollInterval = pollInterval;
        this.parallelism = Math.max(1, parallelism);
    }

    /**
     * Waits for every job. Returns the last seen job document per id; a job that did not reach the
     * target before the deadline keeps its last status. {@code onDone} is called once per job that
     * reached the target or failed.
     */
    public Map<String, JsonNode> await(Collection<String> jobIds, WaitTarget target, Duration timeout, Consumer<JsonNode> onDone)
            throws ApiException, InterruptedException {
        Map<String, JsonNode> last = new LinkedHashMap<>();
        List<String> pending = new ArrayList<>(jobIds);
        long deadline = System.nanoTime() + timeout.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, Math.max(1, pending.size())));
        try {
            while (!pending.isEmpty()) {
                List<Future<JsonNode>> futures = new ArrayList<>();
                for (String id : pending) {
                    futures.add(pool.submit(() -> client.job(id)));
                }
                List<String> still = new ArrayList<>();
                for (int i = 0; i < pending.size(); i++) {
                    JsonNode job;
                    try {
                        job = futures.get(i).get();
                    } catch (java.util.concurrent.ExecutionException e) {
                        if (e.getCause() instanceof ApiException ae) {
                            throw ae;
                        }
                        throw new IllegalStateException(e.getCause());
                    }
                    last.put(pending.get(i), job);
                    if (JobStatus.reached(Json.text(job, "status"), target)) {
                        if (onDone != null) {
                            onDone.accept(job);
                        }
                    } else {
                        still.add(pending.get(i));
                    }
                }
                pending = still;
                if (pending.isEmpty() || System.nanoTime() > deadline) {
                    break;
                }
                Thread.sleep(pollInterval.toMillis());
            }
        } finally {
            pool.shutdownNow();
        }
        return last;
    }
}

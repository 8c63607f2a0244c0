package io.raregen.functions.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * After each request, writes the increments of every {@code raregen.*} counter since the previous request as one
 * embedded metric format line on stdout, which Lambda sends to CloudWatch Logs and CloudWatch turns into metrics
 * (namespace and {@code Stage} dimension from {@link EmfConfiguration}). Requests that changed no counter write
 * nothing. A Lambda instance serves one request at a time, so the deltas belong to that request.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
@Requires(property = "raregen.metrics.emf.enabled", value = "true")
public class EmbeddedMetricsFilter {

    private static final String PREFIX = "raregen.";

    private final MeterRegistry meters;
    private final EmfConfiguration config;
    private final Map<Meter.Id, Long> reported = new HashMap<>();

    public EmbeddedMetricsFilter(MeterRegistry meters, EmfConfiguration config) {
        this.meters = meters;
        this.config = config;
    }

    @ResponseFilter
    public void afterRequest() {
        String line = collect();
        if (line != null) {
            PrintStream out = System.out;
            out.println(line);
        }
    }

    /** The EMF line for the counter increments since the last call, or null when nothing changed. */
    synchronized String collect() {
        Map<String, Long> deltas = new TreeMap<>();
        for (Meter meter : meters.getMeters()) {
            String name = meter.getId().getName();
            if (meter instanceof Counter counter && name.startsWith(PREFIX)) {
                long total = (long) counter.count();
                long delta = total - reported.getOrDefault(meter.getId(), 0L);
                if (delta > 0) {
                    // tags are not dimensions here: counters of one name are summed
                    deltas.merge(EmbeddedMetricFormat.metricName(name), delta, Long::sum);
                    reported.put(meter.getId(), total);
                }
            }
        }
        return deltas.isEmpty() ? null
                : EmbeddedMetricFormat.counts(config.namespace(), config.stage(), System.currentTimeMillis(), deltas);
    }
}

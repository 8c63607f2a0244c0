package io.raregen.functions.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * One CloudWatch embedded metric format (EMF) document: a JSON log line that CloudWatch Logs turns into metric
 * data points without any API call. Layout per the EMF specification: an {@code _aws} member with the timestamp
 * (epoch milliseconds) and one metric directive (namespace, one dimension set, each metric with its unit), and
 * the dimension and metric values as top-level members.
 */
public final class EmbeddedMetricFormat {

    public static final String STAGE_DIMENSION = "Stage";

    private static final ObjectMapper JSON = new ObjectMapper();

    private EmbeddedMetricFormat() {
    }

    /**
     * @param counts metric name to count since the previous document; must not be empty
     * @return the document as one line of JSON
     */
    public static String counts(String namespace, String stage, long timestampMillis, Map<String, Long> counts) {
        if (counts.isEmpty()) {
            throw new IllegalArgumentException("an EMF document needs at least one metric");
        }
        ObjectNode root = JSON.createObjectNode();
        ObjectNode aws = root.putObject("_aws");
        aws.put("Timestamp", timestampMillis);
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", namespace);
        directive.putArray("Dimensions").addArray().add(STAGE_DIMENSION);
        ArrayNode metrics = directive.putArray("Metrics");
        root.put(STAGE_DIMENSION, stage);
        counts.forEach((name, value) -> {
            metrics.addObject().put("Name", name).put("Unit", "Count");
            root.put(name, value);
        });
        return root.toString();
    }

    /** Micrometer's dotted name as the metric name the broadcaster's Prometheus export would give it. */
    public static String metricName(String meterName) {
        return meterName.replace('.', '_');
    }
}

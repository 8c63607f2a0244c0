package io.raregen.functions.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The document layout the CloudWatch EMF specification requires. */
class EmbeddedMetricFormatTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void counts_haveOneDirectiveWithNamespaceStageDimensionAndEveryMetricAsTopLevelValue() throws Exception {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("raregen_intake_accepted", 3L);
        counts.put("raregen_intake_enqueue_failures", 1L);

        String line = EmbeddedMetricFormat.counts("RareGen", "prod", 1_763_800_000_123L, counts);

        assertFalse(line.contains("\n"), "one log line");
        JsonNode doc = JSON.readTree(line);
        assertEquals(1_763_800_000_123L, doc.at("/_aws/Timestamp").asLong());
        JsonNode directive = doc.at("/_aws/CloudWatchMetrics/0");
        assertEquals("RareGen", directive.get("Namespace").asText());
        assertEquals("[[\"Stage\"]]", directive.get("Dimensions").toString());
        assertEquals(2, directive.get("Metrics").size());
        assertEquals("raregen_intake_accepted", directive.at("/Metrics/0/Name").asText());
        assertEquals("Count", directive.at("/Metrics/0/Unit").asText());
        assertEquals("prod", doc.get("Stage").asText());
        assertEquals(3, doc.get("raregen_intake_accepted").asLong());
        assertEquals(1, doc.get("raregen_intake_enqueue_failures").asLong());
    }

    @Test
    void emptyCounts_areRefused() {
        assertThrows(IllegalArgumentException.class, () -> EmbeddedMetricFormat.counts("RareGen", "prod", 0, Map.of()));
    }

    @Test
    void meterNames_becomePrometheusStyleNames() {
        assertEquals("raregen_queue_send_messages", EmbeddedMetricFormat.metricName("raregen.queue.send.messages"));
    }
}

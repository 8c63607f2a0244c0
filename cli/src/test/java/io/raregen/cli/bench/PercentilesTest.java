package io.raregen.cli.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PercentilesTest {

    @Test
    void p_usesNearestRank_onAnUnsortedSample() {
        List<Double> v = new ArrayList<>();
        for (int i = 100; i >= 1; i--) {
            v.add((double) i);
        }
        Percentiles p = new Percentiles(v);

        assertEquals(50.0, p.p(50));
        assertEquals(99.0, p.p(99));
        assertEquals(100.0, p.p(100));
        assertEquals(1.0, p.p(0.1));
        assertEquals(100.0, p.max());
        assertEquals(50.5, p.mean());
    }

    @Test
    void p_ofAnEmptySample_isNaN() {
        assertTrue(Double.isNaN(new Percentiles(List.of()).p(50)));
    }
}

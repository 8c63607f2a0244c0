package io.raregen.cli.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/** Nearest-rank percentiles over a sample of milliseconds. */
public final class Percentiles {
    private final List<Double> sorted;

    public Percentiles(Collection<Double> values) {
        this.sorted = new ArrayList<>(values);
        Collections.sort(sorted);
    }

    public int count() {
        return sorted.size();
    }

    /** The p-th percentile (0 < p <= 100) by nearest rank; NaN for an empty sample. */
    public double p(double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    public double max() {
        return sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() - 1);
    }

    public double mean() {
        return sorted.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}

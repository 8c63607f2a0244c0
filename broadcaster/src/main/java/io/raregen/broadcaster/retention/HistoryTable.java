package io.raregen.broadcaster.retention;

/**
 * A table of the history partitioned by day (V49): its name, the timestamp column its days are cut on, and the order
 * its rows are exported in.
 */
public enum HistoryTable {
    /** The audit trail: one row per statement and status pair (V40), partitioned by {@code at} since V49. */
    TRANSITION_SETS("publish_job_transition_sets", "at", "at, id");

    private final String name;
    private final String timeColumn;
    private final String order;

    HistoryTable(String name, String timeColumn, String order) {
        this.name = name;
        this.timeColumn = timeColumn;
        this.order = order;
    }

    public String tableName() {
        return name;
    }

    public String timeColumn() {
        return timeColumn;
    }

    String order() {
        return order;
    }
}

package io.raregen.core.events;

import java.util.regex.Pattern;

/**
 * Position of an event in the job event log: the id of the database transaction that wrote it and the
 * row id, in that order (see V30 for why both). Written {@code "<xact>-<id>"}, both decimal; it is what
 * the event stream sends as the SSE {@code id:} and takes back as {@code Last-Event-ID}, and what a
 * webhook delivery carries in its {@code id} field.
 */
public record EventId(long xact, long id) implements Comparable<EventId> {

    /** Before every event: reading after it starts at the beginning of the log. */
    public static final EventId START = new EventId(0, 0);

    private static final Pattern FORM = Pattern.compile("[0-9]{1,18}-[0-9]{1,18}");

    public EventId {
        if (xact < 0 || id < 0) {
            throw new IllegalArgumentException("event id parts must not be negative");
        }
    }

    /**
     * Parses the written form.
     *
     * @throws IllegalArgumentException for anything that is not two decimal numbers joined by a hyphen
     */
    public static EventId parse(String s) {
        if (s == null || !FORM.matcher(s).matches()) {
            throw new IllegalArgumentException("an event id is two decimal numbers joined by a hyphen, like 7431-90217");
        }
        int dash = s.indexOf('-');
        return new EventId(Long.parseLong(s.substring(0, dash)), Long.parseLong(s.substring(dash + 1)));
    }

    @Override
    public int compareTo(EventId o) {
        int c = Long.compare(xact, o.xact);
        return c != 0 ? c : Long.compare(id, o.id);
    }

    @Override
    public String toString() {
        return xact + "-" + id;
    }
}

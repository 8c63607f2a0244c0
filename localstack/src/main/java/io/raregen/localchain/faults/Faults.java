package io.raregen.localchain.faults;

import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live fault switches of a running chain: changed at run time from tests (Java) or over
 * {@code /admin/faults}. Decisions draw from one seeded generator, so a single-threaded client
 * sees the same sequence of faults on every run.
 */
public final class Faults {
    private volatile FaultSettings settings;
    private final AtomicInteger rejectNext = new AtomicInteger();
    private Random random;

    public Faults(FaultSettings initial) {
        set(initial);
    }

    public FaultSettings settings() {
        FaultSettings s = settings;
        return new FaultSettings(s.latencyMs(), s.errorRate(), s.errorStatus(), s.timeoutAfterAcceptRate(),
                s.hangMs(), s.dropResponseRate(), s.orphanForMs(), s.storedForMs(), s.rejectRate(),
                rejectNext.get(), s.seed());
    }

    /** Replaces every switch (and re-seeds the generator). */
    public synchronized Faults set(FaultSettings s) {
        this.settings = s;
        this.rejectNext.set(s.rejectNext());
        this.random = new Random(s.seed());
        return this;
    }

    public Faults reset() {
        return set(FaultSettings.NONE);
    }

    public Faults latencyMs(long ms) {
        return set(with(settings(), "latencyMs", ms));
    }

    public Faults errorRate(double rate) {
        return set(with(settings(), "errorRate", rate));
    }

    public Faults errorStatus(int status) {
        return set(with(settings(), "errorStatus", status));
    }

    public Faults timeoutAfterAcceptRate(double rate) {
        return set(with(settings(), "timeoutAfterAcceptRate", rate));
    }

    public Faults hangMs(long ms) {
        return set(with(settings(), "hangMs", ms));
    }

    public Faults dropResponseRate(double rate) {
        return set(with(settings(), "dropResponseRate", rate));
    }

    public Faults orphanForMs(long ms) {
        return set(with(settings(), "orphanForMs", ms));
    }

    public Faults storedForMs(long ms) {
        return set(with(settings(), "storedForMs", ms));
    }

    public Faults rejectRate(double rate) {
        return set(with(settings(), "rejectRate", rate));
    }

    public Faults rejectNext(int n) {
        return set(with(settings(), "rejectNext", n));
    }

    public Faults seed(long seed) {
        return set(with(settings(), "seed", seed));
    }

    // ---- decisions, taken by the server and the ledger ----

    public long latencyMs() {
        return settings.latencyMs();
    }

    public boolean failRequest() {
        return roll(settings.errorRate());
    }

    public int errorStatus() {
        return settings.errorStatus();
    }

    public boolean timeoutAfterAccept() {
        return roll(settings.timeoutAfterAcceptRate());
    }

    public long hangMs() {
        return settings.hangMs();
    }

    public boolean dropResponse() {
        return roll(settings.dropResponseRate());
    }

    public long orphanForMs() {
        return settings.orphanForMs();
    }

    public long storedForMs() {
        return settings.storedForMs();
    }

    /** Whether this transaction is to be rejected by force; counts down rejectNext. */
    public boolean forceReject() {
        if (rejectNext.get() > 0 && rejectNext.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            return true;
        }
        return roll(settings.rejectRate());
    }

    private boolean roll(double rate) {
        // the common case (switch off) takes no lock: this runs for every transaction
        if (rate <= 0) {
            return false;
        }
        if (rate >= 1) {
            return true;
        }
        synchronized (this) {
            return random.nextDouble() < rate;
        }
    }

    private static FaultSettings with(FaultSettings s, String field, Number v) {
        return new FaultSettings(
                field.equals("latencyMs") ? v.longValue() : s.latencyMs(),
                field.equals("errorRate") ? v.doubleValue() : s.errorRate(),
                field.equals("errorStatus") ? v.intValue() : s.errorStatus(),
                field.equals("timeoutAfterAcceptRate") ? v.doubleValue() : s.timeoutAfterAcceptRate(),
                field.equals("hangMs") ? v.longValue() : s.hangMs(),
                field.equals("dropResponseRate") ? v.doubleValue() : s.dropResponseRate(),
                field.equals("orphanForMs") ? v.longValue() : s.orphanForMs(),
                field.equals("storedForMs") ? v.longValue() : s.storedForMs(),
                field.equals("rejectRate") ? v.doubleValue() : s.rejectRate(),
                field.equals("rejectNext") ? v.intValue() : s.rejectNext(),
                field.equals("seed") ? v.longValue() : s.seed());
    }
}

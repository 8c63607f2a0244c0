package io.raregen.functions.intake;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Natural group commit on the calling threads: one group runs at a time; items submitted while it
 * runs wait, and when it finishes the oldest waiting caller runs everything that queued up meanwhile
 * (up to {@code maxGroup}) as the next group.
 *
 * <p>There is no linger and no worker thread: a caller that finds nothing running runs its own item
 * at once, so a lone request (a Lambda instance) pays nothing, and under load groups grow exactly as
 * long as the previous group took. Each caller gets back the result for its own item.
 */
final class GroupCommitter<T, R> {

    private final int maxGroup;
    private final Function<List<T>, List<R>> runGroup;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Slot<T, R>> waiting = new ArrayDeque<>();
    private boolean running;

    /**
     * @param runGroup runs one group and returns one result per item, in the items' order; whatever it
     *                 throws is rethrown to every caller of that group
     */
    GroupCommitter(int maxGroup, Function<List<T>, List<R>> runGroup) {
        if (maxGroup < 1) {
            throw new IllegalArgumentException("maxGroup must be at least 1");
        }
        this.maxGroup = maxGroup;
        this.runGroup = runGroup;
    }

    /** Runs {@code item} in the next group, alone and at once when no group is running; blocks until done. */
    R submit(T item) {
        Slot<T, R> mine = new Slot<>(item);
        List<Slot<T, R>> group = null;
        lock.lock();
        try {
            if (running) {
                waiting.add(mine);
            } else {
                running = true;
                group = List.of(mine);
            }
        } finally {
            lock.unlock();
        }
        if (group == null) {
            group = mine.awaitTurn();
        }
        if (group != null) {
            lead(group);
        }
        return mine.result();
    }

    /** Callers waiting for the running group to finish (for tests). */
    int waitingCount() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    private void lead(List<Slot<T, R>> group) {
        try {
            List<T> items = new ArrayList<>(group.size());
            for (Slot<T, R> s : group) {
                items.add(s.item);
            }
            List<R> results = runGroup.apply(items);
            if (results.size() != group.size()) {
                throw new IllegalStateException(results.size() + " results for a group of " + group.size());
            }
            for (int i = 0; i < group.size(); i++) {
                group.get(i).complete(results.get(i));
            }
        } catch (RuntimeException | Error e) {
            for (Slot<T, R> s : group) {
                s.fail(e);
            }
            throw e;
        } finally {
            handOff();
        }
    }

    /** Gives the next group, fixed now, to its oldest caller; or marks nothing running. */
    private void handOff() {
        List<Slot<T, R>> next;
        lock.lock();
        try {
            if (waiting.isEmpty()) {
                running = false;
                return;
            }
            next = new ArrayList<>(Math.min(maxGroup, waiting.size()));
            while (next.size() < maxGroup && !waiting.isEmpty()) {
                next.add(waiting.poll());
            }
        } finally {
            lock.unlock();
        }
        next.get(0).lead(next);
    }

    /** One caller's item and, once known, either the group it must run or its result. */
    private static final class Slot<T, R> {
        final T item;
        private List<Slot<T, R>> toLead;
        private boolean done;
        private R result;
        private Throwable failure;

        Slot(T item) {
            this.item = item;
        }

        synchronized void lead(List<Slot<T, R>> group) {
            toLead = group;
            notifyAll();
        }

        synchronized void complete(R r) {
            if (!done) {
                result = r;
                done = true;
                notifyAll();
            }
        }

        synchronized void fail(Throwable t) {
            if (!done) {
                failure = t;
                done = true;
                notifyAll();
            }
        }

        /** Blocks until another caller ran this item (null) or handed this caller a group to run. */
        synchronized List<Slot<T, R>> awaitTurn() {
            // not interruptible: the item is already queued and someone must run it
            boolean interrupted = false;
            while (!done && toLead == null) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return done ? null : toLead;
        }

        synchronized R result() {
            if (failure instanceof RuntimeException re) {
                throw re;
            }
            if (failure instanceof Error err) {
                throw err;
            }
            if (!done) {
                throw new IllegalStateException("group finished without a result for this item");
            }
            return result;
        }
    }
}

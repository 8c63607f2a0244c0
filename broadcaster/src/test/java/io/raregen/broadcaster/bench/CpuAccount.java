package io.raregen.broadcaster.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time by consumer from Linux {@code /proc}: every thread of this JVM (JIT compilers and GC
 * included, grouped by a name prefix) and every postgres process. Two snapshots and a difference;
 * on a machine without {@code /proc} every figure is 0.
 */
final class CpuAccount {
    private static final double TICK_MS = 10.0; // USER_HZ = 100 on Linux

    private final Map<String, Long> ticks;

    private CpuAccount(Map<String, Long> ticks) {
        this.ticks = ticks;
    }

    static CpuAccount now() {
        Map<String, Long> t = new TreeMap<>();
        File[] tasks = new File("/proc/self/task").listFiles();
        if (tasks != null) {
            for (File task : tasks) {
                String comm = read(task.toPath().resolve("comm"));
                long cpu = cpuTicks(task.toPath().resolve("stat"));
                if (comm != null && cpu >= 0) {
                    t.merge(group(comm), cpu, Long::sum);
                }
            }
        }
        File[] procs = new File("/proc").listFiles((d, n) -> n.chars().allMatch(Character::isDigit));
        if (procs != null) {
            for (File p : procs) {
                String comm = read(p.toPath().resolve("comm"));
                if (comm != null && comm.startsWith("postgres")) {
                    String[] f = statFields(p.toPath().resolve("stat"));
                    if (f != null) {
                        t.merge("postgres (all backends)", ticks(f, 11), Long::sum);
                        // the postmaster (its parent is not postgres) is charged, when it reaps them, the CPU of the
                        // processes that ended: autovacuum workers above all (each lives for one table's vacuum), and
                        // sessions closed in the window. Those are missing from the line above, which sums the
                        // processes alive at both snapshots.
                        if (!isPostgres(f[1])) {
                            t.merge("postgres (ended: autovacuum workers, …)", ticks(f, 13), Long::sum);
                        }
                    }
                }
            }
        }
        return new CpuAccount(t);
    }

    /** Prints CPU milliseconds per consumer between {@code before} and now, and per job. */
    void printSince(CpuAccount before, int jobs) {
        long total = 0;
        Map<String, Long> diff = new TreeMap<>();
        for (Map.Entry<String, Long> e : ticks.entrySet()) {
            long d = e.getValue() - before.ticks.getOrDefault(e.getKey(), 0L);
            if (d > 0) {
                diff.put(e.getKey(), d);
                total += d;
            }
        }
        System.out.printf("CPU by consumer (ms, µs per job):%n");
        diff.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).forEach(e ->
                System.out.printf("  %-28s %7.0f ms %6.0f µs%n", e.getKey(), e.getValue() * TICK_MS, e.getValue() * TICK_MS * 1000 / jobs));
        System.out.printf("  %-28s %7.0f ms %6.0f µs%n", "total", total * TICK_MS, total * TICK_MS * 1000 / jobs);
    }

    private static String group(String comm) {
        if (comm.startsWith("C2 Compiler") || comm.startsWith("C1 Compiler")) {
            return "JIT compiler";
        }
        if (comm.startsWith("GC ") || comm.startsWith("G1 ")) {
            return "GC";
        }
        if (comm.startsWith("ForkJoinPool")) {
            return "signing (ForkJoin)";
        }
        if (comm.startsWith("elasticmq") || comm.contains("pekko") || comm.contains("akka")) {
            return "ElasticMQ";
        }
        if (comm.startsWith("sqs-receiver") || comm.startsWith("sqs-ack") || comm.startsWith("sdk-")
                || comm.startsWith("aws-java-sdk")) {
            return "SQS client";
        }
        if (comm.startsWith("batch-prepare")) {
            return "prepare thread";
        }
        if (comm.startsWith("batch-send")) {
            return "send thread";
        }
        if (comm.startsWith("pool-update")) {
            return "pool update threads";
        }
        return comm.replaceAll("[-_ ]?\\d+$", "");
    }

    private static String read(Path p) {
        try {
            return Files.readString(p).trim();
        } catch (IOException e) {
            return null;
        }
    }

    /** utime + stime (fields 14 and 15 of stat, counted after the parenthesised command name). */
    private static long cpuTicks(Path stat) {
        String[] f = statFields(stat);
        return f == null ? -1 : ticks(f, 11);
    }

    /** Fields {@code i} and {@code i + 1} of {@link #statFields} added: user and system time, own or reaped. */
    private static long ticks(String[] f, int i) {
        return Long.parseLong(f[i]) + Long.parseLong(f[i + 1]);
    }

    /**
     * The fields of a stat file after the parenthesised command name: [0] is field 3 (state), [1] the parent's pid,
     * [11]/[12] utime/stime, [13]/[14] cutime/cstime (the CPU of reaped children).
     */
    private static String[] statFields(Path stat) {
        String s = read(stat);
        return s == null ? null : s.substring(s.lastIndexOf(')') + 2).split(" ");
    }

    private static boolean isPostgres(String pid) {
        String comm = read(Path.of("/proc", pid, "comm"));
        return comm != null && comm.startsWith("postgres");
    }
}

package io.raregen.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One of the two Micronaut applications as a supervised child process ({@code java -jar} of its
 * shaded jar). Its output goes to the terminal with a {@code [name]} prefix and to
 * {@code <stateDir>/logs/<name>.log}; if it dies unexpectedly it is restarted a few times before
 * the supervisor gives up.
 */
public final class ChildApp {
    private static final int TAIL = 40;

    private final String name;
    private final List<String> command;
    private final Map<String, String> env;
    private final Path logFile;
    private final Log log;
    private final Deque<String> tail = new ArrayDeque<>();
    private volatile Process process;
    private volatile boolean stopping;

    public ChildApp(String name, Path jar, List<String> javaOpts, Map<String, String> env, Path logDir, Log log) {
        this.name = name;
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(javaOpts);
        cmd.add("-jar");
        cmd.add(jar.toString());
        this.command = List.copyOf(cmd);
        this.env = Map.copyOf(env);
        this.logFile = logDir.resolve(name + ".log");
        this.log = log;
    }

    public String name() {
        return name;
    }

    public synchronized void start() throws IOException {
        if (stopping) {
            throw new IOException(name + " is stopping");
        }
        Files.createDirectories(logFile.getParent());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        process = p;
        Thread pump = new Thread(() -> pump(p), name + "-output");
        pump.setDaemon(true);
        pump.start();
        log.info("started " + name + " (pid " + p.pid() + "), log " + logFile);
    }

    private void pump(Process p) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter file = new PrintWriter(Files.newBufferedWriter(logFile, StandardCharsets.UTF_8,
                     StandardOpenOption.CREATE, StandardOpenOption.APPEND))) {
            String line;
            String prefix = "[" + name + "] ";
            while ((line = r.readLine()) != null) {
                log.raw(prefix + line);
                file.println(line);
                file.flush();
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > TAIL) {
                        tail.removeFirst();
                    }
                }
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    public boolean alive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    public boolean stopping() {
        return stopping;
    }

    public Process process() {
        return process;
    }

    /** Polls {@code url} until it answers 200, the process dies, or the timeout passes. */
    public void awaitHealthy(String url, Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            if (!alive()) {
                throw new IOException(name + " exited with code " + process.exitValue() + " before it was healthy; last lines:\n" + tail());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                last = r.statusCode();
                if (last == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IOException(name + " not healthy at " + url + " after " + timeout.toSeconds() + " s (last HTTP status " + last
                + "); last lines:\n" + tail());
    }

    public String tail() {
        synchronized (tail) {
            return String.join("\n", tail);
        }
    }

    /** SIGTERM (Micronaut shuts down gracefully), then SIGKILL after {@code grace}. */
    public void stop(Duration grace) {
        Process p;
        synchronized (this) {
            stopping = true;
            p = process;
        }
        if (p == null || !p.isAlive()) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                log.info(name + " did not stop within " + grace.toSeconds() + " s; killing it");
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}

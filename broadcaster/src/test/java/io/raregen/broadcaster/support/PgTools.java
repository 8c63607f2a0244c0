package io.raregen.broadcaster.support;

import io.raregen.migrations.TestDatabase;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * pg_dump and pg_restore of a test database, as an operator would run them (custom format, no owners): the backup
 * and the restore of a restore drill. The tools come from {@code $PG_BIN} when set, else from the PATH; the password,
 * if the URL has one, goes in {@code PGPASSWORD}, never on a command line.
 */
public final class PgTools {
    private PgTools() {
    }

    /** {@code pg_dump -Fc} of {@code db} into {@code file}; returns the milliseconds it took. */
    public static long dump(TestDatabase db, Path file) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        run(db, List.of(tool("pg_dump"), "-Fc", "--no-owner", "-f", file.toString()), true);
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** {@code pg_restore} of {@code file} into the empty database {@code target}. */
    public static void restore(Path file, TestDatabase target) throws IOException, InterruptedException {
        run(target, List.of(tool("pg_restore"), "--no-owner", "--exit-on-error", "--single-transaction", file.toString()), true);
    }

    private static String tool(String name) {
        String bin = System.getenv("PG_BIN");
        return bin == null || bin.isBlank() ? name : Path.of(bin, name).toString();
    }

    private static void run(TestDatabase db, List<String> command, boolean withDatabase) throws IOException, InterruptedException {
        URI u = URI.create(db.jdbcUrlWithoutCredentials().substring("jdbc:".length()));
        List<String> cmd = new ArrayList<>(command);
        cmd.addAll(1, List.of("-h", u.getHost(), "-p", Integer.toString(u.getPort() < 0 ? 5432 : u.getPort()),
                "-U", db.username()));
        if (withDatabase) {
            cmd.addAll(1, List.of("-d", db.name()));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (!db.password().isEmpty()) {
            pb.environment().put("PGPASSWORD", db.password());
        }
        Path log = Files.createTempFile("pgtool", ".log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command.get(0) + " did not finish within 120 s");
            }
            if (p.exitValue() != 0) {
                throw new IOException(command.get(0) + " exited " + p.exitValue() + ": " + Files.readString(log, StandardCharsets.UTF_8));
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }
}

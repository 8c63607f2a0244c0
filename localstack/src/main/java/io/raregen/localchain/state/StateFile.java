package io.raregen.localchain.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.raregen.localchain.ledger.LedgerState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Reads and atomically writes the ledger's JSON state file (same format as GET /admin/export). */
public final class StateFile {
    private final Path path;
    private final ObjectMapper json;

    public StateFile(Path path, ObjectMapper json) {
        this.path = path;
        this.json = json;
    }

    public boolean exists() {
        return Files.isRegularFile(path);
    }

    public LedgerState read() throws IOException {
        return json.readValue(path.toFile(), LedgerState.class);
    }

    /** Writes to a temporary file and renames it, so a crash never leaves half a state file. */
    public void write(LedgerState state) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = (dir == null ? Path.of(".") : dir).resolve(path.getFileName() + ".tmp");
        json.writeValue(tmp.toFile(), state);
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public Path path() {
        return path;
    }
}

package io.raregen.cli.backup;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Share texts as people keep them: one per argument, one per file (the files {@code keys backup --out} writes:
 * lines starting with '#' are notes), or one per line on standard input.
 */
public final class ShareTexts {
    private ShareTexts() {
    }

    /** The non-empty lines of a file or stream that are not '#' notes. */
    public static List<String> lines(BufferedReader reader) throws IOException {
        List<String> out = new ArrayList<>();
        String line;
        while ((line = reader.readLine()) != null) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
                out.add(t);
            }
        }
        return out;
    }

    /** The one share a file holds; a file with several share lines is refused rather than guessed at. */
    public static String fromFile(Path file) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            List<String> lines = lines(r);
            if (lines.size() != 1) {
                throw new IOException(file + " holds " + lines.size() + " share lines, expected 1");
            }
            return lines.get(0);
        }
    }

    public static List<String> fromStream(InputStream in) throws IOException {
        return lines(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
    }

    /** What {@code keys backup --out} writes: notes a person can read, then the share on its own line. */
    public static String fileText(String shareText, int index, int threshold, int total, String pubkeyHex, boolean stored) {
        return "# RareGen identity key backup: share " + index + " of " + total + "; any " + threshold + " shares rebuild the key.\n"
                + "# Identity public key: " + pubkeyHex + "\n"
                + (stored ? "# One more share is stored with the service, encrypted under your passphrase.\n" : "")
                + "# Keep each share in a different place. Recover with: raregen keys recover --share-file FILE ...\n"
                + "\n" + shareText + "\n";
    }
}

package io.raregen.core.anchor;

import io.raregen.core.internal.ByteWriter;
import io.raregen.core.internal.Pushes;
import io.raregen.core.tx.RawTransaction;
import io.raregen.core.tx.TxOutput;
import io.raregen.core.types.BatchId;
import io.raregen.core.types.Ulid;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The output of an anchor transaction (docs/PROTOCOL.md#anchor-mode): {@code OP_FALSE OP_RETURN} and six pushes —
 * {@code raregen}, {@code anchor}, version {@code 1}, the batch id (26 ASCII characters), the tree size (4 bytes,
 * unsigned big-endian) and the 32-byte root. 84 bytes in all, 0 satoshis.
 */
public final class AnchorScript {
    public static final String PROTOCOL_PREFIX = "raregen";
    public static final String KIND = "anchor";
    public static final String VERSION = "1";
    public static final int LENGTH = 84;

    private static final byte[] PROTOCOL_PREFIX_BYTES = ascii(PROTOCOL_PREFIX);
    private static final byte[] KIND_BYTES = ascii(KIND);
    private static final byte[] VERSION_BYTES = ascii(VERSION);
    private static final int PUSH_COUNT = 6;

    private AnchorScript() {
    }

    public static byte[] encode(Anchor a) {
        ByteWriter w = new ByteWriter(LENGTH);
        w.writeByte(Pushes.OP_0).writeByte(Pushes.OP_RETURN);
        Pushes.write(w, PROTOCOL_PREFIX_BYTES);
        Pushes.write(w, KIND_BYTES);
        Pushes.write(w, VERSION_BYTES);
        Pushes.write(w, ascii(a.batchId().value()));
        Pushes.write(w, new byte[]{
                (byte) (a.treeSize() >>> 24), (byte) (a.treeSize() >>> 16), (byte) (a.treeSize() >>> 8), (byte) a.treeSize()});
        Pushes.write(w, a.root().bytes());
        return w.toByteArray();
    }

    public static Anchor decode(byte[] outputScript) throws AnchorFormatException {
        if (outputScript == null || outputScript.length < 2
                || outputScript[0] != Pushes.OP_0 || (outputScript[1] & 0xff) != Pushes.OP_RETURN) {
            throw new AnchorFormatException("script does not start with OP_FALSE OP_RETURN");
        }
        List<byte[]> pushes = Pushes.readAll(outputScript, 2);
        if (pushes == null) {
            throw new AnchorFormatException("data after OP_RETURN is not a sequence of pushes");
        }
        if (pushes.size() < 3 || !Arrays.equals(pushes.get(0), PROTOCOL_PREFIX_BYTES)
                || !Arrays.equals(pushes.get(1), KIND_BYTES)) {
            throw new AnchorFormatException("not a RareGen anchor (pushes 1-2 must be raregen, anchor)");
        }
        if (!Arrays.equals(pushes.get(2), VERSION_BYTES)) {
            throw new AnchorFormatException("unsupported RareGen anchor version");
        }
        if (pushes.size() != PUSH_COUNT) {
            throw new AnchorFormatException("version 1 anchor needs exactly " + PUSH_COUNT + " pushes, found "
                    + pushes.size());
        }
        String batchId = new String(pushes.get(3), StandardCharsets.ISO_8859_1);
        if (!Ulid.isValid(batchId)) {
            throw new AnchorFormatException("batch id must be a ULID");
        }
        byte[] size = pushes.get(4);
        if (size.length != 4) {
            throw new AnchorFormatException("tree size must be 4 bytes");
        }
        int treeSize = (size[0] & 0xff) << 24 | (size[1] & 0xff) << 16 | (size[2] & 0xff) << 8 | (size[3] & 0xff);
        if (treeSize < 1) {
            throw new AnchorFormatException("tree size must be between 1 and 2^31 - 1");
        }
        if (pushes.get(5).length != AnchorHash.LENGTH) {
            throw new AnchorFormatException("root must be 32 bytes");
        }
        return new Anchor(new BatchId(batchId), treeSize, AnchorHash.of(pushes.get(5)));
    }

    /** An anchor found in a transaction, with the index of its output. */
    public record Found(int outputIndex, Anchor anchor) {
    }

    /**
     * @return the first output of the transaction that decodes as an anchor, or empty if it carries none
     * @throws IllegalArgumentException if the bytes are not a transaction
     */
    public static Optional<Found> fromRawTransaction(byte[] rawTx) {
        List<TxOutput> outputs = RawTransaction.parse(rawTx).outputs();
        for (int i = 0; i < outputs.size(); i++) {
            try {
                return Optional.of(new Found(i, decode(outputs.get(i).script())));
            } catch (AnchorFormatException e) {
                // not an anchor: keep looking
            }
        }
        return Optional.empty();
    }

    public static boolean isAnchor(byte[] outputScript) {
        try {
            decode(outputScript);
            return true;
        } catch (AnchorFormatException e) {
            return false;
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}

package io.raregen.core.record;

import io.raregen.core.envelope.Envelope;
import io.raregen.core.internal.ByteWriter;
import io.raregen.core.internal.Hex;
import io.raregen.core.internal.Pushes;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The on-chain record (docs/PROTOCOL.md): {@code OP_FALSE OP_RETURN}, a B:// part that explorers render
 * (prefix, the signed payload, {@code application/json}, {@code utf-8}), a {@code |} pipe, then the RareGen part
 * (prefix {@code raregen}, version {@code 1}, the DER signature, the 33-byte public key).
 */
public final class RecordScript {
    public static final String B_PREFIX = "19HxigV4QyBv3tHpQVcUEQyq1pzZVdoAut";
    public static final String MEDIA_TYPE = "application/json";
    public static final String ENCODING = "utf-8";
    public static final String PIPE = "|";
    public static final String PROTOCOL_PREFIX = "raregen";
    public static final String VERSION = "1";

    private static final byte[] B_PREFIX_BYTES = ascii(B_PREFIX);
    private static final byte[] MEDIA_TYPE_BYTES = ascii(MEDIA_TYPE);
    private static final byte[] ENCODING_BYTES = ascii(ENCODING);
    private static final byte[] PIPE_BYTES = ascii(PIPE);
    private static final byte[] PROTOCOL_PREFIX_BYTES = ascii(PROTOCOL_PREFIX);
    private static final byte[] VERSION_BYTES = ascii(VERSION);
    private static final int PUSH_COUNT = 9;

    private RecordScript() {
    }

    /**
     * @throws IllegalArgumentException if the envelope cannot be stored losslessly (payload with unpaired
     *                                  surrogates, signature not canonical base64, pubkey not 66 lower-case hex)
     */
    public static byte[] encode(Envelope e) {
        Parts p = parts(e);
        ByteWriter w = new ByteWriter(length(p));
        w.writeByte(Pushes.OP_0).writeByte(Pushes.OP_RETURN);
        Pushes.write(w, B_PREFIX_BYTES);
        Pushes.write(w, p.payload);
        Pushes.write(w, MEDIA_TYPE_BYTES);
        Pushes.write(w, ENCODING_BYTES);
        Pushes.write(w, PIPE_BYTES);
        Pushes.write(w, PROTOCOL_PREFIX_BYTES);
        Pushes.write(w, VERSION_BYTES);
        Pushes.write(w, p.signature);
        Pushes.write(w, p.pubkey);
        return w.toByteArray();
    }

    /** Length of {@link #encode(Envelope)} without building it. */
    public static int encodedLength(Envelope e) {
        return length(parts(e));
    }

    private static int length(Parts p) {
        return 2 + Pushes.size(B_PREFIX_BYTES.length) + Pushes.size(p.payload.length)
                + Pushes.size(MEDIA_TYPE_BYTES.length) + Pushes.size(ENCODING_BYTES.length)
                + Pushes.size(PIPE_BYTES.length) + Pushes.size(PROTOCOL_PREFIX_BYTES.length)
                + Pushes.size(VERSION_BYTES.length) + Pushes.size(p.signature.length) + Pushes.size(p.pubkey.length);
    }

    private record Parts(byte[] payload, byte[] signature, byte[] pubkey) {
    }

    private static Parts parts(Envelope e) {
        byte[] payload;
        try {
            ByteBuffer b = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(e.signedPayload()));
            payload = Arrays.copyOfRange(b.array(), b.arrayOffset() + b.position(), b.arrayOffset() + b.limit());
        } catch (CharacterCodingException ex) {
            throw new IllegalArgumentException("signedPayload is not encodable as UTF-8");
        }
        byte[] sig;
        try {
            sig = Base64.getDecoder().decode(e.signature());
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("signature is not base64");
        }
        if (sig.length == 0 || !Base64.getEncoder().encodeToString(sig).equals(e.signature())) {
            throw new IllegalArgumentException("signature is not canonical base64");
        }
        if (!Hex.isLowerHex(e.pubkey(), 66)) {
            throw new IllegalArgumentException("pubkey must be 66 lower-case hex characters");
        }
        return new Parts(payload, sig, Hex.decode(e.pubkey()));
    }

    /** Turns a record output script back into the envelope the client signed (strings as they were received). */
    public static Envelope decode(byte[] outputScript) throws RecordFormatException {
        if (outputScript == null || outputScript.length < 2
                || outputScript[0] != Pushes.OP_0 || (outputScript[1] & 0xff) != Pushes.OP_RETURN) {
            throw new RecordFormatException("script does not start with OP_FALSE OP_RETURN");
        }
        List<byte[]> pushes = Pushes.readAll(outputScript, 2);
        if (pushes == null) {
            throw new RecordFormatException("data after OP_RETURN is not a sequence of pushes");
        }
        if (pushes.isEmpty() || !Arrays.equals(pushes.get(0), B_PREFIX_BYTES)) {
            throw new RecordFormatException("first push is not the B:// prefix");
        }
        if (pushes.size() < 7 || !Arrays.equals(pushes.get(4), PIPE_BYTES)
                || !Arrays.equals(pushes.get(5), PROTOCOL_PREFIX_BYTES)) {
            throw new RecordFormatException("no RareGen part after the B:// part");
        }
        if (!Arrays.equals(pushes.get(6), VERSION_BYTES)) {
            throw new RecordFormatException("unsupported RareGen record version");
        }
        if (pushes.size() != PUSH_COUNT) {
            throw new RecordFormatException("version 1 record needs exactly " + PUSH_COUNT + " pushes, found "
                    + pushes.size());
        }
        if (!Arrays.equals(pushes.get(2), MEDIA_TYPE_BYTES) || !Arrays.equals(pushes.get(3), ENCODING_BYTES)) {
            throw new RecordFormatException("B:// media type must be application/json and encoding utf-8");
        }
        String payload;
        try {
            payload = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(pushes.get(1))).toString();
        } catch (CharacterCodingException ex) {
            throw new RecordFormatException("payload is not valid UTF-8");
        }
        byte[] sig = pushes.get(7);
        if (sig.length < 8 || sig.length > 72) {
            throw new RecordFormatException("signature must be 8 to 72 bytes of DER");
        }
        byte[] pubkey = pushes.get(8);
        if (pubkey.length != 33) {
            throw new RecordFormatException("public key must be 33 bytes");
        }
        return new Envelope(payload, Base64.getEncoder().encodeToString(sig), Hex.encode(pubkey));
    }

    public static boolean isRecord(byte[] outputScript) {
        try {
            decode(outputScript);
            return true;
        } catch (RecordFormatException e) {
            return false;
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}

package io.raregen.localchain.arc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raregen.localchain.ledger.TxBytes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns an ARC submit body into transaction byte arrays (raw or Extended Format):
 * {@code text/plain} (hex, one transaction per line), {@code application/json}
 * ({@code {"rawTx":hex}} or an array of those) and {@code application/octet-stream}
 * (serialized transactions, concatenated).
 */
final class BodyDecoder {
    private final ObjectMapper json;

    BodyDecoder(ObjectMapper json) {
        this.json = json;
    }

    List<byte[]> decode(String contentType, byte[] body, boolean single) throws BadRequestException {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        int semi = type.indexOf(';');
        if (semi >= 0) {
            type = type.substring(0, semi);
        }
        type = type.trim();
        List<byte[]> txs = switch (type) {
            case "text/plain" -> hexLines(body);
            case "application/json" -> jsonBody(body);
            case "application/octet-stream" -> concatenated(body);
            default -> throw new BadRequestException("unsupported Content-Type '" + contentType
                    + "': use text/plain, application/json or application/octet-stream");
        };
        if (txs.isEmpty()) {
            throw new BadRequestException("no transaction in the request body");
        }
        if (single && txs.size() != 1) {
            throw new BadRequestException("POST /v1/tx takes exactly one transaction, got " + txs.size());
        }
        return txs;
    }

    private static List<byte[]> hexLines(byte[] body) throws BadRequestException {
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= body.length; i++) {
            if (i == body.length || body[i] == '\n') {
                int s = start;
                int e = i;
                while (s < e && isSpace(body[s])) {
                    s++;
                }
                while (e > s && isSpace(body[e - 1])) {
                    e--;
                }
                if (e > s) {
                    out.add(hex(body, s, e, out.size()));
                }
                start = i + 1;
            }
        }
        return out;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\r' || b == '\t' || b == '\n';
    }

    private static byte[] hex(byte[] text, int from, int to, int index) throws BadRequestException {
        int len = to - from;
        if ((len & 1) != 0) {
            throw new BadRequestException("transaction " + index + ": odd number of hex digits");
        }
        byte[] out = new byte[len / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = digit(text[from + 2 * i]);
            int lo = digit(text[from + 2 * i + 1]);
            if (hi < 0 || lo < 0) {
                throw new BadRequestException("transaction " + index + ": not hex");
            }
            out[i] = (byte) (hi << 4 | lo);
        }
        return out;
    }

    private static int digit(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private List<byte[]> jsonBody(byte[] body) throws BadRequestException {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (IOException e) {
            throw new BadRequestException("request body is not JSON");
        }
        List<byte[]> out = new ArrayList<>();
        if (root != null && root.isArray()) {
            for (JsonNode n : root) {
                out.add(rawTxField(n, out.size()));
            }
        } else if (root != null && root.isObject()) {
            out.add(rawTxField(root, 0));
        } else {
            throw new BadRequestException("JSON body must be {\"rawTx\":\"<hex>\"} or an array of those");
        }
        return out;
    }

    private static byte[] rawTxField(JsonNode n, int index) throws BadRequestException {
        JsonNode raw = n == null ? null : n.get("rawTx");
        if (raw == null || !raw.isTextual()) {
            throw new BadRequestException("transaction " + index + ": missing \"rawTx\" string");
        }
        byte[] text = raw.asText().trim().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return hex(text, 0, text.length, index);
    }

    private static List<byte[]> concatenated(byte[] body) throws BadRequestException {
        List<byte[]> out = new ArrayList<>();
        int off = 0;
        while (off < body.length) {
            int len;
            try {
                len = TxBytes.lengthAt(body, off);
            } catch (IllegalArgumentException e) {
                throw new BadRequestException("transaction " + out.size() + " at byte " + off + ": " + e.getMessage());
            }
            byte[] tx = new byte[len];
            System.arraycopy(body, off, tx, 0, len);
            out.add(tx);
            off += len;
        }
        return out;
    }
}

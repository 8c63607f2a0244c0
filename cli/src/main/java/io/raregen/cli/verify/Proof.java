package io.raregen.cli.verify;

import com.fasterxml.jackson.databind.JsonNode;
import io.raregen.cli.support.Json;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * What {@code GET /v1/jobs/{id}/proof} returns: the server's claims, each of which the verifier
 * re-derives from the raw transaction rather than believing it.
 */
public record Proof(String jobId, String txid, byte[] rawTx, List<Input> inputs, Integer outputIndex,
                    String signedPayload, String signature, String pubkey,
                    byte[] merklePath, String blockHash, Long blockHeight, byte[] blockHeader, AnchorClaim anchor) {

    /** A record proof (no anchor). */
    public Proof(String jobId, String txid, byte[] rawTx, List<Input> inputs, Integer outputIndex,
                 String signedPayload, String signature, String pubkey,
                 byte[] merklePath, String blockHash, Long blockHeight, byte[] blockHeader) {
        this(jobId, txid, rawTx, inputs, outputIndex, signedPayload, signature, pubkey, merklePath, blockHash, blockHeight,
                blockHeader, null);
    }

    /**
     * An anchor-mode record's claimed place in its batch's tree ({@code anchor} in a proof or receipt): the verifier
     * checks it against the anchor output of the transaction, never against these values alone.
     */
    public record AnchorClaim(String batchId, int leafIndex, int treeSize, List<String> path, String root, String txid) {
        /** The {@code anchor} object of a proof or receipt, or null when there is none. */
        public static AnchorClaim fromJson(JsonNode a) {
            if (a == null || !a.isObject()) {
                return null;
            }
            List<String> path = new ArrayList<>();
            for (JsonNode h : a.path("path")) {
                path.add(h.asText());
            }
            return new AnchorClaim(Json.text(a, "batchId"), a.path("leafIndex").asInt(-1), a.path("treeSize").asInt(-1),
                    path, Json.text(a, "root"), Json.text(a, "txid"));
        }
    }

    /** A spent output as the server describes it. */
    public record Input(String txid, int vout, long satoshis, byte[] lockingScript) {
    }

    public static Proof fromJson(JsonNode n) {
        List<Input> inputs = new ArrayList<>();
        for (JsonNode i : n.path("inputs")) {
            inputs.add(new Input(Json.text(i, "txid"), i.path("vout").asInt(), i.path("satoshis").asLong(),
                    bytes(Json.text(i, "lockingScript"))));
        }
        JsonNode oi = n.get("outputIndex");
        JsonNode bh = n.get("blockHeight");
        return new Proof(Json.text(n, "jobId"), Json.text(n, "txid"), bytes(Json.text(n, "rawTx")), inputs,
                oi == null || oi.isNull() ? null : oi.asInt(),
                Json.text(n, "signedPayload"), Json.text(n, "signature"), Json.text(n, "pubkey"),
                bytes(Json.text(n, "merklePath")), Json.text(n, "blockHash"),
                bh == null || bh.isNull() ? null : bh.asLong(), bytes(Json.text(n, "blockHeader")),
                AnchorClaim.fromJson(n.get("anchor")));
    }

    public boolean mined() {
        return merklePath != null;
    }

    /** Hex, or base64 when the text is not hex; null stays null; garbage becomes an empty array. */
    static byte[] bytes(String s) {
        if (s == null) {
            return null;
        }
        try {
            return HexFormat.of().parseHex(s);
        } catch (IllegalArgumentException notHex) {
            try {
                return Base64.getDecoder().decode(s);
            } catch (IllegalArgumentException notBase64) {
                return new byte[0];
            }
        }
    }
}

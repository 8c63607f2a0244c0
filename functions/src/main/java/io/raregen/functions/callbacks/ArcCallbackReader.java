package io.raregen.functions.callbacks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.raregen.core.proof.MerklePath;
import io.raregen.core.types.Txid;
import io.raregen.functions.web.ApiException;
import io.raregen.functions.web.ErrorCode;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses and validates an ARC callback body: one callback object, or ARC's batched form
 * {@code {"count":N,"callbacks":[…]}}. Unknown members are ignored (ARC may add some); a member we use that is
 * malformed rejects the whole body with {@code CALLBACK_INVALID}, so nothing is stored. The status must be one ARC
 * sends, and a {@code MINED} callback must carry a BRC-74 merkle path that holds its txid, computes a root and is
 * for its block height: the token proves the sender, not that what it says is so.
 */
public final class ArcCallbackReader {

    static final int MAX_BATCH = 1000;
    static final int MAX_MERKLE_PATH_BYTES = 65_536;
    static final int MAX_EXTRA_INFO_CHARS = 4096;
    static final int MAX_COMPETING = 100;
    /** Far above any real height (the chain passes ~53,000 blocks a year), low enough to stay an int. */
    static final int MAX_BLOCK_HEIGHT = 100_000_000;

    /** ARC's transaction statuses (its metamorph status list). */
    static final Set<String> ARC_STATUSES = Set.of("UNKNOWN", "QUEUED", "RECEIVED", "STORED", "ANNOUNCED_TO_NETWORK",
            "REQUESTED_BY_NETWORK", "SENT_TO_NETWORK", "ACCEPTED_BY_NETWORK", "SEEN_IN_ORPHAN_MEMPOOL", "SEEN_ON_NETWORK",
            "DOUBLE_SPEND_ATTEMPTED", "REJECTED", "MINED_IN_STALE_BLOCK", "MINED");

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Pattern HEX64 = Pattern.compile("[0-9a-fA-F]{64}");

    private ArcCallbackReader() {
    }

    public static List<ArcCallback> read(String body) {
        JsonNode root;
        try {
            root = body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw invalid("body is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw invalid("body must be a JSON object");
        }
        if (!root.has("callbacks")) {
            return List.of(callback(root, ""));
        }
        JsonNode items = root.get("callbacks");
        if (!items.isArray() || items.isEmpty() || items.size() > MAX_BATCH) {
            throw invalid("callbacks must be an array of 1.." + MAX_BATCH + " callbacks");
        }
        List<ArcCallback> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            if (!items.get(i).isObject()) {
                throw invalid("callbacks[" + i + "] must be an object");
            }
            out.add(callback(items.get(i), "callbacks[" + i + "]."));
        }
        return out;
    }

    private static ArcCallback callback(JsonNode n, String at) {
        String txid = hex64(n, "txid", at, true);
        String status = text(n, "txStatus", at, true);
        if (!ARC_STATUSES.contains(status)) {
            throw invalid(at + "txStatus must be an ARC status (" + String.join(", ", ARC_STATUSES.stream().sorted().toList()) + ")");
        }
        String blockHash = hex64(n, "blockHash", at, false);
        Integer blockHeight = null;
        JsonNode h = n.get("blockHeight");
        if (h != null && !h.isNull()) {
            if (!h.isIntegralNumber() || !h.canConvertToInt() || h.asInt() < 0 || h.asInt() > MAX_BLOCK_HEIGHT) {
                throw invalid(at + "blockHeight must be an integer from 0 to " + MAX_BLOCK_HEIGHT);
            }
            blockHeight = h.asInt();
        }
        if ("MINED".equals(status) && (blockHash == null || blockHeight == null)) {
            throw invalid(at + "a MINED callback needs blockHash and blockHeight");
        }
        byte[] merklePath = null;
        String path = text(n, "merklePath", at, false);
        if (path != null && !path.isEmpty()) {
            if (path.length() % 2 != 0 || path.length() > 2 * MAX_MERKLE_PATH_BYTES) {
                throw invalid(at + "merklePath must be hex of at most " + MAX_MERKLE_PATH_BYTES + " bytes");
            }
            try {
                merklePath = HexFormat.of().parseHex(path);
            } catch (IllegalArgumentException e) {
                throw invalid(at + "merklePath must be hex");
            }
        }
        MerklePath bump = null;
        if (merklePath != null) {
            try {
                bump = MerklePath.parse(merklePath);
            } catch (IllegalArgumentException e) {
                throw invalid(at + "merklePath is not a BRC-74 merkle path: " + e.getMessage());
            }
        }
        if ("MINED".equals(status)) {
            if (bump == null) {
                throw invalid(at + "a MINED callback needs a merklePath");
            }
            if (!bump.proves(Txid.fromHex(txid), blockHeight)) {
                throw invalid(at + "merklePath does not prove txid " + txid + " in block " + blockHeight);
            }
        }
        String extraInfo = text(n, "extraInfo", at, false);
        if (extraInfo != null && extraInfo.length() > MAX_EXTRA_INFO_CHARS) {
            throw invalid(at + "extraInfo longer than " + MAX_EXTRA_INFO_CHARS + " characters");
        }
        List<String> competing = new ArrayList<>();
        JsonNode c = n.get("competingTxs");
        if (c != null && !c.isNull()) {
            if (!c.isArray() || c.size() > MAX_COMPETING) {
                throw invalid(at + "competingTxs must be an array of at most " + MAX_COMPETING + " txids");
            }
            for (JsonNode t : c) {
                if (!t.isTextual() || !HEX64.matcher(t.asText()).matches()) {
                    throw invalid(at + "competingTxs must hold 64-hex-digit txids");
                }
                competing.add(t.asText().toLowerCase(Locale.ROOT));
            }
        }
        Instant reportedAt = null;
        String ts = text(n, "timestamp", at, false);
        if (ts != null && !ts.isEmpty()) {
            try {
                reportedAt = OffsetDateTime.parse(ts).toInstant();
            } catch (DateTimeParseException e) {
                throw invalid(at + "timestamp must be RFC 3339");
            }
        }
        return new ArcCallback(txid, status, blockHash, blockHeight, merklePath, List.copyOf(competing),
                extraInfo == null || extraInfo.isEmpty() ? null : extraInfo, reportedAt);
    }

    private static String hex64(JsonNode n, String field, String at, boolean required) {
        String v = text(n, field, at, required);
        if (v == null || (!required && v.isEmpty())) {
            return null;
        }
        if (!HEX64.matcher(v).matches()) {
            throw invalid(at + field + " must be 64 hex digits");
        }
        return v.toLowerCase(Locale.ROOT);
    }

    private static String text(JsonNode n, String field, String at, boolean required) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw invalid(at + field + " is required");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw invalid(at + field + " must be a string");
        }
        return v.asText();
    }

    private static ApiException invalid(String detail) {
        return new ApiException(ErrorCode.CALLBACK_INVALID, detail);
    }
}

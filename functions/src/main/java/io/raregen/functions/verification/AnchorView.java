package io.raregen.functions.verification;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * Where an anchor-mode record sits in its batch's tree, and the transaction that carries the tree's root
 * (docs/PROTOCOL.md#anchor-mode): {@code path} is the inclusion proof's audit path (hex, lowest first), {@code root}
 * the tree's root (hex, SHA-256 order), {@code rawTx} the anchor transaction and, once it is mined, {@code merklePath}
 * its BUMP (BRC-74, hex) — the same checks as a record's transaction from there on.
 */
@Serdeable
public record AnchorView(String batchId, int leafIndex, int treeSize, List<String> path, String root, String txid,
                         String rawTx, @Nullable String merklePath) {
}

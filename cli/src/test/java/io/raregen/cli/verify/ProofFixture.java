package io.raregen.cli.verify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.raregen.cli.support.Json;
import io.raregen.core.envelope.Envelope;
import io.raregen.core.envelope.EnvelopeSigner;
import io.raregen.core.envelope.Payloads;
import io.raregen.core.keys.KeyPair;
import io.raregen.core.tx.FeeRate;
import io.raregen.core.tx.PublishTransactions;
import io.raregen.core.tx.SignedTransaction;
import io.raregen.core.tx.Utxo;
import io.raregen.core.types.Outpoint;
import io.raregen.core.types.Satoshis;
import io.raregen.core.types.Txid;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds real proofs with core: a client-signed envelope inside a signed publish transaction,
 * placed in a block of other transactions, with a BUMP and the block header. Written
 * independently of the local chain's BUMP writer.
 */
final class ProofFixture {
    static final SecureRandom RANDOM = new SecureRandom();

    final KeyPair client = KeyPair.generate();
    final KeyPair pool = KeyPair.generate();
    final long height = 123;
    Envelope envelope;
    SignedTransaction tx;
    List<byte[]> leaves;
    int index;
    byte[] header;

    /** A record signed two years ago (old records must still verify), mined at {@code index} of {@code blockSize}. */
    static ProofFixture mined(int blockSize, int index) {
        ProofFixture f = new ProofFixture();
        ObjectNode record = Json.MAPPER.createObjectNode().put("title", "hello").put("n", 42);
        String payload = Payloads.publish(record, "nonce-1", Instant.now().minus(Duration.ofDays(730)), "rec-1");
        f.envelope = EnvelopeSigner.sign(payload, f.client);
        f.rebuild(f.envelope, blockSize, index);
        return f;
    }

    /** Re-creates the transaction and the block around {@code e} (a server publishing a different envelope). */
    void rebuild(Envelope e, int blockSize, int idx) {
        this.envelope = e;
        byte[] prev = new byte[32];
        RANDOM.nextBytes(prev);
        Utxo utxo = new Utxo(new Outpoint(Txid.fromWireBytes(prev), 1), Satoshis.of(1000), pool.p2pkhLockingScript());
        tx = PublishTransactions.build(List.of(utxo), pool, e, pool.p2pkhLockingScript(), FeeRate.perKb(1));
        leaves = new ArrayList<>();
        for (int i = 0; i < blockSize; i++) {
            byte[] l = new byte[32];
            RANDOM.nextBytes(l);
            leaves.add(l);
        }
        leaves.set(idx, tx.txid().wireBytes());
        index = idx;
        header = header(root(leaves));
    }

    ObjectNode proofJson(boolean mined) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("jobId", "01JABCDEFGHJKMNPQRSTVWXYZ0");
        n.put("status", mined ? "mined" : "sent");
        n.put("txid", tx.txid().hex());
        n.put("rawTx", tx.rawHex());
        Utxo in = tx.inputs().get(0);
        n.putArray("inputs").addObject().put("txid", in.outpoint().txid().hex()).put("vout", in.outpoint().vout())
                .put("satoshis", in.satoshis().value()).put("lockingScript", Hashes.hex(in.lockingScript()));
        n.put("outputIndex", 0);
        n.put("signedPayload", envelope.signedPayload());
        n.put("signature", envelope.signature());
        n.put("pubkey", envelope.pubkey());
        if (mined) {
            n.put("merklePath", Hashes.hex(bump(leaves, index, height)));
            n.put("blockHash", new BlockHeader(header).hash());
            n.put("blockHeight", height);
        }
        return n;
    }

    HeaderSource headers() {
        byte[] h = header;
        return new HeaderSource() {
            @Override
            public Optional<BlockRef> header(String blockHash, Long blockHeight) {
                BlockHeader bh = new BlockHeader(h);
                return bh.hash().equals(blockHash) ? Optional.of(BlockRef.of(bh)) : Optional.empty();
            }

            @Override
            public String describe() {
                return "test headers";
            }
        };
    }

    // --- an independent merkle tree + BUMP writer (bitcoin rule: an odd level duplicates its last node)

    static List<List<byte[]>> tree(List<byte[]> leaves) {
        List<List<byte[]>> levels = new ArrayList<>();
        levels.add(leaves);
        List<byte[]> cur = leaves;
        while (cur.size() > 1) {
            List<byte[]> next = new ArrayList<>();
            for (int i = 0; i < cur.size(); i += 2) {
                byte[] l = cur.get(i);
                byte[] r = i + 1 < cur.size() ? cur.get(i + 1) : l;
                next.add(Hashes.sha256d(l, r));
            }
            levels.add(next);
            cur = next;
        }
        return levels;
    }

    static byte[] root(List<byte[]> leaves) {
        List<List<byte[]>> t = tree(leaves);
        return t.get(t.size() - 1).get(0);
    }

    static byte[] bump(List<byte[]> leaves, int index, long height) {
        List<List<byte[]>> t = tree(leaves);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        varInt(out, height);
        out.write(t.size() - 1);
        int offset = index;
        for (int level = 0; level < t.size() - 1; level++) {
            List<byte[]> nodes = t.get(level);
            int sib = offset ^ 1;
            if (level == 0) {
                varInt(out, 2);
                if (sib < offset) {
                    sibling(out, nodes, sib);
                    leaf(out, offset, 2, nodes.get(offset));
                } else {
                    leaf(out, offset, 2, nodes.get(offset));
                    sibling(out, nodes, sib);
                }
            } else {
                varInt(out, 1);
                sibling(out, nodes, sib);
            }
            offset >>= 1;
        }
        return out.toByteArray();
    }

    private static void sibling(ByteArrayOutputStream out, List<byte[]> nodes, int sib) {
        if (sib >= nodes.size()) {
            varInt(out, sib);
            out.write(1);
        } else {
            leaf(out, sib, 0, nodes.get(sib));
        }
    }

    private static void leaf(ByteArrayOutputStream out, long offset, int flags, byte[] hash) {
        varInt(out, offset);
        out.write(flags);
        out.writeBytes(hash);
    }

    static void varInt(ByteArrayOutputStream out, long v) {
        if (v < 0xfd) {
            out.write((int) v);
        } else {
            out.write(0xfd);
            out.write((int) (v & 0xff));
            out.write((int) (v >> 8));
        }
    }

    static byte[] header(byte[] merkleRootInternal) {
        ByteBuffer b = ByteBuffer.allocate(80).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x20000000);
        byte[] prev = new byte[32];
        RANDOM.nextBytes(prev);
        b.put(prev);
        b.put(merkleRootInternal);
        b.putInt((int) Instant.now().getEpochSecond());
        b.putInt(0x207fffff);
        b.putInt(7);
        return b.array();
    }
}

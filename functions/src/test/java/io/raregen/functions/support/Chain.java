package io.raregen.functions.support;

import io.raregen.core.keys.KeyPair;
import io.raregen.core.tx.RawTransaction;
import io.raregen.core.tx.TxOutput;
import io.raregen.core.types.Outpoint;
import io.raregen.core.types.Satoshis;
import io.raregen.core.types.Txid;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * Plays the broadcaster's part in the database for status and proof tests: stores a pool UTXO,
 * a transaction spending it with the record in output 0, and moves the job along the legal path.
 */
public final class Chain {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Chain() {
    }

    /** What {@link #signJob} stored. */
    public record Signed(String txid, byte[] rawTx, String inputTxid, int inputVout, long inputSats, byte[] lockingScript) {
    }

    public static String randomTxid() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    public static Signed signJob(TestEnv env, String jobId, long fee) {
        KeyPair pool = KeyPair.generate();
        byte[] lockingScript = pool.p2pkhLockingScript();
        String inputTxid = randomTxid();
        long inputSats = 1000;
        env.execute("INSERT INTO utxos (txid, vout, satoshis, script_pub_key, purpose, status, reserved_until, reserved_by) "
                + "VALUES (?, 0, ?, ?, 'publish', 'reserved', now() + interval '5 minutes', 'test')", inputTxid, inputSats, lockingScript);
        String payload = env.string("SELECT signed_payload FROM publish_jobs WHERE job_id = ?", jobId);
        byte[] data = payload.getBytes(StandardCharsets.UTF_8);
        byte[] record = opReturn(data);
        byte[] raw = RawTransaction.serialize(1,
                List.of(new RawTransaction.Input(new Outpoint(Txid.fromHex(inputTxid), 0), new byte[] {0x51}, 0xffffffffL)),
                List.of(new TxOutput(Satoshis.ZERO, record), new TxOutput(Satoshis.of(inputSats - fee), lockingScript)),
                0);
        String txid = RawTransaction.parse(raw).txid().hex();
        env.execute("UPDATE publish_jobs SET status = 'processing', processing_at = now() WHERE job_id = ?", jobId);
        env.execute("UPDATE publish_jobs SET status = 'signed', raw_tx = ?, txid = ?, fee_sats = ?, signed_at = now() WHERE job_id = ?",
                raw, txid, fee, jobId);
        env.execute("INSERT INTO spends (outpoint_txid, outpoint_vout, spending_txid, job_id, satoshis) VALUES (?, 0, ?, ?, ?)",
                inputTxid, txid, jobId, inputSats);
        return new Signed(txid, raw, inputTxid, 0, inputSats, lockingScript);
    }

    public static void markSent(TestEnv env, String jobId) {
        env.execute("UPDATE publish_jobs SET status = 'sent', sent_at = now() WHERE job_id = ?", jobId);
    }

    private static byte[] opReturn(byte[] data) {
        // OP_FALSE OP_RETURN <pushdata>
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(0x00);
        out.write(0x6a);
        if (data.length < 0x4c) {
            out.write(data.length);
        } else if (data.length <= 0xff) {
            out.write(0x4c);
            out.write(data.length);
        } else {
            out.write(0x4d);
            out.write(data.length & 0xff);
            out.write((data.length >> 8) & 0xff);
        }
        out.writeBytes(data);
        return out.toByteArray();
    }
}

package io.raregen.broadcaster.support;

import io.raregen.core.envelope.Envelope;
import io.raregen.core.record.RecordExtractor;
import io.raregen.core.tx.RawTransaction;
import io.raregen.localchain.TxStatus;
import io.raregen.localchain.TxView;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The invariants of docs/ARCHITECTURE.md#invariants checked by query against the database and the chain. */
public final class Invariants {
    private static final Set<String> LEGAL = Set.of(
            "null>queued", "queued>processing", "processing>signed", "signed>sent", "sent>mined", "signed>mined",
            "queued>failed", "processing>failed", "signed>failed", "sent>failed",
            "processing>queued", "signed>processing", "sent>processing", "failed>queued",
            // a job claimed and stored in one statement (record mode with its transaction, anchor mode into its batch)
            "queued>signed");

    private Invariants() {
    }

    /** I1/I2/I3/I5/I6: every job sent (or mined) with a txid the chain accepted, each record decodable. */
    public static void assertAllPublished(TestKit kit, List<String> jobIds) {
        assertEquals(jobIds.size(), kit.scalar("SELECT count(*) FROM job_states WHERE status IN ('sent', 'mined') AND job_id IN ("
                + in(jobIds) + ")"), "every job sent: " + kit.strings(
                "SELECT status || ' ' || coalesce(error_code, '') FROM publish_jobs WHERE status NOT IN ('sent', 'mined') LIMIT 5"));
        assertEquals(kit.scalar("SELECT count(*) FROM publish_jobs WHERE txid IS NOT NULL"),
                kit.scalar("SELECT count(DISTINCT txid) FROM publish_jobs WHERE txid IS NOT NULL"), "no txid for two jobs");
        Set<String> outpoints = new HashSet<>();
        try (Connection c = kit.ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT job_id, txid, " + io.raregen.core.jobs.JobTransactionBytes.rawTxOf("publish_jobs")
                     + ", signed_payload, signature, pubkey FROM publish_jobs WHERE txid IS NOT NULL")) {
            while (rs.next()) {
                String txid = rs.getString(2);
                byte[] raw = rs.getBytes(3);
                RawTransaction tx = RawTransaction.parse(raw);
                assertEquals(txid, tx.txid().hex(), "stored txid is the hash of the stored bytes");
                for (RawTransaction.Input in : tx.inputs()) {
                    assertTrue(outpoints.add(in.prevout().toString()), "outpoint spent twice: " + in.prevout());
                }
                TxView v = kit.chain.status(txid);
                assertNotNull(v, "chain knows " + txid);
                assertTrue(v.status() == TxStatus.SEEN_ON_NETWORK || v.status() == TxStatus.MINED
                        || v.status() == TxStatus.ACCEPTED_BY_NETWORK, "chain accepted " + txid + ": " + v.status());
                Optional<RecordExtractor.Extracted> ex = RecordExtractor.fromRawTransaction(raw);
                assertTrue(ex.isPresent(), "record decodable");
                assertEquals(new Envelope(rs.getString(4), rs.getString(5), rs.getString(6)), ex.get().envelope());
            }
        } catch (SQLException e) {
            fail(e);
        }
        assertTransitionsLegal(kit);
        assertRowsHaveTheirJob(kit);
    }

    /**
     * What the foreign keys to publish_jobs checked until V50: every spends row naming a job, and every stored
     * transaction, belongs to a job that exists; and what publish_jobs' key to publish_batches checked until V53: every
     * batch a job names exists.
     */
    public static void assertRowsHaveTheirJob(TestKit kit) {
        assertEquals(0, kit.scalar("""
                SELECT count(*) FROM spends s WHERE s.job_id IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM publish_jobs j WHERE j.job_id = s.job_id)"""), "spends row of no job");
        assertEquals(0, kit.scalar("""
                SELECT count(*) FROM publish_job_transactions t
                 WHERE NOT EXISTS (SELECT 1 FROM publish_jobs j WHERE j.job_id = t.job_id)"""), "transaction of no job");
        assertEquals(0, kit.scalar("""
                SELECT count(*) FROM publish_jobs j WHERE j.processing_batch_id IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM publish_batches b WHERE b.batch_id = j.processing_batch_id)"""),
                "job of no batch");
    }

    /** I5: every recorded transition is one the state machine allows. */
    public static void assertTransitionsLegal(TestKit kit) {
        for (String t : kit.strings("SELECT DISTINCT coalesce(from_status, 'null') || '>' || to_status FROM publish_job_transitions")) {
            assertTrue(LEGAL.contains(t), "illegal transition " + t);
        }
    }

    /** I4: unspent pool sats before = unspent after + fees of every stored transaction. */
    public static void assertConservation(TestKit kit, long poolBefore) {
        long after = kit.scalar("SELECT coalesce(sum(satoshis), 0) FROM utxos WHERE status NOT IN ('spent', 'retired')");
        long fees = kit.scalar("SELECT coalesce(sum(j.fee_sats), 0) FROM publish_jobs j JOIN job_states s USING (job_id) WHERE s.status IN ('sent', 'mined')");
        assertEquals(poolBefore, after + fees, "pool before = after + fees");
        assertEquals(0, kit.scalar("SELECT count(*) FROM utxos WHERE status = 'reserved' AND reserved_until < now() - interval '10 minutes'"));
    }

    public static long poolSats(TestKit kit) {
        return kit.scalar("SELECT coalesce(sum(satoshis), 0) FROM utxos WHERE status NOT IN ('spent', 'retired')");
    }

    public static String in(List<String> ids) {
        StringBuilder b = new StringBuilder();
        for (String id : ids) {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append('\'').append(id).append('\'');
        }
        return b.toString();
    }
}

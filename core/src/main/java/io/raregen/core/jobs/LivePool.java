package io.raregen.core.jobs;

/**
 * The live rows of the UTXO pool (pending, available, reserved; dirty or not) for the figures the broadcaster, the
 * operator API and the status page read every few seconds. One branch per status, each through the narrow index that
 * holds exactly its rows, so a figure costs what the live pool holds and never reads rows rewritten 'spent' before
 * V51. Since V55 they need no index of all live rows (V22's {@code idx_utxos_live}, which cost each record two index
 * entries, the change output's and its input's reservation's; V56 dropped it):
 * <ul>
 * <li>available, not dirty: {@code idx_utxos_selection} (purpose, satoshis, chain_depth), an index-only read;</li>
 * <li>available and dirty: {@code idx_utxos_dirty};</li>
 * <li>reserved: {@code idx_utxos_reserved_until}, a batch's inputs for the seconds it is in flight;</li>
 * <li>pending: {@code idx_utxos_pending} (outputs of a split not accepted yet).</li>
 * </ul>
 * Use as a table: {@code SELECT … FROM } {@link #ROWS} {@code AS u WHERE …}; its columns are status, purpose, satoshis,
 * dirty and chain_depth. A condition on them is applied in every branch (Postgres pushes it down), so a branch it
 * excludes reads nothing.
 */
public final class LivePool {

    public static final String ROWS = """
            (SELECT 'available'::varchar AS status, purpose, satoshis, FALSE AS dirty, chain_depth
               FROM utxos WHERE status = 'available' AND dirty = FALSE
             UNION ALL
             SELECT 'available'::varchar, purpose, satoshis, TRUE, chain_depth
               FROM utxos WHERE dirty = TRUE AND status = 'available'
             UNION ALL
             SELECT 'reserved'::varchar, purpose, satoshis, dirty, chain_depth
               FROM utxos WHERE status = 'reserved'
             UNION ALL
             SELECT 'pending'::varchar, purpose, satoshis, dirty, chain_depth
               FROM utxos WHERE status = 'pending')""";

    private LivePool() {
    }
}

-- The pool's frequent depth figures (gauges every 15 s, the replenisher) read only live outputs;
-- spent and retired rows pile up with every publish. This partial covering index lets those
-- figures be an index-only scan proportional to the pool's depth, not to its history.
-- Not CONCURRENTLY: Flyway holds its lock in an open transaction, which a concurrent build would
-- wait for forever. The build blocks writes to utxos while it scans the table (about 1 s per
-- million rows here); the broadcaster runs this at its own start, before it writes.
CREATE INDEX IF NOT EXISTS idx_utxos_live ON utxos (status, purpose)
  INCLUDE (satoshis, dirty, chain_depth)
  WHERE status IN ('pending', 'available', 'reserved');

-- The pool keyed by its outpoint, without an index of all live rows: the contract step after V55 (#18, part 1).
--
-- Each published record writes one pool row (its change output) and reserves one (its input). An insert makes an
-- entry in every index of utxos; a reservation changes the row's status, so its new version makes one in every index
-- whose key or predicate it touches. Two of those indexes had no frequent reader left after V55's release:
--   idx_utxos_live (V22)  every live row; the live figures read one status at a time through narrower indexes
--                         since V55 (core's LivePool), ~300 B of WAL per record measured
--   utxos_pkey (V1)       the row's id; the reservations find their rows by outpoint since V55's release,
--                         ~140 B of WAL per record measured
-- The outpoint (txid, vout) becomes the primary key. The constraint keeps its name, utxos_outpoint_unique, so that
-- ON CONFLICT (txid, vout) and the plans that name it are unchanged. The id stays a column with its sequence: the
-- selection index orders by it and the chain reconciliation reads the pool in id order once per run.
--
-- V55's release runs on this schema as it is (it reads neither index). Rebuilds the outpoint's index under a write
-- lock on utxos: the live pool (some thousands of rows) plus any spent rows kept from before V51, about 1 s per
-- million. Undo: docs/OPERATIONS.md.
DROP INDEX IF EXISTS idx_utxos_live;
ALTER TABLE utxos
  DROP CONSTRAINT utxos_pkey,
  DROP CONSTRAINT utxos_outpoint_unique,
  ADD CONSTRAINT utxos_outpoint_unique PRIMARY KEY (txid, vout);

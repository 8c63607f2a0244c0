-- One index less per record (#18): idx_utxos_spent_by (utxos by the txid that spent them) is keyed by a hash, so with
-- a long history each insert into it reads a page from outside shared_buffers (docs/benchmarks/broadcaster.md, "A
-- drain on top of 2 million finished records"), and it gets one entry per record. What it answered is known from
-- spends, which has its own index by spending txid: the one query that read it (the pool's conservation audit:
-- "a signed transaction whose inputs the pool already counts as spent") now goes through spends and the outpoint.
DROP INDEX IF EXISTS idx_utxos_spent_by;

#!/usr/bin/env bash
# The Postgres floor of a drain, write sets side by side: per job, only the writes the broadcaster
# makes (the intake's insert, claim, reserve, store signed + spends row, spend + change output +
# sent), as plain set-based SQL in batches of 500 against the real schema (migrations with their
# triggers and indexes), one session, nothing else running. No selection logic, no Java: what is
# left when everything the pipeline adds on top is taken away.
#
#   v38         schema V1..V38 ("before-V39", the write set #18 was measured against): claim = committed
#               UPDATE queued → processing, then reserve, then UPDATE processing → signed (the raw
#               transaction in the job row) + spends in one transaction, then one results transaction
#               (inputs spent, change outputs, jobs → sent)
#   v39         schema V1..V39: claim = SELECT … FOR UPDATE in a transaction held open, reserve, then
#               in that transaction batch row + UPDATE queued → signed + spends, one commit; results as v38
#   v40         schema V1..V40 (the audit trail one row per statement), the statements of v39
#   v46         schema V1..V46: reserve (its own transaction); claim; in the claim's transaction the
#               batch row, the transaction bytes (publish_job_transactions), UPDATE queued → signed and the
#               spends rows; after the broadcast the pool update (inputs spent, change output) and then
#               UPDATE signed → sent, each its own transaction, as ResultApplier ran them
#   today       every migration: v46's statements, but sent recorded once for the batch
#               (record_batch_sent: the batch's sent_at and one audit row; V47) instead of UPDATE signed → sent,
#               the spends rows with the input's script and the inputs deleted instead of rewritten spent (V51)
#   txrow       today, but no job-row version at the store: the job row stays as the intake wrote it and the
#               signed state (txid, batch, seq, fee, signed_at) is columns of the transaction-bytes row, which
#               takes the txid's unique index, the batch's index and the confirmation tracker's index; the
#               audit row queued → signed written once per statement; sent as today, read from those rows.
#               Schema: every migration plus those columns and indexes (a preview, not a migration)
#   lock        every migration: the reservation a row lock in the claim's transaction (SELECT … FOR
#               UPDATE, no write), the inputs marked spent at the store; after the broadcast the change
#               output and UPDATE signed → sent
#   lockbatch   lock, and sent recorded once per batch (UPDATE publish_batches) instead of once per job
#
# Prints, per run and write set: µs of statement time per job (a single busy session on an in-memory
# working set: ~ CPU time) and bytes of WAL per job (pg_current_wal_lsn before/after, whole server:
# run it on a quiet server). Each run starts right after a CHECKPOINT, so full-page images are
# included (the worst case of a checkpoint cycle). Runs alternate between the write sets.
#
# Usage: docs/benchmarks/drain-floor.sh [jobs=20000] [runs=3] [write set...=v38 v39 v40]
#        e.g. docs/benchmarks/drain-floor.sh 20000 3 v38 v46 today lock lockbatch
#        (needs psql; Postgres on 127.0.0.1)
set -euo pipefail
JOBS=${1:-20000}
RUNS=${2:-3}
shift $(( $# < 2 ? $# : 2 ))
variants=("$@")
if [ ${#variants[@]} -eq 0 ]; then variants=(v38 v39 v40); fi
BATCH=500
export PGOPTIONS="-c client_min_messages=warning"
PSQL=(psql -h 127.0.0.1 -U postgres -q -v ON_ERROR_STOP=1)
here=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
latest=$(ls "$here"/migrations/src/main/resources/db/migration/V*.sql | sed -E 's/.*\/V([0-9]+)__.*/\1/' | sort -n | tail -1)
declare -A name=([v38]="before-V39" [v39]="V39" [v40]="V40" [v46]="V46" [today]="today (V$latest)" [lock]="lock"
                  [lockbatch]="lockbatch" [txrow]="txrow")
declare -A schema=([v38]=38 [v39]=39 [v40]=40 [v46]=46 [today]=$latest [lock]=$latest [lockbatch]=$latest
                    [txrow]=txrow)
for v in "${variants[@]}"; do
  [ -n "${schema[$v]:-}" ] || { echo "unknown write set $v (v38 v39 v40 v46 today lock lockbatch txrow)" >&2; exit 2; }
done
# one database per schema version (txrow: the latest, previewed)
versions=$(for v in "${variants[@]}"; do echo "${schema[$v]}"; done | sort -u)
cleanup() {
  rm -rf "$tmp"
  for n in $versions; do "${PSQL[@]}" -c "DROP DATABASE IF EXISTS raregen_drain_floor_$n" >/dev/null; done
}
trap cleanup EXIT

for n in $versions; do
  db=raregen_drain_floor_$n
  upto=$n
  if [ "$n" = txrow ]; then upto=$latest; fi
  "${PSQL[@]}" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
  for f in $(ls "$here"/migrations/src/main/resources/db/migration/V*.sql | sort -V); do
    m=$(basename "$f" | sed -E 's/^V([0-9]+)__.*/\1/')
    if [ "$m" -gt "$upto" ]; then continue; fi
    "${PSQL[@]}" -d "$db" -f "$f" >/dev/null
  done
  if [ "$n" = txrow ]; then
    "${PSQL[@]}" -d "$db" >/dev/null <<'SQL'
ALTER TABLE publish_job_transactions ADD COLUMN txid CHAR(64), ADD COLUMN batch_id VARCHAR(32),
  ADD COLUMN batch_seq INTEGER, ADD COLUMN fee_sats BIGINT, ADD COLUMN signed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  ADD COLUMN status_checked_at TIMESTAMPTZ;
CREATE UNIQUE INDEX publish_job_transactions_txid ON publish_job_transactions (txid);
CREATE INDEX idx_publish_job_transactions_batch ON publish_job_transactions (batch_id);
CREATE INDEX idx_publish_job_transactions_unconfirmed ON publish_job_transactions (status_checked_at NULLS FIRST, signed_at);
SQL
  fi
done

cat > "$tmp/setup.sql" <<SQL
TRUNCATE publish_jobs, publish_batches, spends, utxos CASCADE;
DO \$\$ BEGIN
  IF to_regclass('publish_job_transition_sets') IS NOT NULL THEN TRUNCATE publish_job_transition_sets; END IF;
  IF to_regclass('publish_job_transactions') IS NOT NULL THEN TRUNCATE publish_job_transactions; END IF;
END \$\$;
INSERT INTO identities (pubkey) SELECT '02' || lpad(to_hex(g), 64, '0') FROM generate_series(1, 50) g ON CONFLICT DO NOTHING;
INSERT INTO utxos (id, txid, vout, satoshis, script_pub_key, purpose, status)
  SELECT g, md5(g::text) || md5(g::text || 'u'), 0, 1000, decode(repeat('ab', 25), 'hex'), 'publish', 'available'
  FROM generate_series(1, $JOBS) g;
SELECT setval('utxos_id_seq', $JOBS * 10);
VACUUM ANALYZE utxos;
CHECKPOINT;
SQL

txid="md5(lpad(%s::text, 26, '0')) || md5(lpad(%s::text, 26, '0') || 'x')"
for b in $(seq 1 $((JOBS / BATCH))); do
  lo=$(( (b - 1) * BATCH + 1 )); hi=$(( b * BATCH ))
  ids="SELECT lpad(g::text, 26, '0') FROM generate_series($lo, $hi) g"
  insert="INSERT INTO publish_jobs (job_id, pubkey, nonce, signed_payload, signature, payload_hash)
  SELECT lpad(g::text, 26, '0'), '02' || lpad(to_hex(1 + g % 50), 64, '0'), md5(g::text) || md5((g + 1)::text),
         repeat('x', 220), repeat('s', 140), md5(g::text) || md5((-g)::text) FROM generate_series($lo, $hi) g;"
  claim="BEGIN;
SELECT count(*) FROM (SELECT job_id FROM publish_jobs WHERE job_id IN ($ids) AND status = 'queued' FOR UPDATE SKIP LOCKED) held;"
  reserve="UPDATE utxos SET status = 'reserved', reserved_at = now(), reserved_until = now() + interval '5 minutes',
       reserved_by = 'i1' WHERE id BETWEEN $lo AND $hi AND status = 'available';"
  held="SELECT count(*) FROM (SELECT id FROM utxos WHERE id BETWEEN $lo AND $hi AND status = 'available' FOR UPDATE SKIP LOCKED) l;"
  rawtx="decode(repeat(md5(job_id), 46), 'hex')"
  signed="txid = md5(job_id) || md5(job_id || 'x'), fee_sats = 50, signed_at = now()"
  spends="INSERT INTO spends (outpoint_txid, outpoint_vout, spending_txid, job_id, satoshis)
  SELECT md5(g::text) || md5(g::text || 'u'), 0, $(printf "$txid" g g), lpad(g::text, 26, '0'), 1000 FROM generate_series($lo, $hi) g;"
  spends51="INSERT INTO spends (outpoint_txid, outpoint_vout, spending_txid, job_id, satoshis, script_pub_key)
  SELECT md5(g::text) || md5(g::text || 'u'), 0, $(printf "$txid" g g), lpad(g::text, 26, '0'), 1000,
         decode(repeat('ab', 25), 'hex') FROM generate_series($lo, $hi) g;"
  gone="DELETE FROM utxos WHERE id BETWEEN $lo AND $hi AND status IN ('available', 'reserved');"
  spent="UPDATE utxos SET status = 'spent', spent_by_txid = $(printf "$txid" id id), spent_at = now(),
       reserved_at = NULL, reserved_until = NULL, reserved_by = NULL
 WHERE id BETWEEN $lo AND $hi AND status IN ('available', 'reserved');"
  change="INSERT INTO utxos (txid, vout, satoshis, script_pub_key, purpose, status, chain_depth)
  SELECT $(printf "$txid" g g), 1, 950, decode(repeat('ab', 25), 'hex'), 'publish', 'available', 1 FROM generate_series($lo, $hi) g;"
  sent="UPDATE publish_jobs SET status = 'sent', sent_at = now() WHERE job_id IN ($ids) AND status = 'signed';"
  store="INSERT INTO publish_batches (batch_id, job_count, status, signed_at) VALUES ('B$b', $BATCH, 'broadcasting', now());
INSERT INTO publish_job_transactions (job_id, raw_tx) SELECT g, decode(repeat(md5(g), 46), 'hex') FROM ($ids) AS t(g);
UPDATE publish_jobs SET status = 'signed', processing_batch_id = 'B$b', batch_seq = 1, processing_at = now(),
       attempts = attempts + 1, $signed WHERE job_id IN ($ids) AND status = 'queued';
$spends"
  cat >> "$tmp/run_v38.sql" <<SQL
$insert
BEGIN;
INSERT INTO publish_batches (batch_id, job_count, status) VALUES ('B$b', 0, 'signing');
UPDATE publish_jobs SET status = 'processing', processing_batch_id = 'B$b', batch_seq = 1, processing_at = now(),
       attempts = attempts + 1 WHERE job_id IN ($ids) AND status = 'queued';
UPDATE publish_batches SET job_count = $BATCH WHERE batch_id = 'B$b';
COMMIT;
$reserve
BEGIN;
UPDATE publish_jobs SET status = 'signed', raw_tx = $rawtx, $signed WHERE job_id IN ($ids) AND status = 'processing';
$spends
UPDATE publish_batches SET status = 'broadcasting', signed_at = now() WHERE batch_id = 'B$b';
COMMIT;
BEGIN; $spent $change $sent COMMIT;
SQL
  cat >> "$tmp/run_v39.sql" <<SQL
$insert
$claim
$reserve
INSERT INTO publish_batches (batch_id, job_count, status, signed_at) VALUES ('B$b', $BATCH, 'broadcasting', now());
UPDATE publish_jobs SET status = 'signed', processing_batch_id = 'B$b', batch_seq = 1, processing_at = now(),
       attempts = attempts + 1, raw_tx = $rawtx, $signed WHERE job_id IN ($ids) AND status = 'queued';
$spends
COMMIT;
BEGIN; $spent $change $sent COMMIT;
SQL
  # v46 and today: the same store; they differ in how sent is recorded and the inputs leave the pool
  printf '%s\nBEGIN; %s COMMIT;\n%s\n%s\nCOMMIT;\nBEGIN; %s %s COMMIT;\nBEGIN; %s COMMIT;\n' "$insert" "$reserve" "$claim" \
    "$store" "$spent" "$change" "$sent" >> "$tmp/run_v46.sql"
  printf '%s\nBEGIN; %s COMMIT;\n%s\n%s\nCOMMIT;\nBEGIN; %s %s COMMIT;\nSELECT record_batch_sent(%s, ARRAY(%s)::varchar[]);\n' \
    "$insert" "$reserve" "$claim" "${store/"$spends"/"$spends51"}" "$gone" "$change" "'B$b'" "$ids" >> "$tmp/run_today.sql"
  # txrow: the claim skips jobs that have a transaction row; the store writes no job-row version
  cat >> "$tmp/run_txrow.sql" <<SQL
$insert
BEGIN; $reserve COMMIT;
BEGIN;
SELECT count(*) FROM (SELECT job_id FROM publish_jobs j WHERE job_id IN ($ids) AND status = 'queued'
   AND NOT EXISTS (SELECT 1 FROM publish_job_transactions t WHERE t.job_id = j.job_id) FOR UPDATE SKIP LOCKED) held;
INSERT INTO publish_batches (batch_id, job_count, status, signed_at) VALUES ('B$b', $BATCH, 'broadcasting', now());
INSERT INTO publish_job_transactions (job_id, raw_tx, txid, batch_id, batch_seq, fee_sats)
  SELECT g, decode(repeat(md5(g), 46), 'hex'), md5(g) || md5(g || 'x'), 'B$b', 1, 50 FROM ($ids) AS t(g);
INSERT INTO publish_job_transition_sets (id, from_status, to_status, job_ids)
  SELECT nextval('publish_job_transition_sets_id_seq'), 'queued', 'signed', ARRAY($ids)::varchar[];
$spends51
COMMIT;
BEGIN; $gone $change COMMIT;
BEGIN;
INSERT INTO publish_job_transition_sets (id, from_status, to_status, job_ids, txids)
  SELECT nextval('publish_job_transition_sets_id_seq'), 'signed', 'sent', array_agg(job_id ORDER BY job_id),
         array_agg(txid ORDER BY job_id) FROM publish_job_transactions WHERE batch_id = 'B$b';
UPDATE publish_batches SET sent_at = clock_timestamp(), status = 'completed', broadcasted_at = now() WHERE batch_id = 'B$b';
COMMIT;
SQL
  # lock and lockbatch: inputs held by the claim and spent at the store; they differ in how sent is recorded
  stored_held="$insert
$claim
$held
$store
$spent
COMMIT;"
  printf '%s\nBEGIN; %s %s COMMIT;\n' "$stored_held" "$change" "$sent" >> "$tmp/run_lock.sql"
  printf '%s\nBEGIN; %s UPDATE publish_batches SET broadcasted_at = now() WHERE batch_id = %s; COMMIT;\n' \
    "$stored_held" "$change" "'B$b'" >> "$tmp/run_lockbatch.sql"
done
cp "$tmp/run_v39.sql" "$tmp/run_v40.sql"

for r in $(seq 1 "$RUNS"); do
  for v in "${variants[@]}"; do
    db=raregen_drain_floor_${schema[$v]}
    "${PSQL[@]}" -d $db -f "$tmp/setup.sql" >/dev/null 2>&1
    w0=$("${PSQL[@]}" -At -d $db -c "SELECT pg_current_wal_lsn()")
    s=$(date +%s%N)
    "${PSQL[@]}" -d $db -f "$tmp/run_$v.sql" >/dev/null
    e=$(date +%s%N)
    w1=$("${PSQL[@]}" -At -d $db -c "SELECT pg_current_wal_lsn()")
    wal=$("${PSQL[@]}" -At -d $db -c "SELECT pg_wal_lsn_diff('$w1', '$w0')::bigint / $JOBS")
    stored="SELECT count(*) FROM publish_jobs WHERE status IN ('signed', 'sent')"
    if [ "$v" = txrow ]; then stored="SELECT count(*) FROM publish_job_transactions"; fi
    sent=$("${PSQL[@]}" -At -d $db -c "$stored")
    us=$(( (e - s) / 1000 / JOBS ))
    echo "run $r ${name[$v]}: $sent of $JOBS jobs stored, $us µs per job, $wal B of WAL per job"
  done
done

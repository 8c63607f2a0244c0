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
#               (record_batch_sent: the batch's sent_at and one audit row; V47) instead of UPDATE signed → sent
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
                  [lockbatch]="lockbatch")
declare -A schema=([v38]=38 [v39]=39 [v40]=40 [v46]=46 [today]=$latest [lock]=$latest [lockbatch]=$latest)
for v in "${variants[@]}"; do
  [ -n "${schema[$v]:-}" ] || { echo "unknown write set $v (v38 v39 v40 v46 today lock lockbatch)" >&2; exit 2; }
done
# one database per schema version
versions=$(for v in "${variants[@]}"; do echo "${schema[$v]}"; done | sort -un)
cleanup() {
  rm -rf "$tmp"
  for n in $versions; do "${PSQL[@]}" -c "DROP DATABASE IF EXISTS raregen_drain_floor_$n" >/dev/null; done
}
trap cleanup EXIT

for n in $versions; do
  db=raregen_drain_floor_$n
  "${PSQL[@]}" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
  for f in $(ls "$here"/migrations/src/main/resources/db/migration/V*.sql | sort -V); do
    m=$(basename "$f" | sed -E 's/^V([0-9]+)__.*/\1/')
    if [ "$m" -gt "$n" ]; then continue; fi
    "${PSQL[@]}" -d "$db" -f "$f" >/dev/null
  done
done

cat > "$tmp/setup.sql" <<SQL
TRUNCATE publish_jobs, publish_batches, spends, utxos CASCADE;
DO \$\$ BEGIN
  IF to_regclass('publish_job_transition_sets') IS NOT NULL THEN TRUNCATE publish_job_transition_sets; END IF;
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
  # v46 and today: the same store and pool update; they differ in how sent is recorded
  stored_then_spent="$insert
BEGIN; $reserve COMMIT;
$claim
$store
COMMIT;
BEGIN; $spent $change COMMIT;"
  printf '%s\nBEGIN; %s COMMIT;\n' "$stored_then_spent" "$sent" >> "$tmp/run_v46.sql"
  printf '%s\nSELECT record_batch_sent(%s, ARRAY(%s)::varchar[]);\n' "$stored_then_spent" "'B$b'" "$ids" >> "$tmp/run_today.sql"
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
    sent=$("${PSQL[@]}" -At -d $db -c "SELECT count(*) FROM publish_jobs WHERE status IN ('signed', 'sent')")
    us=$(( (e - s) / 1000 / JOBS ))
    echo "run $r ${name[$v]}: $sent of $JOBS jobs stored, $us µs per job, $wal B of WAL per job"
  done
done

#!/usr/bin/env bash
# The Postgres floor of the write sets part 1 of #18 has left to take, side by side on today's schema (all
# migrations, triggers and indexes), and the write set the issue was measured against (before-V39: schema V1..V38,
# its own database): per job only the writes the broadcaster makes, as plain set-based SQL in batches of 500, one
# session, nothing else running (the method of drain-floor.sh, which compares the write sets up to V40).
#
#   before-V39 schema V1..V38: claim = committed UPDATE queued → processing, reservation, UPDATE processing → signed
#              (the raw transaction in the job row) + spends rows, then the results transaction (inputs spent, change
#              outputs, jobs → sent)
#   today      the intake's insert; the reservation (UPDATE available → reserved, its own transaction); the claim
#              (SELECT … FOR UPDATE, held open) and in its transaction the batch row, the transaction bytes, UPDATE
#              queued → signed and the spends rows; after the broadcast the pool update (inputs spent, change output)
#              and UPDATE signed → sent, each its own transaction, as ResultApplier runs them
#   lock       the reservation as a row lock in the claim's transaction (SELECT … FOR UPDATE, no write) and the inputs
#              marked spent at the store; after the broadcast the change output and UPDATE signed → sent
#   lockbatch  lock, and sent recorded once per batch (UPDATE publish_batches) instead of once per job
#
# Prints, per run and write set: µs of statement time per job and bytes of WAL per job (whole server: run it on a
# quiet one). Each run starts right after a CHECKPOINT (full-page images included).
#
# Usage: docs/benchmarks/drain-floor-next.sh [jobs=20000] [runs=3]   (needs psql; Postgres on 127.0.0.1)
set -euo pipefail
JOBS=${1:-20000}
RUNS=${2:-3}
BATCH=500
export PGOPTIONS="-c client_min_messages=warning"
PSQL=(psql -h 127.0.0.1 -U postgres -q -v ON_ERROR_STOP=1)
here=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
db=raregen_drain_floor_next
old=raregen_drain_floor_v38
trap 'rm -rf "$tmp"; "${PSQL[@]}" -c "DROP DATABASE IF EXISTS $db" -c "DROP DATABASE IF EXISTS $old" >/dev/null' EXIT
"${PSQL[@]}" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" -c "DROP DATABASE IF EXISTS $old" -c "CREATE DATABASE $old" >/dev/null
for f in $(ls "$here"/migrations/src/main/resources/db/migration/V*.sql | sort -V); do
  "${PSQL[@]}" -d "$db" -f "$f" >/dev/null
  if [ "$(basename "$f" | sed -E 's/^V([0-9]+)__.*/\1/')" -le 38 ]; then "${PSQL[@]}" -d "$old" -f "$f" >/dev/null; fi
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
  store="INSERT INTO publish_batches (batch_id, job_count, status, signed_at) VALUES ('B$b', $BATCH, 'broadcasting', now());
INSERT INTO publish_job_transactions (job_id, raw_tx) SELECT g, decode(repeat(md5(g), 46), 'hex') FROM ($ids) AS t(g);
UPDATE publish_jobs SET status = 'signed', processing_batch_id = 'B$b', batch_seq = 1, processing_at = now(),
       attempts = attempts + 1, txid = md5(job_id) || md5(job_id || 'x'), fee_sats = 50, signed_at = now()
 WHERE job_id IN ($ids) AND status = 'queued';
INSERT INTO spends (outpoint_txid, outpoint_vout, spending_txid, job_id, satoshis)
  SELECT md5(g::text) || md5(g::text || 'u'), 0, $(printf "$txid" g g), lpad(g::text, 26, '0'), 1000 FROM generate_series($lo, $hi) g;"
  spent="UPDATE utxos SET status = 'spent', spent_by_txid = $(printf "$txid" id id), spent_at = now(),
       reserved_at = NULL, reserved_until = NULL, reserved_by = NULL
 WHERE id BETWEEN $lo AND $hi AND status IN ('available', 'reserved');"
  change="INSERT INTO utxos (txid, vout, satoshis, script_pub_key, purpose, status, chain_depth)
  SELECT $(printf "$txid" g g), 1, 950, decode(repeat('ab', 25), 'hex'), 'publish', 'available', 1 FROM generate_series($lo, $hi) g;"
  sent="UPDATE publish_jobs SET status = 'sent', sent_at = now() WHERE job_id IN ($ids) AND status = 'signed';"
  cat >> "$tmp/run_before-V39.sql" <<SQL
$insert
BEGIN;
INSERT INTO publish_batches (batch_id, job_count, status) VALUES ('B$b', 0, 'signing');
UPDATE publish_jobs SET status = 'processing', processing_batch_id = 'B$b', batch_seq = 1, processing_at = now(),
       attempts = attempts + 1 WHERE job_id IN ($ids) AND status = 'queued';
UPDATE publish_batches SET job_count = $BATCH WHERE batch_id = 'B$b';
COMMIT;
BEGIN; $reserve COMMIT;
BEGIN;
UPDATE publish_jobs SET status = 'signed', raw_tx = decode(repeat(md5(job_id), 46), 'hex'),
       txid = md5(job_id) || md5(job_id || 'x'), fee_sats = 50, signed_at = now() WHERE job_id IN ($ids) AND status = 'processing';
INSERT INTO spends (outpoint_txid, outpoint_vout, spending_txid, job_id, satoshis)
  SELECT md5(g::text) || md5(g::text || 'u'), 0, $(printf "$txid" g g), lpad(g::text, 26, '0'), 1000 FROM generate_series($lo, $hi) g;
UPDATE publish_batches SET status = 'broadcasting', signed_at = now() WHERE batch_id = 'B$b';
COMMIT;
BEGIN; $spent $change $sent COMMIT;
SQL
  cat >> "$tmp/run_today.sql" <<SQL
$insert
BEGIN; $reserve COMMIT;
$claim
$store
COMMIT;
BEGIN; $spent $change COMMIT;
BEGIN; $sent COMMIT;
SQL
  cat >> "$tmp/run_lock.sql" <<SQL
$insert
$claim
$held
$store
$spent
COMMIT;
BEGIN; $change $sent COMMIT;
SQL
  cat >> "$tmp/run_lockbatch.sql" <<SQL
$insert
$claim
$held
$store
$spent
COMMIT;
BEGIN; $change UPDATE publish_batches SET broadcasted_at = now() WHERE batch_id = 'B$b'; COMMIT;
SQL
done

for r in $(seq 1 "$RUNS"); do
  for v in before-V39 today lock lockbatch; do
    d=$db
    if [ "$v" = before-V39 ]; then d=$old; fi
    "${PSQL[@]}" -d $d -f "$tmp/setup.sql" >/dev/null 2>&1
    w0=$("${PSQL[@]}" -At -d $d -c "SELECT pg_current_wal_lsn()")
    s=$(date +%s%N)
    "${PSQL[@]}" -d $d -f "$tmp/run_$v.sql" >/dev/null
    e=$(date +%s%N)
    w1=$("${PSQL[@]}" -At -d $d -c "SELECT pg_current_wal_lsn()")
    wal=$("${PSQL[@]}" -At -d $d -c "SELECT pg_wal_lsn_diff('$w1', '$w0')::bigint / $JOBS")
    spent=$("${PSQL[@]}" -At -d $d -c "SELECT count(*) FROM utxos WHERE status = 'spent'")
    echo "run $r $v: $spent of $JOBS inputs spent, $(( (e - s) / 1000 / JOBS )) µs per job, $wal B of WAL per job"
  done
done

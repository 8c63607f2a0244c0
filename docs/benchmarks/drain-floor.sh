#!/usr/bin/env bash
# The Postgres floor of a drain: per job, only the writes the broadcaster's invariants require
# (claim, reserve, store signed + spends row, spend + change output + sent), as plain set-based
# SQL in batches of 500 against the real schema (migrations V1.., their triggers and indexes), one
# session, nothing else running. No selection logic, no SKIP LOCKED, no Java: what is left when
# everything the pipeline adds on top is taken away. Prints µs of statement time per job (a single
# busy session on an in-memory working set: ~ CPU time).
#
# Usage: docs/benchmarks/drain-floor.sh [jobs=20000] [runs=3]   (needs psql; Postgres on 127.0.0.1)
set -euo pipefail
JOBS=${1:-20000}
RUNS=${2:-3}
BATCH=500
DB=raregen_drain_floor
export PGOPTIONS="-c client_min_messages=warning"
PSQL=(psql -h 127.0.0.1 -U postgres -q -v ON_ERROR_STOP=1)
here=$(cd "$(dirname "$0")/../.." && pwd)

"${PSQL[@]}" -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null
for f in $(ls "$here"/migrations/src/main/resources/db/migration/V*.sql | sort -V); do
  "${PSQL[@]}" -d $DB -f "$f" >/dev/null
done

setup=$(mktemp); run=$(mktemp)
trap 'rm -f "$setup" "$run"; "${PSQL[@]}" -c "DROP DATABASE IF EXISTS $DB" >/dev/null' EXIT
cat > "$setup" <<SQL
TRUNCATE publish_jobs, publish_job_transitions, publish_batches, spends, utxos CASCADE;
INSERT INTO identities (pubkey) SELECT '02' || lpad(to_hex(g), 64, '0') FROM generate_series(1, 50) g ON CONFLICT DO NOTHING;
INSERT INTO publish_batches (batch_id, job_count, status)
  SELECT 'B' || g, $BATCH, 'signing' FROM generate_series(1, $JOBS / $BATCH) g;
INSERT INTO publish_jobs (job_id, pubkey, nonce, signed_payload, signature, payload_hash)
  SELECT lpad(g::text, 26, '0'), '02' || lpad(to_hex(1 + g % 50), 64, '0'), md5(g::text) || md5((g + 1)::text),
         repeat('x', 220), repeat('s', 140), md5(g::text) || md5((-g)::text)
  FROM generate_series(1, $JOBS) g;
INSERT INTO utxos (id, txid, vout, satoshis, script_pub_key, purpose, status)
  SELECT g, md5(g::text) || md5(g::text || 'u'), 0, 1000, decode(repeat('ab', 25), 'hex'), 'publish', 'available'
  FROM generate_series(1, $JOBS) g;
SELECT setval('utxos_id_seq', $JOBS * 10);
VACUUM ANALYZE publish_jobs; VACUUM ANALYZE utxos;
CHECKPOINT;
SQL
for b in $(seq 1 $((JOBS / BATCH))); do
  lo=$(( (b - 1) * BATCH + 1 )); hi=$(( b * BATCH ))
  ids="SELECT lpad(g::text, 26, '0') FROM generate_series($lo, $hi) g"
  txid="md5(lpad(%s::text, 26, '0')) || md5(lpad(%s::text, 26, '0') || 'x')"
  cat >> "$run" <<SQL
UPDATE publish_jobs SET status = 'processing', processing_batch_id = 'B$b', batch_seq = 1, processing_at = now(),
       attempts = attempts + 1 WHERE job_id IN ($ids) AND status = 'queued';
UPDATE utxos SET status = 'reserved', reserved_at = now(), reserved_until = now() + interval '5 minutes', reserved_by = 'i1'
 WHERE id BETWEEN $lo AND $hi AND status = 'available';
BEGIN;
UPDATE publish_jobs SET status = 'signed', raw_tx = decode(repeat(md5(job_id), 8), 'hex'),
       txid = md5(job_id) || md5(job_id || 'x'), fee_sats = 50, signed_at = now()
 WHERE job_id IN ($ids) AND status = 'processing';
INSERT INTO spends (outpoint_txid, outpoint_vout, spending_txid, job_id, satoshis)
  SELECT md5(g::text) || md5(g::text || 'u'), 0, $(printf "$txid" g g), lpad(g::text, 26, '0'), 1000
  FROM generate_series($lo, $hi) g;
COMMIT;
BEGIN;
UPDATE utxos SET status = 'spent', spent_by_txid = $(printf "$txid" id id), spent_at = now()
 WHERE id BETWEEN $lo AND $hi AND status = 'reserved';
INSERT INTO utxos (txid, vout, satoshis, script_pub_key, purpose, status, chain_depth)
  SELECT $(printf "$txid" g g), 1, 950, decode(repeat('ab', 25), 'hex'), 'publish', 'available', 1
  FROM generate_series($lo, $hi) g;
UPDATE publish_jobs SET status = 'sent', sent_at = now() WHERE job_id IN ($ids) AND status = 'signed';
COMMIT;
SQL
done

for r in $(seq 1 "$RUNS"); do
  "${PSQL[@]}" -d $DB -f "$setup" >/dev/null
  s=$(date +%s%N)
  "${PSQL[@]}" -d $DB -f "$run" >/dev/null
  e=$(date +%s%N)
  sent=$("${PSQL[@]}" -At -d $DB -c "SELECT count(*) FROM publish_jobs WHERE status = 'sent'")
  echo "run $r: $sent of $JOBS jobs through the minimal write set in $(( (e - s) / 1000000 )) ms = $(( (e - s) / 1000 / JOBS )) µs per job"
done

#!/usr/bin/env bash
# What a job's later row versions cost in WAL, per schema version (42: its signed transaction's bytes in the job row;
# 43: in publish_job_transactions; later versions: fewer indexes on publish_jobs): 10,000 sent jobs (a 300-byte payload, a 96-byte signature, a 736-byte
# transaction), then the confirmation tracker's status-check stamp on each (UPDATE … status_checked_at) and the
# mined update (block, 320-byte merkle path), in statements of 500 jobs with the triggers on. Neither is in the
# drain benchmarks (their chain never mines). Prints bytes of WAL per job for each, without and with full-page
# images, from pg_walinspect over each step's LSN range (whole server: run it on a quiet server; superuser).
#
# Usage: docs/benchmarks/job-versions.sh [schema version ...]   (default: 42 43; needs psql; Postgres on 127.0.0.1)
# Each database is migrated with this tree's migrations up to that version.
set -euo pipefail
versions=(${@:-42 43})
P=(psql -h 127.0.0.1 -U postgres -q -v ON_ERROR_STOP=1)
here=$(cd "$(dirname "$0")/../.." && pwd)
M=$here/migrations/src/main/resources/db/migration
trap 'for v in "${versions[@]}"; do "${P[@]}" -c "DROP DATABASE IF EXISTS raregen_job_versions_$v" >/dev/null; done' EXIT
for v in "${versions[@]}"; do
  db=raregen_job_versions_$v
  "${P[@]}" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
  for f in $(ls "$M"/V*.sql | sort -V); do
    n=$(basename "$f" | sed -E 's/^V([0-9]+)__.*/\1/')
    if [ "$n" -le "$v" ]; then "${P[@]}" -d "$db" -f "$f" >/dev/null; fi
  done
  "${P[@]}" -d "$db" -c "CREATE EXTENSION pg_walinspect" >/dev/null
  raw="decode(repeat(md5(g::text), 46), 'hex')"
  # sent jobs written as a restore would (triggers off for this session), each with its transaction's bytes
  "${P[@]}" -d "$db" >/dev/null <<SQL
SET session_replication_role = replica;
INSERT INTO identities (pubkey) VALUES ('02' || repeat('a', 64));
INSERT INTO publish_jobs (job_id, pubkey, nonce, signed_payload, signature, payload_hash, envelope_sha256, status, txid,
                          fee_sats, signed_at, sent_at, raw_tx)
SELECT lpad(g::text, 26, '0'), '02' || repeat('a', 64), 'n-' || md5(g::text), repeat('p', 300), repeat('s', 96),
       md5(g::text) || md5(g::text), md5(g::text) || md5(g::text), 'sent', md5(g::text) || md5(g::text || 'x'), 25, now(),
       now(), CASE WHEN $v < 43 THEN $raw END
FROM generate_series(1, 10000) g;
DO \$\$ BEGIN
  IF $v >= 43 THEN
    INSERT INTO publish_job_transactions SELECT lpad(g::text, 26, '0'), $raw FROM generate_series(1, 10000) g;
  END IF;
END \$\$;
SQL
  "${P[@]}" -d "$db" -c "VACUUM ANALYZE" >/dev/null
done
for v in "${versions[@]}"; do
  db=raregen_job_versions_$v
  for step in check mined; do
    w0=$("${P[@]}" -At -d "$db" -c "SELECT pg_current_wal_lsn()")
    for b in $(seq 0 19); do
      range="job_id BETWEEN lpad('$((b * 500 + 1))', 26, '0') AND lpad('$(((b + 1) * 500))', 26, '0') AND status = 'sent'"
      if [ $step = check ]; then
        "${P[@]}" -d "$db" -c "UPDATE publish_jobs SET status_checked_at = now() WHERE $range" >/dev/null
      else
        "${P[@]}" -d "$db" -c "UPDATE publish_jobs SET status = 'mined', mined_at = now(), block_hash = md5('b$b') || md5('b$b'),
          block_height = 800000, merkle_path = decode(repeat(md5('p' || job_id), 20), 'hex') WHERE $range" >/dev/null
      fi
    done
    "${P[@]}" -d "$db" -c "SELECT pg_switch_wal()" >/dev/null
    w1=$("${P[@]}" -At -d "$db" -c "SELECT pg_current_wal_lsn()")
    name="V$v"
    "${P[@]}" -At -d "$db" -c "SELECT '$step, $name: ' || (sum(record_size) / 10000)::int || ' B/job without FPIs, '
        || (sum(combined_size) / 10000)::int || ' B/job with them' FROM pg_get_wal_stats('$w0', '$w1')"
  done
done

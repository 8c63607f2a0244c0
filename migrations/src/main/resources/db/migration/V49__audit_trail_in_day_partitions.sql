-- The audit trail in day partitions (#18, part 2: a history that does not weigh).
--
-- publish_job_transition_sets grows with every record and is only ever appended to. From V49 it is partitioned by
-- day (at, UTC): the table as it was becomes the first partition, publish_job_transition_sets_before_v49, holding
-- everything before the end of tomorrow (no row is copied); one partition per day follows, created ahead by the
-- broadcaster (ensure_history_partitions, raregen.retention.partitions-ahead days), and a default partition catches
-- a row no day partition covers, should the broadcaster be down longer than that. Once a day partition has ended
-- raregen.retention.after ago, the broadcaster exports its rows to the archive (a directory or an S3 bucket: gzip
-- JSON Lines, one object per row) and archive_history_partition drops it. Nothing else changes for readers: the
-- table's name, its columns, its indexes' names and the view publish_job_transitions are as they were.
--
-- Attaching the old table reads it once (Postgres checks that every row belongs to the partition's range), under a
-- lock that holds back every job transition meanwhile. Measured: V49 took 1.1 s on a 1.2 GB audit trail (6 M sets)
-- in the OS's cache, on 2 cores; from disk it takes as long as reading the table once.
--
-- history_partitions lists every partition of the history and what became of it: the archive object it went to,
-- with its row count and SHA-256.

CREATE TABLE history_partitions (
  partition_name TEXT        PRIMARY KEY,
  parent         TEXT        NOT NULL,
  -- NULL: everything before to_at (a table from before it was partitioned)
  from_at        TIMESTAMPTZ,
  to_at          TIMESTAMPTZ NOT NULL,
  created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
  archived_at    TIMESTAMPTZ,
  archive_key    TEXT,
  archived_rows  BIGINT      CHECK (archived_rows >= 0),
  archive_sha256 CHAR(64)    CHECK (archive_sha256 ~ '^[0-9a-f]{64}$'),
  CHECK (from_at IS NULL OR from_at < to_at),
  CHECK ((archived_at IS NULL) = (archive_key IS NULL)
     AND (archived_at IS NULL) = (archived_rows IS NULL)
     AND (archived_at IS NULL) = (archive_sha256 IS NULL))
);
CREATE INDEX idx_history_partitions_open ON history_partitions (parent, to_at) WHERE archived_at IS NULL;

-- the table as it was, renamed with its indexes, so that the partitioned table takes the names
ALTER TABLE publish_job_transition_sets RENAME TO publish_job_transition_sets_before_v49;
ALTER INDEX publish_job_transition_sets_pkey RENAME TO publish_job_transition_sets_before_v49_pkey;
ALTER INDEX idx_publish_job_transition_sets_at RENAME TO publish_job_transition_sets_before_v49_at;
ALTER INDEX idx_publish_job_transitions_events RENAME TO publish_job_transition_sets_before_v49_events;
ALTER INDEX idx_publish_job_transitions_outcomes RENAME TO publish_job_transition_sets_before_v49_outcomes;

-- the same columns, defaults and checks; no primary key (a partitioned table's would have to include at): a set's id
-- comes from publish_job_transition_sets_id_seq, which makes it unique
CREATE TABLE publish_job_transition_sets (
  LIKE publish_job_transition_sets_before_v49 INCLUDING DEFAULTS INCLUDING CONSTRAINTS
) PARTITION BY RANGE (at);
CREATE INDEX idx_publish_job_transition_sets_at ON publish_job_transition_sets (at);
CREATE INDEX idx_publish_job_transitions_events ON publish_job_transition_sets (xact, id)
  WHERE to_status IN ('sent', 'mined', 'failed') AND xact IS NOT NULL;
CREATE INDEX idx_publish_job_transitions_outcomes ON publish_job_transition_sets (at) INCLUDE (to_status)
  WHERE to_status IN ('mined', 'failed');
-- the sequence belonged to the old table's column: dropping that partition one day must not drop it
ALTER SEQUENCE publish_job_transition_sets_id_seq OWNED BY publish_job_transition_sets.id;

-- the old table becomes the partition of everything before the end of tomorrow (UTC); the old table's indexes match
-- the new ones and are attached to them, not rebuilt
DO $$
DECLARE
  bound TIMESTAMPTZ := date_trunc('day', now(), 'UTC') + interval '2 days';
BEGIN
  EXECUTE format('ALTER TABLE publish_job_transition_sets ATTACH PARTITION publish_job_transition_sets_before_v49
                    FOR VALUES FROM (MINVALUE) TO (%L)', bound);
  INSERT INTO history_partitions (partition_name, parent, from_at, to_at)
    VALUES ('publish_job_transition_sets_before_v49', 'publish_job_transition_sets', NULL, bound);
END $$;

CREATE TABLE publish_job_transition_sets_default PARTITION OF publish_job_transition_sets DEFAULT;

-- The view read the old table; the same definition on the partitioned one.
CREATE OR REPLACE VIEW publish_job_transitions AS
  SELECT s.id + u.ord - 1 AS id, u.job_id::varchar(32) AS job_id, s.from_status, s.to_status,
         u.txid::char(64) AS txid, s.at, s.reason, s.xact
    FROM publish_job_transition_sets s
    CROSS JOIN LATERAL unnest(s.job_ids, s.txids) WITH ORDINALITY AS u(job_id, txid, ord);

-- Creates the day partitions of p_parent (partitioned by range of the timestamptz column p_key, registered in
-- history_partitions) from the end of its last one up to the end of the day p_ahead days after p_today's (UTC).
-- Rows the default partition caught for a new day move into it. Returns how many partitions it created. Callers
-- at once are serialised by an advisory lock per parent.
CREATE FUNCTION ensure_history_partitions(p_parent TEXT, p_key TEXT, p_today TIMESTAMPTZ, p_ahead INT)
RETURNS INT AS $$
DECLARE
  upto TIMESTAMPTZ := date_trunc('day', p_today, 'UTC') + make_interval(days => p_ahead + 1);
  d TIMESTAMPTZ;
  name TEXT;
  made INT := 0;
BEGIN
  IF p_ahead < 1 THEN
    RAISE EXCEPTION 'p_ahead must be at least 1, was %', p_ahead;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext('history_partitions'), hashtext(p_parent));
  SELECT max(to_at) INTO d FROM history_partitions WHERE parent = p_parent;
  IF d IS NULL THEN
    RAISE EXCEPTION 'no partition of % is registered in history_partitions', p_parent;
  END IF;
  WHILE d < upto LOOP
    name := p_parent || '_p' || to_char(d AT TIME ZONE 'UTC', 'YYYYMMDD');
    EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', name, p_parent);
    EXECUTE format('WITH moved AS (DELETE FROM %I WHERE %I >= %L AND %I < %L RETURNING *) INSERT INTO %I SELECT * FROM moved',
                   p_parent || '_default', p_key, d, p_key, d + interval '1 day', name);
    EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
                   p_parent, name, d, d + interval '1 day');
    INSERT INTO history_partitions (partition_name, parent, from_at, to_at) VALUES (name, p_parent, d, d + interval '1 day');
    d := d + interval '1 day';
    made := made + 1;
  END LOOP;
  RETURN made;
END
$$ LANGUAGE plpgsql;

-- Drops the partition p_name once its rows are in the archive: only a registered, unarchived partition that ended at
-- least a day before p_now, and only when it holds exactly p_rows rows (those exported); records where they went.
-- Returns false (and changes nothing) when the count differs.
CREATE FUNCTION archive_history_partition(p_name TEXT, p_now TIMESTAMPTZ, p_key TEXT, p_rows BIGINT, p_sha256 TEXT)
RETURNS BOOLEAN AS $$
DECLARE
  part history_partitions%ROWTYPE;
  n BIGINT;
BEGIN
  SELECT * INTO part FROM history_partitions WHERE partition_name = p_name FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'partition % is not registered in history_partitions', p_name;
  END IF;
  IF part.archived_at IS NOT NULL THEN
    RAISE EXCEPTION 'partition % was archived already, to %', p_name, part.archive_key;
  END IF;
  IF part.to_at > p_now - interval '1 day' THEN
    RAISE EXCEPTION 'partition % ends at %, less than a day before %', p_name, part.to_at, p_now;
  END IF;
  EXECUTE format('SELECT count(*) FROM %I', p_name) INTO n;
  IF n <> p_rows THEN
    RETURN false;
  END IF;
  EXECUTE format('ALTER TABLE %I DETACH PARTITION %I', part.parent, p_name);
  EXECUTE format('DROP TABLE %I', p_name);
  UPDATE history_partitions
     SET archived_at = now(), archive_key = p_key, archived_rows = p_rows, archive_sha256 = p_sha256
   WHERE partition_name = p_name;
  RETURN true;
END
$$ LANGUAGE plpgsql;

-- the days ahead, from the end of tomorrow on
SELECT ensure_history_partitions('publish_job_transition_sets', 'at', now(), 7);

-- Jobs read by time through their id, not through an index on created_at (#18, parts 1 and 2).
--
-- A job id is a ULID: its first 10 characters are the millisecond it was generated at (at the intake, right before
-- the insert), in Crockford base32, so ids sort by time and a time range is a range of the primary key. The index
-- idx_publish_jobs_created (created_at) got an entry in every version of a job row (the insert, signed, sent, mined,
-- each status-check stamp; none of them is heap-only), ~70 bytes of WAL each, for the two operator queries that read
-- jobs by creation time. They now read the primary key instead: job_id_floor(t) is the smallest id generated at or
-- after t, and "created in [a, b)" is "job_id >= job_ids_from(a) AND job_id < job_ids_before(b) AND created_at in
-- [a, b)": the two bounds widen the range by the time between generating an id and inserting its row (created_at
-- is the inserting transaction's start; a Lambda invocation lasts 15 minutes at most and the intake waits on the
-- database far less) and by a minute of clock difference between the intake's host and the database's.
--
-- The same bounds are how publish_jobs can later be split by time: by ranges of job_id, its primary key.
--
-- Expand, then contract: the index stays for now, because the previous release's operator queries still range over
-- created_at and would read the whole table without it while they run (between the broadcaster's deploy, which
-- migrates, and the API's). The release after drops it (migrations/README.md).

-- The smallest ULID of the millisecond t falls in (t before 1970: the smallest ULID of all).
CREATE FUNCTION job_id_floor(t timestamptz) RETURNS varchar
  LANGUAGE sql STABLE PARALLEL SAFE RETURNS NULL ON NULL INPUT AS $$
  SELECT string_agg(substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ',
                           ((greatest(0, floor(extract(epoch FROM t) * 1000))::bigint >> (5 * (9 - i))) & 31)::int + 1, 1),
                    '' ORDER BY i) || '0000000000000000'
    FROM generate_series(0, 9) AS i
$$;

-- Every job created at or after t has an id >= job_ids_from(t).
CREATE FUNCTION job_ids_from(t timestamptz) RETURNS varchar
  LANGUAGE sql STABLE PARALLEL SAFE RETURNS NULL ON NULL INPUT AS $$
  SELECT job_id_floor(t - interval '16 minutes')
$$;

-- Every job created before t has an id < job_ids_before(t).
CREATE FUNCTION job_ids_before(t timestamptz) RETURNS varchar
  LANGUAGE sql STABLE PARALLEL SAFE RETURNS NULL ON NULL INPUT AS $$
  SELECT job_id_floor(t + interval '1 minute')
$$;

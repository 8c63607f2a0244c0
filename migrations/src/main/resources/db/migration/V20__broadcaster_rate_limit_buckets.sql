-- Token buckets shared by every broadcaster instance (the ARC broadcast rate limit of the original batch mode:
-- 500 tx per 3 s). One row per bucket; a take is one atomic UPDATE that refills by elapsed
-- time and subtracts what it grants, so concurrent instances can never exceed the rate.
CREATE TABLE rate_limit_buckets (
  name         VARCHAR(64)       PRIMARY KEY,
  tokens       DOUBLE PRECISION  NOT NULL CHECK (tokens >= 0),
  refilled_at  TIMESTAMPTZ       NOT NULL DEFAULT clock_timestamp()
);

-- When the confirmation tracker last asked the network about a sent job, so that it polls
-- the least recently checked first instead of the same oldest rows forever.
ALTER TABLE publish_jobs ADD COLUMN status_checked_at TIMESTAMPTZ;
CREATE INDEX idx_publish_jobs_sent_check ON publish_jobs (status_checked_at NULLS FIRST, sent_at)
  WHERE status = 'sent';

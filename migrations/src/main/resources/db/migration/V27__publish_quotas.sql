-- Per-identity publish quota (a token bucket per key, shared by every functions instance): POST /v1/publish
-- takes one token per new job in the same statement that inserts the job, refilling by elapsed time at
-- raregen.intake.quota.rate up to raregen.intake.quota.burst. A row appears at a key's first publish; a key without
-- a row has a full bucket. Kept apart from identities so a take neither fires that table's updated_at trigger nor
-- turns "identity changed" into "identity published".
CREATE TABLE publish_quotas (
  pubkey       VARCHAR(66)       PRIMARY KEY REFERENCES identities (pubkey),
  tokens       DOUBLE PRECISION  NOT NULL CHECK (tokens >= 0),
  refilled_at  TIMESTAMPTZ       NOT NULL,
  -- how many tokens the last take granted: the statement that takes reads it back to know how many jobs to insert
  granted      INTEGER           NOT NULL CHECK (granted >= 0)
);

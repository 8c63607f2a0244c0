-- Per-account publish quota (docs/ACCOUNTS.md): a key that belongs to an account draws from its account's bucket
-- (raregen.intake.quota.account-rate / account-burst), however many keys the account has; a key of no account keeps
-- its own bucket in publish_quotas. Same shape and the same statement as publish_quotas: refill by elapsed time,
-- take at most what is there, remember how many the last take granted.
CREATE TABLE account_quotas (
  account_id   uuid              PRIMARY KEY REFERENCES accounts (account_id),
  tokens       DOUBLE PRECISION  NOT NULL CHECK (tokens >= 0),
  refilled_at  TIMESTAMPTZ       NOT NULL,
  granted      INTEGER           NOT NULL CHECK (granted >= 0)
);

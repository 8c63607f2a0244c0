-- Accounts (docs/ACCOUNTS.md): a person known by an email address, who signs in with a one-time code sent there,
-- owns keys, and pays for publishes with credits.

CREATE TABLE accounts (
  account_id  uuid         PRIMARY KEY,
  -- normalised (trimmed, lower-case); the sign-in name
  email       text         NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
  -- the plan whose monthly allowance the scheduled grant gives (null: none)
  plan        text,
  created_at  timestamptz  NOT NULL DEFAULT now(),
  CONSTRAINT accounts_email_unique UNIQUE (email)
);

-- A key belongs to at most one account; keys registered without a session (open and admin modes) belong to none.
ALTER TABLE identities ADD COLUMN account_id uuid REFERENCES accounts (account_id);
CREATE INDEX idx_identities_account ON identities (account_id) WHERE account_id IS NOT NULL;

-- The balance: one narrow row per account, changed only together with a credit_ledger row in the same
-- transaction, so sum(delta) over the ledger equals credits at every commit (the audit query in docs/ACCOUNTS.md).
CREATE TABLE account_balances (
  account_id  uuid    PRIMARY KEY REFERENCES accounts (account_id),
  credits     bigint  NOT NULL CHECK (credits >= 0)
);

-- Every change of a balance, with its reason. Publishes are debited once per account per group commit
-- (kind 'publish', jobs = how many jobs that debit paid for; each such job carries the account in publish_jobs).
CREATE TABLE credit_ledger (
  entry_id    bigserial    PRIMARY KEY,
  account_id  uuid         NOT NULL REFERENCES accounts (account_id),
  delta       bigint       NOT NULL CHECK (delta <> 0),
  kind        text         NOT NULL CHECK (kind IN ('starter', 'grant', 'plan', 'topup', 'publish', 'refund')),
  jobs        integer      CHECK (jobs > 0),
  -- refund: the failed job it gives back
  job_id      varchar(32),
  -- what makes the entry happen once: a plan grant's period, a top-up's outpoint, an operator's idempotency key
  reference   text,
  note        text,
  created_at  timestamptz  NOT NULL DEFAULT now(),
  CHECK ((kind = 'publish') = (jobs IS NOT NULL)),
  CHECK ((kind = 'refund') = (job_id IS NOT NULL)),
  CHECK (kind NOT IN ('publish') OR delta < 0),
  CHECK (kind IN ('publish') OR delta > 0)
);
CREATE INDEX idx_credit_ledger_account ON credit_ledger (account_id, entry_id);
CREATE UNIQUE INDEX uq_credit_ledger_refund ON credit_ledger (job_id) WHERE kind = 'refund';
CREATE UNIQUE INDEX uq_credit_ledger_reference ON credit_ledger (account_id, kind, reference) WHERE reference IS NOT NULL;

-- The account a job was charged to (null: the key had no account, nothing was charged). No foreign key: the
-- insert is the intake's hot path, and the value comes from identities.account_id in the same statement.
ALTER TABLE publish_jobs ADD COLUMN account_id uuid;

-- A charged job that fails gives its credit back, whichever code path failed it: every failure after acceptance
-- is the service's (the request was verified before it was accepted). Once per job (uq_credit_ledger_refund),
-- however often a failed job is re-driven and fails again.
CREATE OR REPLACE FUNCTION refund_failed_job() RETURNS trigger AS $$
DECLARE
  refunded integer;
BEGIN
  INSERT INTO credit_ledger (account_id, delta, kind, job_id, note)
  VALUES (NEW.account_id, 1, 'refund', NEW.job_id, 'job failed: ' || NEW.error_code)
  ON CONFLICT (job_id) WHERE kind = 'refund' DO NOTHING;
  GET DIAGNOSTICS refunded = ROW_COUNT;
  IF refunded > 0 THEN
    UPDATE account_balances SET credits = credits + 1 WHERE account_id = NEW.account_id;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER refund_failed_job AFTER UPDATE OF status ON publish_jobs
  FOR EACH ROW WHEN (NEW.status = 'failed' AND OLD.status <> 'failed' AND NEW.account_id IS NOT NULL)
  EXECUTE FUNCTION refund_failed_job();

-- One live sign-in code per address: a new one replaces the old. Only a keyed hash of the code is kept.
CREATE TABLE account_codes (
  email       text         PRIMARY KEY,
  code_hash   bytea        NOT NULL,
  expires_at  timestamptz  NOT NULL,
  tries       integer      NOT NULL DEFAULT 0 CHECK (tries >= 0),
  created_at  timestamptz  NOT NULL DEFAULT now()
);

-- Sessions: opaque random tokens, kept as their SHA-256.
CREATE TABLE account_sessions (
  session_id  uuid         PRIMARY KEY,
  token_hash  bytea        NOT NULL UNIQUE,
  account_id  uuid         NOT NULL REFERENCES accounts (account_id),
  created_at  timestamptz  NOT NULL DEFAULT now(),
  expires_at  timestamptz  NOT NULL,
  revoked_at  timestamptz,
  user_agent  text
);
CREATE INDEX idx_account_sessions_account ON account_sessions (account_id, created_at);

-- Token buckets for sign-in codes (per address, per client address), shared by every functions instance.
CREATE TABLE account_throttles (
  bucket       text              PRIMARY KEY,
  tokens       double precision  NOT NULL CHECK (tokens >= 0),
  refilled_at  timestamptz       NOT NULL
);

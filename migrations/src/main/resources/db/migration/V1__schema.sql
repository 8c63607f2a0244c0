-- RareGen Publisher: the whole data model (docs/ARCHITECTURE.md#invariants says what it keeps).
-- Names follow the seed system where it named them. Timestamps are timestamptz.
-- The invariants that can live in the database live here:
--   nonce unique per identity, outpoint unique in utxos, an outpoint is an input of at most
--   one stored transaction (spends), txid unique per job, legal status values, non-negative
--   satoshis, and job status moving only forward (trigger guard_job_transition).

CREATE OR REPLACE FUNCTION update_updated_at_column() RETURNS trigger AS $$
BEGIN
  NEW.updated_at = now();
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

-- Registered client keys. pubkey is the 33-byte compressed point in lowercase hex.
CREATE TABLE identities (
  pubkey       VARCHAR(66)  PRIMARY KEY CHECK (pubkey ~ '^0[23][0-9a-f]{64}$'),
  status       VARCHAR(16)  NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
  label        TEXT,
  created_at   TIMESTAMPTZ  NOT NULL DEFAULT now(),
  updated_at   TIMESTAMPTZ  NOT NULL DEFAULT now(),
  revoked_at   TIMESTAMPTZ,
  CHECK ((status = 'revoked') = (revoked_at IS NOT NULL))
);
CREATE TRIGGER update_identities_updated_at BEFORE UPDATE ON identities
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- One row per broadcaster batch (the original batch mode's table plus timings).
CREATE TABLE publish_batches (
  batch_id        VARCHAR(32)  PRIMARY KEY,
  job_count       INTEGER      NOT NULL CHECK (job_count >= 0),
  status          VARCHAR(20)  NOT NULL DEFAULT 'collecting'
                  CHECK (status IN ('collecting', 'signing', 'broadcasting', 'completed', 'failed')),
  txids           TEXT[],
  instance_id     VARCHAR(128),
  created_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
  signed_at       TIMESTAMPTZ,
  broadcasted_at  TIMESTAMPTZ,
  completed_at    TIMESTAMPTZ,
  error_detail    TEXT,
  updated_at      TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE TRIGGER update_publish_batches_updated_at BEFORE UPDATE ON publish_batches
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
CREATE INDEX idx_publish_batches_status ON publish_batches (status, created_at);

-- One row per accepted record. The signed envelope is stored exactly as received.
CREATE TABLE publish_jobs (
  job_id               VARCHAR(32)  PRIMARY KEY,
  pubkey               VARCHAR(66)  NOT NULL REFERENCES identities (pubkey),
  nonce                VARCHAR(128) NOT NULL,
  record_id            VARCHAR(256),
  signed_payload       TEXT         NOT NULL,
  signature            TEXT         NOT NULL,
  payload_hash         CHAR(64)     NOT NULL CHECK (payload_hash ~ '^[0-9a-f]{64}$'),
  status               VARCHAR(16)  NOT NULL DEFAULT 'queued'
                       CHECK (status IN ('queued', 'processing', 'signed', 'sent', 'mined', 'failed')),
  attempts             INTEGER      NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  processing_batch_id  VARCHAR(32)  REFERENCES publish_batches (batch_id),
  batch_seq            INTEGER      CHECK (batch_seq >= 1),
  -- the stored signed transaction (write-ahead: stored before any broadcast)
  raw_tx               BYTEA,
  txid                 CHAR(64)     CHECK (txid ~ '^[0-9a-f]{64}$'),
  fee_sats             BIGINT       CHECK (fee_sats >= 0),
  -- failures
  error_code           VARCHAR(64),
  error_detail         TEXT,
  -- confirmation
  block_hash           CHAR(64),
  block_height         INTEGER      CHECK (block_height >= 0),
  merkle_path          BYTEA,
  -- timestamps for every transition
  created_at           TIMESTAMPTZ  NOT NULL DEFAULT now(),
  enqueued_at          TIMESTAMPTZ,
  processing_at        TIMESTAMPTZ,
  signed_at            TIMESTAMPTZ,
  sending_started_at   TIMESTAMPTZ,
  sent_at              TIMESTAMPTZ,
  mined_at             TIMESTAMPTZ,
  failed_at            TIMESTAMPTZ,
  updated_at           TIMESTAMPTZ  NOT NULL DEFAULT now(),
  CONSTRAINT publish_jobs_nonce_per_identity UNIQUE (pubkey, nonce),
  CONSTRAINT publish_jobs_txid_unique UNIQUE (txid),
  CONSTRAINT publish_jobs_signed_has_tx
    CHECK (status NOT IN ('signed', 'sent', 'mined') OR (raw_tx IS NOT NULL AND txid IS NOT NULL)),
  CONSTRAINT publish_jobs_tx_pair CHECK ((raw_tx IS NULL) = (txid IS NULL)),
  CONSTRAINT publish_jobs_failed_has_code CHECK (status <> 'failed' OR error_code IS NOT NULL)
);
CREATE TRIGGER update_publish_jobs_updated_at BEFORE UPDATE ON publish_jobs
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
CREATE INDEX idx_publish_jobs_claim ON publish_jobs (status, created_at)
  WHERE status IN ('queued', 'processing');
CREATE INDEX idx_publish_jobs_unsent ON publish_jobs (status, signed_at)
  WHERE status = 'signed';
CREATE INDEX idx_publish_jobs_batch ON publish_jobs (processing_batch_id);
CREATE INDEX idx_publish_jobs_created ON publish_jobs (created_at);

-- Every status change of a job, written by trigger: the audit trail that proves I5.
CREATE TABLE publish_job_transitions (
  id          BIGSERIAL    PRIMARY KEY,
  job_id      VARCHAR(32)  NOT NULL REFERENCES publish_jobs (job_id) ON DELETE CASCADE,
  from_status VARCHAR(16),
  to_status   VARCHAR(16)  NOT NULL,
  txid        CHAR(64),
  at          TIMESTAMPTZ  NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX idx_publish_job_transitions_job ON publish_job_transitions (job_id, id);

-- Status only moves forward (docs/ARCHITECTURE.md#invariants, I5):
--   queued -> processing -> signed -> sent -> mined; failed from any non-final status;
--   processing -> queued only while no signed transaction exists;
--   signed|sent -> processing only when the same update discards the stored transaction
--     (the network definitively rejected it or a conflicting spend won), so it can be re-signed;
--   failed -> queued (operator re-drive) only without a stored transaction.
CREATE OR REPLACE FUNCTION guard_job_transition() RETURNS trigger AS $$
DECLARE
  ok BOOLEAN;
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.status <> 'queued' THEN
      RAISE EXCEPTION 'job % must start queued, not %', NEW.job_id, NEW.status
        USING ERRCODE = 'check_violation';
    END IF;
    INSERT INTO publish_job_transitions (job_id, from_status, to_status) VALUES (NEW.job_id, NULL, 'queued');
    RETURN NEW;
  END IF;
  IF NEW.status = OLD.status THEN
    RETURN NEW;
  END IF;
  ok := CASE
    WHEN OLD.status = 'queued'     AND NEW.status = 'processing' THEN TRUE
    WHEN OLD.status = 'processing' AND NEW.status = 'signed'     THEN TRUE
    WHEN OLD.status = 'signed'     AND NEW.status = 'sent'       THEN TRUE
    WHEN OLD.status = 'sent'       AND NEW.status = 'mined'      THEN TRUE
    WHEN OLD.status = 'signed'     AND NEW.status = 'mined'      THEN TRUE
    WHEN OLD.status IN ('queued', 'processing', 'signed', 'sent') AND NEW.status = 'failed' THEN TRUE
    WHEN OLD.status = 'processing' AND NEW.status = 'queued'     THEN NEW.raw_tx IS NULL
    WHEN OLD.status IN ('signed', 'sent') AND NEW.status = 'processing' THEN NEW.raw_tx IS NULL
    WHEN OLD.status = 'failed'     AND NEW.status = 'queued'     THEN NEW.raw_tx IS NULL
    ELSE FALSE
  END;
  IF NOT ok THEN
    RAISE EXCEPTION 'illegal job transition % -> % for job %', OLD.status, NEW.status, NEW.job_id
      USING ERRCODE = 'check_violation';
  END IF;
  INSERT INTO publish_job_transitions (job_id, from_status, to_status, txid)
    VALUES (NEW.job_id, OLD.status, NEW.status, NEW.txid);
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER guard_publish_jobs_insert AFTER INSERT ON publish_jobs
  FOR EACH ROW EXECUTE FUNCTION guard_job_transition();
CREATE TRIGGER guard_publish_jobs_update BEFORE UPDATE OF status ON publish_jobs
  FOR EACH ROW EXECUTE FUNCTION guard_job_transition();

-- The UTXO pool. An outpoint appears once. script_pub_key is the locking script.
--   pending:   created by one of our transactions that the network has not accepted yet
--   available: spendable, not held
--   reserved:  held by a lease (reserved_until, reserved_by)
--   spent:     an input of a transaction the network accepted (spent_by_txid)
--   retired:   never to be used again (proven spent elsewhere, swept, or abandoned)
CREATE TABLE utxos (
  id              BIGSERIAL    PRIMARY KEY,
  txid            CHAR(64)     NOT NULL CHECK (txid ~ '^[0-9a-f]{64}$'),
  vout            INTEGER      NOT NULL CHECK (vout >= 0),
  satoshis        BIGINT       NOT NULL CHECK (satoshis >= 0),
  script_pub_key  BYTEA        NOT NULL,
  purpose         VARCHAR(16)  NOT NULL CHECK (purpose IN ('publish', 'funding')),
  status          VARCHAR(16)  NOT NULL DEFAULT 'available'
                  CHECK (status IN ('pending', 'available', 'reserved', 'spent', 'retired')),
  reserved_at     TIMESTAMPTZ,
  reserved_until  TIMESTAMPTZ,
  reserved_by     VARCHAR(128),
  dirty           BOOLEAN      NOT NULL DEFAULT FALSE,
  dirty_reason    TEXT,
  dirty_at        TIMESTAMPTZ,
  spent_by_txid   CHAR(64),
  spent_at        TIMESTAMPTZ,
  chain_depth     INTEGER      NOT NULL DEFAULT 0 CHECK (chain_depth >= 0),
  block_height    INTEGER      CHECK (block_height >= 0),
  created_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
  updated_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
  CONSTRAINT utxos_outpoint_unique UNIQUE (txid, vout),
  CONSTRAINT utxos_reserved_has_lease CHECK (status <> 'reserved' OR reserved_until IS NOT NULL),
  CONSTRAINT utxos_spent_has_txid CHECK (status <> 'spent' OR spent_by_txid IS NOT NULL),
  CONSTRAINT utxos_dirty_has_reason CHECK (NOT dirty OR dirty_reason IS NOT NULL)
);
CREATE TRIGGER update_utxos_updated_at BEFORE UPDATE ON utxos
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
CREATE INDEX idx_utxos_reserved_until ON utxos (reserved_until) WHERE status = 'reserved';
CREATE INDEX idx_utxos_dirty ON utxos (dirty) WHERE dirty = TRUE;
CREATE INDEX idx_utxos_selection ON utxos (purpose, satoshis, chain_depth, id)
  WHERE status = 'available' AND dirty = FALSE;
CREATE INDEX idx_utxos_spent_by ON utxos (spent_by_txid) WHERE spent_by_txid IS NOT NULL;

-- Transactions the pool signed for itself (splits, consolidations), stored before broadcast.
CREATE TABLE pool_transactions (
  txid         CHAR(64)     PRIMARY KEY CHECK (txid ~ '^[0-9a-f]{64}$'),
  kind         VARCHAR(16)  NOT NULL CHECK (kind IN ('split', 'consolidation', 'sweep')),
  raw_tx       BYTEA        NOT NULL,
  fee_sats     BIGINT       NOT NULL CHECK (fee_sats >= 0),
  status       VARCHAR(16)  NOT NULL DEFAULT 'signed'
               CHECK (status IN ('signed', 'sent', 'mined', 'rejected')),
  attempts     INTEGER      NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  error_detail TEXT,
  created_at   TIMESTAMPTZ  NOT NULL DEFAULT now(),
  sent_at      TIMESTAMPTZ,
  mined_at     TIMESTAMPTZ,
  updated_at   TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE TRIGGER update_pool_transactions_updated_at BEFORE UPDATE ON pool_transactions
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
CREATE INDEX idx_pool_transactions_unsent ON pool_transactions (status, created_at) WHERE status = 'signed';

-- Every input of every transaction we stored, publish or pool. The primary key is the
-- database's own guard for I3: an outpoint is an input of at most one stored transaction.
-- A row is deleted only when its transaction is discarded (definitively rejected).
CREATE TABLE spends (
  outpoint_txid  CHAR(64)     NOT NULL,
  outpoint_vout  INTEGER      NOT NULL CHECK (outpoint_vout >= 0),
  spending_txid  CHAR(64)     NOT NULL CHECK (spending_txid ~ '^[0-9a-f]{64}$'),
  job_id         VARCHAR(32)  REFERENCES publish_jobs (job_id),
  satoshis       BIGINT       NOT NULL CHECK (satoshis >= 0),
  created_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
  PRIMARY KEY (outpoint_txid, outpoint_vout)
);
CREATE INDEX idx_spends_spending_txid ON spends (spending_txid);
CREATE INDEX idx_spends_job ON spends (job_id) WHERE job_id IS NOT NULL;

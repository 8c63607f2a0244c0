-- BSV top-up (docs/ACCOUNTS.md#top-up-in-bsv). An account that asks for a deposit address gets the next index:
-- its address is child <index> of the deposit branch of the service key (BIP32), never another account's.
CREATE SEQUENCE account_deposit_index MINVALUE 0 START 0;
ALTER TABLE accounts ADD COLUMN deposit_index integer CHECK (deposit_index >= 0);
CREATE UNIQUE INDEX uq_accounts_deposit_index ON accounts (deposit_index);

-- What the broadcaster (which holds the key) publishes for the functions to show: one row.
CREATE TABLE deposit_terms (
  id               boolean      PRIMARY KEY DEFAULT true CHECK (id),
  xpub             text         NOT NULL,
  network          text         NOT NULL CHECK (network IN ('main', 'test', 'regtest')),
  sats_per_credit  bigint       NOT NULL CHECK (sats_per_credit >= 1),
  confirmations    integer      NOT NULL CHECK (confirmations >= 1),
  updated_at       timestamptz  NOT NULL DEFAULT now()
);

-- Payments seen at deposit addresses: credited once (after the confirmations), then swept into the pool's funding.
CREATE TABLE deposits (
  txid         char(64)     NOT NULL CHECK (txid ~ '^[0-9a-f]{64}$'),
  vout         integer      NOT NULL CHECK (vout >= 0),
  account_id   uuid         NOT NULL REFERENCES accounts (account_id),
  satoshis     bigint       NOT NULL CHECK (satoshis > 0),
  -- the block that holds the payment as last seen (0: not mined, or reorged out)
  height       integer      NOT NULL DEFAULT 0 CHECK (height >= 0),
  seen_at      timestamptz  NOT NULL DEFAULT now(),
  credited_at  timestamptz,
  credits      bigint       CHECK (credits >= 0),
  -- the transaction that moved it to the funding address
  swept_txid   char(64),
  swept_at     timestamptz,
  PRIMARY KEY (txid, vout),
  CHECK ((credited_at IS NULL) = (credits IS NULL))
);
CREATE INDEX idx_deposits_account ON deposits (account_id, seen_at);
CREATE INDEX idx_deposits_unswept ON deposits (credited_at) WHERE credited_at IS NOT NULL AND swept_txid IS NULL;

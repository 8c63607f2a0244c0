-- Webhooks (issue 17): a client (a registered identity) registers an HTTPS URL and is POSTed every
-- status change of its jobs, signed with a secret only it and the service know.
--
-- The secret is stored as given to the client: the service must compute HMACs with it on every
-- delivery, so a hash would be useless. Rows are never deleted, only disabled (by the client, or by the
-- receiver answering 410 Gone), so dead letters and delivery history keep their webhook. The limit of
-- active webhooks per key is enforced by the registering code, not here, so it can change without a
-- migration.
CREATE TABLE webhooks (
  id              uuid PRIMARY KEY,
  pubkey          text NOT NULL,
  url             text NOT NULL,
  secret          text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  disabled_at     timestamptz,
  disabled_reason text
);
-- Fan-out looks up the active webhooks of each event's key.
CREATE INDEX idx_webhooks_active_pubkey ON webhooks (pubkey) WHERE disabled_at IS NULL;

-- The outbox: one row per (webhook, event), written by the fan-out in the same transaction that moves
-- its cursor, so an event is either in the outbox or still ahead of the cursor; a restart loses nothing.
-- The unique key makes writing it twice (two broadcasters, a retried batch) harmless.
-- The body is stored as sent: the signature covers these exact bytes, and a replay sends them again.
-- Delivery is in order per job: a worker only takes the oldest undelivered row of a (webhook, job).
-- A row being delivered stays 'pending' with next_attempt_at pushed past the HTTP timeout (a lease):
-- no transaction is held during the HTTP call, and a worker that dies leaves the row to be retried.
CREATE TABLE webhook_deliveries (
  id               bigserial PRIMARY KEY,
  webhook_id       uuid NOT NULL REFERENCES webhooks (id),
  event_id         text NOT NULL,
  job_id           text NOT NULL,
  body             bytea NOT NULL,
  attempts         integer NOT NULL DEFAULT 0,
  first_attempt_at timestamptz,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
  last_status_code integer,
  -- Short and free of secrets: an HTTP status or an exception class, never a header or a body.
  last_error       text,
  delivered_at     timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (webhook_id, event_id)
);
-- Workers look for due pending rows; delivered rows (the bulk) stay out of this index.
CREATE INDEX idx_webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
-- "The oldest pending row of this (webhook, job)" and the dead-letter list of a webhook.
CREATE INDEX idx_webhook_deliveries_job ON webhook_deliveries (webhook_id, job_id, id) WHERE status <> 'delivered';

-- Where the fan-out has read the job event log up to (an EventId, "<xact>-<id>"). One row, held
-- FOR UPDATE by the fan-out while it writes a batch, so two broadcasters take turns instead of both
-- writing the same batch. The log starts at this migration, so the cursor starts at the beginning.
CREATE TABLE webhook_fanout_cursor (
  singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  after_xact text NOT NULL DEFAULT '0',
  after_id   bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO webhook_fanout_cursor (singleton) VALUES (true);

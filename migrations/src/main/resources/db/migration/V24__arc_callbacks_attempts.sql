-- How often the broadcaster tried and failed to apply a callback; after its limit
-- (raregen.broadcaster.callbacks.max-attempts) the row is closed with outcome 'failed' so it
-- cannot hold up newer ones. The confirmation poller still finds such a transaction mined.
ALTER TABLE arc_callbacks ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0);

-- A webhook registration is a signed request like a publish: the same envelope sent again (a replay,
-- or a client's retry) must not create a second webhook with a second secret. The nonce of the
-- registering envelope is kept, unique per key (registrations before this migration have none).
ALTER TABLE webhooks ADD COLUMN register_nonce text;
CREATE UNIQUE INDEX uq_webhooks_register_nonce ON webhooks (pubkey, register_nonce);

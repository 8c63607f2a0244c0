-- A job's request body stored only when it says more than the job's own columns (#18 part 1).
--
-- The intake keeps the publish request body exactly as accepted (V29: `envelope`, and its SHA-256) because
-- the receipt hands it back for an offline hash check. In the usual case that body is nothing but the
-- envelope's three strings (and the mode, when not the default) written in one canonical way, and those
-- strings are already columns of the same row: the row carried them twice, and every later row version
-- (signed, sent, mined) re-wrote both copies — about 1.4 KB of WAL per record at a typical size.
--
-- publish_body() writes that canonical body. The intake stores `envelope` NULL when the body is byte for
-- byte equal to it (NULLIF), and keeps it when it is not (other key order, spaces, escapes); the SHA-256 is
-- stored either way. Readers take COALESCE(envelope, publish_body(...)) for rows with a SHA-256, which gives
-- back the accepted bytes in both cases. Rows stored before this migration keep their bodies.
--
-- The canonical body, in the order clients send it (the CLI, the web app):
--   record mode: {"signedPayload":<s>,"signature":<s>,"pubkey":<s>}
--   other modes: {"mode":<s>,"signedPayload":<s>,"signature":<s>,"pubkey":<s>}
-- with each <s> a JSON string as to_json(text) writes it (no spaces anywhere).
CREATE FUNCTION publish_body(signed_payload TEXT, signature TEXT, pubkey TEXT, mode TEXT) RETURNS BYTEA
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT convert_to(
           CASE WHEN mode = 'record' THEN '{' ELSE '{"mode":' || to_json(mode)::text || ',' END
           || '"signedPayload":' || to_json(signed_payload)::text
           || ',"signature":' || to_json(signature)::text
           || ',"pubkey":' || to_json(pubkey)::text || '}',
           'UTF8')
$$;

COMMENT ON COLUMN publish_jobs.envelope IS
  'the request body as accepted, or NULL when it equals publish_body(signed_payload, signature, pubkey, mode) (V42); NULL with a NULL envelope_sha256 for jobs from before V29';

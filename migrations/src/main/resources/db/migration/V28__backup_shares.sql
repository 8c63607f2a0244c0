-- Key backup (docs/BACKUP.md): at most one backup share per identity, sealed on the client under the
-- user's passphrase, so the service can neither read it nor rebuild a key from it (the user keeps the
-- other shares). A delete keeps the row with share NULL: signed_at (the createdAt of the last accepted
-- signed request) must grow with every write, so a replayed older PUT cannot bring a deleted or
-- replaced share back.
CREATE TABLE backup_shares (
  pubkey      VARCHAR(66)   PRIMARY KEY REFERENCES identities (pubkey),
  share       TEXT          CHECK (share IS NULL OR length(share) <= 4096),
  signed_at   TIMESTAMPTZ   NOT NULL,
  nonce       VARCHAR(128)  NOT NULL,
  updated_at  TIMESTAMPTZ   NOT NULL DEFAULT now()
);
CREATE TRIGGER update_backup_shares_updated_at BEFORE UPDATE ON backup_shares
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

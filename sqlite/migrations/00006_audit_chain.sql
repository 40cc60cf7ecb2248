-- +goose Up
-- The audit log is chained: each entry holds a hash of itself and of the
-- entry before it (hash), keyed with the keyring's key key_id (HMAC-SHA256)
-- or, where no keyring is configured, plain SHA-256 (key_id ''). Entries
-- made before this migration keep hash '' and stand before the chain's
-- first link. The store gives each new entry the id after the last, so a
-- gap in the ids is a deleted entry (sqlstore/auditchain.go).
ALTER TABLE audit_log ADD COLUMN key_id TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN hash TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE audit_log DROP COLUMN hash;
ALTER TABLE audit_log DROP COLUMN key_id;

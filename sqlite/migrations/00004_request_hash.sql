-- The SHA-256 of a keyed check-in's request as its caller sent it: a second
-- request under the same Idempotency-Key replays the first only when it is the
-- same request. NULL for a check-in without a key, and for those stored before
-- this column, which replay as they did.

-- +goose Up
ALTER TABLE check_ins ADD COLUMN request_hash BLOB CHECK (request_hash IS NULL OR length(request_hash) = 32);

-- +goose Down
ALTER TABLE check_ins DROP COLUMN request_hash;

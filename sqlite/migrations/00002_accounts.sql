-- Accounts, audit, token scopes and idempotent check-ins. Times are TEXT in
-- the fixed-width UTC form of 00001, so they compare and sort as text.
-- staff_sessions keep a hash of the cookie's secret, never the secret.
-- login_failures count failed sign-ins under a key ("email:…", "addr:…").
-- audit_log is append-only: triggers refuse every UPDATE and DELETE, and it
-- holds no health data, so erasing a client leaves it as it is; clinic_id is
-- NULL for an attempt that could not be tied to a clinic.

-- +goose Up
CREATE UNIQUE INDEX users_clinic_id_key ON users (clinic_id, id);

CREATE TABLE staff_sessions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    clinic_id    INTEGER NOT NULL,
    user_id      INTEGER NOT NULL,
    hash         BLOB NOT NULL UNIQUE,
    address      TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    idle_until   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    FOREIGN KEY (clinic_id, user_id) REFERENCES users (clinic_id, id)
);
CREATE INDEX staff_sessions_user_idx ON staff_sessions (user_id);

CREATE TABLE login_failures (
    key            TEXT PRIMARY KEY CHECK (key <> ''),
    failures       INTEGER NOT NULL CHECK (failures > 0),
    last_failed_at TEXT NOT NULL
);

CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    clinic_id  INTEGER REFERENCES clinics (id),
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL CHECK (actor <> ''),
    action     TEXT NOT NULL CHECK (action <> ''),
    object     TEXT NOT NULL DEFAULT '',
    client_id  INTEGER,
    outcome    TEXT NOT NULL CHECK (outcome <> ''),
    address    TEXT NOT NULL DEFAULT '',
    request_id TEXT NOT NULL DEFAULT '',
    route      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_clinic_idx ON audit_log (clinic_id, at, id);

-- +goose StatementBegin
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: entries are never changed');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: entries are never deleted');
END;
-- +goose StatementEnd

-- Tokens made before scopes existed keep what they could do: read and write
-- (aftercare.DefaultTokenScopes). Scopes are a JSON array of text.
ALTER TABLE api_tokens ADD COLUMN scopes TEXT NOT NULL DEFAULT '["read","write"]'
    CHECK (json_valid(scopes) AND json_type(scopes) = 'array');

-- A retried check-in (same session, same Idempotency-Key) finds the first;
-- '' is no key, and check-ins without one never clash.
ALTER TABLE check_ins ADD COLUMN idempotency_key TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX check_ins_idempotency_key ON check_ins (session_id, idempotency_key)
    WHERE idempotency_key <> '';

-- +goose Down
DROP INDEX check_ins_idempotency_key;
ALTER TABLE check_ins DROP COLUMN idempotency_key;
ALTER TABLE api_tokens DROP COLUMN scopes;
DROP TABLE audit_log;
DROP TABLE login_failures;
DROP TABLE staff_sessions;
DROP INDEX users_clinic_id_key;

-- Accounts, audit, token scopes and idempotent check-ins: the same tables and
-- columns as the SQLite store's 00002, in PostgreSQL's types. staff_sessions
-- keep a hash of the cookie's secret, never the secret. login_failures count
-- failed sign-ins under a key ("email:…", "addr:…"). audit_log is
-- append-only: triggers refuse every UPDATE, DELETE and TRUNCATE, and it holds
-- no health data, so erasing a client leaves it as it is; clinic_id is NULL
-- for an attempt that could not be tied to a clinic.

-- +goose Up
CREATE UNIQUE INDEX users_clinic_id_key ON users (clinic_id, id);

CREATE TABLE staff_sessions (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clinic_id    bigint NOT NULL,
    user_id      bigint NOT NULL,
    hash         bytea NOT NULL UNIQUE,
    address      text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    idle_until   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    FOREIGN KEY (clinic_id, user_id) REFERENCES users (clinic_id, id)
);
CREATE INDEX staff_sessions_user_idx ON staff_sessions (user_id);

CREATE TABLE login_failures (
    key            text PRIMARY KEY CHECK (key <> ''),
    failures       integer NOT NULL CHECK (failures > 0),
    last_failed_at timestamptz NOT NULL
);

CREATE TABLE audit_log (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clinic_id  bigint REFERENCES clinics (id),
    at         timestamptz NOT NULL,
    actor      text NOT NULL CHECK (actor <> ''),
    action     text NOT NULL CHECK (action <> ''),
    object     text NOT NULL DEFAULT '',
    client_id  bigint,
    outcome    text NOT NULL CHECK (outcome <> ''),
    address    text NOT NULL DEFAULT '',
    request_id text NOT NULL DEFAULT '',
    route      text NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_clinic_idx ON audit_log (clinic_id, at, id);

-- +goose StatementBegin
CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
-- +goose StatementEnd

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();

-- Tokens made before scopes existed keep what they could do: read and write
-- (aftercare.DefaultTokenScopes).
ALTER TABLE api_tokens ADD COLUMN scopes text[] NOT NULL DEFAULT '{read,write}';

-- A retried check-in (same session, same Idempotency-Key) finds the first;
-- '' is no key, and check-ins without one never clash.
ALTER TABLE check_ins ADD COLUMN idempotency_key text NOT NULL DEFAULT '';
CREATE UNIQUE INDEX check_ins_idempotency_key ON check_ins (session_id, idempotency_key)
    WHERE idempotency_key <> '';

-- +goose Down
DROP INDEX check_ins_idempotency_key;
ALTER TABLE check_ins DROP COLUMN idempotency_key;
ALTER TABLE api_tokens DROP COLUMN scopes;
DROP TABLE audit_log;
DROP FUNCTION audit_log_refuse_change();
DROP TABLE login_failures;
DROP TABLE staff_sessions;
DROP INDEX users_clinic_id_key;

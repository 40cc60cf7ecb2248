-- The clinic side's schema: the same tables and columns as the SQLite store's,
-- in PostgreSQL's types. request and assessment are json, kept verbatim (jsonb
-- would refuse the \u0000 escape a client might type). Every table holding a
-- clinic's data carries clinic_id, and rows under a client or session refer to
-- it through (clinic_id, id), so a row can never hang under another clinic's
-- parent.

-- +goose Up
CREATE TABLE clinics (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name             text NOT NULL CHECK (name <> ''),
    emergency_number text NOT NULL DEFAULT '',
    follow_up_hours  jsonb NOT NULL DEFAULT '[]',
    notify_email     text NOT NULL DEFAULT '',
    webhook_url      text NOT NULL DEFAULT '',
    webhook_secret   text NOT NULL DEFAULT '',
    created_at       timestamptz NOT NULL
);

CREATE TABLE users (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clinic_id     bigint NOT NULL REFERENCES clinics (id),
    email         text NOT NULL CHECK (email <> ''),
    role          text NOT NULL CHECK (role IN ('owner', 'therapist')),
    password_hash text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_clinic_idx ON users (clinic_id);

CREATE TABLE api_tokens (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clinic_id    bigint NOT NULL REFERENCES clinics (id),
    name         text NOT NULL,
    hash         bytea NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL,
    last_used_at timestamptz,
    revoked_at   timestamptz
);
CREATE INDEX api_tokens_clinic_idx ON api_tokens (clinic_id);

CREATE TABLE clients (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clinic_id  bigint NOT NULL REFERENCES clinics (id),
    name       text NOT NULL,
    email      text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL,
    UNIQUE (clinic_id, id)
);

CREATE TABLE screenings (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clinic_id  bigint NOT NULL,
    client_id  bigint NOT NULL,
    health     jsonb NOT NULL DEFAULT '[]',
    notes      text NOT NULL DEFAULT '',
    cautions   jsonb NOT NULL DEFAULT '[]',
    created_at timestamptz NOT NULL,
    FOREIGN KEY (clinic_id, client_id) REFERENCES clients (clinic_id, id)
);
CREATE INDEX screenings_client_idx ON screenings (clinic_id, client_id, created_at);

CREATE TABLE sessions (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clinic_id     bigint NOT NULL,
    client_id     bigint NOT NULL,
    style         text NOT NULL DEFAULT '',
    pressure      text NOT NULL DEFAULT '',
    areas_worked  jsonb NOT NULL DEFAULT '[]',
    area_pressure jsonb NOT NULL DEFAULT '{}',
    ended_at      timestamptz NOT NULL,
    notes         text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL,
    UNIQUE (clinic_id, id),
    FOREIGN KEY (clinic_id, client_id) REFERENCES clients (clinic_id, id)
);
CREATE INDEX sessions_client_idx ON sessions (clinic_id, client_id);

CREATE TABLE session_links (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clinic_id  bigint NOT NULL,
    session_id bigint NOT NULL,
    hash       bytea NOT NULL UNIQUE,
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz,
    created_at timestamptz NOT NULL,
    FOREIGN KEY (clinic_id, session_id) REFERENCES sessions (clinic_id, id)
);
CREATE INDEX session_links_session_idx ON session_links (session_id);

CREATE TABLE follow_ups (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clinic_id  bigint NOT NULL,
    session_id bigint NOT NULL,
    hours      integer NOT NULL CHECK (hours > 0),
    due_at     timestamptz NOT NULL,
    status     text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'sent', 'skipped')),
    sent_at    timestamptz,
    UNIQUE (session_id, hours),
    FOREIGN KEY (clinic_id, session_id) REFERENCES sessions (clinic_id, id)
);
CREATE INDEX follow_ups_due_idx ON follow_ups (due_at) WHERE status = 'scheduled';

CREATE TABLE check_ins (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clinic_id         bigint NOT NULL,
    session_id        bigint NOT NULL,
    hours_since       double precision NOT NULL,
    request           json NOT NULL,
    assessment        json NOT NULL,
    level             text NOT NULL CHECK (level IN ('self_care', 'monitor', 'consult', 'urgent', 'emergency')),
    knowledge_version text NOT NULL DEFAULT '',
    created_at        timestamptz NOT NULL,
    UNIQUE (clinic_id, id),
    FOREIGN KEY (clinic_id, session_id) REFERENCES sessions (clinic_id, id)
);
CREATE INDEX check_ins_session_idx ON check_ins (session_id, created_at, id);

CREATE TABLE flags (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clinic_id   bigint NOT NULL,
    check_in_id bigint NOT NULL UNIQUE,
    level       text NOT NULL CHECK (level IN ('consult', 'urgent', 'emergency')),
    headline    text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL,
    acked_at    timestamptz,
    acked_by    text NOT NULL DEFAULT '',
    FOREIGN KEY (clinic_id, check_in_id) REFERENCES check_ins (clinic_id, id)
);
CREATE INDEX flags_open_idx ON flags (clinic_id, created_at, id) WHERE acked_at IS NULL;

-- +goose Down
DROP TABLE flags;
DROP TABLE check_ins;
DROP TABLE follow_ups;
DROP TABLE session_links;
DROP TABLE sessions;
DROP TABLE screenings;
DROP TABLE clients;
DROP TABLE api_tokens;
DROP TABLE users;
DROP TABLE clinics;

-- The clinic side's schema. Times are TEXT in one fixed-width UTC form
-- (2006-01-02T15:04:05.000000Z), so they compare and sort as text. JSON
-- columns hold JSON text. Every table holding a clinic's data carries
-- clinic_id, and rows under a client or session refer to it through
-- (clinic_id, id), so a row can never hang under another clinic's parent.
-- Ids are AUTOINCREMENT, never reused, as in PostgreSQL: River's unique
-- follow-up jobs are keyed by them.

-- +goose Up
CREATE TABLE clinics (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    name             TEXT NOT NULL CHECK (name <> ''),
    emergency_number TEXT NOT NULL DEFAULT '',
    follow_up_hours  TEXT NOT NULL DEFAULT '[]',
    notify_email     TEXT NOT NULL DEFAULT '',
    webhook_url      TEXT NOT NULL DEFAULT '',
    webhook_secret   TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    clinic_id     INTEGER NOT NULL REFERENCES clinics (id),
    email         TEXT NOT NULL CHECK (email <> ''),
    role          TEXT NOT NULL CHECK (role IN ('owner', 'therapist')),
    password_hash TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_clinic_idx ON users (clinic_id);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    clinic_id    INTEGER NOT NULL REFERENCES clinics (id),
    name         TEXT NOT NULL,
    hash         BLOB NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);
CREATE INDEX api_tokens_clinic_idx ON api_tokens (clinic_id);

CREATE TABLE clients (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    clinic_id  INTEGER NOT NULL REFERENCES clinics (id),
    name       TEXT NOT NULL,
    email      TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    UNIQUE (clinic_id, id)
);

CREATE TABLE screenings (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    clinic_id  INTEGER NOT NULL,
    client_id  INTEGER NOT NULL,
    health     TEXT NOT NULL DEFAULT '[]',
    notes      TEXT NOT NULL DEFAULT '',
    cautions   TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL,
    FOREIGN KEY (clinic_id, client_id) REFERENCES clients (clinic_id, id)
);
CREATE INDEX screenings_client_idx ON screenings (clinic_id, client_id, created_at);

CREATE TABLE sessions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    clinic_id     INTEGER NOT NULL,
    client_id     INTEGER NOT NULL,
    style         TEXT NOT NULL DEFAULT '',
    pressure      TEXT NOT NULL DEFAULT '',
    areas_worked  TEXT NOT NULL DEFAULT '[]',
    area_pressure TEXT NOT NULL DEFAULT '{}',
    ended_at      TEXT NOT NULL,
    notes         TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    UNIQUE (clinic_id, id),
    FOREIGN KEY (clinic_id, client_id) REFERENCES clients (clinic_id, id)
);
CREATE INDEX sessions_client_idx ON sessions (clinic_id, client_id);

CREATE TABLE session_links (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    clinic_id  INTEGER NOT NULL,
    session_id INTEGER NOT NULL,
    hash       BLOB NOT NULL UNIQUE,
    expires_at TEXT NOT NULL,
    revoked_at TEXT,
    created_at TEXT NOT NULL,
    FOREIGN KEY (clinic_id, session_id) REFERENCES sessions (clinic_id, id)
);
CREATE INDEX session_links_session_idx ON session_links (session_id);

CREATE TABLE follow_ups (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    clinic_id  INTEGER NOT NULL,
    session_id INTEGER NOT NULL,
    hours      INTEGER NOT NULL CHECK (hours > 0),
    due_at     TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'sent', 'skipped')),
    sent_at    TEXT,
    UNIQUE (session_id, hours),
    FOREIGN KEY (clinic_id, session_id) REFERENCES sessions (clinic_id, id)
);
CREATE INDEX follow_ups_due_idx ON follow_ups (due_at) WHERE status = 'scheduled';

CREATE TABLE check_ins (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    clinic_id         INTEGER NOT NULL,
    session_id        INTEGER NOT NULL,
    hours_since       REAL NOT NULL,
    request           TEXT NOT NULL,
    assessment        TEXT NOT NULL,
    level             TEXT NOT NULL CHECK (level IN ('self_care', 'monitor', 'consult', 'urgent', 'emergency')),
    knowledge_version TEXT NOT NULL DEFAULT '',
    created_at        TEXT NOT NULL,
    UNIQUE (clinic_id, id),
    FOREIGN KEY (clinic_id, session_id) REFERENCES sessions (clinic_id, id)
);
CREATE INDEX check_ins_session_idx ON check_ins (session_id, created_at, id);

CREATE TABLE flags (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    clinic_id   INTEGER NOT NULL,
    check_in_id INTEGER NOT NULL UNIQUE,
    level       TEXT NOT NULL CHECK (level IN ('consult', 'urgent', 'emergency')),
    headline    TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    acked_at    TEXT,
    acked_by    TEXT NOT NULL DEFAULT '',
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

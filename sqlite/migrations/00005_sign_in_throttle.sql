-- Sign-in throttling reserves each attempt before its password is checked:
-- login_failures counts attempts since the key's last success, and
-- prev_failed_at keeps the time of the attempt before the last, so that one
-- statement both counts an attempt and says how long after the one before it
-- came. login_addresses remembers, as a SHA-256 of the email and the network,
-- where each staff member has signed in before; the throttle of an email
-- across addresses spares those. api_tokens may expire (NULL: never), and a
-- user may be disabled (NULL: enabled). Times are TEXT as in 00001.

-- +goose Up
ALTER TABLE login_failures ADD COLUMN prev_failed_at TEXT;

CREATE TABLE login_addresses (
    hash         BLOB PRIMARY KEY CHECK (length(hash) = 32),
    last_seen_at TEXT NOT NULL
);
CREATE INDEX login_addresses_seen_idx ON login_addresses (last_seen_at);

ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
ALTER TABLE users ADD COLUMN disabled_at TEXT;

-- +goose Down
ALTER TABLE users DROP COLUMN disabled_at;
ALTER TABLE api_tokens DROP COLUMN expires_at;
DROP TABLE login_addresses;
ALTER TABLE login_failures DROP COLUMN prev_failed_at;

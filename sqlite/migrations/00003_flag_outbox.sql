-- The flags whose notice job River has not yet been given. A flag and its row
-- here are written in the check-in's transaction; the store's sweeper hands
-- the waiting notices to River many at a time and deletes their rows in one
-- transaction (sqlite/outbox.go). Erasing a flag takes its row with it.

-- +goose Up
CREATE TABLE flag_outbox (
    flag_id INTEGER PRIMARY KEY REFERENCES flags (id) ON DELETE CASCADE
);

-- +goose Down
-- Serve queues the waiting notices before it stops; rows left here are lost.
DROP TABLE flag_outbox;

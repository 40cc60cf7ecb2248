-- A client's timeline reads each session's follow-ups and the expiry of its
-- client links by session id. With the columns it reads kept in those indexes
-- (INCLUDE), both reads are index-only scans: no page of follow_ups or
-- session_links to fetch once vacuum has marked the pages all-visible, which
-- autovacuum does for these tables, whose rows are written once and changed
-- rarely. The unique index on (session_id, hours) replaces the constraint's
-- own, so follow-ups keep one index for both jobs. On a large database these
-- CREATE INDEX statements hold off writes to the two tables while they run.

-- +goose Up
CREATE UNIQUE INDEX follow_ups_session_hours_key ON follow_ups (session_id, hours)
    INCLUDE (clinic_id, due_at, status, sent_at);
ALTER TABLE follow_ups DROP CONSTRAINT follow_ups_session_id_hours_key;
CREATE INDEX session_links_session_cover_idx ON session_links (session_id)
    INCLUDE (clinic_id, expires_at, revoked_at);
DROP INDEX session_links_session_idx;

-- +goose Down
ALTER TABLE follow_ups ADD CONSTRAINT follow_ups_session_id_hours_key UNIQUE (session_id, hours);
DROP INDEX follow_ups_session_hours_key;
CREATE INDEX session_links_session_idx ON session_links (session_id);
DROP INDEX session_links_session_cover_idx;

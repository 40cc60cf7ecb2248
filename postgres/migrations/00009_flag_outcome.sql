-- +goose Up
-- A client's phone number, for calling back about a flag; what came of
-- acknowledging a flag (a code of aftercare.Outcomes and a short note); and
-- what became of a follow-up's last delivery attempt: 'delivered' (the mail
-- server accepted the mail, the webhook answered 2xx) or 'failed', with why.
ALTER TABLE clients ADD COLUMN phone text NOT NULL DEFAULT '';
ALTER TABLE flags ADD COLUMN outcome text NOT NULL DEFAULT ''
    CHECK (outcome IN ('', 'called', 'advised_doctor', 'advised_emergency', 'no_answer', 'left_message', 'other'));
ALTER TABLE flags ADD COLUMN outcome_note text NOT NULL DEFAULT '';
ALTER TABLE follow_ups ADD COLUMN delivery text NOT NULL DEFAULT ''
    CHECK (delivery IN ('', 'delivered', 'failed'));
ALTER TABLE follow_ups ADD COLUMN delivery_error text NOT NULL DEFAULT '';
ALTER TABLE follow_ups ADD COLUMN delivery_at timestamptz;
-- The timeline reads a follow-up's delivery with the rest of it: the index
-- it reads from alone (00005) carries the new columns too. What a failure
-- says is kept short (aftercare.MaxDeliveryErrorChars), well within an
-- index entry. On a large database this holds off writes to follow_ups
-- while the index is built.
CREATE UNIQUE INDEX follow_ups_session_hours_key_new ON follow_ups (session_id, hours)
    INCLUDE (clinic_id, due_at, status, sent_at, delivery, delivery_error, delivery_at);
DROP INDEX follow_ups_session_hours_key;
ALTER INDEX follow_ups_session_hours_key_new RENAME TO follow_ups_session_hours_key;

-- +goose Down
CREATE UNIQUE INDEX follow_ups_session_hours_key_old ON follow_ups (session_id, hours)
    INCLUDE (clinic_id, due_at, status, sent_at);
DROP INDEX follow_ups_session_hours_key;
ALTER INDEX follow_ups_session_hours_key_old RENAME TO follow_ups_session_hours_key;
ALTER TABLE follow_ups DROP COLUMN delivery_at;
ALTER TABLE follow_ups DROP COLUMN delivery_error;
ALTER TABLE follow_ups DROP COLUMN delivery;
ALTER TABLE flags DROP COLUMN outcome_note;
ALTER TABLE flags DROP COLUMN outcome;
ALTER TABLE clients DROP COLUMN phone;

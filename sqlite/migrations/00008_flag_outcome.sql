-- +goose Up
-- A client's phone number, for calling back about a flag; what came of
-- acknowledging a flag (a code of aftercare.Outcomes and a short note); and
-- what became of a follow-up's last delivery attempt: 'delivered' (the mail
-- server accepted the mail, the webhook answered 2xx) or 'failed', with why.
ALTER TABLE clients ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE flags ADD COLUMN outcome TEXT NOT NULL DEFAULT ''
    CHECK (outcome IN ('', 'called', 'advised_doctor', 'advised_emergency', 'no_answer', 'left_message', 'other'));
ALTER TABLE flags ADD COLUMN outcome_note TEXT NOT NULL DEFAULT '';
ALTER TABLE follow_ups ADD COLUMN delivery TEXT NOT NULL DEFAULT ''
    CHECK (delivery IN ('', 'delivered', 'failed'));
ALTER TABLE follow_ups ADD COLUMN delivery_error TEXT NOT NULL DEFAULT '';
ALTER TABLE follow_ups ADD COLUMN delivery_at TEXT;

-- +goose Down
ALTER TABLE follow_ups DROP COLUMN delivery_at;
ALTER TABLE follow_ups DROP COLUMN delivery_error;
ALTER TABLE follow_ups DROP COLUMN delivery;
ALTER TABLE flags DROP COLUMN outcome_note;
ALTER TABLE flags DROP COLUMN outcome;
ALTER TABLE clients DROP COLUMN phone;

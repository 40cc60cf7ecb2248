-- +goose Up
-- Each clinic has a time zone, an IANA name such as Europe/London: the staff
-- pages, the clinic's notices and the reminder times are shown in it. The
-- clinics made before it keep UTC, as every time was shown before.
ALTER TABLE clinics ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC' CHECK (time_zone <> '');

-- +goose Down
ALTER TABLE clinics DROP COLUMN time_zone;

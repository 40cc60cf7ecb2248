package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"

	"aftercare"
)

// The existence checks a write makes before it refers to a row.
const (
	ClinicExists  = `SELECT 1 FROM clinics WHERE id = ?`
	ClientExists  = `SELECT 1 FROM clients WHERE clinic_id = ? AND id = ?`
	SessionExists = `SELECT 1 FROM sessions WHERE clinic_id = ? AND id = ?`
)

// CreateClinic stores a new clinic; FollowUpHours default to aftercare.DefaultFollowUpHours.
func (s *Store) CreateClinic(ctx context.Context, c *aftercare.Clinic) error {
	if err := c.Prepare(); err != nil {
		return err
	}
	created := aftercare.StoredTimeOr(c.CreatedAt, s.now())
	hours, err := json.Marshal(c.FollowUpHours)
	if err != nil {
		return err
	}
	id, err := s.d.insert(ctx, s.write, `INSERT INTO clinics
		(name, emergency_number, follow_up_hours, notify_email, webhook_url, webhook_secret, time_zone, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		c.Name, c.EmergencyNumber, s.d.JSON(hours), c.NotifyEmail, c.WebhookURL, c.WebhookSecret, c.TimeZone, s.d.Time(created))
	if err != nil {
		return err
	}
	c.ID, c.CreatedAt = id, created
	return nil
}

const clinicSelect = `SELECT id, name, emergency_number, follow_up_hours, notify_email, webhook_url, webhook_secret,
	time_zone, created_at FROM clinics`

func scanClinic(r Row) (*aftercare.Clinic, error) {
	var c aftercare.Clinic
	err := r.Scan(&c.ID, &c.Name, &c.EmergencyNumber, JSON(&c.FollowUpHours), &c.NotifyEmail, &c.WebhookURL,
		&c.WebhookSecret, &c.TimeZone, Time(&c.CreatedAt))
	return &c, err
}

// FindClinic returns the clinic with the given id.
func (s *Store) FindClinic(ctx context.Context, id int64) (*aftercare.Clinic, error) {
	return one(ctx, s.d, s.read, "clinic", scanClinic, clinicSelect+` WHERE id = ?`, id)
}

// ListClinics returns every clinic, oldest first.
func (s *Store) ListClinics(ctx context.Context) ([]*aftercare.Clinic, error) {
	return list(ctx, s.d, s.read, scanClinic, clinicSelect+` ORDER BY id`)
}

// SetClinicTimeZone changes the clinic's time zone, an IANA name; a name that
// is not one is refused before anything is written.
func (s *Store) SetClinicTimeZone(ctx context.Context, id int64, name string) error {
	if err := aftercare.ValidateTimeZone("time_zone", name); err != nil {
		return err
	}
	return s.update(ctx, "clinic", `UPDATE clinics SET time_zone = ? WHERE id = ?`, name, id)
}

// insertUnder inserts a row under a parent that the existence query parent
// finds (ENOTFOUND naming what otherwise), in one transaction, and returns its id.
func (s *Store) insertUnder(ctx context.Context, what, parent string, parentArgs []any, query string, args ...any) (id int64, err error) {
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.d.MustExist(ctx, tx, what, parent, parentArgs...); err != nil {
			return err
		}
		id, err = s.d.insert(ctx, tx, query, args...)
		return err
	})
	return id, err
}

package sqlstore

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"aftercare"
)

// CheckInColumns are a check-in's columns as ScanCheckIn reads them.
const CheckInColumns = `id, clinic_id, session_id, hours_since, request, assessment, idempotency_key, created_at`

// ScanCheckIn reads a row of CheckInColumns.
func ScanCheckIn(r Row) (*aftercare.CheckIn, error) {
	var c aftercare.CheckIn
	err := r.Scan(&c.ID, &c.ClinicID, &c.SessionID, &c.HoursSince, JSON(&c.Request), JSON(&c.Assessment),
		&c.IdempotencyKey, Time(&c.CreatedAt))
	return &c, err
}

// FindKeyedCheckIn returns the check-in a session stored under an idempotency
// key, with its request's hash and its flag (nil below consult), or nil when
// there is none; row runs the queries, in the transaction of the write.
func (d *Dialect) FindKeyedCheckIn(row QueryRow, clinicID, sessionID int64, key string) (*aftercare.CheckIn, *aftercare.Flag, error) {
	var hash []byte
	c, err := ScanCheckIn(withHash{row(d.Rebind(`SELECT `+CheckInColumns+`, request_hash FROM check_ins
		WHERE clinic_id = ? AND session_id = ? AND idempotency_key = ?`), clinicID, sessionID, key), &hash})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, nil
	} else if err != nil {
		return nil, nil, d.Err(err)
	}
	c.RequestHash = hash
	f, err := ScanFlag(row(d.Rebind(FlagSelect+` WHERE f.clinic_id = ? AND f.check_in_id = ?`), clinicID, c.ID))
	if errors.Is(err, sql.ErrNoRows) {
		return c, nil, nil
	} else if err != nil {
		return nil, nil, fmt.Errorf("%s: flag of check-in %d: %w", d.Name, c.ID, d.Err(err))
	}
	return c, f, nil
}

// withHash scans a row of CheckInColumns followed by request_hash into hash.
type withHash struct {
	row  Row
	hash *[]byte
}

func (w withHash) Scan(dest ...any) error { return w.row.Scan(append(dest, w.hash)...) }

// SessionColumns are a session's columns and, last, when its last client
// link stops working (expiry or revocation; NULL without links), as
// ScanSession reads them.
func (d *Dialect) SessionColumns() string {
	return `id, clinic_id, client_id, style, pressure, areas_worked, area_pressure, ended_at, notes, created_at,
	(SELECT max(` + d.Least + `(l.expires_at, coalesce(l.revoked_at, l.expires_at))) FROM session_links l
		WHERE l.clinic_id = sessions.clinic_id AND l.session_id = sessions.id)`
}

// ScanSession reads a row of SessionColumns; its follow-ups are an empty list.
func ScanSession(r Row) (*aftercare.Session, error) {
	se := aftercare.Session{FollowUps: []aftercare.FollowUp{}}
	var until *time.Time
	if err := r.Scan(&se.ID, &se.ClinicID, &se.ClientID, &se.Style, &se.Pressure,
		JSON(&se.AreasWorked), JSON(&se.AreaPressure), Time(&se.EndedAt), &se.Notes,
		Time(&se.CreatedAt), NullTime(&until)); err != nil {
		return nil, err
	}
	if until != nil {
		se.LinkExpiresAt = *until
	}
	return &se, nil
}

// FollowUpColumns are a follow-up's columns, with its session's id first, as
// ScanFollowUp reads them.
const FollowUpColumns = `session_id, hours, due_at, status, sent_at, delivery, delivery_error, delivery_at`

// ScanFollowUp reads a row of FollowUpColumns.
func ScanFollowUp(r Row) (sessionID int64, f aftercare.FollowUp, err error) {
	err = r.Scan(&sessionID, &f.Hours, Time(&f.DueAt), &f.Status, NullTime(&f.SentAt),
		&f.Delivery, &f.DeliveryError, NullTime(&f.DeliveryAt))
	return sessionID, f, err
}

// StoredCheckIn checks the check-in (Prepare) and returns what a store writes
// for it: the time it was made (CreatedAt, or now when unset), and its request
// and answer as JSON.
func StoredCheckIn(c *aftercare.CheckIn, now time.Time) (created time.Time, request, assessment []byte, err error) {
	if err := c.Prepare(); err != nil {
		return time.Time{}, nil, nil, err
	}
	created = aftercare.StoredTimeOr(c.CreatedAt, now)
	if request, err = json.Marshal(c.Request); err != nil {
		return created, nil, nil, aftercare.Errorf(aftercare.EINVALID, "request", "the request cannot be stored: %v", err)
	}
	if assessment, err = json.Marshal(c.Assessment); err != nil {
		return created, nil, nil, aftercare.Errorf(aftercare.EINVALID, "assessment", "the assessment cannot be stored: %v", err)
	}
	return created, request, assessment, nil
}

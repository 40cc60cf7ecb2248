package sqlstore

import (
	"context"
	"database/sql"
	"errors"

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
// there is none.
func (d *Dialect) FindKeyedCheckIn(ctx context.Context, q Querier, clinicID, sessionID int64, key string) (*aftercare.CheckIn, *aftercare.Flag, error) {
	var hash []byte
	c, err := ScanCheckIn(withHash{d.row(ctx, q, `SELECT `+CheckInColumns+`, request_hash FROM check_ins
		WHERE clinic_id = ? AND session_id = ? AND idempotency_key = ?`, clinicID, sessionID, key), &hash})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, nil
	} else if err != nil {
		return nil, nil, d.Err(err)
	}
	c.RequestHash = hash
	f, err := ScanFlag(d.row(ctx, q, FlagSelect+` WHERE f.clinic_id = ? AND f.check_in_id = ?`, clinicID, c.ID))
	if errors.Is(err, sql.ErrNoRows) {
		return c, nil, nil
	} else if err != nil {
		return nil, nil, d.Err(err)
	}
	return c, f, nil
}

// withHash scans a row of CheckInColumns followed by request_hash into hash.
type withHash struct {
	row  Row
	hash *[]byte
}

func (w withHash) Scan(dest ...any) error { return w.row.Scan(append(dest, w.hash)...) }

package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"aftercare"
)

// nullID stores an id of 0 as NULL.
func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

// AppendAudit adds one entry to the audit log; At defaults to now, and a
// ClinicID or ClientID of 0 is stored as NULL. Its ID is the one after the
// last entry's, and it is chained to that entry (auditchain.go).
func (s *Store) AppendAudit(ctx context.Context, e *aftercare.AuditEntry) error {
	if err := e.Prepare(); err != nil {
		return err
	}
	e.At = aftercare.StoredTimeOr(e.At, s.now())
	return s.inTx(ctx, func(tx *sql.Tx) error { return s.appendChained(ctx, tx, e) })
}

// ListAudit returns a clinic's audit entries at or after since, oldest first (by time, then id).
func (s *Store) ListAudit(ctx context.Context, clinicID int64, since time.Time) ([]*aftercare.AuditEntry, error) {
	auditClinic := "clinic_id = ?"
	if clinicID == 0 {
		auditClinic = "clinic_id IS NULL AND CAST(? AS bigint) = 0"
	}
	return list(ctx, s.d, s.read, func(r Row) (*aftercare.AuditEntry, error) {
		var e aftercare.AuditEntry
		var clinic, client sql.NullInt64
		err := r.Scan(&e.ID, &clinic, Time(&e.At), &e.Actor, &e.Action, &e.Object, &client, &e.Outcome,
			&e.Address, &e.RequestID, &e.Route)
		e.ClinicID, e.ClientID = clinic.Int64, client.Int64
		return &e, err
	}, `SELECT id, clinic_id, at, actor, action, object, client_id, outcome, address, request_id, route
		FROM audit_log WHERE `+auditClinic+` AND at >= ? ORDER BY at, id`, clinicID, s.d.Time(since))
}

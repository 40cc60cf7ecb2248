package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"aftercare"
	"aftercare/followup"
)

const userColumns = `id, clinic_id, email, role, password_hash, created_at`

func scanUser(r scanner) (*aftercare.User, error) {
	var u aftercare.User
	var created string
	if err := r.Scan(&u.ID, &u.ClinicID, &u.Email, &u.Role, &u.PasswordHash, &created); err != nil {
		return nil, err
	}
	var err error
	u.CreatedAt, err = parseTime(created)
	return &u, err
}

// FindUser returns one staff user of the clinic.
func (s *Store) FindUser(ctx context.Context, clinicID, id int64) (*aftercare.User, error) {
	u, err := scanUser(s.read.QueryRowContext(ctx, `SELECT `+userColumns+`
		FROM users WHERE clinic_id = ? AND id = ?`, clinicID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("user")
	}
	return u, dbErr(err)
}

// ListUsers returns the clinic's staff, oldest first.
func (s *Store) ListUsers(ctx context.Context, clinicID int64) ([]*aftercare.User, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+userColumns+`
		FROM users WHERE clinic_id = ? ORDER BY id`, clinicID)
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	list := []*aftercare.User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, dbErr(err)
		}
		list = append(list, u)
	}
	return list, dbErr(rows.Err())
}

// SetPassword replaces a user's password hash and ends every staff session of
// the user, in one transaction.
func (s *Store) SetPassword(ctx context.Context, clinicID, userID int64, hash string) error {
	if err := aftercare.CheckNoNUL("password_hash", hash); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ? WHERE clinic_id = ? AND id = ?`,
			hash, clinicID, userID)
		if err := affected(res, err, "user"); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM staff_sessions WHERE clinic_id = ? AND user_id = ?`, clinicID, userID)
		return dbErr(err)
	})
}

// CreateStaffSession stores a new signed-in session (its hash, never its
// secret) of a user of the clinic. CreatedAt defaults to now and LastSeenAt to
// CreatedAt; a hash already stored is ECONFLICT.
func (s *Store) CreateStaffSession(ctx context.Context, ss *aftercare.StaffSession) error {
	if err := ss.Prepare(); err != nil {
		return err
	}
	created := aftercare.StoredTimeOr(ss.CreatedAt, s.now())
	seen := aftercare.StoredTimeOr(ss.LastSeenAt, created)
	idle, expires := aftercare.StoredTime(ss.IdleUntil), aftercare.StoredTime(ss.ExpiresAt)
	var id int64
	err := s.inTx(ctx, func(tx *sql.Tx) (err error) {
		if err := mustExist(ctx, tx, "user", `SELECT 1 FROM users WHERE clinic_id = ? AND id = ?`,
			ss.ClinicID, ss.UserID); err != nil {
			return err
		}
		id, err = insertID(ctx, tx, `INSERT INTO staff_sessions
			(clinic_id, user_id, hash, address, created_at, last_seen_at, idle_until, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			ss.ClinicID, ss.UserID, ss.Hash, ss.Address, fmtTime(created), fmtTime(seen), fmtTime(idle), fmtTime(expires))
		if isUnique(err) {
			return aftercare.Errorf(aftercare.ECONFLICT, "hash", "a staff session with this secret already exists")
		}
		return dbErr(err)
	})
	if err != nil {
		return err
	}
	ss.ID, ss.CreatedAt, ss.LastSeenAt, ss.IdleUntil, ss.ExpiresAt = id, created, seen, idle, expires
	return nil
}

// FindStaffSession returns the session with this hash, with its User, when it
// is live at time at (neither idle past IdleUntil nor past ExpiresAt);
// otherwise ENOTFOUND.
func (s *Store) FindStaffSession(ctx context.Context, hash []byte, at time.Time) (*aftercare.StaffSession, error) {
	var ss aftercare.StaffSession
	var created, seen, idle, expires, userCreated string
	u := &aftercare.User{}
	now := fmtTime(at)
	err := s.read.QueryRowContext(ctx, `SELECT s.id, s.clinic_id, s.user_id, s.hash, s.address,
		s.created_at, s.last_seen_at, s.idle_until, s.expires_at,
		u.id, u.clinic_id, u.email, u.role, u.password_hash, u.created_at
		FROM staff_sessions s JOIN users u ON u.clinic_id = s.clinic_id AND u.id = s.user_id
		WHERE s.hash = ? AND s.idle_until > ? AND s.expires_at > ?`, hash, now, now).
		Scan(&ss.ID, &ss.ClinicID, &ss.UserID, &ss.Hash, &ss.Address, &created, &seen, &idle, &expires,
			&u.ID, &u.ClinicID, &u.Email, &u.Role, &u.PasswordHash, &userCreated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("staff session")
	} else if err != nil {
		return nil, dbErr(err)
	}
	for _, f := range []struct {
		to   *time.Time
		from string
	}{{&ss.CreatedAt, created}, {&ss.LastSeenAt, seen}, {&ss.IdleUntil, idle}, {&ss.ExpiresAt, expires}, {&u.CreatedAt, userCreated}} {
		if *f.to, err = parseTime(f.from); err != nil {
			return nil, err
		}
	}
	ss.User = u
	return &ss, nil
}

// TouchStaffSession records a use of a live session at time at and moves its
// idle end on to idleUntil; neither time ever moves back, so requests that
// finish out of order keep the latest. A session unknown, ended or no longer
// live at time at is ENOTFOUND: a touch never brings one back.
func (s *Store) TouchStaffSession(ctx context.Context, id int64, at, idleUntil time.Time) error {
	now := fmtTime(at)
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE staff_sessions
			SET last_seen_at = max(last_seen_at, ?), idle_until = max(idle_until, ?)
			WHERE id = ? AND idle_until > ? AND expires_at > ?`, now, fmtTime(idleUntil), id, now, now)
		return affected(res, err, "staff session")
	})
}

// DeleteStaffSession ends the session with this hash; ending one already gone is no error.
func (s *Store) DeleteStaffSession(ctx context.Context, hash []byte) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM staff_sessions WHERE hash = ?`, hash)
		return dbErr(err)
	})
}

// RecordLoginFailure counts a failed sign-in under key at time at and returns
// the failures now counted under it.
func (s *Store) RecordLoginFailure(ctx context.Context, key string, at time.Time) (int, error) {
	if err := aftercare.CheckLoginKey(key); err != nil {
		return 0, err
	}
	var n int
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		return dbErr(tx.QueryRowContext(ctx, `INSERT INTO login_failures (key, failures, last_failed_at)
			VALUES (?, 1, ?)
			ON CONFLICT (key) DO UPDATE SET failures = failures + 1,
				last_failed_at = max(last_failed_at, excluded.last_failed_at)
			RETURNING failures`, key, fmtTime(at)).Scan(&n))
	})
	return n, err
}

// LoginFailures returns the failures counted under key and the time of the
// last one; none (0 and the zero time) when nothing is counted.
func (s *Store) LoginFailures(ctx context.Context, key string) (int, time.Time, error) {
	var n int
	var last string
	err := s.read.QueryRowContext(ctx, `SELECT failures, last_failed_at FROM login_failures WHERE key = ?`, key).
		Scan(&n, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, time.Time{}, nil
	} else if err != nil {
		return 0, time.Time{}, dbErr(err)
	}
	t, err := parseTime(last)
	if err != nil {
		return 0, time.Time{}, err
	}
	return n, t, nil
}

// ClearLoginFailures forgets the failures counted under key.
func (s *Store) ClearLoginFailures(ctx context.Context, key string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE key = ?`, key)
		return dbErr(err)
	})
}

// nullID stores an id of 0 as NULL.
func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

// AppendAudit adds one entry to the audit log; At defaults to now, and a
// ClinicID or ClientID of 0 is stored as NULL.
func (s *Store) AppendAudit(ctx context.Context, e *aftercare.AuditEntry) error {
	if err := e.Prepare(); err != nil {
		return err
	}
	at := aftercare.StoredTimeOr(e.At, s.now())
	var id int64
	err := s.inTx(ctx, func(tx *sql.Tx) (err error) {
		id, err = insertID(ctx, tx, `INSERT INTO audit_log
			(clinic_id, at, actor, action, object, client_id, outcome, address, request_id, route)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			nullID(e.ClinicID), fmtTime(at), e.Actor, e.Action, e.Object, nullID(e.ClientID), e.Outcome,
			e.Address, e.RequestID, e.Route)
		return dbErr(err)
	})
	if err != nil {
		return err
	}
	e.ID, e.At = id, at
	return nil
}

// ListAudit returns a clinic's audit entries at or after since, oldest first (by time, then id).
func (s *Store) ListAudit(ctx context.Context, clinicID int64, since time.Time) ([]*aftercare.AuditEntry, error) {
	auditClinic := "clinic_id = ?"
	if clinicID == 0 {
		auditClinic = "clinic_id IS NULL AND ? = 0"
	}
	rows, err := s.read.QueryContext(ctx, `SELECT id, clinic_id, at, actor, action, object, client_id, outcome,
		address, request_id, route FROM audit_log WHERE `+auditClinic+` AND at >= ? ORDER BY at, id`,
		clinicID, fmtTime(since))
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	list := []*aftercare.AuditEntry{}
	for rows.Next() {
		var e aftercare.AuditEntry
		var clinic, client sql.NullInt64
		var at string
		if err := rows.Scan(&e.ID, &clinic, &at, &e.Actor, &e.Action, &e.Object, &client, &e.Outcome,
			&e.Address, &e.RequestID, &e.Route); err != nil {
			return nil, dbErr(err)
		}
		e.ClinicID, e.ClientID = clinic.Int64, client.Int64
		if e.At, err = parseTime(at); err != nil {
			return nil, err
		}
		list = append(list, &e)
	}
	return list, dbErr(rows.Err())
}

// EraseClient deletes a client of the clinic and everything held on them
// (flags, check-ins, follow-ups, links, sessions, screenings) with the River
// jobs queued for them (reminders of their sessions, notices of their flags)
// that are not running, in one transaction. A running job finds its session
// or flag gone and cancels itself. The audit log is left as it is.
func (s *Store) EraseClient(ctx context.Context, clinicID, clientID int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := mustExist(ctx, tx, "client", qClientExists, clinicID, clientID); err != nil {
			return err
		}
		const sessions = `SELECT id FROM sessions WHERE clinic_id = ? AND client_id = ?`
		const checkIns = `SELECT id FROM check_ins WHERE clinic_id = ? AND session_id IN (` + sessions + `)`
		for _, q := range []struct {
			query string
			args  []any
		}{
			{`DELETE FROM river_job WHERE kind = ? AND state <> 'running'
				AND args ->> '$.clinic_id' = ? AND args ->> '$.session_id' IN (` + sessions + `)`,
				[]any{followup.ReminderArgs{}.Kind(), clinicID, clinicID, clientID}},
			{`DELETE FROM river_job WHERE kind = ? AND state <> 'running'
				AND args ->> '$.clinic_id' = ? AND args ->> '$.flag_id' IN (
					SELECT id FROM flags WHERE clinic_id = ? AND check_in_id IN (` + checkIns + `))`,
				[]any{followup.FlagArgs{}.Kind(), clinicID, clinicID, clinicID, clinicID, clientID}},
			{`DELETE FROM flags WHERE clinic_id = ? AND check_in_id IN (` + checkIns + `)`,
				[]any{clinicID, clinicID, clinicID, clientID}},
			{`DELETE FROM check_ins WHERE clinic_id = ? AND session_id IN (` + sessions + `)`,
				[]any{clinicID, clinicID, clientID}},
			{`DELETE FROM follow_ups WHERE clinic_id = ? AND session_id IN (` + sessions + `)`,
				[]any{clinicID, clinicID, clientID}},
			{`DELETE FROM session_links WHERE clinic_id = ? AND session_id IN (` + sessions + `)`,
				[]any{clinicID, clinicID, clientID}},
			{`DELETE FROM sessions WHERE clinic_id = ? AND client_id = ?`, []any{clinicID, clientID}},
			{`DELETE FROM screenings WHERE clinic_id = ? AND client_id = ?`, []any{clinicID, clientID}},
			{`DELETE FROM clients WHERE clinic_id = ? AND id = ?`, []any{clinicID, clientID}},
		} {
			if _, err := tx.ExecContext(ctx, q.query, q.args...); err != nil {
				return dbErr(err)
			}
		}
		return nil
	})
}

// ListClientFlags returns every flag of one client of the clinic,
// acknowledged or not, oldest first; ENOTFOUND when the client is not the clinic's.
func (s *Store) ListClientFlags(ctx context.Context, clinicID, clientID int64) ([]*aftercare.Flag, error) {
	list := []*aftercare.Flag{}
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		if err := mustExist(ctx, tx, "client", qClientExists, clinicID, clientID); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, flagSelect+` WHERE f.clinic_id = ? AND s.client_id = ?
			ORDER BY f.created_at, f.id`, clinicID, clientID)
		if err != nil {
			return dbErr(err)
		}
		defer rows.Close()
		for rows.Next() {
			f, err := scanFlag(rows)
			if err != nil {
				return dbErr(err)
			}
			list = append(list, f)
		}
		return dbErr(rows.Err())
	})
	if err != nil {
		return nil, err
	}
	return list, nil
}

// findKeyedCheckIn returns the check-in a session stored under an idempotency
// key, with its request's hash and its flag (nil below consult), or nil when
// there is none.
func findKeyedCheckIn(ctx context.Context, q querier, clinicID, sessionID int64, key string) (*aftercare.CheckIn, *aftercare.Flag, error) {
	var hash []byte
	c, err := scanCheckIn(withHash{q.QueryRowContext(ctx, `SELECT `+checkInColumns+`, request_hash FROM check_ins
		WHERE clinic_id = ? AND session_id = ? AND idempotency_key = ?`, clinicID, sessionID, key), &hash})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, nil
	} else if err != nil {
		return nil, nil, dbErr(err)
	}
	c.RequestHash = hash
	f, err := scanFlag(q.QueryRowContext(ctx, flagSelect+` WHERE f.clinic_id = ? AND f.check_in_id = ?`, clinicID, c.ID))
	if errors.Is(err, sql.ErrNoRows) {
		return c, nil, nil
	} else if err != nil {
		return nil, nil, dbErr(err)
	}
	return c, f, nil
}

// withHash scans a row of checkInColumns followed by request_hash into hash.
type withHash struct {
	row  scanner
	hash *[]byte
}

func (w withHash) Scan(dest ...any) error { return w.row.Scan(append(dest, w.hash)...) }

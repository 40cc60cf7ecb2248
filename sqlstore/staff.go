package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"aftercare"
)

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
	id, err := s.insertUnder(ctx, "user", `SELECT 1 FROM users WHERE clinic_id = ? AND id = ?`, []any{ss.ClinicID, ss.UserID},
		`INSERT INTO staff_sessions (clinic_id, user_id, hash, address, created_at, last_seen_at, idle_until, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		ss.ClinicID, ss.UserID, ss.Hash, ss.Address, s.d.Time(created), s.d.Time(seen), s.d.Time(idle), s.d.Time(expires))
	if s.d.IsUnique(err) {
		return aftercare.Errorf(aftercare.ECONFLICT, "hash", "a staff session with this secret already exists")
	} else if err != nil {
		return err
	}
	ss.ID, ss.CreatedAt, ss.LastSeenAt, ss.IdleUntil, ss.ExpiresAt = id, created, seen, idle, expires
	return nil
}

// FindStaffSession returns the session with this hash, with its User, when it
// is live at time at (neither idle past IdleUntil nor past ExpiresAt);
// otherwise ENOTFOUND.
func (s *Store) FindStaffSession(ctx context.Context, hash []byte, at time.Time) (*aftercare.StaffSession, error) {
	now := s.d.Time(at)
	return one(ctx, s.d, s.read, "staff session", func(r Row) (*aftercare.StaffSession, error) {
		ss := aftercare.StaffSession{User: &aftercare.User{}}
		u := ss.User
		err := r.Scan(&ss.ID, &ss.ClinicID, &ss.UserID, &ss.Hash, &ss.Address,
			Time(&ss.CreatedAt), Time(&ss.LastSeenAt), Time(&ss.IdleUntil), Time(&ss.ExpiresAt),
			&u.ID, &u.ClinicID, &u.Email, &u.Role, &u.PasswordHash, Time(&u.CreatedAt))
		return &ss, err
	}, `SELECT s.id, s.clinic_id, s.user_id, s.hash, s.address, s.created_at, s.last_seen_at, s.idle_until, s.expires_at,
		u.id, u.clinic_id, u.email, u.role, u.password_hash, u.created_at
		FROM staff_sessions s JOIN users u ON u.clinic_id = s.clinic_id AND u.id = s.user_id
		WHERE s.hash = ? AND s.idle_until > ? AND s.expires_at > ?`, hash, now, now)
}

// TouchStaffSession records a use of a live session at time at and moves its
// idle end on to idleUntil; neither time ever moves back, so requests that
// finish out of order keep the latest. A session unknown, ended or no longer
// live at time at is ENOTFOUND: a touch never brings one back.
func (s *Store) TouchStaffSession(ctx context.Context, id int64, at, idleUntil time.Time) error {
	now, greatest := s.d.Time(at), s.d.Greatest
	return s.update(ctx, "staff session", `UPDATE staff_sessions
		SET last_seen_at = `+greatest+`(last_seen_at, ?), idle_until = `+greatest+`(idle_until, ?)
		WHERE id = ? AND idle_until > ? AND expires_at > ?`, now, s.d.Time(idleUntil), id, now, now)
}

// DeleteStaffSession ends the session with this hash; ending one already gone is no error.
func (s *Store) DeleteStaffSession(ctx context.Context, hash []byte) error {
	_, err := s.d.exec(ctx, s.write, `DELETE FROM staff_sessions WHERE hash = ?`, hash)
	return err
}

// RecordLoginFailure counts a failed sign-in under key at time at and returns
// the failures now counted under it.
func (s *Store) RecordLoginFailure(ctx context.Context, key string, at time.Time) (int, error) {
	if err := aftercare.CheckLoginKey(key); err != nil {
		return 0, err
	}
	var n int
	err := s.d.row(ctx, s.write, `INSERT INTO login_failures AS l (key, failures, last_failed_at) VALUES (?, 1, ?)
		ON CONFLICT (key) DO UPDATE SET failures = l.failures + 1,
			last_failed_at = `+s.d.Greatest+`(l.last_failed_at, excluded.last_failed_at)
		RETURNING failures`, key, s.d.Time(at)).Scan(&n)
	return n, s.d.Err(err)
}

// LoginFailures returns the failures counted under key and the time of the
// last one; none (0 and the zero time) when nothing is counted.
func (s *Store) LoginFailures(ctx context.Context, key string) (int, time.Time, error) {
	var n int
	var last time.Time
	err := s.d.row(ctx, s.read, `SELECT failures, last_failed_at FROM login_failures WHERE key = ?`, key).
		Scan(&n, Time(&last))
	if errors.Is(err, sql.ErrNoRows) {
		return 0, time.Time{}, nil
	} else if err != nil {
		return 0, time.Time{}, s.d.Err(err)
	}
	return n, last, nil
}

// ClearLoginFailures forgets the failures counted under key.
func (s *Store) ClearLoginFailures(ctx context.Context, key string) error {
	_, err := s.d.exec(ctx, s.write, `DELETE FROM login_failures WHERE key = ?`, key)
	return err
}

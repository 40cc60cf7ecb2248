package sqlstore

import (
	"context"
	"crypto/sha256"
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
// is live at time at (neither idle past IdleUntil nor past ExpiresAt) and its
// user is not disabled; otherwise ENOTFOUND.
func (s *Store) FindStaffSession(ctx context.Context, hash []byte, at time.Time) (*aftercare.StaffSession, error) {
	now := s.d.Time(at)
	return one(ctx, s.d, s.read, "staff session", func(r Row) (*aftercare.StaffSession, error) {
		ss := aftercare.StaffSession{User: &aftercare.User{}}
		u := ss.User
		err := r.Scan(&ss.ID, &ss.ClinicID, &ss.UserID, &ss.Hash, &ss.Address,
			Time(&ss.CreatedAt), Time(&ss.LastSeenAt), Time(&ss.IdleUntil), Time(&ss.ExpiresAt),
			&u.ID, &u.ClinicID, &u.Email, &u.Role, &u.PasswordHash, Time(&u.CreatedAt), NullTime(&u.DisabledAt))
		return &ss, err
	}, `SELECT s.id, s.clinic_id, s.user_id, s.hash, s.address, s.created_at, s.last_seen_at, s.idle_until, s.expires_at,
		u.id, u.clinic_id, u.email, u.role, u.password_hash, u.created_at, u.disabled_at
		FROM staff_sessions s JOIN users u ON u.clinic_id = s.clinic_id AND u.id = s.user_id
		WHERE s.hash = ? AND s.idle_until > ? AND s.expires_at > ? AND u.disabled_at IS NULL`, hash, now, now)
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

// ReserveLogin counts a sign-in attempt under key at time at, before its
// password is checked, in one statement: concurrent attempts each get their
// own count. It returns the attempts now counted under the key since its last
// clearing, this one included, and the time of the attempt before this one
// (the zero time when this is the first).
func (s *Store) ReserveLogin(ctx context.Context, key string, at time.Time) (int, time.Time, error) {
	if err := aftercare.CheckLoginKey(key); err != nil {
		return 0, time.Time{}, err
	}
	var n int
	var prev *time.Time
	err := s.d.row(ctx, s.write, `INSERT INTO login_failures AS l (key, failures, last_failed_at) VALUES (?, 1, ?)
		ON CONFLICT (key) DO UPDATE SET failures = l.failures + 1, prev_failed_at = l.last_failed_at,
			last_failed_at = `+s.d.Greatest+`(l.last_failed_at, excluded.last_failed_at)
		RETURNING failures, prev_failed_at`, key, s.d.Time(at)).Scan(&n, NullTime(&prev))
	if err != nil {
		return 0, time.Time{}, s.d.Err(err)
	}
	if prev == nil {
		return n, time.Time{}, nil
	}
	return n, *prev, nil
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

// ReleaseLogin gives back one attempt counted under key (a success's own
// reservation), forgetting the key when it was the last; a key with none is
// no error.
func (s *Store) ReleaseLogin(ctx context.Context, key string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.d.exec(ctx, tx, `DELETE FROM login_failures WHERE key = ? AND failures <= 1`, key); err != nil {
			return err
		}
		_, err := s.d.exec(ctx, tx, `UPDATE login_failures SET failures = failures - 1 WHERE key = ?`, key)
		return err
	})
}

// ClearLoginFailures forgets the attempts counted under key.
func (s *Store) ClearLoginFailures(ctx context.Context, key string) error {
	_, err := s.d.exec(ctx, s.write, `DELETE FROM login_failures WHERE key = ?`, key)
	return err
}

// RememberLoginAddress records that a sign-in succeeded from the place whose
// hash is given (a SHA-256 of an email and a network) at time at, and forgets
// every place last seen before forget.
func (s *Store) RememberLoginAddress(ctx context.Context, hash []byte, at, forget time.Time) error {
	if len(hash) != sha256.Size {
		return aftercare.Errorf(aftercare.EINVALID, "hash", "a sign-in address is kept as a SHA-256 of %d bytes", sha256.Size)
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.d.exec(ctx, tx, `INSERT INTO login_addresses AS a (hash, last_seen_at) VALUES (?, ?)
			ON CONFLICT (hash) DO UPDATE SET last_seen_at = `+s.d.Greatest+`(a.last_seen_at, excluded.last_seen_at)`,
			hash, s.d.Time(at)); err != nil {
			return err
		}
		_, err := s.d.exec(ctx, tx, `DELETE FROM login_addresses WHERE last_seen_at < ?`, s.d.Time(forget))
		return err
	})
}

// KnownLoginAddress reports whether a sign-in succeeded from the place whose
// hash is given at or after since.
func (s *Store) KnownLoginAddress(ctx context.Context, hash []byte, since time.Time) (bool, error) {
	var one int
	err := s.d.row(ctx, s.read, `SELECT 1 FROM login_addresses WHERE hash = ? AND last_seen_at >= ?`,
		hash, s.d.Time(since)).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, s.d.Err(err)
}

package sqlstore

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"aftercare"
)

// CreateUser stores a new staff user; an email already in use (in any case) is ECONFLICT.
func (s *Store) CreateUser(ctx context.Context, u *aftercare.User) error {
	if err := u.Prepare(); err != nil {
		return err
	}
	created := aftercare.StoredTimeOr(u.CreatedAt, s.now())
	id, err := s.insertUnder(ctx, "clinic", ClinicExists, []any{u.ClinicID},
		`INSERT INTO users (clinic_id, email, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)`,
		u.ClinicID, u.Email, u.Role, u.PasswordHash, s.d.Time(created))
	if s.d.IsUnique(err) {
		return aftercare.Errorf(aftercare.ECONFLICT, "email", "a user with the email %s already exists", u.Email)
	} else if err != nil {
		return err
	}
	u.ID, u.CreatedAt, u.DisabledAt = id, created, nil
	return nil
}

const userSelect = `SELECT id, clinic_id, email, role, password_hash, created_at, disabled_at FROM users`

func scanUser(r Row) (*aftercare.User, error) {
	var u aftercare.User
	err := r.Scan(&u.ID, &u.ClinicID, &u.Email, &u.Role, &u.PasswordHash, Time(&u.CreatedAt), NullTime(&u.DisabledAt))
	return &u, err
}

// FindUserByEmail returns the user with the given email, compared case-insensitively.
func (s *Store) FindUserByEmail(ctx context.Context, email string) (*aftercare.User, error) {
	return one(ctx, s.d, s.read, "user", scanUser, userSelect+` WHERE lower(email) = lower(?)`, strings.TrimSpace(email))
}

// FindUser returns one staff user of the clinic.
func (s *Store) FindUser(ctx context.Context, clinicID, id int64) (*aftercare.User, error) {
	return one(ctx, s.d, s.read, "user", scanUser, userSelect+` WHERE clinic_id = ? AND id = ?`, clinicID, id)
}

// ListUsers returns the clinic's staff, oldest first.
func (s *Store) ListUsers(ctx context.Context, clinicID int64) ([]*aftercare.User, error) {
	return list(ctx, s.d, s.read, scanUser, userSelect+` WHERE clinic_id = ? ORDER BY id`, clinicID)
}

// DisableUser disables a user of the clinic at time at and ends every staff
// session of the user, in one transaction; disabling one already disabled
// keeps the first time. A nil at enables the user again.
func (s *Store) DisableUser(ctx context.Context, clinicID, userID int64, at *time.Time) error {
	if at == nil {
		return s.update(ctx, "user", `UPDATE users SET disabled_at = NULL WHERE clinic_id = ? AND id = ?`, clinicID, userID)
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.d.affected(s.d.exec(ctx, tx, `UPDATE users SET disabled_at = coalesce(disabled_at, ?) WHERE clinic_id = ? AND id = ?`,
			s.d.Time(*at), clinicID, userID))("user"); err != nil {
			return err
		}
		return s.endSessions(ctx, tx, clinicID, userID)
	})
}

// endSessions ends every staff session of a user.
func (s *Store) endSessions(ctx context.Context, tx *sql.Tx, clinicID, userID int64) error {
	_, err := s.d.exec(ctx, tx, `DELETE FROM staff_sessions WHERE clinic_id = ? AND user_id = ?`, clinicID, userID)
	return err
}

// SetPassword replaces a user's password hash and ends every staff session of
// the user, in one transaction.
func (s *Store) SetPassword(ctx context.Context, clinicID, userID int64, hash string) error {
	if err := aftercare.CheckNoNUL("password_hash", hash); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.d.affected(s.d.exec(ctx, tx, `UPDATE users SET password_hash = ? WHERE clinic_id = ? AND id = ?`,
			hash, clinicID, userID))("user"); err != nil {
			return err
		}
		return s.endSessions(ctx, tx, clinicID, userID)
	})
}

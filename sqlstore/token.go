package sqlstore

import (
	"context"
	"time"

	"aftercare"
)

// CreateToken stores a new API token (its hash only).
func (s *Store) CreateToken(ctx context.Context, t *aftercare.APIToken) error {
	if err := t.Prepare(); err != nil {
		return err
	}
	created := aftercare.StoredTimeOr(t.CreatedAt, s.now())
	scopes, err := s.d.Strings(t.Scopes)
	if err != nil {
		return err
	}
	id, err := s.insertUnder(ctx, "clinic", ClinicExists, []any{t.ClinicID},
		`INSERT INTO api_tokens (clinic_id, name, hash, scopes, created_at, last_used_at, revoked_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, t.ClinicID, t.Name, t.Hash, scopes,
		s.d.Time(created), s.d.TimePtr(t.LastUsedAt), s.d.TimePtr(t.RevokedAt), s.d.TimePtr(t.ExpiresAt))
	if s.d.IsUnique(err) {
		return aftercare.Errorf(aftercare.ECONFLICT, "hash", "a token with this secret already exists")
	} else if err != nil {
		return err
	}
	if t.ExpiresAt != nil {
		e := aftercare.StoredTime(*t.ExpiresAt)
		t.ExpiresAt = &e
	}
	t.ID, t.CreatedAt = id, created
	return nil
}

func (s *Store) tokenSelect() string {
	return `SELECT id, clinic_id, name, hash, ` + s.d.StringsJSON("scopes") + `, created_at, last_used_at, revoked_at, expires_at
		FROM api_tokens`
}

func (s *Store) scanToken(r Row) (*aftercare.APIToken, error) {
	var t aftercare.APIToken
	err := r.Scan(&t.ID, &t.ClinicID, &t.Name, &t.Hash, JSON(&t.Scopes),
		Time(&t.CreatedAt), NullTime(&t.LastUsedAt), NullTime(&t.RevokedAt), NullTime(&t.ExpiresAt))
	if t.Scopes == nil {
		t.Scopes = []string{}
	}
	return &t, err
}

// FindToken returns the token with the given hash that is not revoked; an
// expired one is returned too, with its ExpiresAt, for the caller to refuse
// at its own time.
func (s *Store) FindToken(ctx context.Context, hash []byte) (*aftercare.APIToken, error) {
	return one(ctx, s.d, s.read, "token", s.scanToken, s.tokenSelect()+` WHERE hash = ? AND revoked_at IS NULL`, hash)
}

// ListTokens returns the clinic's tokens, revoked ones included, oldest first.
func (s *Store) ListTokens(ctx context.Context, clinicID int64) ([]*aftercare.APIToken, error) {
	return list(ctx, s.d, s.read, s.scanToken, s.tokenSelect()+` WHERE clinic_id = ? ORDER BY id`, clinicID)
}

// TouchToken records that the token was used at the given time.
func (s *Store) TouchToken(ctx context.Context, id int64, at time.Time) error {
	return s.update(ctx, "token", `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, s.d.Time(at), id)
}

// RevokeToken revokes one of the clinic's tokens; revoking it again keeps the first time.
func (s *Store) RevokeToken(ctx context.Context, clinicID, id int64, at time.Time) error {
	return s.update(ctx, "token", `UPDATE api_tokens SET revoked_at = coalesce(revoked_at, ?)
		WHERE clinic_id = ? AND id = ?`, s.d.Time(at), clinicID, id)
}

package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"aftercare"
)

// InsertLink stores a client link of a session in tx; a hash already in use is ECONFLICT.
func (d *Dialect) InsertLink(ctx context.Context, tx *sql.Tx, clinicID, sessionID int64, hash []byte, expiresAt, created time.Time) error {
	_, err := d.exec(ctx, tx, `INSERT INTO session_links (clinic_id, session_id, hash, expires_at, created_at)
		VALUES (?, ?, ?, ?, ?)`, clinicID, sessionID, hash, d.Time(expiresAt), d.Time(created))
	if d.IsUnique(err) {
		return aftercare.Errorf(aftercare.ECONFLICT, "check_in_url", "this client link is already in use")
	}
	return err
}

// CreateLink adds another client link to a session of the clinic.
func (s *Store) CreateLink(ctx context.Context, clinicID, sessionID int64, linkHash []byte, expiresAt time.Time) error {
	if len(linkHash) == 0 {
		return aftercare.Errorf(aftercare.EINVALID, "check_in_url", "the client link needs a hash")
	}
	if expiresAt.IsZero() {
		return aftercare.Errorf(aftercare.EINVALID, "link_expires_at", "the client link needs an expiry")
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.d.MustExist(ctx, tx, "session", SessionExists, clinicID, sessionID); err != nil {
			return err
		}
		return s.d.InsertLink(ctx, tx, clinicID, sessionID, linkHash, expiresAt, aftercare.StoredTimeOr(time.Time{}, s.now()))
	})
}

// RevokeLinks revokes every live client link of a session of the clinic.
func (s *Store) RevokeLinks(ctx context.Context, clinicID, sessionID int64, at time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.d.MustExist(ctx, tx, "session", SessionExists, clinicID, sessionID); err != nil {
			return err
		}
		_, err := s.d.exec(ctx, tx, `UPDATE session_links SET revoked_at = ?
			WHERE clinic_id = ? AND session_id = ? AND revoked_at IS NULL`, s.d.Time(at), clinicID, sessionID)
		return err
	})
}

// MarkFollowUp records that a scheduled follow-up was sent or skipped; a
// follow-up already marked stays as it is, so a retried job changes nothing.
func (s *Store) MarkFollowUp(ctx context.Context, clinicID, sessionID int64, hours int, status string, at time.Time) error {
	if err := aftercare.CheckFollowUpMark(status); err != nil {
		return err
	}
	var sent any
	if status == aftercare.FollowUpSent {
		sent = s.d.Time(at)
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		err := s.d.affected(s.d.exec(ctx, tx, `UPDATE follow_ups SET status = ?, sent_at = ?
			WHERE clinic_id = ? AND session_id = ? AND hours = ? AND status = 'scheduled'`,
			status, sent, clinicID, sessionID, hours))("follow-up")
		if err == nil || aftercare.ErrorCode(err) != aftercare.ENOTFOUND {
			return err
		}
		return s.d.MustExist(ctx, tx, "follow-up",
			`SELECT 1 FROM follow_ups WHERE clinic_id = ? AND session_id = ? AND hours = ?`, clinicID, sessionID, hours)
	})
}

// MarkDelivery records what became of a follow-up's last delivery attempt:
// delivered, or failed with why. Each attempt replaces the last one's.
func (s *Store) MarkDelivery(ctx context.Context, clinicID, sessionID int64, hours int, delivery, why string, at time.Time) error {
	why, err := aftercare.CheckDelivery(delivery, why)
	if err != nil {
		return err
	}
	return s.update(ctx, "follow-up", `UPDATE follow_ups SET delivery = ?, delivery_error = ?, delivery_at = ?
		WHERE clinic_id = ? AND session_id = ? AND hours = ?`,
		delivery, why, s.d.Time(aftercare.StoredTime(at)), clinicID, sessionID, hours)
}

package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"aftercare"
)

// FlagSelect reads flags as ScanFlag takes them, with the session and client
// of their check-in.
const FlagSelect = `SELECT f.id, f.clinic_id, f.check_in_id, c.session_id, s.client_id, f.level, f.headline,
	f.created_at, f.acked_at, f.acked_by, f.outcome, f.outcome_note, c.assessment
	FROM flags f
	JOIN check_ins c ON c.id = f.check_in_id
	JOIN sessions s ON s.id = c.session_id`

// OpenFlags is the flag queue: a clinic's flags not yet acknowledged, oldest first.
const OpenFlags = FlagSelect + ` WHERE f.clinic_id = ? AND f.acked_at IS NULL
	ORDER BY f.created_at, f.id`

// ScanFlag reads a row of FlagSelect.
func ScanFlag(r Row) (*aftercare.Flag, error) {
	var f aftercare.Flag
	var level string
	var assessment []byte
	err := r.Scan(&f.ID, &f.ClinicID, &f.CheckInID, &f.SessionID, &f.ClientID, &level, &f.Headline,
		Time(&f.CreatedAt), NullTime(&f.AckedAt), &f.AckedBy, &f.Outcome, &f.OutcomeNote, &assessment)
	if err != nil {
		return nil, err
	}
	if f.Level, err = aftercare.ParseLevel(level); err != nil {
		return nil, fmt.Errorf("flag %d: %w", f.ID, err)
	}
	if f.Rules, err = reasonRules(assessment); err != nil {
		return nil, fmt.Errorf("flag %d: its check-in's assessment: %w", f.ID, err)
	}
	return &f, nil
}

// reasonRules returns the rule of each reason of a stored assessment, in order.
func reasonRules(assessment []byte) ([]string, error) {
	var a struct {
		Reasons []struct {
			Rule string `json:"rule"`
		} `json:"reasons"`
	}
	if err := json.Unmarshal(assessment, &a); err != nil {
		return nil, err
	}
	rules := make([]string, 0, len(a.Reasons))
	for _, r := range a.Reasons {
		rules = append(rules, r.Rule)
	}
	return rules, nil
}

// ListFlags returns the clinic's flags not yet acknowledged, oldest first.
func (s *Store) ListFlags(ctx context.Context, clinicID int64) ([]*aftercare.Flag, error) {
	return list(ctx, s.d, s.read, ScanFlag, OpenFlags, clinicID)
}

// FindFlag returns one flag of the clinic.
func (s *Store) FindFlag(ctx context.Context, clinicID, id int64) (*aftercare.Flag, error) {
	return s.findFlag(ctx, s.read, clinicID, id)
}

func (s *Store) findFlag(ctx context.Context, q Querier, clinicID, id int64) (*aftercare.Flag, error) {
	return one(ctx, s.d, q, "flag", ScanFlag, FlagSelect+` WHERE f.clinic_id = ? AND f.id = ?`, clinicID, id)
}

// ListClientFlags returns every flag of one client of the clinic,
// acknowledged or not, oldest first; ENOTFOUND when the client is not the clinic's.
func (s *Store) ListClientFlags(ctx context.Context, clinicID, clientID int64) (out []*aftercare.Flag, err error) {
	err = s.readTx(ctx, func(tx *sql.Tx) error {
		if err := s.d.MustExist(ctx, tx, "client", ClientExists, clinicID, clientID); err != nil {
			return err
		}
		out, err = list(ctx, s.d, tx, ScanFlag, FlagSelect+` WHERE f.clinic_id = ? AND s.client_id = ?
			ORDER BY f.created_at, f.id`, clinicID, clientID)
		return err
	})
	return out, err
}

// AckFlag records who acknowledged a flag, when and with what outcome; a
// flag already acknowledged is returned unchanged.
func (s *Store) AckFlag(ctx context.Context, clinicID, id int64, ack aftercare.FlagAck) (f *aftercare.Flag, err error) {
	if ack.At.IsZero() {
		ack.At = s.now()
	}
	if err := ack.Prepare(); err != nil {
		return nil, err
	}
	err = s.inTx(ctx, func(tx *sql.Tx) (err error) {
		if _, err = s.d.exec(ctx, tx, `UPDATE flags SET acked_at = ?, acked_by = ?, outcome = ?, outcome_note = ?
			WHERE clinic_id = ? AND id = ? AND acked_at IS NULL`,
			s.d.Time(ack.At), ack.By, ack.Outcome, ack.Note, clinicID, id); err != nil {
			return err
		}
		f, err = s.findFlag(ctx, tx, clinicID, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// UndoAck opens a flag acknowledged at or after since again, clearing its
// acknowledgement and outcome; ECONFLICT naming "id" when the flag is open
// or was acknowledged before since.
func (s *Store) UndoAck(ctx context.Context, clinicID, id int64, since time.Time) (f *aftercare.Flag, err error) {
	err = s.inTx(ctx, func(tx *sql.Tx) (err error) {
		res, err := s.d.exec(ctx, tx, `UPDATE flags SET acked_at = NULL, acked_by = '', outcome = '', outcome_note = ''
			WHERE clinic_id = ? AND id = ? AND acked_at IS NOT NULL AND acked_at >= ?`,
			clinicID, id, s.d.Time(aftercare.StoredTime(since)))
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return s.d.Err(err)
		}
		if f, err = s.findFlag(ctx, tx, clinicID, id); err != nil || n > 0 {
			return err
		}
		if f.AckedAt == nil {
			return aftercare.Errorf(aftercare.ECONFLICT, "id", "flag %d is not acknowledged: there is nothing to undo", id)
		}
		return aftercare.Errorf(aftercare.ECONFLICT, "id", "flag %d was acknowledged at %s, too long ago to undo",
			id, f.AckedAt.UTC().Format(time.RFC3339))
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

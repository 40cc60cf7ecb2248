package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/riverqueue/river"

	"aftercare"
	"aftercare/followup"
)

// InsertSession and InsertFollowUp store a new session and each of its
// follow-ups; their arguments are SessionArgs and FollowUpArgs.
const (
	InsertSession = `INSERT INTO sessions
		(clinic_id, client_id, style, pressure, areas_worked, area_pressure, ended_at, notes, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`
	InsertFollowUp = `INSERT INTO follow_ups (clinic_id, session_id, hours, due_at, status, sent_at)
		VALUES (?, ?, ?, ?, ?, ?)`
)

// SessionArgs are the values of InsertSession for se, made at created.
func (d *Dialect) SessionArgs(se *aftercare.Session, created any) ([]any, error) {
	areas, err := json.Marshal(se.AreasWorked)
	if err != nil {
		return nil, err
	}
	areaPressure, err := json.Marshal(se.AreaPressure)
	if err != nil {
		return nil, err
	}
	return []any{se.ClinicID, se.ClientID, se.Style, se.Pressure, d.JSON(areas), d.JSON(areaPressure),
		d.Time(se.EndedAt), se.Notes, created}, nil
}

// FollowUpArgs are the values of InsertFollowUp for f of the session sessionID of the clinic.
func (d *Dialect) FollowUpArgs(clinicID, sessionID int64, f aftercare.FollowUp) []any {
	return []any{clinicID, sessionID, f.Hours, d.Time(f.DueAt), f.Status, d.TimePtr(f.SentAt)}
}

// Reminders are the River jobs of a stored session: one per scheduled
// follow-up, at its due time.
func Reminders(se *aftercare.Session) []river.InsertManyParams {
	jobs := make([]river.InsertManyParams, 0, len(se.FollowUps))
	for _, f := range se.FollowUps {
		if f.Status != aftercare.FollowUpScheduled {
			continue
		}
		jobs = append(jobs, river.InsertManyParams{
			Args: followup.ReminderArgs{ClinicID: se.ClinicID, SessionID: se.ID, Hours: f.Hours},
			InsertOpts: &river.InsertOpts{
				ScheduledAt: f.DueAt,
				UniqueOpts:  river.UniqueOpts{ByArgs: true},
			},
		})
	}
	return jobs
}

// CreateSession stores a session, its client link and its follow-ups, and
// queues one reminder job per follow-up at its due time (Reminders, with
// Config.Queue), in one transaction.
func (s *Store) CreateSession(ctx context.Context, se *aftercare.Session, linkHash []byte) error {
	if s.queue == nil {
		return fmt.Errorf("%s: sessions are written by the store itself", s.d.Name)
	}
	if err := se.Prepare(linkHash); err != nil {
		return err
	}
	created := aftercare.StoredTimeOr(se.CreatedAt, s.now())
	args, err := s.d.SessionArgs(se, s.d.Time(created))
	if err != nil {
		return err
	}
	var id int64
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.d.MustExist(ctx, tx, "client", ClientExists, se.ClinicID, se.ClientID); err != nil {
			return err
		}
		if err := s.d.row(ctx, tx, InsertSession, args...).Scan(&id); err != nil {
			return err
		}
		if err := s.d.InsertLink(ctx, tx, se.ClinicID, id, linkHash, se.LinkExpiresAt, created); err != nil {
			return err
		}
		for _, f := range se.FollowUps {
			if _, err := s.d.exec(ctx, tx, InsertFollowUp, s.d.FollowUpArgs(se.ClinicID, id, f)...); err != nil {
				return err
			}
		}
		stored := *se
		stored.ID = id
		if jobs := Reminders(&stored); len(jobs) > 0 {
			if err := s.queue(ctx, tx, jobs); err != nil {
				return fmt.Errorf("queue reminders: %w", err) // inTx maps it
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	se.ID, se.CreatedAt, se.CheckIns = id, created, nil
	return nil
}

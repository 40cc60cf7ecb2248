package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"aftercare"
	"aftercare/sqlstore"
)

// FindSession returns a session of the clinic with its follow-ups (by hours)
// and check-ins (oldest first). LinkExpiresAt is when its last client link
// stops working (expiry or revocation).
func (s *Store) FindSession(ctx context.Context, clinicID, id int64) (se *aftercare.Session, err error) {
	err = s.readTx(ctx, func(tx *sql.Tx) error {
		se, err = findSession(ctx, tx, clinicID, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return se, nil
}

// findSession reads a session as FindSession returns it: with its follow-ups,
// its check-ins and the expiry of its last client link.
func findSession(ctx context.Context, q sqlstore.Querier, clinicID, id int64) (*aftercare.Session, error) {
	list, err := readSessions(ctx, q, clinicID, `id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, sqlstore.NotFound("session")
	}
	return list[0], nil
}

// ListSessions returns a client's sessions (every session of the clinic when
// clientID is 0), oldest first by end time, each as FindSession returns it;
// ENOTFOUND when the client is not the clinic's. It reads them in three
// queries however many sessions there are: the sessions, all their
// follow-ups, all their check-ins.
func (s *Store) ListSessions(ctx context.Context, clinicID, clientID int64) (list []*aftercare.Session, err error) {
	err = s.readTx(ctx, func(tx *sql.Tx) error {
		if clientID == 0 {
			list, err = readSessions(ctx, tx, clinicID, `1 = 1`)
			return err
		}
		if err := dialect.MustExist(ctx, tx, "client", sqlstore.ClientExists, clinicID, clientID); err != nil {
			return err
		}
		list, err = readSessions(ctx, tx, clinicID, `client_id = ?`, clientID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return list, nil
}

// sessionColumns are a session's columns as sqlstore.ScanSession reads them.
var sessionColumns = dialect.SessionColumns()

// sessionStatements are the three queries readSessions runs for the sessions
// filter selects (a condition on the sessions table): the sessions (the clinic,
// then filter's arguments), their follow-ups and their check-ins (both the
// clinic, then the sessions' arguments again).
func sessionStatements(filter string) [3]string {
	where := `clinic_id = ? AND ` + filter
	// The children of the selected sessions: the same clinic, and sessions the
	// same condition selects.
	children := `clinic_id = ? AND session_id IN (SELECT id FROM sessions WHERE ` + where + `)`
	return [3]string{
		`SELECT ` + sessionColumns + ` FROM sessions WHERE ` + where + ` ORDER BY ended_at, id`,
		`SELECT ` + sqlstore.FollowUpColumns + ` FROM follow_ups WHERE ` + children + ` ORDER BY session_id, hours`,
		`SELECT ` + sqlstore.CheckInColumns + ` FROM check_ins WHERE ` + children + ` ORDER BY session_id, created_at, id`,
	}
}

// HotReads returns the statements of the reads a clinic lives on, each with
// its arguments: the flag queue (ListFlags) of the clinic and the timeline
// (ListSessions) of one of its clients; so that a benchmark can show the plans
// of exactly what the store runs.
func HotReads(clinicID, clientID int64) []aftercare.Statement {
	stmt := sessionStatements(`client_id = ?`)
	return []aftercare.Statement{
		{Name: "flag queue", SQL: sqlstore.OpenFlags, Args: []any{clinicID}},
		{Name: "timeline: the client exists", SQL: sqlstore.ClientExists, Args: []any{clinicID, clientID}},
		{Name: "timeline: the client's sessions", SQL: stmt[0], Args: []any{clinicID, clientID}},
		{Name: "timeline: their follow-ups", SQL: stmt[1], Args: []any{clinicID, clinicID, clientID}},
		{Name: "timeline: their check-ins", SQL: stmt[2], Args: []any{clinicID, clinicID, clientID}},
	}
}

// readSessions reads the clinic's sessions that filter (a condition on the
// sessions table, with args) selects, oldest first by end time, each with its
// follow-ups (by hours), its check-ins (oldest first) and the expiry of its
// last client link: three queries, however many sessions.
func readSessions(ctx context.Context, q sqlstore.Querier, clinicID int64, filter string, args ...any) ([]*aftercare.Session, error) {
	stmt := sessionStatements(filter)
	whereArgs := append([]any{clinicID}, args...)
	list := []*aftercare.Session{}
	byID := map[int64]*aftercare.Session{}
	err := dialect.Each(ctx, q, stmt[0], whereArgs, func(r sqlstore.Row) error {
		se, err := sqlstore.ScanSession(r)
		if err != nil {
			return err
		}
		list = append(list, se)
		byID[se.ID] = se
		return nil
	})
	if err != nil || len(list) == 0 {
		return list, err
	}
	childArgs := append([]any{clinicID}, whereArgs...)
	err = dialect.Each(ctx, q, stmt[1], childArgs, func(r sqlstore.Row) error {
		sessionID, f, err := sqlstore.ScanFollowUp(r)
		if se := byID[sessionID]; err == nil && se != nil {
			se.FollowUps = append(se.FollowUps, f)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	err = dialect.Each(ctx, q, stmt[2], childArgs, func(r sqlstore.Row) error {
		c, err := sqlstore.ScanCheckIn(r)
		if se := byID[c.SessionID]; err == nil && se != nil {
			se.CheckIns = append(se.CheckIns, *c)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return list, nil
}

// FindSessionByLink returns the session whose live client link has this hash;
// LinkExpiresAt is that link's expiry.
func (s *Store) FindSessionByLink(ctx context.Context, linkHash []byte, at time.Time) (se *aftercare.Session, err error) {
	err = s.readTx(ctx, func(tx *sql.Tx) error {
		var clinicID, sessionID int64
		var expires time.Time
		err := tx.QueryRowContext(ctx, `SELECT clinic_id, session_id, expires_at FROM session_links
			WHERE hash = ? AND revoked_at IS NULL AND expires_at > ?`, linkHash, fmtTime(at)).
			Scan(&clinicID, &sessionID, sqlstore.Time(&expires))
		if errors.Is(err, sql.ErrNoRows) {
			return aftercare.Errorf(aftercare.ENOTFOUND, "", "check-in link not found; it may have expired")
		} else if err != nil {
			return dbErr(err)
		}
		if se, err = findSession(ctx, tx, clinicID, sessionID); err != nil {
			return err
		}
		se.LinkExpiresAt = expires
		return nil
	})
	if err != nil {
		return nil, err
	}
	return se, nil
}

package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"aftercare"
	"aftercare/sqlstore"
)

// The statements of the shared SQL that the native code runs too.
var (
	qClientExists   = dialect.Rebind(sqlstore.ClientExists)
	qSessionExists  = dialect.Rebind(sqlstore.SessionExists)
	qInsertSession  = dialect.Rebind(sqlstore.InsertSession)
	qInsertFollowUp = dialect.Rebind(sqlstore.InsertFollowUp)
)

// querier is what both *pgxpool.Pool and pgx.Tx offer.
type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// rowOf returns the sqlstore.QueryRow of q, bound to ctx.
func rowOf(ctx context.Context, q querier) sqlstore.QueryRow {
	return func(query string, args ...any) sqlstore.Row { return q.QueryRow(ctx, query, args...) }
}

func mustExist(ctx context.Context, q querier, what, query string, args ...any) error {
	return rowExists(q.QueryRow(ctx, query, args...), what)
}

// rowExists reads the row of an existence query (SELECT 1 …): ENOTFOUND,
// naming what, when there is none.
func rowExists(row pgx.Row, what string) error {
	var one int
	err := row.Scan(&one)
	if errors.Is(err, pgx.ErrNoRows) {
		return sqlstore.NotFound(what)
	}
	return dbErr(err)
}

// CreateSession stores a session, its client link and its follow-ups, and
// queues one reminder job per follow-up at its due time, in one transaction:
// River's client here takes a pgx.Tx, so this is the shared SQL run natively.
func (s *Store) CreateSession(ctx context.Context, se *aftercare.Session, linkHash []byte) error {
	if err := se.Prepare(linkHash); err != nil {
		return err
	}
	created := aftercare.StoredTimeOr(se.CreatedAt, s.now())
	args, err := dialect.SessionArgs(se, created)
	if err != nil {
		return err
	}
	stored := *se
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		if err := mustExist(ctx, tx, "client", qClientExists, se.ClinicID, se.ClientID); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, qInsertSession, args...).Scan(&stored.ID); err != nil {
			return dbErr(err)
		}
		_, err := tx.Exec(ctx, `INSERT INTO session_links (clinic_id, session_id, hash, expires_at, created_at)
			VALUES ($1, $2, $3, $4, $5)`, se.ClinicID, stored.ID, linkHash, aftercare.StoredTime(se.LinkExpiresAt), created)
		if isUnique(err) {
			return aftercare.Errorf(aftercare.ECONFLICT, "check_in_url", "this client link is already in use")
		} else if err != nil {
			return dbErr(err)
		}
		for _, f := range se.FollowUps {
			if _, err := tx.Exec(ctx, qInsertFollowUp, dialect.FollowUpArgs(se.ClinicID, stored.ID, f)...); err != nil {
				return dbErr(err)
			}
		}
		if jobs := sqlstore.Reminders(&stored); len(jobs) > 0 {
			if _, err := s.jobs.InsertManyTx(ctx, tx, jobs); err != nil {
				return fmt.Errorf("queue reminders: %w", err) // inTx maps it
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	se.ID, se.CreatedAt, se.CheckIns = stored.ID, created, nil
	return nil
}

// FindSession returns a session of the clinic with its follow-ups (by hours)
// and check-ins (oldest first). LinkExpiresAt is when its last client link
// stops working (expiry or revocation).
func (s *Store) FindSession(ctx context.Context, clinicID, id int64) (*aftercare.Session, error) {
	b := readBatch()
	read := queueSessions(b, clinicID, `id = $2`, id)
	var se *aftercare.Session
	err := s.sendRead(ctx, b, func(br pgx.BatchResults) (err error) {
		se, err = onlySession(read(br))
		return err
	})
	if err != nil {
		return nil, err
	}
	return se, nil
}

// findSession reads a session as FindSession returns it, in tx, in one
// round trip.
func findSession(ctx context.Context, tx pgx.Tx, clinicID, id int64) (*aftercare.Session, error) {
	b := &pgx.Batch{}
	read := queueSessions(b, clinicID, `id = $2`, id)
	br := tx.SendBatch(ctx, b)
	list, err := read(br)
	if cerr := br.Close(); err == nil {
		err = dbErr(cerr)
	}
	return onlySession(list, err)
}

// onlySession returns the one session a read by id found.
func onlySession(list []*aftercare.Session, err error) (*aftercare.Session, error) {
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
// queries however many sessions there are (the sessions, all their
// follow-ups, all their check-ins), sent with the client check in one round
// trip.
func (s *Store) ListSessions(ctx context.Context, clinicID, clientID int64) ([]*aftercare.Session, error) {
	b := readBatch()
	filter, args := `true`, []any(nil)
	if clientID != 0 {
		b.Queue(qClientExists, clinicID, clientID)
		filter, args = `client_id = $2`, []any{clientID}
	}
	read := queueSessions(b, clinicID, filter, args...)
	var list []*aftercare.Session
	err := s.sendRead(ctx, b, func(br pgx.BatchResults) (err error) {
		if clientID != 0 {
			if err := rowExists(br.QueryRow(), "client"); err != nil {
				return err
			}
		}
		list, err = read(br)
		return err
	})
	if err != nil {
		return nil, err
	}
	return list, nil
}

// sessionColumns are a session's columns as sqlstore.ScanSession reads them.
var sessionColumns = dialect.SessionColumns()

// sessionStatements are the three queries that read the sessions filter
// selects (a condition on the sessions table; $1 is the clinic, $2 on its
// arguments), in the order queueSessions reads their results: the check-ins,
// the sessions, the follow-ups.
func sessionStatements(filter string) [3]string {
	where := `clinic_id = $1 AND ` + filter
	// The children of the selected sessions: the same clinic, and sessions the
	// same condition selects.
	children := `clinic_id = $1 AND session_id IN (SELECT id FROM sessions WHERE ` + where + `)`
	return [3]string{
		`SELECT ` + sqlstore.CheckInColumns + ` FROM check_ins WHERE ` + children + ` ORDER BY session_id, created_at, id`,
		`SELECT ` + sessionColumns + ` FROM sessions WHERE ` + where + ` ORDER BY ended_at, id`,
		`SELECT ` + sqlstore.FollowUpColumns + ` FROM follow_ups WHERE ` + children + ` ORDER BY session_id, hours`,
	}
}

// HotReads returns the statements of the reads a clinic lives on, each with
// its arguments: the flag queue (ListFlags) of the clinic and the timeline
// (ListSessions) of one of its clients; so that a benchmark can show the plans
// of exactly what the store runs.
func HotReads(clinicID, clientID int64) []aftercare.Statement {
	names := [3]string{"timeline: the client's check-ins", "timeline: the client's sessions", "timeline: their follow-ups"}
	out := []aftercare.Statement{
		{Name: "flag queue", SQL: dialect.Rebind(sqlstore.OpenFlags), Args: []any{clinicID}},
		{Name: "timeline: the client exists", SQL: qClientExists, Args: []any{clinicID, clientID}},
	}
	for i, q := range sessionStatements(`client_id = $2`) {
		out = append(out, aftercare.Statement{Name: names[i], SQL: q, Args: []any{clinicID, clientID}})
	}
	return out
}

// queueSessions queues on b the three queries that read the clinic's
// sessions that filter (a condition on the sessions table; $1 is clinicID,
// args are $2 on) selects, oldest first by end time, each with its follow-ups
// (by hours), its check-ins (oldest first) and the expiry of its last client
// link. The queries do not depend on each other's results, so they go in one
// round trip however many sessions there are; read reads their results, the
// next three of br, once b is sent. The check-ins come first: decoding their
// JSON is most of the client's work, and it goes on while the server reads
// the sessions and follow-ups.
func queueSessions(b *pgx.Batch, clinicID int64, filter string, args ...any) (read func(br pgx.BatchResults) ([]*aftercare.Session, error)) {
	args = append([]any{clinicID}, args...)
	for _, q := range sessionStatements(filter) {
		b.Queue(q, args...)
	}
	return func(br pgx.BatchResults) ([]*aftercare.Session, error) {
		var checkIns []*aftercare.CheckIn
		err := eachRow(br, func(r sqlstore.Row) error {
			c, err := sqlstore.ScanCheckIn(r)
			checkIns = append(checkIns, c)
			return err
		})
		if err != nil {
			return nil, err
		}
		list := []*aftercare.Session{}
		byID := map[int64]*aftercare.Session{}
		err = eachRow(br, func(r sqlstore.Row) error {
			se, err := sqlstore.ScanSession(r)
			if err != nil {
				return err
			}
			list = append(list, se)
			byID[se.ID] = se
			return nil
		})
		if err != nil {
			return nil, err
		}
		err = eachRow(br, func(r sqlstore.Row) error {
			sessionID, f, err := sqlstore.ScanFollowUp(r)
			if err != nil {
				return err
			}
			if se := byID[sessionID]; se != nil {
				se.FollowUps = append(se.FollowUps, f)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		for _, c := range checkIns {
			if se := byID[c.SessionID]; se != nil {
				se.CheckIns = append(se.CheckIns, *c)
			}
		}
		return list, nil
	}
}

// eachRow reads the next result of br and calls fn on each of its rows, in
// order.
func eachRow(br pgx.BatchResults, fn func(sqlstore.Row) error) error {
	rows, err := br.Query()
	if err != nil {
		return dbErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return dbErr(err)
		}
	}
	return dbErr(rows.Err())
}

// FindSessionByLink returns the session whose live client link has this hash;
// LinkExpiresAt is that link's expiry.
func (s *Store) FindSessionByLink(ctx context.Context, linkHash []byte, at time.Time) (*aftercare.Session, error) {
	var se *aftercare.Session
	err := s.readTx(ctx, func(tx pgx.Tx) error {
		var clinicID, sessionID int64
		var expires time.Time
		err := tx.QueryRow(ctx, `SELECT clinic_id, session_id, expires_at FROM session_links
			WHERE hash = $1 AND revoked_at IS NULL AND expires_at > $2`, linkHash, aftercare.StoredTime(at)).
			Scan(&clinicID, &sessionID, &expires)
		if errors.Is(err, pgx.ErrNoRows) {
			return aftercare.Errorf(aftercare.ENOTFOUND, "", "check-in link not found; it may have expired")
		} else if err != nil {
			return dbErr(err)
		}
		if se, err = findSession(ctx, tx, clinicID, sessionID); err != nil {
			return err
		}
		se.LinkExpiresAt = expires.UTC()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return se, nil
}

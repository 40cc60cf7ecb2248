package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"aftercare"
	"aftercare/followup"
)

// querier is what both *sql.DB and *sql.Tx offer.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// scanner is what both *sql.Row and *sql.Rows offer.
type scanner interface{ Scan(dest ...any) error }

func insertID(ctx context.Context, tx *sql.Tx, query string, args ...any) (int64, error) {
	res, err := tx.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// exists reports whether query finds a row.
func exists(ctx context.Context, q querier, query string, args ...any) (bool, error) {
	var one int
	err := q.QueryRowContext(ctx, query, args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, dbErr(err)
}

func mustExist(ctx context.Context, q querier, what, query string, args ...any) error {
	ok, err := exists(ctx, q, query, args...)
	if err != nil {
		return err
	}
	if !ok {
		return notFound(what)
	}
	return nil
}

const (
	qClinicExists  = `SELECT 1 FROM clinics WHERE id = ?`
	qClientExists  = `SELECT 1 FROM clients WHERE clinic_id = ? AND id = ?`
	qSessionExists = `SELECT 1 FROM sessions WHERE clinic_id = ? AND id = ?`
)

// CreateClinic stores a new clinic; FollowUpHours default to aftercare.DefaultFollowUpHours.
func (s *Store) CreateClinic(ctx context.Context, c *aftercare.Clinic) error {
	if err := c.Prepare(); err != nil {
		return err
	}
	created := aftercare.StoredTimeOr(c.CreatedAt, s.now())
	hours, err := json.Marshal(c.FollowUpHours)
	if err != nil {
		return err
	}
	var id int64
	err = s.inTx(ctx, func(tx *sql.Tx) (err error) {
		id, err = insertID(ctx, tx, `INSERT INTO clinics
			(name, emergency_number, follow_up_hours, notify_email, webhook_url, webhook_secret, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`,
			c.Name, c.EmergencyNumber, string(hours), c.NotifyEmail, c.WebhookURL, c.WebhookSecret, fmtTime(created))
		return dbErr(err)
	})
	if err != nil {
		return err
	}
	c.ID, c.CreatedAt = id, created
	return nil
}

const clinicColumns = `id, name, emergency_number, follow_up_hours, notify_email, webhook_url, webhook_secret, created_at`

func scanClinic(r scanner) (*aftercare.Clinic, error) {
	var c aftercare.Clinic
	var hours, created string
	if err := r.Scan(&c.ID, &c.Name, &c.EmergencyNumber, &hours, &c.NotifyEmail, &c.WebhookURL, &c.WebhookSecret, &created); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(hours), &c.FollowUpHours); err != nil {
		return nil, fmt.Errorf("sqlite: clinic %d follow_up_hours: %w", c.ID, err)
	}
	var err error
	c.CreatedAt, err = parseTime(created)
	return &c, err
}

// FindClinic returns the clinic with the given id.
func (s *Store) FindClinic(ctx context.Context, id int64) (*aftercare.Clinic, error) {
	c, err := scanClinic(s.read.QueryRowContext(ctx, `SELECT `+clinicColumns+` FROM clinics WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("clinic")
	}
	return c, dbErr(err)
}

// ListClinics returns every clinic, oldest first.
func (s *Store) ListClinics(ctx context.Context) ([]*aftercare.Clinic, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+clinicColumns+` FROM clinics ORDER BY id`)
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	list := []*aftercare.Clinic{}
	for rows.Next() {
		c, err := scanClinic(rows)
		if err != nil {
			return nil, dbErr(err)
		}
		list = append(list, c)
	}
	return list, dbErr(rows.Err())
}

// CreateUser stores a new staff user; an email already in use (in any case) is ECONFLICT.
func (s *Store) CreateUser(ctx context.Context, u *aftercare.User) error {
	if err := u.Prepare(); err != nil {
		return err
	}
	created := aftercare.StoredTimeOr(u.CreatedAt, s.now())
	var id int64
	err := s.inTx(ctx, func(tx *sql.Tx) (err error) {
		if err := mustExist(ctx, tx, "clinic", qClinicExists, u.ClinicID); err != nil {
			return err
		}
		id, err = insertID(ctx, tx, `INSERT INTO users (clinic_id, email, role, password_hash, created_at)
			VALUES (?, ?, ?, ?, ?)`, u.ClinicID, u.Email, u.Role, u.PasswordHash, fmtTime(created))
		if isUnique(err) {
			return aftercare.Errorf(aftercare.ECONFLICT, "email", "a user with the email %s already exists", u.Email)
		}
		return dbErr(err)
	})
	if err != nil {
		return err
	}
	u.ID, u.CreatedAt = id, created
	return nil
}

// FindUserByEmail returns the user with the given email, compared case-insensitively.
func (s *Store) FindUserByEmail(ctx context.Context, email string) (*aftercare.User, error) {
	var u aftercare.User
	var created string
	err := s.read.QueryRowContext(ctx, `SELECT id, clinic_id, email, role, password_hash, created_at
		FROM users WHERE lower(email) = lower(?)`, strings.TrimSpace(email)).
		Scan(&u.ID, &u.ClinicID, &u.Email, &u.Role, &u.PasswordHash, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("user")
	} else if err != nil {
		return nil, dbErr(err)
	}
	u.CreatedAt, err = parseTime(created)
	return &u, err
}

// CreateToken stores a new API token (its hash only).
func (s *Store) CreateToken(ctx context.Context, t *aftercare.APIToken) error {
	if err := t.Prepare(); err != nil {
		return err
	}
	created := aftercare.StoredTimeOr(t.CreatedAt, s.now())
	scopes, err := json.Marshal(t.Scopes)
	if err != nil {
		return err
	}
	var id int64
	err = s.inTx(ctx, func(tx *sql.Tx) (err error) {
		if err := mustExist(ctx, tx, "clinic", qClinicExists, t.ClinicID); err != nil {
			return err
		}
		id, err = insertID(ctx, tx, `INSERT INTO api_tokens (clinic_id, name, hash, scopes, created_at, last_used_at, revoked_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, t.ClinicID, t.Name, t.Hash, string(scopes),
			fmtTime(created), fmtTimePtr(t.LastUsedAt), fmtTimePtr(t.RevokedAt))
		if isUnique(err) {
			return aftercare.Errorf(aftercare.ECONFLICT, "hash", "a token with this secret already exists")
		}
		return dbErr(err)
	})
	if err != nil {
		return err
	}
	t.ID, t.CreatedAt = id, created
	return nil
}

const tokenColumns = `id, clinic_id, name, hash, scopes, created_at, last_used_at, revoked_at`

func scanToken(r scanner) (*aftercare.APIToken, error) {
	var t aftercare.APIToken
	var scopes, created string
	var used, revoked sql.NullString
	if err := r.Scan(&t.ID, &t.ClinicID, &t.Name, &t.Hash, &scopes, &created, &used, &revoked); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(scopes), &t.Scopes); err != nil {
		return nil, fmt.Errorf("sqlite: token %d scopes: %w", t.ID, err)
	}
	var err error
	if t.CreatedAt, err = parseTime(created); err != nil {
		return nil, err
	}
	if t.LastUsedAt, err = parseTimePtr(used); err != nil {
		return nil, err
	}
	if t.RevokedAt, err = parseTimePtr(revoked); err != nil {
		return nil, err
	}
	return &t, nil
}

// FindToken returns the live (not revoked) token with the given hash.
func (s *Store) FindToken(ctx context.Context, hash []byte) (*aftercare.APIToken, error) {
	t, err := scanToken(s.read.QueryRowContext(ctx, `SELECT `+tokenColumns+`
		FROM api_tokens WHERE hash = ? AND revoked_at IS NULL`, hash))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("token")
	}
	return t, dbErr(err)
}

// ListTokens returns the clinic's tokens, revoked ones included, oldest first.
func (s *Store) ListTokens(ctx context.Context, clinicID int64) ([]*aftercare.APIToken, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+tokenColumns+`
		FROM api_tokens WHERE clinic_id = ? ORDER BY id`, clinicID)
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	list := []*aftercare.APIToken{}
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, dbErr(err)
		}
		list = append(list, t)
	}
	return list, dbErr(rows.Err())
}

// TouchToken records that the token was used at the given time.
func (s *Store) TouchToken(ctx context.Context, id int64, at time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, fmtTime(at), id)
		return affected(res, err, "token")
	})
}

// RevokeToken revokes one of the clinic's tokens; revoking it again keeps the first time.
func (s *Store) RevokeToken(ctx context.Context, clinicID, id int64, at time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = coalesce(revoked_at, ?)
			WHERE clinic_id = ? AND id = ?`, fmtTime(at), clinicID, id)
		return affected(res, err, "token")
	})
}

// affected turns an update that touched no row into ENOTFOUND.
func affected(res sql.Result, err error, what string) error {
	if err != nil {
		return dbErr(err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return dbErr(err)
	}
	if n == 0 {
		return notFound(what)
	}
	return nil
}

// CreateClient stores a new client of a clinic.
func (s *Store) CreateClient(ctx context.Context, c *aftercare.Client) error {
	if err := c.Prepare(); err != nil {
		return err
	}
	created := aftercare.StoredTimeOr(c.CreatedAt, s.now())
	var id int64
	err := s.inTx(ctx, func(tx *sql.Tx) (err error) {
		if err := mustExist(ctx, tx, "clinic", qClinicExists, c.ClinicID); err != nil {
			return err
		}
		id, err = insertID(ctx, tx, `INSERT INTO clients (clinic_id, name, email, created_at) VALUES (?, ?, ?, ?)`,
			c.ClinicID, c.Name, c.Email, fmtTime(created))
		return dbErr(err)
	})
	if err != nil {
		return err
	}
	c.ID, c.CreatedAt = id, created
	return nil
}

func scanClient(r scanner) (*aftercare.Client, error) {
	var c aftercare.Client
	var created string
	if err := r.Scan(&c.ID, &c.ClinicID, &c.Name, &c.Email, &created); err != nil {
		return nil, err
	}
	var err error
	c.CreatedAt, err = parseTime(created)
	return &c, err
}

// FindClient returns one client of the clinic.
func (s *Store) FindClient(ctx context.Context, clinicID, id int64) (*aftercare.Client, error) {
	c, err := scanClient(s.read.QueryRowContext(ctx, `SELECT id, clinic_id, name, email, created_at
		FROM clients WHERE clinic_id = ? AND id = ?`, clinicID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("client")
	}
	return c, dbErr(err)
}

// ListClients returns the clinic's clients, oldest first.
func (s *Store) ListClients(ctx context.Context, clinicID int64) ([]*aftercare.Client, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, clinic_id, name, email, created_at
		FROM clients WHERE clinic_id = ? ORDER BY id`, clinicID)
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	list := []*aftercare.Client{}
	for rows.Next() {
		c, err := scanClient(rows)
		if err != nil {
			return nil, dbErr(err)
		}
		list = append(list, c)
	}
	return list, dbErr(rows.Err())
}

// CreateScreening stores a client's screening answers and their cautions.
func (s *Store) CreateScreening(ctx context.Context, sc *aftercare.Screening) error {
	if err := sc.Prepare(); err != nil {
		return err
	}
	created := aftercare.StoredTimeOr(sc.CreatedAt, s.now())
	health, err := json.Marshal(sc.Health)
	if err != nil {
		return err
	}
	cautions, err := json.Marshal(sc.Cautions)
	if err != nil {
		return err
	}
	var id int64
	err = s.inTx(ctx, func(tx *sql.Tx) (err error) {
		if err := mustExist(ctx, tx, "client", qClientExists, sc.ClinicID, sc.ClientID); err != nil {
			return err
		}
		id, err = insertID(ctx, tx, `INSERT INTO screenings (clinic_id, client_id, health, notes, cautions, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`, sc.ClinicID, sc.ClientID, string(health), sc.Notes, string(cautions), fmtTime(created))
		return dbErr(err)
	})
	if err != nil {
		return err
	}
	sc.ID, sc.CreatedAt = id, created
	return nil
}

// ListScreenings returns a client's screenings, oldest first; ENOTFOUND when
// the client is not the clinic's.
func (s *Store) ListScreenings(ctx context.Context, clinicID, clientID int64) ([]*aftercare.Screening, error) {
	list := []*aftercare.Screening{}
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		if err := mustExist(ctx, tx, "client", qClientExists, clinicID, clientID); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT id, clinic_id, client_id, health, notes, cautions, created_at
			FROM screenings WHERE clinic_id = ? AND client_id = ? ORDER BY created_at, id`, clinicID, clientID)
		if err != nil {
			return dbErr(err)
		}
		defer rows.Close()
		for rows.Next() {
			var sc aftercare.Screening
			var health, cautions, created string
			if err := rows.Scan(&sc.ID, &sc.ClinicID, &sc.ClientID, &health, &sc.Notes, &cautions, &created); err != nil {
				return dbErr(err)
			}
			if err := json.Unmarshal([]byte(health), &sc.Health); err != nil {
				return fmt.Errorf("sqlite: screening %d health: %w", sc.ID, err)
			}
			if err := json.Unmarshal([]byte(cautions), &sc.Cautions); err != nil {
				return fmt.Errorf("sqlite: screening %d cautions: %w", sc.ID, err)
			}
			if sc.CreatedAt, err = parseTime(created); err != nil {
				return err
			}
			list = append(list, &sc)
		}
		return dbErr(rows.Err())
	})
	if err != nil {
		return nil, err
	}
	return list, nil
}

// CreateSession stores a session, its client link and its follow-ups, and
// queues one reminder job per follow-up at its due time, in one transaction.
func (s *Store) CreateSession(ctx context.Context, se *aftercare.Session, linkHash []byte) error {
	if err := se.Prepare(linkHash); err != nil {
		return err
	}
	created := aftercare.StoredTimeOr(se.CreatedAt, s.now())
	areas, err := json.Marshal(se.AreasWorked)
	if err != nil {
		return err
	}
	areaPressure, err := json.Marshal(se.AreaPressure)
	if err != nil {
		return err
	}
	var id int64
	err = s.inTx(ctx, func(tx *sql.Tx) (err error) {
		if err := mustExist(ctx, tx, "client", qClientExists, se.ClinicID, se.ClientID); err != nil {
			return err
		}
		id, err = insertID(ctx, tx, `INSERT INTO sessions
			(clinic_id, client_id, style, pressure, areas_worked, area_pressure, ended_at, notes, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			se.ClinicID, se.ClientID, se.Style, se.Pressure, string(areas), string(areaPressure),
			fmtTime(se.EndedAt), se.Notes, fmtTime(created))
		if err != nil {
			return dbErr(err)
		}
		if err := insertLink(ctx, tx, se.ClinicID, id, linkHash, se.LinkExpiresAt, created); err != nil {
			return err
		}
		jobs := make([]river.InsertManyParams, 0, len(se.FollowUps))
		for _, f := range se.FollowUps {
			_, err := tx.ExecContext(ctx, `INSERT INTO follow_ups (clinic_id, session_id, hours, due_at, status, sent_at)
				VALUES (?, ?, ?, ?, ?, ?)`, se.ClinicID, id, f.Hours, fmtTime(f.DueAt), f.Status, fmtTimePtr(f.SentAt))
			if err != nil {
				return dbErr(err)
			}
			if f.Status != aftercare.FollowUpScheduled {
				continue
			}
			jobs = append(jobs, river.InsertManyParams{
				Args: followup.ReminderArgs{ClinicID: se.ClinicID, SessionID: id, Hours: f.Hours},
				InsertOpts: &river.InsertOpts{
					ScheduledAt: f.DueAt,
					UniqueOpts:  river.UniqueOpts{ByArgs: true},
				},
			})
		}
		if len(jobs) > 0 {
			if _, err := s.jobs.InsertManyTx(ctx, tx, jobs); err != nil {
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

func insertLink(ctx context.Context, tx *sql.Tx, clinicID, sessionID int64, hash []byte, expiresAt, created time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO session_links (clinic_id, session_id, hash, expires_at, created_at)
		VALUES (?, ?, ?, ?, ?)`, clinicID, sessionID, hash, fmtTime(expiresAt), fmtTime(created))
	if isUnique(err) {
		return aftercare.Errorf(aftercare.ECONFLICT, "check_in_url", "this client link is already in use")
	}
	return dbErr(err)
}

// FindSession returns a session of the clinic with its follow-ups (by hours)
// and check-ins (oldest first). LinkExpiresAt is when its last client link
// stops working (expiry or revocation).
func (s *Store) FindSession(ctx context.Context, clinicID, id int64) (*aftercare.Session, error) {
	var se *aftercare.Session
	err := s.readTx(ctx, func(tx *sql.Tx) (err error) {
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
func findSession(ctx context.Context, q querier, clinicID, id int64) (*aftercare.Session, error) {
	list, err := readSessions(ctx, q, clinicID, `id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, notFound("session")
	}
	return list[0], nil
}

// ListSessions returns a client's sessions (every session of the clinic when
// clientID is 0), oldest first by end time, each as FindSession returns it;
// ENOTFOUND when the client is not the clinic's. It reads them in three
// queries however many sessions there are: the sessions, all their
// follow-ups, all their check-ins.
func (s *Store) ListSessions(ctx context.Context, clinicID, clientID int64) ([]*aftercare.Session, error) {
	var list []*aftercare.Session
	err := s.readTx(ctx, func(tx *sql.Tx) (err error) {
		if clientID == 0 {
			list, err = readSessions(ctx, tx, clinicID, `1 = 1`)
			return err
		}
		if err := mustExist(ctx, tx, "client", qClientExists, clinicID, clientID); err != nil {
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

// sessionColumns are a session's columns and, last, when its last client link
// stops working (expiry or revocation; NULL without links), as scanSession reads them.
const sessionColumns = `id, clinic_id, client_id, style, pressure, areas_worked, area_pressure,
	ended_at, notes, created_at,
	(SELECT max(min(l.expires_at, coalesce(l.revoked_at, l.expires_at))) FROM session_links l
		WHERE l.clinic_id = sessions.clinic_id AND l.session_id = sessions.id)`

func scanSession(r scanner) (*aftercare.Session, error) {
	var se aftercare.Session
	var areas, areaPressure, ended, created string
	var until sql.NullString
	if err := r.Scan(&se.ID, &se.ClinicID, &se.ClientID, &se.Style, &se.Pressure, &areas, &areaPressure,
		&ended, &se.Notes, &created, &until); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(areas), &se.AreasWorked); err != nil {
		return nil, fmt.Errorf("sqlite: session %d areas_worked: %w", se.ID, err)
	}
	if err := json.Unmarshal([]byte(areaPressure), &se.AreaPressure); err != nil {
		return nil, fmt.Errorf("sqlite: session %d area_pressure: %w", se.ID, err)
	}
	var err error
	if se.EndedAt, err = parseTime(ended); err != nil {
		return nil, err
	}
	if se.CreatedAt, err = parseTime(created); err != nil {
		return nil, err
	}
	if until.Valid {
		if se.LinkExpiresAt, err = parseTime(until.String); err != nil {
			return nil, err
		}
	}
	se.FollowUps = []aftercare.FollowUp{}
	return &se, nil
}

const followUpColumns = `session_id, hours, due_at, status, sent_at`

func scanFollowUp(r scanner) (sessionID int64, f aftercare.FollowUp, err error) {
	var due string
	var sent sql.NullString
	if err := r.Scan(&sessionID, &f.Hours, &due, &f.Status, &sent); err != nil {
		return 0, f, err
	}
	if f.DueAt, err = parseTime(due); err != nil {
		return 0, f, err
	}
	f.SentAt, err = parseTimePtr(sent)
	return sessionID, f, err
}

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
		`SELECT ` + followUpColumns + ` FROM follow_ups WHERE ` + children + ` ORDER BY session_id, hours`,
		`SELECT ` + checkInColumns + ` FROM check_ins WHERE ` + children + ` ORDER BY session_id, created_at, id`,
	}
}

// HotReads returns the statements of the reads a clinic lives on, each with
// its arguments: the flag queue (ListFlags) of the clinic and the timeline
// (ListSessions) of one of its clients; so that a benchmark can show the plans
// of exactly what the store runs.
func HotReads(clinicID, clientID int64) []aftercare.Statement {
	stmt := sessionStatements(`client_id = ?`)
	return []aftercare.Statement{
		{Name: "flag queue", SQL: qOpenFlags, Args: []any{clinicID}},
		{Name: "timeline: the client exists", SQL: qClientExists, Args: []any{clinicID, clientID}},
		{Name: "timeline: the client's sessions", SQL: stmt[0], Args: []any{clinicID, clientID}},
		{Name: "timeline: their follow-ups", SQL: stmt[1], Args: []any{clinicID, clinicID, clientID}},
		{Name: "timeline: their check-ins", SQL: stmt[2], Args: []any{clinicID, clinicID, clientID}},
	}
}

// readSessions reads the clinic's sessions that filter (a condition on the
// sessions table, with args) selects, oldest first by end time, each with its
// follow-ups (by hours), its check-ins (oldest first) and the expiry of its
// last client link: three queries, however many sessions.
func readSessions(ctx context.Context, q querier, clinicID int64, filter string, args ...any) ([]*aftercare.Session, error) {
	stmt := sessionStatements(filter)
	whereArgs := append([]any{clinicID}, args...)
	list := []*aftercare.Session{}
	byID := map[int64]*aftercare.Session{}
	err := eachRow(ctx, q, stmt[0], whereArgs,
		func(r scanner) error {
			se, err := scanSession(r)
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
	err = eachRow(ctx, q, stmt[1], childArgs, func(r scanner) error {
		sessionID, f, err := scanFollowUp(r)
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
	err = eachRow(ctx, q, stmt[2], childArgs, func(r scanner) error {
		c, err := scanCheckIn(r)
		if err != nil {
			return err
		}
		if se := byID[c.SessionID]; se != nil {
			se.CheckIns = append(se.CheckIns, *c)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return list, nil
}

// eachRow runs query and calls fn on each row it returns, in order.
func eachRow(ctx context.Context, q querier, query string, args []any, fn func(scanner) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
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
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		var clinicID, sessionID int64
		var expires string
		err := tx.QueryRowContext(ctx, `SELECT clinic_id, session_id, expires_at FROM session_links
			WHERE hash = ? AND revoked_at IS NULL AND expires_at > ?`, linkHash, fmtTime(at)).
			Scan(&clinicID, &sessionID, &expires)
		if errors.Is(err, sql.ErrNoRows) {
			return aftercare.Errorf(aftercare.ENOTFOUND, "", "check-in link not found; it may have expired")
		} else if err != nil {
			return dbErr(err)
		}
		if se, err = findSession(ctx, tx, clinicID, sessionID); err != nil {
			return err
		}
		se.LinkExpiresAt, err = parseTime(expires)
		return err
	})
	if err != nil {
		return nil, err
	}
	return se, nil
}

const checkInColumns = `id, clinic_id, session_id, hours_since, request, assessment, idempotency_key, created_at`

func scanCheckIn(r scanner) (*aftercare.CheckIn, error) {
	var c aftercare.CheckIn
	var req, resp, created string
	if err := r.Scan(&c.ID, &c.ClinicID, &c.SessionID, &c.HoursSince, &req, &resp, &c.IdempotencyKey, &created); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(req), &c.Request); err != nil {
		return nil, fmt.Errorf("sqlite: check-in %d request: %w", c.ID, err)
	}
	if err := json.Unmarshal([]byte(resp), &c.Assessment); err != nil {
		return nil, fmt.Errorf("sqlite: check-in %d assessment: %w", c.ID, err)
	}
	var err error
	c.CreatedAt, err = parseTime(created)
	return &c, err
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
		if err := mustExist(ctx, tx, "session", qSessionExists, clinicID, sessionID); err != nil {
			return err
		}
		return insertLink(ctx, tx, clinicID, sessionID, linkHash, expiresAt, aftercare.StoredTimeOr(time.Time{}, s.now()))
	})
}

// RevokeLinks revokes every live client link of a session of the clinic.
func (s *Store) RevokeLinks(ctx context.Context, clinicID, sessionID int64, at time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := mustExist(ctx, tx, "session", qSessionExists, clinicID, sessionID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE session_links SET revoked_at = ?
			WHERE clinic_id = ? AND session_id = ? AND revoked_at IS NULL`, fmtTime(at), clinicID, sessionID)
		return dbErr(err)
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
		sent = fmtTime(at)
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE follow_ups SET status = ?, sent_at = ?
			WHERE clinic_id = ? AND session_id = ? AND hours = ? AND status = 'scheduled'`,
			status, sent, clinicID, sessionID, hours)
		if err := affected(res, err, "follow-up"); err == nil || aftercare.ErrorCode(err) != aftercare.ENOTFOUND {
			return err
		}
		return mustExist(ctx, tx, "follow-up",
			`SELECT 1 FROM follow_ups WHERE clinic_id = ? AND session_id = ? AND hours = ?`, clinicID, sessionID, hours)
	})
}

// CreateCheckIn stores a check-in and, at consult or above, its flag and the
// promise of the notice that tells the clinic (its outbox row, which the
// sweeper turns into River's job a moment later), in one transaction. The flag is nil below consult.
// A check-in whose idempotency key the session already used stores nothing:
// c becomes the stored check-in, marked Replayed, and its flag is returned.
func (s *Store) CreateCheckIn(ctx context.Context, c *aftercare.CheckIn) (*aftercare.Flag, error) {
	created, req, resp, err := c.StoredForm(s.now())
	if err != nil {
		return nil, err
	}
	// The committer writes it with the other check-ins waiting, in one
	// transaction (see commit.go), and answers once that has committed.
	p := &pendingCheckIn{ctx: ctx, c: *c, req: string(req), resp: string(resp), created: created, done: make(chan struct{})}
	if err := s.submit(ctx, p); err != nil {
		return nil, err
	}
	if p.stored != nil {
		*c = *p.stored
		c.Replayed = true
		return p.flag, nil
	}
	c.ID, c.CreatedAt, c.Replayed = p.id, created, false
	return p.flag, nil
}

const flagSelect = `SELECT f.id, f.clinic_id, f.check_in_id, c.session_id, s.client_id, f.level, f.headline,
	f.created_at, f.acked_at, f.acked_by
	FROM flags f
	JOIN check_ins c ON c.id = f.check_in_id
	JOIN sessions s ON s.id = c.session_id`

// qOpenFlags is the flag queue: a clinic's flags not yet acknowledged, oldest first.
const qOpenFlags = flagSelect + ` WHERE f.clinic_id = ? AND f.acked_at IS NULL
	ORDER BY f.created_at, f.id`

func scanFlag(r scanner) (*aftercare.Flag, error) {
	var f aftercare.Flag
	var level, created string
	var acked sql.NullString
	err := r.Scan(&f.ID, &f.ClinicID, &f.CheckInID, &f.SessionID, &f.ClientID, &level, &f.Headline, &created, &acked, &f.AckedBy)
	if err != nil {
		return nil, err
	}
	if f.Level, err = aftercare.ParseLevel(level); err != nil {
		return nil, fmt.Errorf("sqlite: flag %d: %w", f.ID, err)
	}
	if f.CreatedAt, err = parseTime(created); err != nil {
		return nil, err
	}
	if f.AckedAt, err = parseTimePtr(acked); err != nil {
		return nil, err
	}
	return &f, nil
}

func findFlag(ctx context.Context, q querier, clinicID, id int64) (*aftercare.Flag, error) {
	f, err := scanFlag(q.QueryRowContext(ctx, flagSelect+` WHERE f.clinic_id = ? AND f.id = ?`, clinicID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("flag")
	}
	return f, dbErr(err)
}

// ListFlags returns the clinic's flags not yet acknowledged, oldest first.
func (s *Store) ListFlags(ctx context.Context, clinicID int64) ([]*aftercare.Flag, error) {
	rows, err := s.read.QueryContext(ctx, qOpenFlags, clinicID)
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	list := []*aftercare.Flag{}
	for rows.Next() {
		f, err := scanFlag(rows)
		if err != nil {
			return nil, dbErr(err)
		}
		list = append(list, f)
	}
	return list, dbErr(rows.Err())
}

// FindFlag returns one flag of the clinic.
func (s *Store) FindFlag(ctx context.Context, clinicID, id int64) (*aftercare.Flag, error) {
	return findFlag(ctx, s.read, clinicID, id)
}

// AckFlag records who acknowledged a flag and when; a flag already
// acknowledged is returned unchanged.
func (s *Store) AckFlag(ctx context.Context, clinicID, id int64, by string, at time.Time) (*aftercare.Flag, error) {
	by = strings.TrimSpace(by)
	if by == "" {
		return nil, aftercare.Errorf(aftercare.EINVALID, "acked_by", "say who acknowledges the flag")
	}
	if err := aftercare.CheckNoNUL("acked_by", by); err != nil {
		return nil, err
	}
	var f *aftercare.Flag
	err := s.inTx(ctx, func(tx *sql.Tx) (err error) {
		_, err = tx.ExecContext(ctx, `UPDATE flags SET acked_at = ?, acked_by = ?
			WHERE clinic_id = ? AND id = ? AND acked_at IS NULL`, fmtTime(at), by, clinicID, id)
		if err != nil {
			return dbErr(err)
		}
		f, err = findFlag(ctx, tx, clinicID, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

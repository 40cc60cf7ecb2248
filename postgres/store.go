package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/riverqueue/river"

	"aftercare"
	"aftercare/followup"
)

// querier is what both *pgxpool.Pool and pgx.Tx offer.
type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// scanner is what both pgx.Row and pgx.Rows offer.
type scanner interface{ Scan(dest ...any) error }

func mustExist(ctx context.Context, q querier, what, query string, args ...any) error {
	return rowExists(q.QueryRow(ctx, query, args...), what)
}

// rowExists reads the row of an existence query (SELECT 1 …): ENOTFOUND,
// naming what, when there is none.
func rowExists(row pgx.Row, what string) error {
	var one int
	err := row.Scan(&one)
	if errors.Is(err, pgx.ErrNoRows) {
		return notFound(what)
	}
	return dbErr(err)
}

const (
	qClinicExists  = `SELECT 1 FROM clinics WHERE id = $1`
	qClientExists  = `SELECT 1 FROM clients WHERE clinic_id = $1 AND id = $2`
	qSessionExists = `SELECT 1 FROM sessions WHERE clinic_id = $1 AND id = $2`
)

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := aftercare.StoredTime(*t)
	return &u
}

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
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		return dbErr(tx.QueryRow(ctx, `INSERT INTO clinics
			(name, emergency_number, follow_up_hours, notify_email, webhook_url, webhook_secret, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			c.Name, c.EmergencyNumber, hours, c.NotifyEmail, c.WebhookURL, c.WebhookSecret, created).Scan(&id))
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
	var hours []byte
	if err := r.Scan(&c.ID, &c.Name, &c.EmergencyNumber, &hours, &c.NotifyEmail, &c.WebhookURL, &c.WebhookSecret, &c.CreatedAt); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(hours, &c.FollowUpHours); err != nil {
		return nil, fmt.Errorf("postgres: clinic %d follow_up_hours: %w", c.ID, err)
	}
	c.CreatedAt = c.CreatedAt.UTC()
	return &c, nil
}

// FindClinic returns the clinic with the given id.
func (s *Store) FindClinic(ctx context.Context, id int64) (*aftercare.Clinic, error) {
	c, err := scanClinic(s.pool.QueryRow(ctx, `SELECT `+clinicColumns+` FROM clinics WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("clinic")
	}
	return c, dbErr(err)
}

// ListClinics returns every clinic, oldest first.
func (s *Store) ListClinics(ctx context.Context) ([]*aftercare.Clinic, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+clinicColumns+` FROM clinics ORDER BY id`)
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
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := mustExist(ctx, tx, "clinic", qClinicExists, u.ClinicID); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, `INSERT INTO users (clinic_id, email, role, password_hash, created_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, u.ClinicID, u.Email, u.Role, u.PasswordHash, created).Scan(&id)
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
	err := s.pool.QueryRow(ctx, `SELECT id, clinic_id, email, role, password_hash, created_at
		FROM users WHERE lower(email) = lower($1)`, strings.TrimSpace(email)).
		Scan(&u.ID, &u.ClinicID, &u.Email, &u.Role, &u.PasswordHash, &u.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("user")
	} else if err != nil {
		return nil, dbErr(err)
	}
	u.CreatedAt = u.CreatedAt.UTC()
	return &u, nil
}

// CreateToken stores a new API token (its hash only).
func (s *Store) CreateToken(ctx context.Context, t *aftercare.APIToken) error {
	if err := t.Prepare(); err != nil {
		return err
	}
	created := aftercare.StoredTimeOr(t.CreatedAt, s.now())
	var id int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := mustExist(ctx, tx, "clinic", qClinicExists, t.ClinicID); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, `INSERT INTO api_tokens (clinic_id, name, hash, scopes, created_at, last_used_at, revoked_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			t.ClinicID, t.Name, t.Hash, t.Scopes, created, utcPtr(t.LastUsedAt), utcPtr(t.RevokedAt)).Scan(&id)
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
	if err := r.Scan(&t.ID, &t.ClinicID, &t.Name, &t.Hash, &t.Scopes, &t.CreatedAt, &t.LastUsedAt, &t.RevokedAt); err != nil {
		return nil, err
	}
	if t.Scopes == nil {
		t.Scopes = []string{}
	}
	t.CreatedAt, t.LastUsedAt, t.RevokedAt = t.CreatedAt.UTC(), utcPtr(t.LastUsedAt), utcPtr(t.RevokedAt)
	return &t, nil
}

// FindToken returns the live (not revoked) token with the given hash.
func (s *Store) FindToken(ctx context.Context, hash []byte) (*aftercare.APIToken, error) {
	t, err := scanToken(s.pool.QueryRow(ctx, `SELECT `+tokenColumns+`
		FROM api_tokens WHERE hash = $1 AND revoked_at IS NULL`, hash))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("token")
	}
	return t, dbErr(err)
}

// ListTokens returns the clinic's tokens, revoked ones included, oldest first.
func (s *Store) ListTokens(ctx context.Context, clinicID int64) ([]*aftercare.APIToken, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+tokenColumns+`
		FROM api_tokens WHERE clinic_id = $1 ORDER BY id`, clinicID)
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
	tag, err := s.pool.Exec(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE id = $2`, aftercare.StoredTime(at), id)
	return affected(tag, err, "token")
}

// RevokeToken revokes one of the clinic's tokens; revoking it again keeps the first time.
func (s *Store) RevokeToken(ctx context.Context, clinicID, id int64, at time.Time) error {
	tag, err := s.pool.Exec(ctx, `UPDATE api_tokens SET revoked_at = coalesce(revoked_at, $1)
		WHERE clinic_id = $2 AND id = $3`, aftercare.StoredTime(at), clinicID, id)
	return affected(tag, err, "token")
}

// affected turns an update that touched no row into ENOTFOUND.
func affected(tag pgconn.CommandTag, err error, what string) error {
	if err != nil {
		return dbErr(err)
	}
	if tag.RowsAffected() == 0 {
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
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := mustExist(ctx, tx, "clinic", qClinicExists, c.ClinicID); err != nil {
			return err
		}
		return dbErr(tx.QueryRow(ctx, `INSERT INTO clients (clinic_id, name, email, created_at)
			VALUES ($1, $2, $3, $4) RETURNING id`, c.ClinicID, c.Name, c.Email, created).Scan(&id))
	})
	if err != nil {
		return err
	}
	c.ID, c.CreatedAt = id, created
	return nil
}

func scanClient(r scanner) (*aftercare.Client, error) {
	var c aftercare.Client
	if err := r.Scan(&c.ID, &c.ClinicID, &c.Name, &c.Email, &c.CreatedAt); err != nil {
		return nil, err
	}
	c.CreatedAt = c.CreatedAt.UTC()
	return &c, nil
}

// FindClient returns one client of the clinic.
func (s *Store) FindClient(ctx context.Context, clinicID, id int64) (*aftercare.Client, error) {
	c, err := scanClient(s.pool.QueryRow(ctx, `SELECT id, clinic_id, name, email, created_at
		FROM clients WHERE clinic_id = $1 AND id = $2`, clinicID, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("client")
	}
	return c, dbErr(err)
}

// ListClients returns the clinic's clients, oldest first.
func (s *Store) ListClients(ctx context.Context, clinicID int64) ([]*aftercare.Client, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, clinic_id, name, email, created_at
		FROM clients WHERE clinic_id = $1 ORDER BY id`, clinicID)
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
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		if err := mustExist(ctx, tx, "client", qClientExists, sc.ClinicID, sc.ClientID); err != nil {
			return err
		}
		return dbErr(tx.QueryRow(ctx, `INSERT INTO screenings (clinic_id, client_id, health, notes, cautions, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			sc.ClinicID, sc.ClientID, health, sc.Notes, cautions, created).Scan(&id))
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
	err := s.readTx(ctx, func(tx pgx.Tx) error {
		if err := mustExist(ctx, tx, "client", qClientExists, clinicID, clientID); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT id, clinic_id, client_id, health, notes, cautions, created_at
			FROM screenings WHERE clinic_id = $1 AND client_id = $2 ORDER BY created_at, id`, clinicID, clientID)
		if err != nil {
			return dbErr(err)
		}
		defer rows.Close()
		for rows.Next() {
			var sc aftercare.Screening
			var health, cautions []byte
			if err := rows.Scan(&sc.ID, &sc.ClinicID, &sc.ClientID, &health, &sc.Notes, &cautions, &sc.CreatedAt); err != nil {
				return dbErr(err)
			}
			if err := json.Unmarshal(health, &sc.Health); err != nil {
				return fmt.Errorf("postgres: screening %d health: %w", sc.ID, err)
			}
			if err := json.Unmarshal(cautions, &sc.Cautions); err != nil {
				return fmt.Errorf("postgres: screening %d cautions: %w", sc.ID, err)
			}
			sc.CreatedAt = sc.CreatedAt.UTC()
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
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		if err := mustExist(ctx, tx, "client", qClientExists, se.ClinicID, se.ClientID); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, `INSERT INTO sessions
			(clinic_id, client_id, style, pressure, areas_worked, area_pressure, ended_at, notes, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			se.ClinicID, se.ClientID, se.Style, se.Pressure, areas, areaPressure, se.EndedAt, se.Notes, created).Scan(&id)
		if err != nil {
			return dbErr(err)
		}
		if err := insertLink(ctx, tx, se.ClinicID, id, linkHash, se.LinkExpiresAt, created); err != nil {
			return err
		}
		jobs := make([]river.InsertManyParams, 0, len(se.FollowUps))
		for _, f := range se.FollowUps {
			_, err := tx.Exec(ctx, `INSERT INTO follow_ups (clinic_id, session_id, hours, due_at, status, sent_at)
				VALUES ($1, $2, $3, $4, $5, $6)`, se.ClinicID, id, f.Hours, f.DueAt, f.Status, utcPtr(f.SentAt))
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

func insertLink(ctx context.Context, tx pgx.Tx, clinicID, sessionID int64, hash []byte, expiresAt, created time.Time) error {
	_, err := tx.Exec(ctx, `INSERT INTO session_links (clinic_id, session_id, hash, expires_at, created_at)
		VALUES ($1, $2, $3, $4, $5)`, clinicID, sessionID, hash, aftercare.StoredTime(expiresAt), created)
	if isUnique(err) {
		return aftercare.Errorf(aftercare.ECONFLICT, "check_in_url", "this client link is already in use")
	}
	return dbErr(err)
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
		return nil, notFound("session")
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

// sessionColumns are a session's columns and, last, when its last client link
// stops working (expiry or revocation; NULL without links), as scanSession reads them.
const sessionColumns = `id, clinic_id, client_id, style, pressure, areas_worked, area_pressure,
	ended_at, notes, created_at,
	(SELECT max(least(l.expires_at, coalesce(l.revoked_at, l.expires_at))) FROM session_links l
		WHERE l.clinic_id = sessions.clinic_id AND l.session_id = sessions.id)`

func scanSession(r scanner) (*aftercare.Session, error) {
	var se aftercare.Session
	var areas, areaPressure []byte
	var until *time.Time
	if err := r.Scan(&se.ID, &se.ClinicID, &se.ClientID, &se.Style, &se.Pressure, &areas, &areaPressure,
		&se.EndedAt, &se.Notes, &se.CreatedAt, &until); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(areas, &se.AreasWorked); err != nil {
		return nil, fmt.Errorf("postgres: session %d areas_worked: %w", se.ID, err)
	}
	if err := json.Unmarshal(areaPressure, &se.AreaPressure); err != nil {
		return nil, fmt.Errorf("postgres: session %d area_pressure: %w", se.ID, err)
	}
	se.EndedAt, se.CreatedAt = se.EndedAt.UTC(), se.CreatedAt.UTC()
	if until != nil {
		se.LinkExpiresAt = until.UTC()
	}
	se.FollowUps = []aftercare.FollowUp{}
	return &se, nil
}

const followUpColumns = `session_id, hours, due_at, status, sent_at`

func scanFollowUp(r scanner) (sessionID int64, f aftercare.FollowUp, err error) {
	if err := r.Scan(&sessionID, &f.Hours, &f.DueAt, &f.Status, &f.SentAt); err != nil {
		return 0, f, err
	}
	f.DueAt, f.SentAt = f.DueAt.UTC(), utcPtr(f.SentAt)
	return sessionID, f, nil
}

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
		`SELECT ` + checkInColumns + ` FROM check_ins WHERE ` + children + ` ORDER BY session_id, created_at, id`,
		`SELECT ` + sessionColumns + ` FROM sessions WHERE ` + where + ` ORDER BY ended_at, id`,
		`SELECT ` + followUpColumns + ` FROM follow_ups WHERE ` + children + ` ORDER BY session_id, hours`,
	}
}

// HotReads returns the statements of the reads a clinic lives on, each with
// its arguments: the flag queue (ListFlags) of the clinic and the timeline
// (ListSessions) of one of its clients; so that a benchmark can show the plans
// of exactly what the store runs.
func HotReads(clinicID, clientID int64) []aftercare.Statement {
	names := [3]string{"timeline: the client's check-ins", "timeline: the client's sessions", "timeline: their follow-ups"}
	out := []aftercare.Statement{
		{Name: "flag queue", SQL: qOpenFlags, Args: []any{clinicID}},
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
		err := eachRow(br, func(r scanner) error {
			c, err := scanCheckIn(r)
			checkIns = append(checkIns, c)
			return err
		})
		if err != nil {
			return nil, err
		}
		list := []*aftercare.Session{}
		byID := map[int64]*aftercare.Session{}
		err = eachRow(br, func(r scanner) error {
			se, err := scanSession(r)
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
		err = eachRow(br, func(r scanner) error {
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
func eachRow(br pgx.BatchResults, fn func(scanner) error) error {
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

const checkInColumns = `id, clinic_id, session_id, hours_since, request, assessment, idempotency_key, created_at`

func scanCheckIn(r scanner) (*aftercare.CheckIn, error) {
	var c aftercare.CheckIn
	req, resp := jsonColumn{dst: &c.Request}, jsonColumn{dst: &c.Assessment}
	if err := r.Scan(&c.ID, &c.ClinicID, &c.SessionID, &c.HoursSince, &req, &resp, &c.IdempotencyKey, &c.CreatedAt); err != nil {
		return nil, err
	}
	if req.err != nil {
		return nil, fmt.Errorf("postgres: check-in %d request: %w", c.ID, req.err)
	}
	if resp.err != nil {
		return nil, fmt.Errorf("postgres: check-in %d assessment: %w", c.ID, resp.err)
	}
	c.CreatedAt = c.CreatedAt.UTC()
	return &c, nil
}

// jsonColumn decodes a json column into dst straight from the connection's
// buffer (pgtype.BytesScanner), sparing the copy that scanning into a []byte
// makes: a check-in's request and answer are some 4.7 kB. The error is kept
// for the caller to name the column.
type jsonColumn struct {
	dst any
	err error
}

// ScanBytes decodes src, which is only valid during the call.
func (j *jsonColumn) ScanBytes(src []byte) error {
	j.err = json.Unmarshal(src, j.dst)
	return nil
}

// CreateLink adds another client link to a session of the clinic.
func (s *Store) CreateLink(ctx context.Context, clinicID, sessionID int64, linkHash []byte, expiresAt time.Time) error {
	if len(linkHash) == 0 {
		return aftercare.Errorf(aftercare.EINVALID, "check_in_url", "the client link needs a hash")
	}
	if expiresAt.IsZero() {
		return aftercare.Errorf(aftercare.EINVALID, "link_expires_at", "the client link needs an expiry")
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if err := mustExist(ctx, tx, "session", qSessionExists, clinicID, sessionID); err != nil {
			return err
		}
		return insertLink(ctx, tx, clinicID, sessionID, linkHash, expiresAt, aftercare.StoredTimeOr(time.Time{}, s.now()))
	})
}

// RevokeLinks revokes every live client link of a session of the clinic.
func (s *Store) RevokeLinks(ctx context.Context, clinicID, sessionID int64, at time.Time) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if err := mustExist(ctx, tx, "session", qSessionExists, clinicID, sessionID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE session_links SET revoked_at = $1
			WHERE clinic_id = $2 AND session_id = $3 AND revoked_at IS NULL`, aftercare.StoredTime(at), clinicID, sessionID)
		return dbErr(err)
	})
}

// MarkFollowUp records that a scheduled follow-up was sent or skipped; a
// follow-up already marked stays as it is, so a retried job changes nothing.
func (s *Store) MarkFollowUp(ctx context.Context, clinicID, sessionID int64, hours int, status string, at time.Time) error {
	if err := aftercare.CheckFollowUpMark(status); err != nil {
		return err
	}
	var sent *time.Time
	if status == aftercare.FollowUpSent {
		t := aftercare.StoredTime(at)
		sent = &t
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE follow_ups SET status = $1, sent_at = $2
			WHERE clinic_id = $3 AND session_id = $4 AND hours = $5 AND status = 'scheduled'`,
			status, sent, clinicID, sessionID, hours)
		if err := affected(tag, err, "follow-up"); err == nil || aftercare.ErrorCode(err) != aftercare.ENOTFOUND {
			return err
		}
		return mustExist(ctx, tx, "follow-up",
			`SELECT 1 FROM follow_ups WHERE clinic_id = $1 AND session_id = $2 AND hours = $3`, clinicID, sessionID, hours)
	})
}

const flagSelect = `SELECT f.id, f.clinic_id, f.check_in_id, c.session_id, s.client_id, f.level, f.headline,
	f.created_at, f.acked_at, f.acked_by
	FROM flags f
	JOIN check_ins c ON c.id = f.check_in_id
	JOIN sessions s ON s.id = c.session_id`

// qOpenFlags is the flag queue: a clinic's flags not yet acknowledged, oldest first.
const qOpenFlags = flagSelect + ` WHERE f.clinic_id = $1 AND f.acked_at IS NULL
	ORDER BY f.created_at, f.id`

func scanFlag(r scanner) (*aftercare.Flag, error) {
	var f aftercare.Flag
	var level string
	err := r.Scan(&f.ID, &f.ClinicID, &f.CheckInID, &f.SessionID, &f.ClientID, &level, &f.Headline, &f.CreatedAt, &f.AckedAt, &f.AckedBy)
	if err != nil {
		return nil, err
	}
	if f.Level, err = aftercare.ParseLevel(level); err != nil {
		return nil, fmt.Errorf("postgres: flag %d: %w", f.ID, err)
	}
	f.CreatedAt, f.AckedAt = f.CreatedAt.UTC(), utcPtr(f.AckedAt)
	return &f, nil
}

func findFlag(ctx context.Context, q querier, clinicID, id int64) (*aftercare.Flag, error) {
	f, err := scanFlag(q.QueryRow(ctx, flagSelect+` WHERE f.clinic_id = $1 AND f.id = $2`, clinicID, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("flag")
	}
	return f, dbErr(err)
}

// ListFlags returns the clinic's flags not yet acknowledged, oldest first.
func (s *Store) ListFlags(ctx context.Context, clinicID int64) ([]*aftercare.Flag, error) {
	rows, err := s.pool.Query(ctx, qOpenFlags, clinicID)
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
	return findFlag(ctx, s.pool, clinicID, id)
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
	err := s.inTx(ctx, func(tx pgx.Tx) (err error) {
		_, err = tx.Exec(ctx, `UPDATE flags SET acked_at = $1, acked_by = $2
			WHERE clinic_id = $3 AND id = $4 AND acked_at IS NULL`, aftercare.StoredTime(at), by, clinicID, id)
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

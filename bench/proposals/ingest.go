// Package proposals holds working prototypes of store changes the benchmarks
// argue for, so that cmd/ingest can measure them beside the real store in
// the same run. They write the same rows as sqlite.Store.CreateCheckIn and
// postgres.Store.CreateCheckIn (without the idempotency-key path, which is
// unchanged by either proposal), and, like them, return only once the rows
// are committed. They are evidence, not stores: both changes are now made in
// sqlite/ and postgres/, and the prototypes stay as yardsticks (see
// README.md beside this file).
package proposals

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"

	"aftercare"
	"aftercare/followup"
)

// ErrNoSession is returned when the check-in's session is not the clinic's.
var ErrNoSession = errors.New("proposals: no such session")

const timeLayout = "2006-01-02T15:04:05.000000Z"

// GroupCommitSQLite is sqlite.Store.CreateCheckIn with group commit and
// statements prepared once (proposals 1 and 2): callers
// hand their check-in to one committer goroutine, which takes every
// check-in waiting (up to MaxBatch), writes each inside its own SAVEPOINT
// of one IMMEDIATE transaction, commits once (one WAL fsync with
// synchronous=FULL for the whole batch) and only then answers each caller.
// A check-in that fails rolls back to its savepoint and gets its error;
// the others commit. A failed COMMIT fails them all, and nothing is
// acknowledged before COMMIT has returned.
type GroupCommitSQLite struct {
	db   *sql.DB
	jobs *river.Client[*sql.Tx]
	// The statements are prepared once (proposal 2): the driver would
	// otherwise prepare each on every call.
	session, checkIn, flag *sql.Stmt
	in                     chan *pending
	// MaxBatch is the most check-ins one transaction takes.
	MaxBatch int
	done     chan struct{}
}

type pending struct {
	ctx       context.Context
	c         *aftercare.CheckIn
	req, resp []byte
	created   time.Time
	flag      *aftercare.Flag
	err       error
	ack       chan struct{}
}

// NewGroupCommitSQLite starts the committer on db, which must be the
// store's kind of write pool (one connection, WAL, synchronous=FULL,
// IMMEDIATE transactions).
func NewGroupCommitSQLite(db *sql.DB, maxBatch int) (*GroupCommitSQLite, error) {
	jobs, err := river.NewClient(riversqlite.New(db), &river.Config{})
	if err != nil {
		return nil, err
	}
	g := &GroupCommitSQLite{db: db, jobs: jobs, in: make(chan *pending, 1024), MaxBatch: maxBatch, done: make(chan struct{})}
	ctx := context.Background()
	if g.session, err = db.PrepareContext(ctx, `SELECT client_id FROM sessions WHERE clinic_id = ? AND id = ?`); err != nil {
		return nil, err
	}
	if g.checkIn, err = db.PrepareContext(ctx, `INSERT INTO check_ins
		(clinic_id, session_id, hours_since, request, assessment, level, knowledge_version, idempotency_key, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (session_id, idempotency_key) WHERE idempotency_key <> '' DO NOTHING
		RETURNING id`); err != nil {
		return nil, err
	}
	if g.flag, err = db.PrepareContext(ctx, `INSERT INTO flags (clinic_id, check_in_id, level, headline, created_at)
		VALUES (?, ?, ?, ?, ?)`); err != nil {
		return nil, err
	}
	go g.commitLoop()
	return g, nil
}

// Close stops the committer once the check-ins handed to it are answered.
func (g *GroupCommitSQLite) Close() {
	close(g.in)
	<-g.done
	g.session.Close()
	g.checkIn.Close()
	g.flag.Close()
}

// CreateCheckIn records the check-in (with its flag and River job at
// consult and above) and returns once it is committed.
func (g *GroupCommitSQLite) CreateCheckIn(ctx context.Context, c *aftercare.CheckIn) (*aftercare.Flag, error) {
	if err := c.Prepare(); err != nil {
		return nil, err
	}
	req, err := json.Marshal(c.Request)
	if err != nil {
		return nil, err
	}
	resp, err := json.Marshal(c.Assessment)
	if err != nil {
		return nil, err
	}
	p := &pending{ctx: ctx, c: c, req: req, resp: resp, created: aftercare.StoredTimeOr(c.CreatedAt, time.Now()), ack: make(chan struct{})}
	g.in <- p
	<-p.ack
	return p.flag, p.err
}

func (g *GroupCommitSQLite) commitLoop() {
	defer close(g.done)
	for first := range g.in {
		batch := []*pending{first}
	fill:
		for len(batch) < g.MaxBatch {
			select {
			case p, ok := <-g.in:
				if !ok {
					break fill
				}
				batch = append(batch, p)
			default:
				break fill
			}
		}
		g.commit(batch)
		for _, p := range batch {
			close(p.ack)
		}
	}
}

func (g *GroupCommitSQLite) commit(batch []*pending) {
	ctx := context.Background()
	fail := func(err error) {
		for _, p := range batch {
			if p.err == nil {
				p.err, p.flag = err, nil
			}
		}
	}
	tx, err := g.db.BeginTx(ctx, nil)
	if err != nil {
		fail(err)
		return
	}
	defer tx.Rollback()
	for _, p := range batch {
		if _, err := tx.ExecContext(ctx, `SAVEPOINT check_in`); err != nil {
			fail(err)
			return
		}
		p.flag, p.err = g.write(p.ctx, tx, p)
		if p.err != nil {
			if _, err := tx.ExecContext(ctx, `ROLLBACK TO check_in`); err != nil {
				fail(err)
				return
			}
		}
		if _, err := tx.ExecContext(ctx, `RELEASE check_in`); err != nil {
			fail(err)
			return
		}
	}
	if err := tx.Commit(); err != nil {
		fail(err)
	}
}

// write runs CreateCheckIn's statements for one check-in.
func (g *GroupCommitSQLite) write(ctx context.Context, tx *sql.Tx, p *pending) (*aftercare.Flag, error) {
	c := p.c
	var clientID int64
	err := tx.StmtContext(ctx, g.session).QueryRowContext(ctx, c.ClinicID, c.SessionID).Scan(&clientID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNoSession
	} else if err != nil {
		return nil, err
	}
	level := c.Assessment.Level
	created := p.created.UTC().Format(timeLayout)
	var id int64
	err = tx.StmtContext(ctx, g.checkIn).QueryRowContext(ctx, c.ClinicID, c.SessionID, c.HoursSince, string(p.req), string(p.resp), level.String(),
		c.Assessment.KnowledgeVersion, c.IdempotencyKey, created).Scan(&id)
	if err != nil {
		return nil, err
	}
	c.ID = id
	if level < aftercare.Consult {
		return nil, nil
	}
	f := &aftercare.Flag{ClinicID: c.ClinicID, CheckInID: id, SessionID: c.SessionID, ClientID: clientID,
		Level: level, Headline: c.Assessment.Headline, CreatedAt: p.created}
	res, err := tx.StmtContext(ctx, g.flag).ExecContext(ctx, c.ClinicID, id, level.String(), f.Headline, created)
	if err != nil {
		return nil, err
	}
	if f.ID, err = res.LastInsertId(); err != nil {
		return nil, err
	}
	if _, err := g.jobs.InsertTx(ctx, tx, followup.FlagArgs{ClinicID: c.ClinicID, FlagID: f.ID},
		&river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}); err != nil {
		return nil, fmt.Errorf("queue flag notice: %w", err)
	}
	return f, nil
}

// OneStatementPostgres is the prototype of proposal 3, which
// postgres.Store.CreateCheckIn now does: one round trip for a check-in
// below consult (the great majority), where the session check and the
// insert are one INSERT … SELECT … FROM sessions in autocommit, which
// commits (durably, with synchronous_commit on) before it answers. A
// check-in at consult or above takes a transaction of five round trips
// (the store's now takes three), since River's InsertTx needs one.
type OneStatementPostgres struct {
	pool *pgxpool.Pool
	jobs *river.Client[pgx.Tx]
}

// NewOneStatementPostgres returns the prototype on pool.
func NewOneStatementPostgres(pool *pgxpool.Pool) (*OneStatementPostgres, error) {
	jobs, err := river.NewClient(riverpgxv5.New(pool), &river.Config{})
	if err != nil {
		return nil, err
	}
	return &OneStatementPostgres{pool: pool, jobs: jobs}, nil
}

// CreateCheckIn records the check-in (with its flag and River job at
// consult and above) and returns once it is committed.
func (o *OneStatementPostgres) CreateCheckIn(ctx context.Context, c *aftercare.CheckIn) (*aftercare.Flag, error) {
	if err := c.Prepare(); err != nil {
		return nil, err
	}
	created := aftercare.StoredTimeOr(c.CreatedAt, time.Now())
	req, err := json.Marshal(c.Request)
	if err != nil {
		return nil, err
	}
	resp, err := json.Marshal(c.Assessment)
	if err != nil {
		return nil, err
	}
	level := c.Assessment.Level
	const insert = `INSERT INTO check_ins
		(clinic_id, session_id, hours_since, request, assessment, level, knowledge_version, idempotency_key, created_at)
		SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9 FROM sessions WHERE clinic_id = $1 AND id = $2
		ON CONFLICT (session_id, idempotency_key) WHERE idempotency_key <> '' DO NOTHING
		RETURNING id, (SELECT client_id FROM sessions WHERE clinic_id = $1 AND id = $2)`
	args := []any{c.ClinicID, c.SessionID, c.HoursSince, req, resp, level.String(), c.Assessment.KnowledgeVersion, c.IdempotencyKey, created}
	if level < aftercare.Consult {
		var clientID int64
		err := o.pool.QueryRow(ctx, insert, args...).Scan(&c.ID, &clientID)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil, ErrNoSession
		}
		return nil, err
	}
	var f *aftercare.Flag
	err = pgx.BeginFunc(ctx, o.pool, func(tx pgx.Tx) error {
		var clientID int64
		err := tx.QueryRow(ctx, insert, args...).Scan(&c.ID, &clientID)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNoSession
		} else if err != nil {
			return err
		}
		f = &aftercare.Flag{ClinicID: c.ClinicID, CheckInID: c.ID, SessionID: c.SessionID, ClientID: clientID,
			Level: level, Headline: c.Assessment.Headline, CreatedAt: created}
		if err := tx.QueryRow(ctx, `INSERT INTO flags (clinic_id, check_in_id, level, headline, created_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, c.ClinicID, c.ID, level.String(), f.Headline, created).Scan(&f.ID); err != nil {
			return err
		}
		_, err = o.jobs.InsertTx(ctx, tx, followup.FlagArgs{ClinicID: c.ClinicID, FlagID: f.ID},
			&river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}})
		return err
	})
	return f, err
}

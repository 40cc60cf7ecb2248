package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"aftercare"
	"aftercare/sqlstore"
)

// Group commit of check-ins.
//
// CreateCheckIn hands each check-in to one committer goroutine, which takes
// every check-in waiting (up to maxBatch), writes each inside its own
// SAVEPOINT of one IMMEDIATE transaction and commits once: with
// synchronous=FULL that is one WAL fsync for the whole batch. Only after the
// COMMIT has returned does it answer the callers. A check-in that fails rolls
// back to its savepoint and fails its own caller alone; a failed COMMIT fails
// every caller of the batch. A lone writer gets a batch of one, which is the
// single transaction it would have had anyway; below consult that transaction
// is one statement in autocommit (writeLone).

// maxBatch is the most check-ins one transaction takes.
const maxBatch = 64

// The statements of a check-in, prepared once on the write pool at Open
// (modernc.org/sqlite would otherwise prepare them on every call).
const (
	qCheckInSession = `SELECT client_id FROM sessions WHERE clinic_id = ? AND id = ?`
	// insertCheckIn and keyUsed wrap both inserts of a check-in, whose
	// values are pendingCheckIn.insertArgs.
	insertCheckIn = `INSERT INTO check_ins
		(clinic_id, session_id, hours_since, request, assessment, level, knowledge_version, idempotency_key, created_at, request_hash)`
	keyUsed        = `ON CONFLICT (session_id, idempotency_key) WHERE idempotency_key <> '' DO NOTHING`
	qCheckInInsert = insertCheckIn + ` VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ` + keyUsed + ` RETURNING id`
	// qCheckInLone writes a lone check-in below consult in one statement:
	// no row when the session is not the clinic's or its idempotency key is
	// used, which the transaction's statements then tell apart.
	qCheckInLone = insertCheckIn + `
		SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10 FROM sessions WHERE clinic_id = ?1 AND id = ?2 ` + keyUsed
	qCheckInFlag   = `INSERT INTO flags (clinic_id, check_in_id, level, headline, created_at) VALUES (?, ?, ?, ?, ?)`
	qCheckInOutbox = `INSERT INTO flag_outbox (flag_id) VALUES (?)`
)

// checkInStmts are the prepared statements of a check-in.
type checkInStmts struct {
	session, insert, lone, flag, outbox *sql.Stmt
}

func (st *checkInStmts) prepare(ctx context.Context, db *sql.DB) (err error) {
	if st.session, err = db.PrepareContext(ctx, qCheckInSession); err != nil {
		return fmt.Errorf("sqlite: prepare: %w", err)
	}
	if st.insert, err = db.PrepareContext(ctx, qCheckInInsert); err != nil {
		return fmt.Errorf("sqlite: prepare: %w", err)
	}
	if st.lone, err = db.PrepareContext(ctx, qCheckInLone); err != nil {
		return fmt.Errorf("sqlite: prepare: %w", err)
	}
	if st.flag, err = db.PrepareContext(ctx, qCheckInFlag); err != nil {
		return fmt.Errorf("sqlite: prepare: %w", err)
	}
	if st.outbox, err = db.PrepareContext(ctx, qCheckInOutbox); err != nil {
		return fmt.Errorf("sqlite: prepare: %w", err)
	}
	return nil
}

func (st *checkInStmts) close() {
	for _, s := range []*sql.Stmt{st.session, st.insert, st.lone, st.flag, st.outbox} {
		if s != nil {
			s.Close()
		}
	}
}

// pendingCheckIn is one check-in handed to the committer, and its result.
// The committer reads its own copy c of the caller's check-in, and writes the
// result fields before closing done; the caller reads them only after done.
type pendingCheckIn struct {
	ctx       context.Context
	c         aftercare.CheckIn
	req, resp string
	created   time.Time

	id     int64
	stored *aftercare.CheckIn // the check-in stored earlier under the same key
	flag   *aftercare.Flag
	err    error
	done   chan struct{}
}

// insertArgs are the values of a check-in's row in the order of
// insertCheckIn's columns; created is p.created as stored.
func (p *pendingCheckIn) insertArgs(created string) []any {
	c := &p.c
	return []any{c.ClinicID, c.SessionID, c.HoursSince, p.req, p.resp, c.Assessment.Level.String(),
		c.Assessment.KnowledgeVersion, c.IdempotencyKey, created, c.KeyedRequestHash()}
}

// CreateCheckIn stores a check-in and, at consult or above, its flag and the
// promise of the notice that tells the clinic (its outbox row, which the
// sweeper turns into River's job a moment later), in one transaction. The flag is nil below consult.
// A check-in whose idempotency key the session already used stores nothing:
// c becomes the stored check-in, marked Replayed, and its flag is returned.
func (s *Store) CreateCheckIn(ctx context.Context, c *aftercare.CheckIn) (*aftercare.Flag, error) {
	created, req, resp, err := sqlstore.StoredCheckIn(c, s.now())
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

// startCommitter starts the committer goroutine; Close stops it.
func (s *Store) startCommitter() {
	s.checkIns = make(chan *pendingCheckIn) // unbuffered: a send is the committer taking it
	s.stop = make(chan struct{})
	s.stopped = make(chan struct{})
	go s.commitLoop()
}

// stopCommitter stops the committer after the batch it is writing, if any.
func (s *Store) stopCommitter() {
	if s.stop == nil {
		return
	}
	s.stopOnce.Do(func() { close(s.stop) })
	<-s.stopped
}

// submit hands p to the committer and waits for its result. A caller whose
// ctx ends before the committer takes its check-in gets ctx.Err() and nothing
// is written. Once taken, a check-in whose ctx has ended by the time its turn
// comes in the batch is skipped (ctx.Err(), nothing written); one already
// written waits no longer for the COMMIT: the caller gets ctx.Err(), and the
// check-in may yet be stored (a retry with the same idempotency key is safe).
func (s *Store) submit(ctx context.Context, p *pendingCheckIn) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case s.checkIns <- p:
	case <-ctx.Done():
		return ctx.Err()
	case <-s.stop:
		return aftercare.Errorf(aftercare.EUNAVAILABLE, "", "the database is closed")
	}
	select {
	case <-p.done:
		return p.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *Store) commitLoop() {
	defer close(s.stopped)
	for {
		var first *pendingCheckIn
		select {
		case first = <-s.checkIns:
		case <-s.stop:
			return
		}
		batch := []*pendingCheckIn{first}
	fill:
		for len(batch) < maxBatch {
			select {
			case p := <-s.checkIns:
				batch = append(batch, p)
			default:
				break fill
			}
		}
		s.commit(batch)
		for _, p := range batch {
			if p.err == nil && p.stored == nil && p.flag != nil {
				s.wakeSweeper() // a new flag's notice waits in the outbox
			}
			close(p.done)
		}
	}
}

// commit writes the batch in one transaction. The statements run without the
// callers' cancellation: interrupting one would roll back the whole
// transaction, and with it the other callers' check-ins.
func (s *Store) commit(batch []*pendingCheckIn) {
	ctx := context.Background()
	fail := func(err error) {
		for _, p := range batch {
			if p.err == nil {
				p.err = dbErr(err)
			}
			p.stored, p.flag = nil, nil
		}
	}
	if p := batch[0]; len(batch) == 1 && p.c.Assessment.Level < aftercare.Consult {
		// A lone check-in below consult (most of a lone writer's) is one
		// statement in autocommit, which commits before it returns: no
		// BEGIN, session lookup or COMMIT of its own.
		if p.err = p.ctx.Err(); p.err != nil || s.writeLone(context.WithoutCancel(p.ctx), p) {
			return
		}
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		fail(err)
		return
	}
	defer tx.Rollback()
	if len(batch) == 1 {
		// A lone check-in (a lone writer's every one) needs no savepoint:
		// the transaction is its own, and a failure rolls it all back.
		p := batch[0]
		if p.err = p.ctx.Err(); p.err == nil {
			p.err = s.writeCheckIn(context.WithoutCancel(p.ctx), tx, p)
		}
		if p.err != nil {
			p.stored, p.flag = nil, nil
			return
		}
		if err := tx.Commit(); err != nil {
			fail(err)
		}
		return
	}
	for _, p := range batch {
		if p.err = p.ctx.Err(); p.err != nil {
			continue
		}
		if _, err := tx.ExecContext(ctx, `SAVEPOINT check_in`); err != nil {
			fail(err)
			return
		}
		if p.err = s.writeCheckIn(context.WithoutCancel(p.ctx), tx, p); p.err != nil {
			p.stored, p.flag = nil, nil
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

// writeLone writes a lone check-in below consult with qCheckInLone in
// autocommit: SQLite commits it, syncing the WAL (synchronous=FULL), before
// the statement returns. It reports false, having written nothing, when the
// statement inserted no row (no such session, or a used idempotency key), for
// the transaction's statements to tell which.
func (s *Store) writeLone(ctx context.Context, p *pendingCheckIn) (done bool) {
	res, err := s.stmts.lone.ExecContext(ctx, p.insertArgs(fmtTime(p.created))...)
	var n int64
	if err == nil {
		n, err = res.RowsAffected()
	}
	if err == nil && n == 1 {
		p.id, err = res.LastInsertId()
	}
	if err != nil {
		p.err = dbErr(err)
		return true
	}
	return n == 1
}

// writeCheckIn runs one check-in's statements in tx: the session lookup, the
// idempotency-key lookup, the insert and, at consult or above, the flag and
// its row in the outbox of notices to the clinic (outbox.go).
func (s *Store) writeCheckIn(ctx context.Context, tx *sql.Tx, p *pendingCheckIn) (err error) {
	c := &p.c
	var clientID int64
	err = tx.StmtContext(ctx, s.stmts.session).QueryRowContext(ctx, c.ClinicID, c.SessionID).Scan(&clientID)
	if errors.Is(err, sql.ErrNoRows) {
		return sqlstore.NotFound("session")
	} else if err != nil {
		return dbErr(err)
	}
	if c.IdempotencyKey != "" {
		// The batch holds the write lock, so this sees any earlier use of the
		// key: in this process or another, and earlier in the same batch.
		if p.stored, p.flag, err = dialect.FindKeyedCheckIn(dialect.RowOf(ctx, tx), c.ClinicID, c.SessionID, c.IdempotencyKey); err != nil || p.stored != nil {
			return err
		}
	}
	// The unique index on (session_id, idempotency_key) holds the key all the
	// same: a clash inserts nothing and reads the stored check-in.
	created := fmtTime(p.created)
	err = tx.StmtContext(ctx, s.stmts.insert).QueryRowContext(ctx, p.insertArgs(created)...).Scan(&p.id)
	if errors.Is(err, sql.ErrNoRows) {
		if p.stored, p.flag, err = dialect.FindKeyedCheckIn(dialect.RowOf(ctx, tx), c.ClinicID, c.SessionID, c.IdempotencyKey); err == nil && p.stored == nil {
			err = fmt.Errorf("sqlite: check-in under idempotency key %q clashed but was not found", c.IdempotencyKey)
		}
		return err
	} else if err != nil {
		return dbErr(err)
	}
	level := c.Assessment.Level
	if level < aftercare.Consult {
		return nil
	}
	f := &aftercare.Flag{
		ClinicID: c.ClinicID, CheckInID: p.id, SessionID: c.SessionID, ClientID: clientID,
		Level: level, Headline: c.Assessment.Headline, CreatedAt: p.created,
	}
	res, err := tx.StmtContext(ctx, s.stmts.flag).ExecContext(ctx, c.ClinicID, p.id, level.String(), f.Headline, created)
	if err != nil {
		return dbErr(err)
	}
	if f.ID, err = res.LastInsertId(); err != nil {
		return dbErr(err)
	}
	if _, err := tx.StmtContext(ctx, s.stmts.outbox).ExecContext(ctx, f.ID); err != nil {
		return dbErr(err)
	}
	p.flag = f
	return nil
}

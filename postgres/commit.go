package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"aftercare"
	"aftercare/followup"
	"aftercare/sqlstore"
)

// qInsertCheckIn stores a check-in if its session is the clinic's ($1, $2)
// and the session holds no check-in under its idempotency key ($8, with the
// request's hash $10), and
// returns its id; it returns no row otherwise. The session check and the
// insert are one statement so that a check-in below consult takes one round
// trip: in autocommit it commits before it answers. The unique index on
// (session_id, idempotency_key) settles a race: the loser waits for the
// winner to commit and inserts nothing, and its next statement sees the
// winner's check-in.
const qInsertCheckIn = `INSERT INTO check_ins
	(clinic_id, session_id, hours_since, request, assessment, level, knowledge_version, idempotency_key, created_at, request_hash)
	SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 FROM sessions WHERE clinic_id = $1 AND id = $2
	ON CONFLICT (session_id, idempotency_key) WHERE idempotency_key <> '' DO NOTHING
	RETURNING id`

// qInsertFlaggedCheckIn is qInsertCheckIn with the flag ($11 its headline)
// of the check-in it stores, in one statement. Its one row (none when the
// session is not the clinic's) holds the session's client, and the ids of
// the check-in and flag, both NULL when the idempotency key was used.
const qInsertFlaggedCheckIn = `WITH check_in AS (` + qInsertCheckIn + `), flag AS (
	INSERT INTO flags (clinic_id, check_in_id, level, headline, created_at)
	SELECT $1, id, $6, $11, $9 FROM check_in
	RETURNING id)
	SELECT s.client_id, check_in.id, flag.id FROM sessions s
	LEFT JOIN check_in ON true LEFT JOIN flag ON true
	WHERE s.clinic_id = $1 AND s.id = $2`

// CreateCheckIn stores a check-in and, at consult or above, its flag and the
// job that tells the clinic, in one transaction. The flag is nil below consult.
// A check-in whose idempotency key the session already used stores nothing:
// c becomes the stored check-in, marked Replayed, and its flag is returned.
//
// It returns once the check-in is committed, and spends as few round trips
// on that as it can, since on a durable server each costs about as much as
// the commit (bench/BENCHMARKS.md, section 3): one statement in autocommit below
// consult, three at consult and above.
func (s *Store) CreateCheckIn(ctx context.Context, c *aftercare.CheckIn) (*aftercare.Flag, error) {
	created, req, resp, err := sqlstore.StoredCheckIn(c, s.now())
	if err != nil {
		return nil, err
	}
	level := c.Assessment.Level
	args := []any{c.ClinicID, c.SessionID, c.HoursSince, req, resp, level.String(),
		c.Assessment.KnowledgeVersion, c.IdempotencyKey, created, c.KeyedRequestHash()}
	var w checkInWrite
	if level < aftercare.Consult {
		w, err = s.insertCheckIn(ctx, c, args)
	} else {
		w, err = s.insertFlaggedCheckIn(ctx, c, created, append(args, c.Assessment.Headline))
	}
	if err != nil {
		return nil, err
	}
	if w.stored != nil {
		*c = *w.stored
		c.Replayed = true
		return w.flag, nil
	}
	c.ID, c.CreatedAt, c.Replayed = w.id, created, false
	return w.flag, nil
}

// checkInWrite is what writing a check-in did: stored a new one (id, and its
// flag at consult and above), or found the one stored under its idempotency
// key (stored, with its flag).
type checkInWrite struct {
	id     int64
	stored *aftercare.CheckIn
	flag   *aftercare.Flag
}

// insertCheckIn writes a check-in below consult: no flag and no job, so one
// statement in autocommit.
func (s *Store) insertCheckIn(ctx context.Context, c *aftercare.CheckIn, args []any) (checkInWrite, error) {
	var w checkInWrite
	err := s.pool.QueryRow(ctx, qInsertCheckIn, args...).Scan(&w.id)
	if !errors.Is(err, pgx.ErrNoRows) {
		return w, dbErr(err)
	}
	// No session of the clinic, or a check-in already under the key: the
	// statement has waited for that one to commit, so this one sees it.
	if c.IdempotencyKey != "" {
		if w.stored, w.flag, err = dialect.FindKeyedCheckIn(rowOf(ctx, s.pool), c.ClinicID, c.SessionID, c.IdempotencyKey); err != nil || w.stored != nil {
			return w, err
		}
	}
	if err := mustExist(ctx, s.pool, "session", qSessionExists, c.ClinicID, c.SessionID); err != nil {
		return w, err
	}
	return w, clashed(c.IdempotencyKey)
}

// insertFlaggedCheckIn writes a check-in at consult or above with its flag
// and the flag's notice job, in one transaction of three round trips: BEGIN
// sent with the statement that writes the check-in and the flag, River's
// insert of the job, and COMMIT.
func (s *Store) insertFlaggedCheckIn(ctx context.Context, c *aftercare.CheckIn, created time.Time, args []any) (checkInWrite, error) {
	var w checkInWrite
	b := &pgx.Batch{}
	b.BeginTx(pgx.TxOptions{})
	b.Queue(qInsertFlaggedCheckIn, args...)
	br := s.pool.SendBatch(ctx, b)
	tx := br.Tx()
	defer tx.Rollback(context.WithoutCancel(ctx))
	var clientID int64
	var checkInID, flagID *int64
	_, err := br.Exec()
	if err == nil {
		err = br.QueryRow().Scan(&clientID, &checkInID, &flagID)
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return w, sqlstore.NotFound("session")
	case err != nil:
		return w, dbErr(err)
	case checkInID == nil:
		// The key was used: its check-in is committed, and this
		// transaction's next statement sees it.
		if w.stored, w.flag, err = dialect.FindKeyedCheckIn(rowOf(ctx, tx), c.ClinicID, c.SessionID, c.IdempotencyKey); err == nil && w.stored == nil {
			err = clashed(c.IdempotencyKey)
		}
		return w, err
	case flagID == nil:
		return w, fmt.Errorf("postgres: check-in %d stored without its flag", *checkInID)
	}
	w.id = *checkInID
	w.flag = &aftercare.Flag{
		ID: *flagID, ClinicID: c.ClinicID, CheckInID: w.id, SessionID: c.SessionID, ClientID: clientID,
		Level: c.Assessment.Level, Headline: c.Assessment.Headline, CreatedAt: created,
	}
	_, err = s.jobs.InsertTx(ctx, tx, followup.FlagArgs{ClinicID: c.ClinicID, FlagID: w.flag.ID},
		&river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}})
	if err != nil {
		return w, dbErr(fmt.Errorf("queue flag notice: %w", err))
	}
	return w, dbErr(tx.Commit(ctx))
}

// clashed is the error of an insert that the unique index on the idempotency
// key refused although no check-in under the key can be found.
func clashed(key string) error {
	return fmt.Errorf("postgres: check-in under idempotency key %q clashed but was not found", key)
}

package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"aftercare/followup"
)

// The flag notice outbox.
//
// A check-in at consult or above writes its flag and a row in flag_outbox in
// its own transaction, not River's job: River's insert is one long statement
// that SQLite prepares anew on every call, much of a flagged check-in's CPU
// when it ran per flag (bench/BENCHMARKS.md, section 3). The sweeper hands the
// waiting notices to River in one InsertManyTx and deletes their rows in the
// same transaction, so every flag gets exactly one notice job, and until then
// the committed outbox row is the durable promise of it.
//
// The sweeper runs sweepDelay after the committer has written a flag, so that
// the flags of the next moments go with it (River's own insert costs about as
// much for one job as for dozens, and River looks for new jobs only every
// 500 ms on SQLite anyway), every sweepEvery when
// rows are waiting (a sweep that failed, or flags another process on the same
// file left), once at Open (what a crash left) and once at Close.

const (
	// sweepDelay is how long after a flag is written its notice waits for
	// others to join it. Much shorter, the sweeps of a lone writer took much
	// of the store's CPU in the ingest profile.
	sweepDelay = 200 * time.Millisecond
	// sweepEvery is how often the sweeper looks for notices left waiting.
	sweepEvery = 2 * time.Second
	// sweepBatch is the most notices one sweeping transaction queues.
	sweepBatch = 500
)

// startSweeper starts the sweeper goroutine, with a sweep due at once; Close
// stops it.
func (s *Store) startSweeper() {
	s.wake = make(chan struct{}, 1)
	s.swept = make(chan struct{})
	s.wakeSweeper()
	go s.sweepLoop()
}

// wakeSweeper asks for a sweep sweepDelay from now, unless one is due already.
func (s *Store) wakeSweeper() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func (s *Store) sweepLoop() {
	defer close(s.swept)
	tick := time.NewTicker(sweepEvery)
	defer tick.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-tick.C:
		case <-s.wake:
			select {
			case <-time.After(sweepDelay):
			case <-s.stop:
				return // Close sweeps
			}
		}
		// A failed sweep leaves its rows: the next tick tries them again.
		s.sweep(context.Background())
	}
}

// sweep queues the notice of every flag in the outbox, sweepBatch per
// transaction. It takes the write lock only when rows are waiting.
func (s *Store) sweep(ctx context.Context) error {
	for {
		var waiting bool
		err := s.read.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM flag_outbox)`).Scan(&waiting)
		if err != nil || !waiting {
			return dbErr(err)
		}
		n, err := s.sweepOnce(ctx)
		if err != nil || n < sweepBatch {
			return err
		}
	}
}

// sweepOnce queues the notices of the oldest sweepBatch flags of the outbox
// and deletes their rows, in one transaction (inTx maps its errors), and
// returns how many it queued.
func (s *Store) sweepOnce(ctx context.Context) (n int, err error) {
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT o.flag_id, f.clinic_id FROM flag_outbox o
			JOIN flags f ON f.id = o.flag_id ORDER BY o.flag_id LIMIT ?`, sweepBatch)
		if err != nil {
			return err
		}
		defer rows.Close()
		var notices []river.InsertManyParams
		var last int64
		for rows.Next() {
			var a followup.FlagArgs
			if err := rows.Scan(&a.FlagID, &a.ClinicID); err != nil {
				return err
			}
			notices = append(notices, river.InsertManyParams{Args: a,
				InsertOpts: &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}})
			last = a.FlagID
		}
		if err := rows.Err(); err != nil || len(notices) == 0 {
			return err
		}
		rows.Close()
		if _, err := s.jobs.InsertManyTx(ctx, tx, notices); err != nil {
			return fmt.Errorf("queue flag notices: %w", err)
		}
		// The write lock is held: no row has come in below last.
		if _, err := tx.ExecContext(ctx, `DELETE FROM flag_outbox WHERE flag_id <= ?`, last); err != nil {
			return err
		}
		n = len(notices)
		return nil
	})
	return n, err
}

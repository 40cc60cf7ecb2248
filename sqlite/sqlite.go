// Package sqlite is the embedded default store of the clinic side: one SQLite
// file, with the follow-up jobs queued by River in the same file.
//
// SQLite takes one writer at a time, so the store keeps two pools: a write pool
// of exactly one connection, whose transactions begin IMMEDIATE, and a read pool
// of query-only connections that read WAL snapshots while the writer works.
// Writes therefore queue in the process instead of failing with SQLITE_BUSY,
// and River uses the write pool too.
//
// The file is opened with synchronous=FULL: in WAL mode NORMAL can lose the
// last committed transactions on a power cut, and a lost flagged check-in is
// worse than the one fsync per commit that FULL costs at a clinic's write volume.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/pressly/goose/v3"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"
	sqlite3 "modernc.org/sqlite"
	sqlite3lib "modernc.org/sqlite/lib"

	"aftercare"
	"aftercare/sqlstore"
)

// FileName is the name of the database file in the data directory.
const FileName = "aftercare.db"

// busyTimeout is how long a connection waits for a lock held by another
// process (a second server or an admin command on the same file).
const busyTimeout = 10 * time.Second

//go:embed migrations/*.sql
var migrations embed.FS

// migrationTable records the applied clinic migrations; not goose's default
// name, so that a database shared with another goose user stays apart.
const migrationTable = "aftercare_migrations"

// Store is the SQLite implementation of aftercare.Store.
type Store struct {
	*sqlstore.Store // the plain SQL, shared with package postgres

	path  string
	write *sql.DB // one connection: the single writer
	read  *sql.DB // query-only connections
	jobs  *river.Client[*sql.Tx]
	now   func() time.Time

	// The check-in committer (commit.go).
	stmts    checkInStmts
	checkIns chan *pendingCheckIn
	stop     chan struct{} // closed by Close
	stopOnce sync.Once
	stopped  chan struct{} // closed when the committer has returned

	// The sweeper of the flag notice outbox (outbox.go).
	wake  chan struct{} // a sweep is due
	swept chan struct{} // closed when the sweeper has returned
}

var _ aftercare.Store = (*Store)(nil)

// Open opens (creating when needed) the database in dir, brings its schema and
// River's up to date, and returns the store.
func Open(ctx context.Context, dir string) (*Store, error) {
	if dir == "" {
		return nil, aftercare.Errorf(aftercare.EINVALID, "data", "the data directory is empty")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("sqlite: create data directory: %w", err)
	}
	path := filepath.Join(dir, FileName)
	s := &Store{path: path, now: time.Now}

	var err error
	if s.write, err = sql.Open("sqlite", dsn(path, false)); err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	s.write.SetMaxOpenConns(1)
	s.write.SetMaxIdleConns(1)
	s.write.SetConnMaxLifetime(0)
	s.write.SetConnMaxIdleTime(0)
	if s.read, err = sql.Open("sqlite", dsn(path, true)); err != nil {
		s.write.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	n := max(4, runtime.NumCPU())
	s.read.SetMaxOpenConns(n)
	s.read.SetMaxIdleConns(n)

	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	// The file holds clients' health answers: keep it to the owner.
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Chmod(p, 0o600); err != nil && !errors.Is(err, os.ErrNotExist) {
			s.Close()
			return nil, fmt.Errorf("sqlite: %w", err)
		}
	}
	s.jobs, err = river.NewClient(riversqlite.New(s.write), &river.Config{
		Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("sqlite: river client: %w", err)
	}
	s.Store = sqlstore.New(sqlstore.Config{Write: s.write, Read: s.read, Dialect: dialect, Now: s.now,
		Queue: func(ctx context.Context, tx *sql.Tx, jobs []river.InsertManyParams) error {
			_, err := s.jobs.InsertManyTx(ctx, tx, jobs)
			return err
		}})
	if err := s.stmts.prepare(ctx, s.write); err != nil {
		s.Close()
		return nil, err
	}
	s.startCommitter()
	s.startSweeper()
	return s, nil
}

// dsn returns the connection string of the database file for the write pool
// or the read pool.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_foreign_keys", "on")
	q.Set("_busy_timeout", fmt.Sprint(busyTimeout.Milliseconds()))
	q.Set("_synchronous", "FULL")
	if readOnly {
		q.Set("_query_only", "on")
	} else {
		// Take the write lock at BEGIN, so a transaction never fails halfway
		// when another process holds it; it waits busy_timeout instead.
		q.Set("_txlock", "immediate")
	}
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

// migrate brings the clinic schema (goose) and River's schema up to date,
// holding the migration lock so that processes opening the same directory at
// once migrate one after the other.
func (s *Store) migrate(ctx context.Context) error {
	unlock, err := lockMigrations(ctx, s.path+".lock")
	if err != nil {
		return err
	}
	defer unlock()
	p, err := migrationProvider(s.write)
	if err != nil {
		return err
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("sqlite: migrate: %w", err)
	}
	m, err := rivermigrate.New(riversqlite.New(s.write), &rivermigrate.Config{
		Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		return fmt.Errorf("sqlite: river migrations: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("sqlite: river migrate: %w", err)
	}
	if _, err := s.write.ExecContext(ctx, sqlstore.RiverDueIndex); err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	return nil
}

// migrationProvider returns the goose provider of the clinic schema on db.
func migrationProvider(db *sql.DB) (*goose.Provider, error) {
	fsys, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return nil, fmt.Errorf("sqlite: migrations: %w", err)
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, db, fsys,
		goose.WithTableName(migrationTable), goose.WithLogger(goose.NopLogger()), goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return nil, fmt.Errorf("sqlite: migrations: %w", err)
	}
	return p, nil
}

// lockMigrations takes a write lock on a small SQLite file beside the
// database, and returns its release. SQLite's own file locking makes this
// a lock between processes that works wherever SQLite does; a second process
// waits for it up to busy_timeout.
func lockMigrations(ctx context.Context, path string) (unlock func(), err error) {
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+
		"?_txlock=immediate&_busy_timeout="+fmt.Sprint((2*busyTimeout).Milliseconds()))
	if err != nil {
		return nil, fmt.Errorf("sqlite: migration lock: %w", err)
	}
	db.SetMaxOpenConns(1)
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: migration lock: %w", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		tx.Rollback()
		db.Close()
		return nil, fmt.Errorf("sqlite: migration lock: %w", err)
	}
	return func() {
		tx.Rollback()
		db.Close()
	}, nil
}

// Path returns the path of the database file.
func (s *Store) Path() string { return s.path }

// Ping reports whether the database file can be read.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.read.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return unavailable(err)
	}
	return nil
}

// Close stops the check-in committer (after the batch it is writing, if any;
// check-ins not yet taken fail with EUNAVAILABLE) and closes both pools. Stop
// any River client started by Work first.
func (s *Store) Close() error {
	s.stopCommitter()
	var errs []error
	if s.swept != nil {
		<-s.swept
		// Hand River the notices still waiting, so that they go out even if
		// no process opens the file again soon.
		ctx, cancel := context.WithTimeout(context.Background(), busyTimeout)
		errs = append(errs, s.sweep(ctx))
		cancel()
	}
	s.stmts.close()
	if s.read != nil {
		errs = append(errs, s.read.Close())
	}
	if s.write != nil {
		errs = append(errs, s.write.Close())
	}
	return errors.Join(errs...)
}

// Work starts a River client that runs the given workers on the default queue
// until stop is called (or ctx is cancelled). It shares the store's single
// writer connection and polls for jobs rather than holding it to listen.
func (s *Store) Work(ctx context.Context, workers *river.Workers, logger *slog.Logger) (stop func(context.Context) error, err error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	c, err := river.NewClient(riversqlite.New(s.write), &river.Config{
		Logger:            logger,
		Workers:           workers,
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 4}},
		PollOnly:          true,
		FetchPollInterval: 500 * time.Millisecond,
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: river client: %w", err)
	}
	if err := c.Start(ctx); err != nil {
		return nil, fmt.Errorf("sqlite: start river: %w", err)
	}
	return c.Stop, nil
}

// Jobs returns the River jobs of one kind in the database, oldest first (at
// most 10,000), for operators and tests, once the notices waiting in the
// outbox have been handed to River.
func (s *Store) Jobs(ctx context.Context, kind string) ([]*rivertype.JobRow, error) {
	if err := s.sweep(ctx); err != nil {
		return nil, err
	}
	res, err := s.jobs.JobList(ctx, river.NewJobListParams().Kinds(kind).First(10_000))
	if err != nil {
		return nil, fmt.Errorf("sqlite: list jobs: %w", err)
	}
	return res.Jobs, nil
}

// inTx runs fn in a write transaction and commits it when fn returns nil.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return dialect.InTx(ctx, s.write, fn)
}

// readTx runs fn in a read transaction, so that several queries see one snapshot.
func (s *Store) readTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return dialect.InReadTx(ctx, s.read, fn)
}

// fmtTime returns t as the file keeps it: fixed-width UTC text, so that text
// order is time order.
func fmtTime(t time.Time) string { return sqlstore.FormatTime(t) }

// dialect is SQLite's for the shared SQL.
var dialect = &sqlstore.Dialect{
	Name:     "sqlite",
	ReadTx:   sql.TxOptions{ReadOnly: true},
	Text:     true,
	Greatest: "max",
	Least:    "min",
	Err:      dbErr,
	IsUnique: isUnique,
	Strings: func(list []string) (any, error) {
		b, err := json.Marshal(list)
		return string(b), err
	},
	StringsJSON: func(col string) string { return col },
}

func unavailable(err error) error {
	return aftercare.WrapError(aftercare.Errorf(aftercare.EUNAVAILABLE, "", "the database is unavailable; try again shortly"), err)
}

// dbErr turns a database error into an application error where it has a
// meaning for the caller, and wraps it otherwise.
func dbErr(err error) error {
	var app *aftercare.Error
	var se *sqlite3.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &app):
		return err
	case errors.As(err, &se) && unavailableCode(se.Code()&0xff):
		return unavailable(err)
	case errors.Is(err, sql.ErrConnDone):
		return unavailable(err)
	}
	if strings.HasPrefix(err.Error(), "sqlite: ") {
		return err // wrapped here already
	}
	return fmt.Errorf("sqlite: %w", err)
}

// isUnique reports whether err is a broken uniqueness constraint.
func isUnique(err error) bool {
	var se *sqlite3.Error
	return errors.As(err, &se) &&
		(se.Code() == sqlite3lib.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3lib.SQLITE_CONSTRAINT_PRIMARYKEY)
}

// unavailableCode reports whether a primary SQLite result code means the
// database cannot be used for now (busy, locked, full disk, I/O error, file
// gone) rather than that the request was wrong.
func unavailableCode(code int) bool {
	switch code {
	case sqlite3lib.SQLITE_BUSY, sqlite3lib.SQLITE_LOCKED, sqlite3lib.SQLITE_FULL, sqlite3lib.SQLITE_IOERR, sqlite3lib.SQLITE_CANTOPEN:
		return true
	}
	return false
}

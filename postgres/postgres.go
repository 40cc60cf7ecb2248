// Package postgres is the PostgreSQL store of the clinic side, for servers
// that share one database: the same schema as package sqlite, with the
// follow-up jobs queued by River in the same database.
//
// Open migrates the database; several processes may open it at once, since
// both the clinic schema and River's are migrated under advisory locks.
package postgres

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"aftercare"
	"aftercare/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// migrationTable records the applied clinic migrations; not goose's default
// name, so that a database shared with another goose user stays apart.
const migrationTable = "aftercare_migrations"

// riverMigrationLock is the key of the session advisory lock taken while
// River's schema is migrated (goose takes its own for the clinic schema).
const riverMigrationLock int64 = 0x61667465725f7276 // "after_rv"

// Store is the PostgreSQL implementation of aftercare.Store.
type Store struct {
	*sqlstore.Store // the plain SQL, shared with package sqlite, over db

	pool *pgxpool.Pool
	db   *sql.DB // the pool through database/sql
	jobs *river.Client[pgx.Tx]
	now  func() time.Time
}

var _ aftercare.Store = (*Store)(nil)

// Open connects to the database at url (a postgres:// URL or key=value
// string), brings its schema and River's up to date, and returns the store.
func Open(ctx context.Context, url string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, aftercare.Errorf(aftercare.EINVALID, "database", "the database URL cannot be read: %v", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	s := &Store{pool: pool, now: time.Now}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, unavailable(err)
	}
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	s.jobs, err = river.NewClient(riverpgxv5.New(pool), &river.Config{
		Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: river client: %w", err)
	}
	s.db = stdlib.OpenDBFromPool(pool)
	s.Store = sqlstore.New(sqlstore.Config{Write: s.db, Read: s.db, Dialect: dialect, Now: s.now})
	return s, nil
}

// migrate brings the clinic schema (goose, under goose's session advisory
// lock) and River's schema (under riverMigrationLock, held on a connection
// of its own) up to date. The pool's connections are used one at a time, so
// a pool of one connection is enough.
func (s *Store) migrate(ctx context.Context) error {
	db := stdlib.OpenDBFromPool(s.pool)
	defer db.Close()
	p, err := migrationProvider(db)
	if err != nil {
		return err
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}

	// River applies each of its versions in a transaction of its own (a
	// version may use an enum value the one before added, which PostgreSQL
	// refuses within one transaction). A session advisory lock, on a
	// connection outside the pool, keeps two servers starting at once from
	// applying the same version twice.
	lock, err := pgx.ConnectConfig(ctx, s.pool.Config().ConnConfig)
	if err != nil {
		return fmt.Errorf("postgres: river migration lock: %w", err)
	}
	defer lock.Close(context.WithoutCancel(ctx))
	if _, err := lock.Exec(ctx, `SELECT pg_advisory_lock($1)`, riverMigrationLock); err != nil {
		return fmt.Errorf("postgres: river migration lock: %w", err)
	}
	m, err := rivermigrate.New(riverpgxv5.New(s.pool), &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return fmt.Errorf("postgres: river migrations: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("postgres: river migrate: %w", err)
	}
	// Only the owner may create the index, even IF NOT EXISTS: a server
	// running as a runtime role (docs/operations.md) finds it made.
	var made bool
	if err := s.pool.QueryRow(ctx, `SELECT to_regclass('aftercare_river_job_due_idx') IS NOT NULL`).Scan(&made); err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	if made {
		return nil
	}
	if _, err := s.pool.Exec(ctx, sqlstore.RiverDueIndex); err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	return nil
}

// migrationProvider returns the goose provider of the clinic schema on db,
// which migrates under goose's session advisory lock.
func migrationProvider(db *sql.DB) (*goose.Provider, error) {
	fsys, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return nil, fmt.Errorf("postgres: migrations: %w", err)
	}
	locker, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(1, 300), lock.WithUnlockTimeout(1, 60))
	if err != nil {
		return nil, fmt.Errorf("postgres: migration lock: %w", err)
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db, fsys,
		goose.WithSessionLocker(locker), goose.WithTableName(migrationTable), goose.WithLogger(goose.NopLogger()), goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return nil, fmt.Errorf("postgres: migrations: %w", err)
	}
	return p, nil
}

// Pool returns the store's connection pool.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Ping reports whether the database is reachable.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.pool.Ping(ctx); err != nil {
		return unavailable(err)
	}
	return nil
}

// Close closes the pool. Stop any River client started by Work first.
func (s *Store) Close() error {
	err := s.db.Close()
	s.pool.Close()
	return err
}

// Work starts a River client that runs the given workers on the default queue
// until stop is called (or ctx is cancelled). Clients in several processes
// share the jobs; LISTEN/NOTIFY wakes them when jobs are queued.
func (s *Store) Work(ctx context.Context, workers *river.Workers, logger *slog.Logger) (stop func(context.Context) error, err error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	c, err := river.NewClient(riverpgxv5.New(s.pool), &river.Config{
		Logger:  logger,
		Workers: workers,
		Queues:  map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 4}},
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: river client: %w", err)
	}
	if err := c.Start(ctx); err != nil {
		return nil, fmt.Errorf("postgres: start river: %w", err)
	}
	return c.Stop, nil
}

// Jobs returns the River jobs of one kind in the database, oldest first (at
// most 10,000), for operators and tests.
func (s *Store) Jobs(ctx context.Context, kind string) ([]*rivertype.JobRow, error) {
	res, err := s.jobs.JobList(ctx, river.NewJobListParams().Kinds(kind).First(10_000))
	if err != nil {
		return nil, fmt.Errorf("postgres: list jobs: %w", err)
	}
	return res.Jobs, nil
}

// inTx runs fn in a transaction and commits it when fn returns nil.
func (s *Store) inTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return dbErr(err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if err := fn(tx); err != nil {
		return dbErr(err) // a lost connection is 503 wherever fn met it
	}
	return dbErr(tx.Commit(ctx))
}

// readTx runs fn in a read-only repeatable-read transaction, so that several
// queries see one snapshot.
func (s *Store) readTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return dbErr(err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	return dbErr(fn(tx))
}

// readBatch returns a batch that begins a read-only repeatable-read
// transaction, for queries that must see one snapshot; queue them on it and
// send it with sendRead.
func readBatch() *pgx.Batch {
	b := &pgx.Batch{}
	b.BeginTx(pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	return b
}

// sendRead sends b (from readBatch) with the COMMIT that ends its
// transaction, all in one round trip, and calls read to read the results of
// the queries queued on b, in order.
func (s *Store) sendRead(ctx context.Context, b *pgx.Batch, read func(br pgx.BatchResults) error) error {
	b.Queue(`COMMIT`)
	br := s.pool.SendBatch(ctx, b)
	// When a query fails the server skips the rest, COMMIT included, and
	// Rollback ends the transaction; either way it returns the connection.
	defer br.Tx().Rollback(context.WithoutCancel(ctx))
	_, err := br.Exec()
	if err != nil {
		err = dbErr(err)
	} else {
		err = read(br)
	}
	if cerr := br.Close(); err == nil {
		err = dbErr(cerr)
	}
	return err
}

// dialect is PostgreSQL's for the shared SQL.
// auditLockKey is the transaction advisory lock that serialises appends to
// the audit log (a number of its own: "audit" in ASCII).
const auditLockKey = "418581342580"

var dialect = &sqlstore.Dialect{
	Name:        "postgres",
	Numbered:    true,
	Greatest:    "greatest",
	Least:       "least",
	LockRow:     " FOR UPDATE",
	AuditLock:   "SELECT pg_advisory_xact_lock(" + auditLockKey + ")",
	ReadTx:      sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true},
	Err:         dbErr,
	IsUnique:    isUnique,
	Strings:     func(list []string) (any, error) { return list, nil },
	StringsJSON: func(col string) string { return "to_json(" + col + ")" },
}

func unavailable(err error) error {
	return aftercare.WrapError(aftercare.Errorf(aftercare.EUNAVAILABLE, "", "the database is unavailable; try again shortly"), err)
}

// dbErr turns a database error into an application error where it has a
// meaning for the caller, and wraps it otherwise.
func dbErr(err error) error {
	var app *aftercare.Error
	var pe *pgconn.PgError
	var ce *pgconn.ConnectError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &app):
		return err
	case errors.As(err, &ce), pgconn.SafeToRetry(err), errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone):
		return unavailable(err)
	case errors.As(err, &pe):
		switch pe.Code {
		case "22021", "22P05": // a NUL byte or a character the database cannot hold
			return aftercare.WrapError(aftercare.Errorf(aftercare.EINVALID, "", "text must not contain NUL characters"), err)
		case "23503":
			return aftercare.WrapError(aftercare.Errorf(aftercare.ENOTFOUND, "", "a referenced record was not found"), err)
		case "57P01", "57P02", "57P03", "53300": // shutdown, crash, cannot connect now, too many connections
			return unavailable(err)
		}
	}
	if strings.HasPrefix(err.Error(), "postgres: ") {
		return err // wrapped here already
	}
	return fmt.Errorf("postgres: %w", err)
}

// isUnique reports whether err is a broken uniqueness constraint.
func isUnique(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

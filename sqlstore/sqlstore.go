// Package sqlstore holds the plain SQL of the clinic stores, written once over
// database/sql for SQLite (package sqlite) and PostgreSQL (package postgres,
// through pgx's database/sql driver). A Dialect says what differs between the
// two: placeholders, how times and string lists are stored, the error codes.
// What a store does natively (the check-in writes, River's queueing in the
// same transaction, PostgreSQL's pipelined timeline) stays in its package.
// A new store method is written here, once for both databases, unless the
// dialect truly differs; package storetest judges both.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/riverqueue/river"

	"aftercare"
	"aftercare/keyring"
)

// Dialect is what the plain SQL needs to know of a database.
type Dialect struct {
	// Name prefixes the errors the store wraps: "sqlite", "postgres".
	Name string
	// Numbered is true when placeholders are $1, $2, … rather than ?.
	Numbered bool
	// Text is true where times and JSON are kept as text (SQLite): times as
	// fixed-width UTC text (TimeLayout) rather than timestamps, JSON as its
	// text rather than bytes.
	Text bool
	// Greatest and Least are the functions that return the larger and the
	// smaller of their arguments.
	Greatest, Least string
	// LockRow follows a SELECT that locks the rows it reads until the
	// transaction ends, where the database locks rows ("" where a writer
	// holds the whole database).
	LockRow string
	// AuditLock is a statement that waits for any other transaction
	// appending to the audit log to end, where writers run side by side
	// ("" where a writer holds the whole database).
	AuditLock string
	// ReadTx begins a transaction whose queries see one snapshot.
	ReadTx sql.TxOptions
	// Err turns a database error into the domain's (unavailable, invalid,
	// not found) where it has a meaning for the caller, and wraps it otherwise.
	Err func(error) error
	// IsUnique reports whether err is a broken uniqueness constraint.
	IsUnique func(error) bool
	// Strings is a list of strings as its column takes it (a token's
	// scopes), and StringsJSON the SQL that reads the column col as JSON.
	Strings     func([]string) (any, error)
	StringsJSON func(col string) string

	rebound sync.Map // query → query with numbered placeholders
}

// Rebind returns query, written with ? placeholders, in the dialect's: each ?
// outside a quoted literal becomes $1, $2, … in order.
func (d *Dialect) Rebind(query string) string {
	if !d.Numbered {
		return query
	}
	if q, ok := d.rebound.Load(query); ok {
		return q.(string)
	}
	var b strings.Builder
	n, quoted := 0, false
	for i := 0; i < len(query); i++ {
		switch c := query[i]; {
		case c == '\'':
			quoted = !quoted
			b.WriteByte(c)
		case c == '?' && !quoted:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(c)
		}
	}
	d.rebound.Store(query, b.String())
	return b.String()
}

// TimeLayout is how SQLite keeps times: fixed-width UTC text, so that text
// order is time order.
const TimeLayout = "2006-01-02T15:04:05.000000Z"

// FormatTime returns t as SQLite keeps it.
func FormatTime(t time.Time) string { return aftercare.StoredTime(t).Format(TimeLayout) }

// Time returns t as the database takes it, in UTC at microsecond precision.
func (d *Dialect) Time(t time.Time) any {
	if d.Text {
		return FormatTime(t)
	}
	return aftercare.StoredTime(t)
}

// TimePtr is Time of *t, or NULL when t is nil.
func (d *Dialect) TimePtr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return d.Time(*t)
}

// JSON returns an encoded JSON value as its column takes it: text on SQLite
// (a []byte would be a BLOB), the bytes on PostgreSQL.
func (d *Dialect) JSON(b []byte) any {
	if d.Text {
		return string(b)
	}
	return b
}

// Querier is what *sql.DB, *sql.Conn and *sql.Tx offer.
type Querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// Row is what both *sql.Row and *sql.Rows offer (and pgx's rows).
type Row interface{ Scan(dest ...any) error }

// QueryRow runs a query of one row, in the dialect's placeholders, on
// either driver: see RowOf for database/sql's.
type QueryRow func(query string, args ...any) Row

// RowOf returns the QueryRow of q, bound to ctx.
func (d *Dialect) RowOf(ctx context.Context, q Querier) QueryRow {
	return func(query string, args ...any) Row { return d.row(ctx, q, query, args...) }
}

// Store is the part of aftercare.Store that is the same SQL on every
// database; packages sqlite and postgres embed it.
type Store struct {
	write, read *sql.DB
	d           *Dialect
	now         func() time.Time
	queue       QueueFunc
	auditKeys   atomic.Pointer[keyring.Keyring] // chains the audit log; nil: plain SHA-256
}

// QueueFunc inserts River jobs in tx.
type QueueFunc func(ctx context.Context, tx *sql.Tx, jobs []river.InsertManyParams) error

// Config is what New needs.
type Config struct {
	// Write is the pool writes go to, Read the pool reads go to (the same
	// pool where the database has one).
	Write, Read *sql.DB
	Dialect     *Dialect
	// Now is the time a record is made at when it does not say.
	Now func() time.Time
	// Queue inserts CreateSession's reminder jobs in its transaction; a store
	// whose River client takes no *sql.Tx writes sessions itself, and leaves it nil.
	Queue QueueFunc
}

// New returns the plain store of c.
func New(c Config) *Store {
	return &Store{write: c.Write, read: c.Read, d: c.Dialect, now: c.Now, queue: c.Queue}
}

// NotFound is the error of a record that is not there.
func NotFound(what string) error {
	return aftercare.Errorf(aftercare.ENOTFOUND, "", "%s not found", what)
}

// inTx runs fn in a write transaction and commits it when fn returns nil.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return s.d.InTx(ctx, s.write, fn)
}

// readTx runs fn in a read transaction, so that several queries see one snapshot.
func (s *Store) readTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return s.d.InReadTx(ctx, s.read, fn)
}

// InTx runs fn in a transaction on db and commits it when fn returns nil.
func (d *Dialect) InTx(ctx context.Context, db *sql.DB, fn func(tx *sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return d.Err(err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return d.Err(err) // a lost connection is 503 wherever fn met it
	}
	return d.Err(tx.Commit())
}

// InReadTx runs fn in a read transaction (ReadTx) on db, so that several
// queries see one snapshot.
func (d *Dialect) InReadTx(ctx context.Context, db *sql.DB, fn func(tx *sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, &d.ReadTx)
	if err != nil {
		return d.Err(err)
	}
	defer tx.Rollback()
	return d.Err(fn(tx))
}

// exec runs one statement.
func (d *Dialect) exec(ctx context.Context, q Querier, query string, args ...any) (sql.Result, error) {
	res, err := q.ExecContext(ctx, d.Rebind(query), args...)
	return res, d.Err(err)
}

// update runs one statement, autocommitted, and turns a change of no row into
// ENOTFOUND naming what.
func (s *Store) update(ctx context.Context, what, query string, args ...any) error {
	return s.d.affected(s.d.exec(ctx, s.write, query, args...))(what)
}

// affected turns an update that touched no row into ENOTFOUND.
func (d *Dialect) affected(res sql.Result, err error) func(what string) error {
	return func(what string) error {
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return d.Err(err)
		}
		if n == 0 {
			return NotFound(what)
		}
		return nil
	}
}

// row runs a query of one row.
func (d *Dialect) row(ctx context.Context, q Querier, query string, args ...any) *sql.Row {
	return q.QueryRowContext(ctx, d.Rebind(query), args...)
}

// insert runs an INSERT … RETURNING id and returns the id.
func (d *Dialect) insert(ctx context.Context, q Querier, query string, args ...any) (int64, error) {
	var id int64
	err := d.row(ctx, q, query+` RETURNING id`, args...).Scan(&id)
	return id, d.Err(err)
}

// mustExist runs an existence query (SELECT 1 …): ENOTFOUND, naming what,
// when it finds no row.
func (d *Dialect) MustExist(ctx context.Context, q Querier, what, query string, args ...any) error {
	var one int
	err := d.row(ctx, q, query, args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return NotFound(what)
	}
	return d.Err(err)
}

// Each runs query and calls fn on each row it returns, in order.
func (d *Dialect) Each(ctx context.Context, q Querier, query string, args []any, fn func(Row) error) error {
	return d.Err(eachOf(ctx, q, d.Rebind(query), args, fn))
}

// list reads every row of query with scan; an empty list is not nil.
func list[T any](ctx context.Context, d *Dialect, q Querier, scan func(Row) (*T, error), query string, args ...any) ([]*T, error) {
	out := []*T{}
	err := d.Each(ctx, q, query, args, func(r Row) error {
		v, err := scan(r)
		out = append(out, v)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// one reads the row of query with scan: ENOTFOUND, naming what, when there is none.
func one[T any](ctx context.Context, d *Dialect, q Querier, what string, scan func(Row) (*T, error), query string, args ...any) (*T, error) {
	v, err := scan(d.row(ctx, q, query, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, NotFound(what)
	} else if err != nil {
		return nil, d.Err(err)
	}
	return v, nil
}

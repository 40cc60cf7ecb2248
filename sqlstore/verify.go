package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/rivermigrate"
)

// VerifyReport is what a store's verification found in a database: its
// soundness, the state of its migrations, and how much it holds.
type VerifyReport struct {
	// Where names the database checked: a file path, or a PostgreSQL
	// database's name (never its password).
	Where string
	// Problems lists every fault found; a sound database has none.
	Problems []string
	// Notes lists what an operator should know that is no fault, such as
	// migrations that serve will apply on its next start.
	Notes []string
	// SchemaVersion is the last clinic migration applied.
	SchemaVersion int64
	// LatestSchema is the newest clinic migration this program carries.
	LatestSchema int64
	// RiverVersion is the last River (job queue) migration applied.
	RiverVersion int
	// LatestRiver is the newest River migration this program carries.
	LatestRiver int
	// Tables counts the rows of every table, sorted by name.
	Tables []RowCount
	// Jobs counts River's jobs by kind and state ("checkin_reminder/scheduled").
	Jobs []RowCount
}

// RowCount is a number of rows under a name.
type RowCount struct {
	Name string
	Rows int64
}

// OK reports whether the check found no problem.
func (r *VerifyReport) OK() bool { return len(r.Problems) == 0 }

// LatestMigration returns the highest version among the goose migration files
// (named like 00002_accounts.sql) in dir of fsys, or 0 when there are none.
func LatestMigration(fsys fs.FS, dir string) int64 {
	var latest int64
	entries, _ := fs.ReadDir(fsys, dir)
	for _, e := range entries {
		prefix, _, ok := strings.Cut(e.Name(), "_")
		if !ok {
			continue
		}
		if v, err := strconv.ParseInt(prefix, 10, 64); err == nil && v > latest {
			latest = v
		}
	}
	return latest
}

// LatestRiver returns the newest River migration this program carries for
// the database of driver.
func LatestRiver[TTx any](driver riverdriver.Driver[TTx]) (int, error) {
	m, err := rivermigrate.New(driver, &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return 0, fmt.Errorf("river migrations: %w", err)
	}
	latest := 0
	for _, mv := range m.AllVersions() {
		latest = max(latest, mv.Version)
	}
	return latest, nil
}

// AddProblem records a fault found in several items, as "N what: a, b, …",
// naming at most ten of them; no items, no problem.
func (r *VerifyReport) AddProblem(what string, items []string) {
	if len(items) == 0 {
		return
	}
	list := strings.Join(items[:min(len(items), 10)], ", ")
	if len(items) > 10 {
		list += fmt.Sprintf(" and %d more", len(items)-10)
	}
	r.Problems = append(r.Problems, fmt.Sprintf("%d %s: %s", len(items), what, list))
}

// ReminderTally sorts the scheduled follow-ups by the state of their reminder
// jobs, as a verification reads them one by one.
type ReminderTally struct {
	lost, doubled, gaveUp []string
}

// Add notes one scheduled follow-up with its count of reminder jobs and how
// many of them were given up (discarded or cancelled).
func (t *ReminderTally) Add(sessionID, hours, jobs, dead int64) {
	at := fmt.Sprintf("session %d at %d h", sessionID, hours)
	switch {
	case jobs == 0:
		t.lost = append(t.lost, at)
	case jobs > 1:
		t.doubled = append(t.doubled, at)
	case dead > 0:
		t.gaveUp = append(t.gaveUp, at)
	}
}

// Report adds the follow-ups whose reminder job is missing, doubled or given up to r's problems.
func (t *ReminderTally) Report(r *VerifyReport) {
	r.AddProblem("scheduled follow-ups have no reminder job", t.lost)
	r.AddProblem("follow-ups have more than one reminder job", t.doubled)
	r.AddProblem("scheduled follow-ups have a reminder job that gave up", t.gaveUp)
}

// Verify adds to r what the database holds as tx sees it, tables being its
// tables by name: the rows per table, the clinic migrations applied (in
// migrationTable) and River's against r.LatestSchema and r.LatestRiver, the
// follow-ups still to be sent whose reminder job is missing, doubled or
// given up, the flags of the last day with no notice job (nor a row in the
// outbox that waits for one), and the jobs per kind and state. A problem the
// database holds goes in r; an error means it could not be read.
func (d *Dialect) Verify(ctx context.Context, tx *sql.Tx, r *VerifyReport, tables []string, migrationTable string) error {
	fail := func(what string, err error) error { return fmt.Errorf("%s: %s: %w", d.Name, what, err) }
	for _, t := range tables {
		var n int64
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM "`+strings.ReplaceAll(t, `"`, `""`)+`"`).Scan(&n); err != nil {
			return fail("count "+t, err)
		}
		r.Tables = append(r.Tables, RowCount{Name: t, Rows: n})
	}
	if !slices.Contains(tables, migrationTable) {
		r.Problems = append(r.Problems, "no "+migrationTable+" table: this is not an aftercare database")
		return nil
	}
	var v sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT max(version_id) FROM `+migrationTable+` WHERE is_applied`).Scan(&v); err != nil {
		return fail("read migrations", err)
	}
	r.SchemaVersion = v.Int64
	switch {
	case r.SchemaVersion > r.LatestSchema:
		r.Problems = append(r.Problems, fmt.Sprintf("schema version %d is newer than this program's %d: run the aftercare that wrote it", r.SchemaVersion, r.LatestSchema))
	case r.SchemaVersion < r.LatestSchema:
		r.Notes = append(r.Notes, fmt.Sprintf("schema version %d; serve will migrate it to %d on start", r.SchemaVersion, r.LatestSchema))
	}
	if slices.Contains(tables, "river_migration") {
		var rv sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT max(version) FROM river_migration WHERE line = 'main'`).Scan(&rv); err != nil {
			return fail("read river migrations", err)
		}
		r.RiverVersion = int(rv.Int64)
	}
	switch {
	case r.RiverVersion == 0:
		r.Problems = append(r.Problems, "River's tables are missing: follow-up jobs cannot be kept")
	case r.RiverVersion > r.LatestRiver:
		r.Problems = append(r.Problems, fmt.Sprintf("River version %d is newer than this program's %d", r.RiverVersion, r.LatestRiver))
	case r.RiverVersion < r.LatestRiver:
		r.Notes = append(r.Notes, fmt.Sprintf("River version %d; serve will migrate it to %d on start", r.RiverVersion, r.LatestRiver))
	}
	if slices.Contains(tables, "river_job") && slices.Contains(tables, "follow_ups") {
		return d.verifyJobs(ctx, tx, r, slices.Contains(tables, "flag_outbox"))
	}
	return nil
}

// verifyJobs finds follow-ups still to be sent whose reminder job is missing,
// doubled or given up, and flags of the last day with no notice job that are
// not waiting in the outbox for one, and counts the jobs by kind and state.
func (d *Dialect) verifyJobs(ctx context.Context, tx *sql.Tx, r *VerifyReport, hasOutbox bool) error {
	fail := func(what string, err error) error { return fmt.Errorf("%s: %s: %w", d.Name, what, err) }
	var tally ReminderTally
	err := eachOf(ctx, tx, `SELECT f.session_id, f.hours,
			count(j.id), count(j.id) FILTER (WHERE j.state IN ('discarded', 'cancelled'))
		FROM follow_ups f
		LEFT JOIN river_job j ON j.kind = 'checkin_reminder'
			AND CAST(j.args ->> 'session_id' AS bigint) = f.session_id AND CAST(j.args ->> 'hours' AS bigint) = f.hours
		WHERE f.status = 'scheduled'
		GROUP BY f.session_id, f.hours ORDER BY f.session_id, f.hours`, nil, func(r Row) error {
		var session, hours, jobs, dead int64
		err := r.Scan(&session, &hours, &jobs, &dead)
		tally.Add(session, hours, jobs, dead)
		return err
	})
	if err != nil {
		return fail("check reminder jobs", err)
	}
	tally.Report(r)
	// A flag notice job is kept a day after it completes; a younger flag without one was lost.
	waiting := ""
	if hasOutbox {
		waiting = `AND NOT EXISTS (SELECT 1 FROM flag_outbox o WHERE o.flag_id = f.id)`
	}
	var unnoticed []string
	err = eachOf(ctx, tx, d.Rebind(`SELECT 'flag ' || f.id FROM flags f WHERE f.created_at >= ?
		AND NOT EXISTS (SELECT 1 FROM river_job j WHERE j.kind = 'flag_notice' AND CAST(j.args ->> 'flag_id' AS bigint) = f.id)
		`+waiting+` ORDER BY f.id`), []any{d.Time(time.Now().Add(-23 * time.Hour))}, func(r Row) error {
		var s string
		err := r.Scan(&s)
		unnoticed = append(unnoticed, s)
		return err
	})
	if err != nil {
		return fail("check flag notice jobs", err)
	}
	r.AddProblem("flags of the last day have no notice job", unnoticed)
	if hasOutbox {
		var n int64
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM flag_outbox`).Scan(&n); err != nil {
			return fail("count the flag outbox", err)
		}
		if n > 0 {
			r.Notes = append(r.Notes, fmt.Sprintf("%d flag notices wait in the outbox; serve hands them to River when it runs", n))
		}
	}
	err = eachOf(ctx, tx, `SELECT kind || '/' || state, count(*) FROM river_job GROUP BY kind, state ORDER BY kind, state`, nil,
		func(row Row) error {
			var c RowCount
			err := row.Scan(&c.Name, &c.Rows)
			r.Jobs = append(r.Jobs, c)
			return err
		})
	if err != nil {
		return fail("count jobs", err)
	}
	return nil
}

// Missing returns the names of want that are not in have.
func Missing(want, have []string) []string {
	var out []string
	for _, w := range want {
		if !slices.Contains(have, w) {
			out = append(out, w)
		}
	}
	return out
}

// Strings returns the first column of every row of query, a text.
func Strings(ctx context.Context, q Querier, query string, args ...any) ([]string, error) {
	var out []string
	err := eachOf(ctx, q, query, args, func(r Row) error {
		var s string
		err := r.Scan(&s)
		out = append(out, s)
		return err
	})
	return out, err
}

// eachOf runs query and calls fn on each row it returns, in order.
func eachOf(ctx context.Context, q Querier, query string, args []any, fn func(Row) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// RiverDueIndex is the statement (for PostgreSQL and SQLite alike) that gives
// River's scheduler query an index of its own, run after River's migrations.
// That query (scheduled and retryable jobs due by now, to make available) has
// no index that fits among River's: with a clinic's reminders scheduled days
// ahead, most of river_job is scheduled, and at scale it read the whole table
// (bench/BENCHMARKS.md, section 4).
const RiverDueIndex = `CREATE INDEX IF NOT EXISTS aftercare_river_job_due_idx ON river_job (scheduled_at)
	WHERE state IN ('retryable', 'scheduled')`

package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"aftercare"
)

// Report is what Verify found in a database.
type Report = aftercare.VerifyReport

// Count is a number of rows under a name.
type Count = aftercare.RowCount

// LatestSchemaVersion returns the newest clinic migration this program carries.
func LatestSchemaVersion() int64 { return aftercare.LatestMigration(migrations, "migrations") }

// Verify checks the database in the data directory dir without changing it;
// servers may be running on it. See VerifyFile.
func Verify(ctx context.Context, dir string) (*Report, error) {
	return VerifyFile(ctx, filepath.Join(dir, FileName))
}

// VerifyFile checks a database file (a live one, or a backup) without
// changing it: SQLite's integrity and foreign key checks, the clinic and
// River migrations applied against those this program carries, the
// follow-ups whose reminder job is missing or was given up, and the rows per
// table and jobs per kind and state. An error means the file could not be
// checked at all; what is wrong inside it is in the report's Problems.
func VerifyFile(ctx context.Context, path string) (*Report, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	db, err := sql.Open("sqlite", backupReadDSN(path))
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	defer conn.Close()
	// One read transaction: every check sees the same snapshot.
	tx, err := conn.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("sqlite: read %s: %w", path, err)
	}
	defer tx.Rollback()

	r := &Report{Where: path, LatestSchema: LatestSchemaVersion()}
	if err := verifyIntegrity(ctx, tx, r); err != nil {
		return nil, err
	}
	tables, err := verifyStrings(ctx, tx, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list tables: %w", err)
	}
	for _, t := range tables {
		var n int64
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM "`+strings.ReplaceAll(t, `"`, `""`)+`"`).Scan(&n); err != nil {
			return nil, fmt.Errorf("sqlite: count %s: %w", t, err)
		}
		r.Tables = append(r.Tables, Count{Name: t, Rows: n})
	}
	if !slices.Contains(tables, migrationTable) {
		r.Problems = append(r.Problems, "no "+migrationTable+" table: this is not an aftercare database")
		return r, nil
	}
	if err := verifyMigrations(ctx, db, tx, r, slices.Contains(tables, "river_migration")); err != nil {
		return nil, err
	}
	if slices.Contains(tables, "river_job") && slices.Contains(tables, "follow_ups") {
		if err := verifyJobs(ctx, tx, r, slices.Contains(tables, "flag_outbox")); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// backupReadDSN opens a file for reading only, waiting for a writer's lock
// rather than failing at once.
func backupReadDSN(path string) string {
	q := url.Values{}
	q.Set("mode", "ro")
	q.Set("_busy_timeout", fmt.Sprint(busyTimeout.Milliseconds()))
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

func verifyIntegrity(ctx context.Context, tx *sql.Tx, r *Report) error {
	lines, err := verifyStrings(ctx, tx, `PRAGMA integrity_check`)
	if err != nil {
		return fmt.Errorf("sqlite: integrity check: %w", err)
	}
	for _, l := range lines {
		if l != "ok" {
			r.Problems = append(r.Problems, "integrity: "+l)
		}
	}
	rows, err := tx.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return fmt.Errorf("sqlite: foreign key check: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var table, parent string
		var rowid sql.NullInt64
		var fkid int64
		if err := rows.Scan(&table, &rowid, &parent, &fkid); err != nil {
			return fmt.Errorf("sqlite: foreign key check: %w", err)
		}
		r.Problems = append(r.Problems, fmt.Sprintf("foreign key: %s row %d refers to a missing %s row", table, rowid.Int64, parent))
	}
	return rows.Err()
}

func verifyMigrations(ctx context.Context, db *sql.DB, tx *sql.Tx, r *Report, hasRiver bool) error {
	var v sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT max(version_id) FROM `+migrationTable+` WHERE is_applied`).Scan(&v); err != nil {
		return fmt.Errorf("sqlite: read migrations: %w", err)
	}
	r.SchemaVersion = v.Int64
	switch {
	case r.SchemaVersion > r.LatestSchema:
		r.Problems = append(r.Problems, fmt.Sprintf("schema version %d is newer than this program's %d: run the aftercare that wrote it", r.SchemaVersion, r.LatestSchema))
	case r.SchemaVersion < r.LatestSchema:
		r.Notes = append(r.Notes, fmt.Sprintf("schema version %d; serve will migrate it to %d on start", r.SchemaVersion, r.LatestSchema))
	}
	m, err := rivermigrate.New(riversqlite.New(db), &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return fmt.Errorf("sqlite: river migrations: %w", err)
	}
	for _, mv := range m.AllVersions() {
		r.LatestRiver = max(r.LatestRiver, mv.Version)
	}
	if hasRiver {
		var rv sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT max(version) FROM river_migration WHERE line = 'main'`).Scan(&rv); err != nil {
			return fmt.Errorf("sqlite: read river migrations: %w", err)
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
	return nil
}

// verifyJobs finds follow-ups still to be sent whose reminder job is missing,
// doubled or given up, and flags of the last day with no notice job that are
// not waiting in the outbox for one, and counts the jobs by kind and state.
func verifyJobs(ctx context.Context, tx *sql.Tx, r *Report, hasOutbox bool) error {
	rows, err := tx.QueryContext(ctx, `SELECT f.session_id, f.hours,
			(SELECT count(*) FROM river_job j WHERE j.kind = 'checkin_reminder'
				AND json_extract(j.args, '$.session_id') = f.session_id AND json_extract(j.args, '$.hours') = f.hours),
			(SELECT count(*) FROM river_job j WHERE j.kind = 'checkin_reminder' AND j.state IN ('discarded', 'cancelled')
				AND json_extract(j.args, '$.session_id') = f.session_id AND json_extract(j.args, '$.hours') = f.hours)
		FROM follow_ups f WHERE f.status = 'scheduled' ORDER BY f.session_id, f.hours`)
	if err != nil {
		return fmt.Errorf("sqlite: check reminder jobs: %w", err)
	}
	var tally aftercare.ReminderTally
	for rows.Next() {
		var session, hours, jobs, dead int64
		if err := rows.Scan(&session, &hours, &jobs, &dead); err != nil {
			rows.Close()
			return fmt.Errorf("sqlite: check reminder jobs: %w", err)
		}
		tally.Add(session, hours, jobs, dead)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlite: check reminder jobs: %w", err)
	}
	tally.Report(r)
	// A flag notice job is kept a day after it completes; a younger flag without one was lost.
	since := fmtTime(time.Now().Add(-23 * time.Hour))
	waiting := ""
	if hasOutbox {
		waiting = `AND NOT EXISTS (SELECT 1 FROM flag_outbox o WHERE o.flag_id = f.id)`
	}
	unnoticed, err := verifyStrings(ctx, tx, `SELECT 'flag ' || f.id FROM flags f WHERE f.created_at >= ?
		AND NOT EXISTS (SELECT 1 FROM river_job j WHERE j.kind = 'flag_notice' AND json_extract(j.args, '$.flag_id') = f.id)
		`+waiting+` ORDER BY f.id`, since)
	if err != nil {
		return fmt.Errorf("sqlite: check flag notice jobs: %w", err)
	}
	r.AddProblem("flags of the last day have no notice job", unnoticed)
	if hasOutbox {
		var n int64
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM flag_outbox`).Scan(&n); err != nil {
			return fmt.Errorf("sqlite: count the flag outbox: %w", err)
		}
		if n > 0 {
			r.Notes = append(r.Notes, fmt.Sprintf("%d flag notices wait in the outbox; serve hands them to River when it runs", n))
		}
	}
	jrows, err := tx.QueryContext(ctx, `SELECT kind || '/' || state, count(*) FROM river_job GROUP BY kind, state ORDER BY kind, state`)
	if err != nil {
		return fmt.Errorf("sqlite: count jobs: %w", err)
	}
	defer jrows.Close()
	for jrows.Next() {
		var c Count
		if err := jrows.Scan(&c.Name, &c.Rows); err != nil {
			return fmt.Errorf("sqlite: count jobs: %w", err)
		}
		r.Jobs = append(r.Jobs, c)
	}
	return jrows.Err()
}

func verifyStrings(ctx context.Context, tx *sql.Tx, query string, args ...any) ([]string, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

package postgres

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"

	"aftercare"
)

// Report is what Verify found in a database.
type Report = aftercare.VerifyReport

// Count is a number of rows under a name.
type Count = aftercare.RowCount

// LatestSchemaVersion returns the newest clinic migration this program carries.
func LatestSchemaVersion() int64 { return aftercare.LatestMigration(migrations, "migrations") }

// Verify checks the database at url without changing it, in one read-only
// snapshot; servers may be running on it: constraints left unvalidated, the
// clinic and River migrations applied against those this program carries,
// the follow-ups whose reminder job is missing, doubled or given up, flags
// of the last day without a notice job, and the rows per table and jobs per
// kind and state. PostgreSQL checks its pages itself; pg_amcheck goes
// further. An error means the database could not be checked at all; what is
// wrong inside it is in the report's Problems.
func Verify(ctx context.Context, url string) (*Report, error) {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return nil, unavailable(err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, dbErr(err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))

	r := &Report{Where: "PostgreSQL database " + conn.Config().Database, LatestSchema: LatestSchemaVersion()}
	invalid, err := pgStrings(ctx, tx, `SELECT conrelid::regclass::text || ': ' || conname FROM pg_constraint
		WHERE NOT convalidated AND connamespace = current_schema()::regnamespace ORDER BY 1`)
	if err != nil {
		return nil, fmt.Errorf("postgres: check constraints: %w", err)
	}
	for _, c := range invalid {
		r.Problems = append(r.Problems, "constraint not validated: "+c)
	}
	tables, err := pgStrings(ctx, tx, `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`)
	if err != nil {
		return nil, fmt.Errorf("postgres: list tables: %w", err)
	}
	for _, t := range tables {
		var n int64
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM `+pgx.Identifier{t}.Sanitize()).Scan(&n); err != nil {
			return nil, fmt.Errorf("postgres: count %s: %w", t, err)
		}
		r.Tables = append(r.Tables, Count{Name: t, Rows: n})
	}
	if !slices.Contains(tables, migrationTable) {
		r.Problems = append(r.Problems, "no "+migrationTable+" table: this is not an aftercare database")
		return r, nil
	}
	var v *int64
	if err := tx.QueryRow(ctx, `SELECT max(version_id) FROM `+migrationTable+` WHERE is_applied`).Scan(&v); err != nil {
		return nil, fmt.Errorf("postgres: read migrations: %w", err)
	}
	if v != nil {
		r.SchemaVersion = *v
	}
	switch {
	case r.SchemaVersion > r.LatestSchema:
		r.Problems = append(r.Problems, fmt.Sprintf("schema version %d is newer than this program's %d: run the aftercare that wrote it", r.SchemaVersion, r.LatestSchema))
	case r.SchemaVersion < r.LatestSchema:
		r.Notes = append(r.Notes, fmt.Sprintf("schema version %d; serve will migrate it to %d on start", r.SchemaVersion, r.LatestSchema))
	}
	m, err := rivermigrate.New(riverpgxv5.New(nil), &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return nil, fmt.Errorf("postgres: river migrations: %w", err)
	}
	for _, mv := range m.AllVersions() {
		r.LatestRiver = max(r.LatestRiver, mv.Version)
	}
	if slices.Contains(tables, "river_migration") {
		var rv *int64
		if err := tx.QueryRow(ctx, `SELECT max(version) FROM river_migration WHERE line = 'main'`).Scan(&rv); err != nil {
			return nil, fmt.Errorf("postgres: read river migrations: %w", err)
		}
		if rv != nil {
			r.RiverVersion = int(*rv)
		}
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
		if err := verifyJobs(ctx, tx, r); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// verifyJobs finds follow-ups still to be sent whose reminder job is missing,
// doubled or given up, flags of the last day without a notice job, and counts
// the jobs by kind and state.
func verifyJobs(ctx context.Context, tx pgx.Tx, r *Report) error {
	rows, err := tx.Query(ctx, `SELECT f.session_id, f.hours,
			count(j.id), count(j.id) FILTER (WHERE j.state IN ('discarded', 'cancelled'))
		FROM follow_ups f
		LEFT JOIN river_job j ON j.kind = 'checkin_reminder'
			AND (j.args->>'session_id')::bigint = f.session_id AND (j.args->>'hours')::int = f.hours
		WHERE f.status = 'scheduled'
		GROUP BY f.session_id, f.hours ORDER BY f.session_id, f.hours`)
	if err != nil {
		return fmt.Errorf("postgres: check reminder jobs: %w", err)
	}
	var tally aftercare.ReminderTally
	for rows.Next() {
		var session, hours, jobs, dead int64
		if err := rows.Scan(&session, &hours, &jobs, &dead); err != nil {
			rows.Close()
			return fmt.Errorf("postgres: check reminder jobs: %w", err)
		}
		tally.Add(session, hours, jobs, dead)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("postgres: check reminder jobs: %w", err)
	}
	tally.Report(r)
	// A flag notice job is kept a day after it completes; a younger flag without one was lost.
	unnoticed, err := pgStrings(ctx, tx, `SELECT 'flag ' || f.id FROM flags f WHERE f.created_at >= $1
		AND NOT EXISTS (SELECT 1 FROM river_job j WHERE j.kind = 'flag_notice' AND (j.args->>'flag_id')::bigint = f.id)
		ORDER BY f.id`, time.Now().Add(-23*time.Hour))
	if err != nil {
		return fmt.Errorf("postgres: check flag notice jobs: %w", err)
	}
	r.AddProblem("flags of the last day have no notice job", unnoticed)
	jrows, err := tx.Query(ctx, `SELECT kind || '/' || state, count(*) FROM river_job GROUP BY kind, state ORDER BY kind, state`)
	if err != nil {
		return fmt.Errorf("postgres: count jobs: %w", err)
	}
	defer jrows.Close()
	for jrows.Next() {
		var c Count
		if err := jrows.Scan(&c.Name, &c.Rows); err != nil {
			return fmt.Errorf("postgres: count jobs: %w", err)
		}
		r.Jobs = append(r.Jobs, c)
	}
	return jrows.Err()
}

func pgStrings(ctx context.Context, tx pgx.Tx, query string, args ...any) ([]string, error) {
	rows, err := tx.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

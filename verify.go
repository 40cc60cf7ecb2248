package aftercare

import (
	"fmt"
	"io/fs"
	"strconv"
	"strings"
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

// RiverDueIndex is the statement (for PostgreSQL and SQLite alike) that gives
// River's scheduler query an index of its own, run after River's migrations.
// That query (scheduled and retryable jobs due by now, to make available) has
// no index that fits among River's: with a clinic's reminders scheduled days
// ahead, most of river_job is scheduled, and at scale it read the whole table
// (bench/BENCHMARKS.md, section 4).
const RiverDueIndex = `CREATE INDEX IF NOT EXISTS aftercare_river_job_due_idx ON river_job (scheduled_at)
	WHERE state IN ('retryable', 'scheduled')`

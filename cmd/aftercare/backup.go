package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"aftercare/postgres"
	"aftercare/sqlite"
	"aftercare/sqlstore"
)

const backupUsage = `usage: aftercare backup --out FILE [--data DIR]

Writes a consistent copy of the SQLite database to FILE while aftercare serve
goes on running (VACUUM INTO reads one snapshot), checks the copy and prints
what it holds. FILE must not exist yet. For PostgreSQL use pg_dump (see
docs/operations.md):

  pg_dump --format=custom --file=aftercare.dump "$AFTERCARE_DATABASE_URL"

`

const restoreUsage = `usage: aftercare restore --from FILE [--data DIR] [--force]

Checks the backup FILE, then puts it in place as the SQLite database of the
data directory. Stop aftercare serve first: restore refuses while a process
has the database open. A directory that already holds a database is refused
unless --force is given; the database replaced is kept beside it as
aftercare.db.replaced-TIME. For PostgreSQL use pg_restore (see
docs/operations.md):

  createdb aftercare_restored
  pg_restore --no-owner --dbname=postgres://…/aftercare_restored aftercare.dump

`

const verifyUsage = `usage: aftercare verify [--data DIR | --database URL]

Checks the database without changing it (servers may be running): SQLite's
integrity and foreign key checks (PostgreSQL: constraints left unvalidated),
the clinic and River migrations applied against those this program carries,
follow-ups whose reminder job is missing, doubled or given up, recent flags
without a notice job, the audit log's guards (the triggers that refuse to
change or delete an entry) and its chain (no entry missing, every entry's
hash matching, checked under the keyring of --secret-keys when the chain is
keyed), and the rows per table and jobs per state. It exits 0 when the
database is sound and 1 when a problem was found.

`

// runBackup is aftercare backup.
func runBackup(ctx context.Context, e *env, args []string) error {
	var sf storeFlags
	var out string
	fs := newFlagSet("backup", backupUsage, e.stderr)
	sf.register(fs)
	fs.StringVar(&out, "out", "", "the new file to write the backup to (required)")
	if err := parseFlags(fs, args, e.getenv); err != nil {
		if errors.Is(err, errHelp) {
			return nil
		}
		return err
	}
	if strings.TrimSpace(sf.database) != "" {
		fmt.Fprintln(e.stderr, "aftercare: backup copies the SQLite database; for PostgreSQL run pg_dump --format=custom --file=FILE \"$AFTERCARE_DATABASE_URL\" (see docs/operations.md)")
		return errUsage
	}
	if out == "" {
		fmt.Fprintln(e.stderr, "aftercare: backup: --out is required: the file to write the backup to")
		return errUsage
	}
	r, err := sqlite.Backup(ctx, sf.data, out)
	if err != nil {
		return adminError(e, err)
	}
	fmt.Fprintf(e.stdout, "backup written: %s\n", out)
	printReport(e.stdout, r)
	return nil
}

// runRestore is aftercare restore.
func runRestore(ctx context.Context, e *env, args []string) error {
	var sf storeFlags
	var from string
	var force bool
	fs := newFlagSet("restore", restoreUsage, e.stderr)
	sf.register(fs)
	fs.StringVar(&from, "from", "", "the backup file to restore (required)")
	fs.BoolVar(&force, "force", false, "replace a database already in the data directory (it is kept beside it)")
	if err := parseFlags(fs, args, e.getenv); err != nil {
		if errors.Is(err, errHelp) {
			return nil
		}
		return err
	}
	if strings.TrimSpace(sf.database) != "" {
		fmt.Fprintln(e.stderr, "aftercare: restore puts back a SQLite backup; for PostgreSQL run pg_restore into a new database (see docs/operations.md)")
		return errUsage
	}
	if from == "" {
		fmt.Fprintln(e.stderr, "aftercare: restore: --from is required: the backup file to restore")
		return errUsage
	}
	r, kept, err := sqlite.Restore(ctx, from, sf.data, force)
	if errors.Is(err, sqlite.ErrInUse) {
		fmt.Fprintf(e.stderr, "aftercare: restore: %v (data directory %s)\n", err, sf.data)
		return exitError{code: 1}
	}
	if err != nil {
		if r != nil {
			printReport(e.stderr, r)
		}
		return adminError(e, err)
	}
	if kept != "" {
		fmt.Fprintf(e.stdout, "the replaced database is kept as %s%s\n", sqlite.FileName, kept)
	}
	fmt.Fprintf(e.stdout, "restored %s into %s\n", from, sf.data)
	printReport(e.stdout, r)
	return nil
}

// runVerify is aftercare verify.
func runVerify(ctx context.Context, e *env, args []string) error {
	var sf storeFlags
	fs := newFlagSet("verify", verifyUsage, e.stderr)
	sf.register(fs)
	if err := parseFlags(fs, args, e.getenv); err != nil {
		if errors.Is(err, errHelp) {
			return nil
		}
		return err
	}
	ring, err := sf.keyring(false)
	if err != nil {
		return adminError(e, err)
	}
	var r *sqlstore.VerifyReport
	db := strings.TrimSpace(sf.database)
	switch {
	case strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://"):
		pr, err := postgres.Verify(ctx, db, ring)
		if err != nil {
			return adminError(e, err)
		}
		r = pr
	case db != "":
		fmt.Fprintln(e.stderr, "aftercare: --database must be a postgres:// URL (leave it empty to use SQLite in --data)")
		return errUsage
	default:
		sr, err := sqlite.Verify(ctx, sf.data, ring)
		if err != nil {
			return adminError(e, err)
		}
		r = sr
	}
	printReport(e.stdout, r)
	if len(r.Problems) > 0 {
		return exitError{code: 1}
	}
	return nil
}

// printReport writes a report for a person: the database, its migrations,
// the rows per table, the jobs per state, then the notes and problems.
func printReport(w io.Writer, r *sqlstore.VerifyReport) {
	fmt.Fprintf(w, "database: %s\n", r.Where)
	fmt.Fprintf(w, "schema: version %d (this program: %d)\n", r.SchemaVersion, r.LatestSchema)
	fmt.Fprintf(w, "river: version %d (this program: %d)\n", r.RiverVersion, r.LatestRiver)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "rows:")
	for _, c := range r.Tables {
		fmt.Fprintf(tw, "  %s\t%d\n", c.Name, c.Rows)
	}
	tw.Flush()
	if len(r.Jobs) > 0 {
		fmt.Fprintln(w, "jobs:")
		for _, c := range r.Jobs {
			fmt.Fprintf(tw, "  %s\t%d\n", c.Name, c.Rows)
		}
		tw.Flush()
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	if len(r.Problems) == 0 {
		fmt.Fprintln(w, "problems: none")
		return
	}
	for _, p := range r.Problems {
		fmt.Fprintf(w, "problem: %s\n", p)
	}
}

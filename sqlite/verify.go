package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	"github.com/riverqueue/river/riverdriver/riversqlite"

	"aftercare/sqlstore"
)

// Report is what Verify found in a database.
type Report = sqlstore.VerifyReport

// Count is a number of rows under a name.
type Count = sqlstore.RowCount

// LatestSchemaVersion returns the newest clinic migration this program carries.
func LatestSchemaVersion() int64 { return sqlstore.LatestMigration(migrations, "migrations") }

// Verify checks the database in the data directory dir without changing it;
// servers may be running on it. See VerifyFile.
func Verify(ctx context.Context, dir string) (*Report, error) {
	return VerifyFile(ctx, filepath.Join(dir, FileName))
}

// VerifyFile checks a database file (a live one, or a backup) without
// changing it: SQLite's integrity and foreign key checks, then what
// sqlstore's Verify checks on every database (migrations, reminder and
// notice jobs, rows per table and jobs per kind and state). An error means
// the file could not be checked at all; what is wrong inside it is in the
// report's Problems.
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
	if r.LatestRiver, err = sqlstore.LatestRiver(riversqlite.New(db)); err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	if err := verifyIntegrity(ctx, tx, r); err != nil {
		return nil, err
	}
	tables, err := sqlstore.Strings(ctx, tx, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list tables: %w", err)
	}
	if err := dialect.Verify(ctx, tx, r, tables, migrationTable); err != nil {
		return nil, err
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
	lines, err := sqlstore.Strings(ctx, tx, `PRAGMA integrity_check`)
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

package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"

	"github.com/riverqueue/river/riverdriver/riversqlite"

	"aftercare/keyring"
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
func Verify(ctx context.Context, dir string, keys *keyring.Keyring) (*Report, error) {
	return VerifyFile(ctx, filepath.Join(dir, FileName), keys)
}

// VerifyFile checks a database file (a live one, or a backup) without
// changing it: SQLite's integrity and foreign key checks, the triggers that
// keep the audit log append-only, then what sqlstore's Verify and
// VerifyAudit check on every database (migrations, reminder and notice jobs,
// rows per table and jobs per kind and state; the audit chain, under keys
// when they are given). An error means
// the file could not be checked at all; what is wrong inside it is in the
// report's Problems.
func VerifyFile(ctx context.Context, path string, keys *keyring.Keyring) (*Report, error) {
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
	if slices.Contains(tables, "audit_log") {
		present, err := sqlstore.Strings(ctx, tx, `SELECT name FROM sqlite_master
			WHERE type = 'trigger' AND tbl_name = 'audit_log' AND sql LIKE '%RAISE(ABORT%' ORDER BY name`)
		if err != nil {
			return nil, fmt.Errorf("sqlite: list the audit log's guards: %w", err)
		}
		r.AddProblem(sqlstore.AuditGuardsMissing, sqlstore.Missing(auditGuards, present))
		if err := dialect.VerifyAudit(ctx, tx, r, keys); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// auditGuards are the triggers that refuse to change or delete an audit entry.
var auditGuards = []string{"audit_log_no_delete", "audit_log_no_update"}

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

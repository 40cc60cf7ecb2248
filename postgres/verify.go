package postgres

import (
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"aftercare/keyring"
	"aftercare/sqlstore"
)

// Report is what Verify found in a database.
type Report = sqlstore.VerifyReport

// Count is a number of rows under a name.
type Count = sqlstore.RowCount

// LatestSchemaVersion returns the newest clinic migration this program carries.
func LatestSchemaVersion() int64 { return sqlstore.LatestMigration(migrations, "migrations") }

// Verify checks the database at url without changing it, in one read-only
// snapshot; servers may be running on it: constraints left unvalidated, the
// triggers that keep the audit log append-only (present and enabled, and no
// rule rewriting what is done to it), then what sqlstore's Verify and
// VerifyAudit check on every database (migrations, reminder and notice jobs,
// rows per table and jobs per kind and state; the audit chain, under keys
// when they are given). PostgreSQL checks
// its pages itself; pg_amcheck goes further. An error means the database
// could not be checked at all; what is wrong inside it is in the report's
// Problems.
func Verify(ctx context.Context, url string, keys *keyring.Keyring) (*Report, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, unavailable(err)
	}
	db := stdlib.OpenDB(*cfg)
	defer db.Close()
	tx, err := db.BeginTx(ctx, &dialect.ReadTx)
	if err != nil {
		return nil, dbErr(err)
	}
	defer tx.Rollback()

	r := &Report{Where: "PostgreSQL database " + cfg.Database, LatestSchema: LatestSchemaVersion()}
	if r.LatestRiver, err = sqlstore.LatestRiver(riverpgxv5.New(nil)); err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	invalid, err := sqlstore.Strings(ctx, tx, `SELECT conrelid::regclass::text || ': ' || conname FROM pg_constraint
		WHERE NOT convalidated AND connamespace = current_schema()::regnamespace ORDER BY 1`)
	if err != nil {
		return nil, fmt.Errorf("postgres: check constraints: %w", err)
	}
	for _, c := range invalid {
		r.Problems = append(r.Problems, "constraint not validated: "+c)
	}
	tables, err := sqlstore.Strings(ctx, tx, `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`)
	if err != nil {
		return nil, fmt.Errorf("postgres: list tables: %w", err)
	}
	if err := dialect.Verify(ctx, tx, r, tables, migrationTable); err != nil {
		return nil, err
	}
	if slices.Contains(tables, "audit_log") {
		present, err := sqlstore.Strings(ctx, tx, `SELECT tgname FROM pg_trigger
			WHERE tgrelid = to_regclass('audit_log') AND tgenabled <> 'D' AND NOT tgisinternal ORDER BY tgname`)
		if err != nil {
			return nil, fmt.Errorf("postgres: list the audit log's guards: %w", err)
		}
		r.AddProblem(sqlstore.AuditGuardsMissing, sqlstore.Missing(auditGuards, present))
		rules, err := sqlstore.Strings(ctx, tx, `SELECT rulename FROM pg_rules
			WHERE schemaname = current_schema() AND tablename = 'audit_log' ORDER BY rulename`)
		if err != nil {
			return nil, fmt.Errorf("postgres: list the audit log's rules: %w", err)
		}
		r.AddProblem("rules rewrite what is done to the audit log", rules)
		if err := dialect.VerifyAudit(ctx, tx, r, keys); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// auditGuards are the triggers that refuse to change, delete or truncate an audit entry.
var auditGuards = []string{"audit_log_append_only", "audit_log_no_truncate"}

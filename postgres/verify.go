package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"aftercare/sqlstore"
)

// Report is what Verify found in a database.
type Report = sqlstore.VerifyReport

// Count is a number of rows under a name.
type Count = sqlstore.RowCount

// LatestSchemaVersion returns the newest clinic migration this program carries.
func LatestSchemaVersion() int64 { return sqlstore.LatestMigration(migrations, "migrations") }

// Verify checks the database at url without changing it, in one read-only
// snapshot; servers may be running on it: constraints left unvalidated, then
// what sqlstore's Verify checks on every database (migrations, reminder and
// notice jobs, rows per table and jobs per kind and state). PostgreSQL checks
// its pages itself; pg_amcheck goes further. An error means the database
// could not be checked at all; what is wrong inside it is in the report's
// Problems.
func Verify(ctx context.Context, url string) (*Report, error) {
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
	return r, nil
}

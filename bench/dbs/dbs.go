// Package dbs opens the databases the ingest and scale benchmarks use: a
// fresh SQLite directory, or a fresh PostgreSQL database with a unique name
// (aftercare_bench_<pid>_<n>) on a server the caller names, dropped again
// when the benchmark is done. It never stops, restarts or reconfigures the
// server itself.
package dbs

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
)

var seq atomic.Int64

// PostgresDB is a database created for one benchmark.
type PostgresDB struct {
	// URL connects to the new database.
	URL string
	// Name is the database's name.
	Name  string
	admin string
}

// CreatePostgres creates an empty database on the server of serverURL (a
// postgres:// URL whose database is the one to connect to for CREATE
// DATABASE, such as postgres).
func CreatePostgres(ctx context.Context, serverURL, purpose string) (*PostgresDB, error) {
	name := fmt.Sprintf("aftercare_bench_%s_%d_%d", purpose, os.Getpid(), seq.Add(1))
	conn, err := pgx.Connect(ctx, serverURL)
	if err != nil {
		return nil, fmt.Errorf("dbs: connect to %s: %w", redact(serverURL), err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		return nil, fmt.Errorf("dbs: create database %s: %w", name, err)
	}
	u, err := url.Parse(serverURL)
	if err != nil {
		return nil, err
	}
	u.Path = "/" + name
	return &PostgresDB{URL: u.String(), Name: name, admin: serverURL}, nil
}

// Drop drops the database, ending any connection still open to it.
func (d *PostgresDB) Drop(ctx context.Context) error {
	conn, err := pgx.Connect(ctx, d.admin)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{d.Name}.Sanitize()+" WITH (FORCE)")
	return err
}

func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unreadable URL)"
	}
	return u.Redacted()
}

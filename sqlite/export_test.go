package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
)

// MigrateTo moves the clinic schema of the database in dir (created when
// needed) up or down to version, leaving River's schema alone, for tests of
// the migrations. It returns a connection to the database, which the caller closes.
func MigrateTo(ctx context.Context, dir string, version int64) (*sql.DB, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", dsn(filepath.Join(dir, FileName), false))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	p, err := migrationProvider(db)
	if err != nil {
		db.Close()
		return nil, err
	}
	current, err := p.GetDBVersion(ctx)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: migration version: %w", err)
	}
	if version >= current {
		_, err = p.UpTo(ctx, version)
	} else {
		_, err = p.DownTo(ctx, version)
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// WriteDB returns the store's write pool, for tests that reach past its methods.
func WriteDB(s *Store) *sql.DB { return s.write }

package postgres

import (
	"context"
	"database/sql"
	"fmt"
)

// MigrateTo moves the clinic schema of the database at url up or down to
// version, leaving River's schema alone, for tests of the migrations. It
// returns a connection to the database, which the caller closes.
func MigrateTo(ctx context.Context, url string, version int64) (*sql.DB, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, err
	}
	p, err := migrationProvider(db)
	if err != nil {
		db.Close()
		return nil, err
	}
	current, err := p.GetDBVersion(ctx)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: migration version: %w", err)
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

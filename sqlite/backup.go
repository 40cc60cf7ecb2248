package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"aftercare"
)

// ErrInUse is returned by Restore when a process has the database open.
var ErrInUse = errors.New("a process (aftercare serve?) has the database open: stop it first")

func dataFile(dir string) string { return filepath.Join(dir, FileName) }

// Backup writes a consistent copy of the database in dir to the new file out,
// while servers go on writing to it: VACUUM INTO copies one read snapshot,
// which in WAL mode holds no writer up. The copy is written beside out,
// checked (integrity and foreign keys), synced to disk and only then renamed
// to out, so out is either a sound backup or absent. An existing out is
// refused. It returns the report of the copy.
func Backup(ctx context.Context, dir, out string) (*Report, error) {
	src := dataFile(dir)
	if _, err := os.Stat(src); err != nil {
		return nil, fmt.Errorf("sqlite: no database to back up: %w", err)
	}
	if _, err := os.Stat(out); err == nil {
		return nil, aftercare.Errorf(aftercare.ECONFLICT, "out", "%s already exists; back up to a new file", out)
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	tmp := out + ".partial-" + backupSuffix()
	ok := false
	defer func() {
		if !ok {
			os.Remove(tmp)
		}
	}()

	db, err := sql.Open("sqlite", backupReadDSN(src))
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", src, err)
	}
	db.SetMaxOpenConns(1)
	_, err = db.ExecContext(ctx, `VACUUM INTO ?`, tmp)
	db.Close()
	if err != nil {
		return nil, fmt.Errorf("sqlite: copy %s: %w", src, dbErr(err))
	}
	if err := os.Chmod(tmp, 0o600); err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	r, err := VerifyFile(ctx, tmp, nil)
	if err != nil {
		return nil, err
	}
	if !r.OK() {
		return nil, fmt.Errorf("sqlite: the copy is not sound: %v", r.Problems)
	}
	if err := backupSyncFile(tmp); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, out); err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	ok = true
	r.Where = out
	return r, backupSyncDir(filepath.Dir(out))
}

// Restore replaces the database in dir with the backup file from, once it is
// checked. It refuses while a process has the database open (ErrInUse), and
// refuses to replace an existing database unless force is set; a replaced
// database is kept beside it under the suffix it returns as kept (the files
// aftercare.db.replaced-TIME, with their -wal). The restored file is
// migrated when serve next opens it.
func Restore(ctx context.Context, from, dir string, force bool) (r *Report, kept string, err error) {
	r, err = VerifyFile(ctx, from, nil)
	if err != nil {
		return nil, "", err
	}
	if !r.OK() {
		return r, "", aftercare.Errorf(aftercare.EINVALID, "from", "%s is not a sound aftercare backup: %v", from, r.Problems)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, "", fmt.Errorf("sqlite: create data directory: %w", err)
	}
	dst := dataFile(dir)
	// The migration lock keeps a server from opening the directory while
	// the files are swapped; a server already running is found by its lock.
	unlock, err := lockMigrations(ctx, dst+".lock")
	if err != nil {
		return nil, "", err
	}
	defer unlock()
	busy, err := InUse(dir)
	if err != nil {
		return nil, "", err
	}
	if busy {
		return nil, "", ErrInUse
	}
	_, statErr := os.Stat(dst)
	exists := statErr == nil
	if exists && !force {
		return nil, "", aftercare.Errorf(aftercare.ECONFLICT, "data", "%s already holds a database; pass --force to replace it (it is kept beside it)", dir)
	}

	tmp := dst + ".restoring-" + backupSuffix()
	if err := backupCopyFile(from, tmp); err != nil {
		os.Remove(tmp)
		return nil, "", err
	}
	if exists {
		kept = ".replaced-" + time.Now().UTC().Format("20060102T150405Z")
		for _, suffix := range []string{"", "-wal"} {
			if err := os.Rename(dst+suffix, dst+kept+suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
				os.Remove(tmp)
				return nil, "", fmt.Errorf("sqlite: keep the replaced database: %w", err)
			}
		}
	}
	// A stale -wal or -shm must not be laid over the restored file.
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Remove(dst + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			os.Remove(tmp)
			return nil, "", fmt.Errorf("sqlite: %w", err)
		}
	}
	if err := os.Rename(tmp, dst); err != nil {
		os.Remove(tmp)
		return nil, "", fmt.Errorf("sqlite: %w", err)
	}
	if err := backupSyncDir(dir); err != nil {
		return nil, "", err
	}
	r, err = VerifyFile(ctx, dst, nil)
	return r, kept, err
}

// backupCopyFile copies src to the new file dst (mode 0600) and syncs it.
func backupCopyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("sqlite: copy %s: %w", src, err)
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return fmt.Errorf("sqlite: sync %s: %w", dst, err)
	}
	return out.Close()
}

func backupSyncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sqlite: sync %s: %w", path, err)
	}
	return nil
}

// backupSyncDir makes a rename in dir durable.
func backupSyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sqlite: sync %s: %w", dir, err)
	}
	return nil
}

func backupSuffix() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

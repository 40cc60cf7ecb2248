package sqlite_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"aftercare"
	"aftercare/keyring"
	"aftercare/sqlite"
	"aftercare/sqlstore"
	"aftercare/storetest"
)

// open opens a store in dir, or in a new directory when none is given.
func open(tb testing.TB, dir ...string) *sqlite.Store {
	tb.Helper()
	d := filepath.Join(tb.TempDir(), "data")
	if len(dir) > 0 {
		d = dir[0]
	}
	s, err := sqlite.Open(context.Background(), d)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Error(err)
		}
	})
	return s
}

// rawSQL reaches a store's database through its write pool.
var rawSQL = storetest.RawSQL{
	Exec: func(ctx context.Context, s aftercare.Store, query string) error {
		_, err := sqlite.WriteDB(s.(*sqlite.Store)).ExecContext(ctx, query)
		return err
	},
	Int: func(ctx context.Context, s aftercare.Store, query string) (int64, error) {
		var n int64
		err := sqlite.WriteDB(s.(*sqlite.Store)).QueryRowContext(ctx, query).Scan(&n)
		return n, err
	},
}

// TestStore runs the shared store suite on SQLite.
func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) aftercare.Store { return open(t) }, storetest.WithRawSQL(rawSQL))
}

// auditGuards drop and put back the triggers that keep the audit log append-only.
var auditGuards = storetest.AuditGuards{
	Drop:    []string{`DROP TRIGGER audit_log_no_update`},
	Dropped: "audit_log_no_update",
	Lift:    []string{`DROP TRIGGER audit_log_no_update`, `DROP TRIGGER audit_log_no_delete`},
	Restore: []string{
		`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
		BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: entries are never changed'); END`,
		`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
		BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: entries are never deleted'); END`,
	},
}

// TestVerify runs the shared cases of the verification on SQLite.
func TestVerify(t *testing.T) {
	storetest.RunVerify(t, func(t *testing.T) aftercare.Store { return open(t) }, rawSQL, auditGuards,
		func(ctx context.Context, s aftercare.Store, keys *keyring.Keyring) (*sqlstore.VerifyReport, error) {
			return sqlite.VerifyFile(ctx, s.(*sqlite.Store).Path(), keys)
		})
}

// TestUpgradeBeforeTheAuditChain migrates audit entries made before the chain began.
func TestUpgradeBeforeTheAuditChain(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	db, err := sqlite.MigrateTo(t.Context(), dir, 2)
	if err != nil {
		t.Fatal(err)
	}
	exec := func(q string) error { _, err := db.ExecContext(t.Context(), q); return err }
	storetest.UpgradeAuditChain(t, exec, func() aftercare.Store {
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		s, err := sqlite.Open(t.Context(), dir)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}, func(s aftercare.Store) (*sqlstore.VerifyReport, error) {
		return sqlite.VerifyFile(t.Context(), s.(*sqlite.Store).Path(), nil)
	})
}

// TestUpgradeFromTheFirstMigrationKeepsTheData stores data under migration 1,
// opens the store (which migrates to the latest), then migrates back down to 1
// and up again.
func TestUpgradeFromTheFirstMigrationKeepsTheData(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	db, err := sqlite.MigrateTo(t.Context(), dir, 1)
	if err != nil {
		t.Fatal(err)
	}
	exec := func(q string) error { _, err := db.ExecContext(t.Context(), q); return err }
	blob := func(b []byte) string { return fmt.Sprintf("X'%x'", b) }
	var s *sqlite.Store
	storetest.Upgrade(t, exec, blob, func() aftercare.Store {
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		if s, err = sqlite.Open(t.Context(), dir); err != nil {
			t.Fatal(err)
		}
		return s
	})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	db, err = sqlite.MigrateTo(t.Context(), dir, 1)
	if err != nil {
		t.Fatalf("migrate down to 1: %v", err)
	}
	var tables int
	if err := db.QueryRowContext(t.Context(), `SELECT count(*) FROM sqlite_schema
		WHERE name IN ('staff_sessions', 'login_failures', 'audit_log')`).Scan(&tables); err != nil {
		t.Fatal(err)
	}
	if tables != 0 {
		t.Fatalf("%d tables of migration 2 left after migrating down", tables)
	}
	db.Close()
	s = open(t, dir)
	if _, err := s.FindToken(t.Context(), aftercare.HashSecret("act_legacy")); err != nil {
		t.Fatalf("legacy token after migrating down and up: %v", err)
	}
}

// TestOpenCreatesAPrivateDirectoryAndFile checks the modes of what Open creates.
func TestOpenCreatesAPrivateDirectoryAndFile(t *testing.T) {
	s := open(t)
	dir := filepath.Dir(s.Path())
	for path, want := range map[string]os.FileMode{dir: 0o700, s.Path(): 0o600} {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s has mode %v, want %v", path, got, want)
		}
	}
	if filepath.Base(s.Path()) != "aftercare.db" {
		t.Errorf("database file %s, want aftercare.db", s.Path())
	}
}

// TestReopeningKeepsTheDataAndMigratesNothingTwice reopens a store.
func TestReopeningKeepsTheDataAndMigratesNothingTwice(t *testing.T) {
	dir := t.TempDir()
	s, err := sqlite.Open(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	c := &aftercare.Clinic{Name: "Kept"}
	if err := s.CreateClinic(t.Context(), c); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = sqlite.Open(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.FindClinic(t.Context(), c.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.Ping(t.Context()); err != nil {
		t.Fatal(err)
	}
}

// TestTwoStoresOnOneFileBothWrite opens one file twice at once, as two processes would.
func TestTwoStoresOnOneFileBothWrite(t *testing.T) {
	dir := t.TempDir()
	var stores [2]*sqlite.Store
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range stores {
		wg.Go(func() { stores[i], errs[i] = sqlite.Open(t.Context(), dir) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
		defer stores[i].Close()
	}
	for i := range 10 {
		wg.Go(func() {
			if err := stores[i%2].CreateClinic(t.Context(), &aftercare.Clinic{Name: "c"}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	list, err := stores[0].ListClinics(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 10 {
		t.Fatalf("%d clinics, want 10", len(list))
	}
}

// BenchmarkCreateCheckIn measures CreateCheckIn on SQLite.
func BenchmarkCreateCheckIn(b *testing.B) {
	storetest.BenchmarkCreateCheckIn(b, open(b))
}

func TestRiversSchedulerQueryHasItsDueIndex(t *testing.T) {
	s := open(t)
	var def string
	err := sqlite.WriteDB(s).QueryRowContext(t.Context(), `SELECT sql FROM sqlite_master
		WHERE type = 'index' AND tbl_name = 'river_job' AND name = 'aftercare_river_job_due_idx'`).Scan(&def)
	if err != nil {
		t.Fatalf("no aftercare_river_job_due_idx on river_job: %v", err)
	}
	if !strings.Contains(def, "(scheduled_at)") || !strings.Contains(def, "'retryable', 'scheduled'") {
		t.Errorf("aftercare_river_job_due_idx is %s, want scheduled_at where the state is retryable or scheduled", def)
	}
}

package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"aftercare"
	"aftercare/sqlite"
	"aftercare/storetest"
)

func open(tb testing.TB) *sqlite.Store {
	tb.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "data"))
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

// TestStore runs the shared store suite on SQLite.
func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) aftercare.Store { return open(t) })
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

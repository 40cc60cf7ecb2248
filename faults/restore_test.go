package faults

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestRestoreBesideARunningServer(t *testing.T) {
	st := newStore(t, "SQLite")
	cl := setupClinic(t, st)
	srv := startServe(t, st.flags...)
	a := newAPI(srv.base, cl.token)
	a.createSession(t, time.Hour, "")
	backup := filepath.Join(t.TempDir(), "backup.db")
	mustCLI(t, "backup", "--data", st.dir, "--out", backup)

	t.Run("restore refuses while serve has the database open, even with --force", func(t *testing.T) {
		out, code := cli(t, "", "restore", "--from", backup, "--data", st.dir, "--force")
		if code != 1 {
			t.Errorf("restore beside a running server exited %d, want 1:\n%s", code, out)
		}
		if matches, _ := filepath.Glob(filepath.Join(st.dir, "aftercare.db.replaced-*")); len(matches) > 0 {
			t.Errorf("restore moved the live database aside: %v", matches)
		}
	})
	srv.stop(t)

	t.Run("once serve is stopped, restore with --force puts the backup in place and serve runs on it", func(t *testing.T) {
		out, code := cli(t, "", "restore", "--from", backup, "--data", st.dir, "--force")
		if code != 0 || !strings.Contains(out, "problems: none") {
			t.Fatalf("restore exited %d:\n%s", code, out)
		}
		srv := startServe(t, st.flags...)
		a := newAPI(srv.base, cl.token)
		a.createSession(t, time.Hour, "")
		srv.stop(t)
	})
}

package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// backupLoad drives check-ins at a server and keeps the id of each one
// acknowledged, with the time the answer came.
type backupLoad struct {
	base, token string
	session     int64
	mu          sync.Mutex
	acked       map[int64]time.Time
	failures    []string
}

// backupSetup makes a clinic, a token, a client and a session, and starts
// serve on the store; it returns the running server and a load against it.
func backupSetup(t *testing.T, storeArgs []string) (*server, *backupLoad) {
	t.Helper()
	out := runCommand(t, nil, "", append([]string{"admin", "create-clinic", "--name", "Backup Clinic"}, storeArgs...)...)
	if out.code != 0 {
		t.Fatalf("create-clinic: %s", out.stderr)
	}
	clinic := regexp.MustCompile(`clinic_id: (\d+)`).FindStringSubmatch(out.stdout)[1]
	out = runCommand(t, nil, "", append([]string{"admin", "create-token", "--clinic", clinic, "--name", "backup"}, storeArgs...)...)
	if out.code != 0 {
		t.Fatalf("create-token: %s", out.stderr)
	}
	token := regexp.MustCompile(`token: (\S+)`).FindStringSubmatch(out.stdout)[1]
	srv := startServe(t, nil, append([]string{"--addr", "127.0.0.1:0", "--log-level", "warn"}, storeArgs...)...)
	l := &backupLoad{base: "http://" + srv.addr, token: token, acked: map[int64]time.Time{}}
	var c, s struct {
		ID int64 `json:"id"`
	}
	l.post(t, "/api/v1/clients", `{"name":"Bea Backup"}`, &c)
	l.post(t, "/api/v1/sessions", fmt.Sprintf(`{"client_id":%d,"style":"swedish","ended_at":%q}`,
		c.ID, time.Now().Add(-2*time.Hour).UTC().Format(time.RFC3339)), &s)
	l.session = s.ID
	return srv, l
}

func (l *backupLoad) request(ctx context.Context, path, body string, key string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, "POST", l.base+path, strings.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+l.token)
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return resp.StatusCode, data, err
}

func (l *backupLoad) post(t *testing.T, path, body string, v any) {
	t.Helper()
	status, data, err := l.request(context.Background(), path, body, "")
	if err != nil || status != http.StatusCreated {
		t.Fatalf("POST %s: %d %v %s", path, status, err, data)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatal(err)
	}
}

// run posts check-ins from three workers until ctx ends.
func (l *backupLoad) run(ctx context.Context) *sync.WaitGroup {
	bodies := []string{
		`{"soreness":[{"area":"neck","pain":3}]}`,
		`{"soreness":[{"area":"neck","pain":5}],"symptoms":["numbness"]}`,
	}
	var wg sync.WaitGroup
	for w := range 3 {
		wg.Go(func() {
			for i := 0; ctx.Err() == nil; i++ {
				b := make([]byte, 8)
				_, _ = rand.Read(b)
				status, data, err := l.request(ctx, fmt.Sprintf("/api/v1/sessions/%d/check-ins", l.session), bodies[(w+i)%2], hex.EncodeToString(b))
				if ctx.Err() != nil {
					return
				}
				var c struct {
					ID int64 `json:"id"`
				}
				l.mu.Lock()
				if err != nil || status != http.StatusCreated || json.Unmarshal(data, &c) != nil {
					l.failures = append(l.failures, fmt.Sprintf("%d %v %s", status, err, data))
				} else {
					l.acked[c.ID] = time.Now()
				}
				l.mu.Unlock()
			}
		})
	}
	return &wg
}

// ackedBefore returns the check-ins acknowledged before t.
func (l *backupLoad) ackedBefore(at time.Time) []int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []int64
	for id, when := range l.acked {
		if when.Before(at) {
			out = append(out, id)
		}
	}
	return out
}

// backupMissing returns the ids that the check_ins table of db lacks.
func backupMissing(t *testing.T, db *sql.DB, ids []int64) []int64 {
	t.Helper()
	have := map[int64]bool{}
	rows, err := db.Query(`SELECT id FROM check_ins`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		have[id] = true
	}
	var out []int64
	for _, id := range ids {
		if !have[id] {
			out = append(out, id)
		}
	}
	return out
}

// TestBackupUnderLoad backs up while serve runs in-process; that restore
// refuses a server running in another process is tested in package faults
// (a process's own locks never conflict with each other).
func TestBackupUnderLoad(t *testing.T) {
	dir := t.TempDir()
	srv, load := backupSetup(t, []string{"--data", dir})
	ctx, cancel := context.WithCancel(context.Background())
	wg := load.run(ctx)
	time.Sleep(500 * time.Millisecond)

	backup := filepath.Join(t.TempDir(), "aftercare-backup.db")
	began := time.Now()
	out := runCommand(t, nil, "", "backup", "--data", dir, "--out", backup)
	time.Sleep(300 * time.Millisecond)
	cancel()
	wg.Wait()
	if out.code != 0 {
		t.Fatalf("backup while serving exited %d: %s", out.code, out.stderr)
	}
	before := load.ackedBefore(began)
	if len(before) == 0 {
		t.Fatal("no check-in was acknowledged before the backup began")
	}
	if len(load.failures) > 0 {
		t.Errorf("%d check-ins failed while the backup ran, such as %v", len(load.failures), load.failures[0])
	}
	for _, want := range []string{"backup written: " + backup, "check_ins", "problems: none"} {
		if !strings.Contains(out.stdout, want) {
			t.Errorf("backup printed no %q:\n%s", want, out.stdout)
		}
	}
	if err := srv.stop(t); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(backup)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("the backup file: %v, mode %v; want 0600", err, fi.Mode().Perm())
	}

	t.Run("restoring it into an empty directory finds every check-in acknowledged before the backup began", func(t *testing.T) {
		restored := t.TempDir()
		out := runCommand(t, nil, "", "restore", "--from", backup, "--data", restored)
		if out.code != 0 {
			t.Fatalf("restore exited %d: %s", out.code, out.stderr)
		}
		if out := runCommand(t, nil, "", "verify", "--data", restored); out.code != 0 || !strings.Contains(out.stdout, "problems: none") {
			t.Fatalf("verify of the restored database exited %d:\n%s%s", out.code, out.stdout, out.stderr)
		}
		db, err := sql.Open("sqlite", "file:"+filepath.Join(restored, "aftercare.db")+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if lost := backupMissing(t, db, before); len(lost) > 0 {
			t.Errorf("%d of %d check-ins acknowledged before the backup are not in it: %v", len(lost), len(before), lost)
		}
		t.Logf("backup under load: %d check-ins acknowledged before it began, all restored", len(before))
		// The restored data directory serves.
		srv := startServe(t, nil, "--addr", "127.0.0.1:0", "--data", restored, "--log-level", "warn")
		resp, err := http.Get("http://" + srv.addr + "/readyz")
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Errorf("the restored database does not serve: %v %v", resp, err)
		}
		srv.stop(t)
	})

	for _, tc := range []struct {
		name  string
		setup func(t *testing.T) (args []string, stop func())
		code  int
		say   string
	}{
		{
			name: "restore refuses a directory that already holds a database without --force",
			setup: func(t *testing.T) ([]string, func()) {
				return []string{"restore", "--from", backup, "--data", dir}, nil
			},
			code: 1, say: "pass --force",
		},
		{
			name: "restore with --force replaces the database and keeps the old one beside it",
			setup: func(t *testing.T) ([]string, func()) {
				return []string{"restore", "--from", backup, "--data", dir, "--force"}, nil
			},
			code: 0, say: "kept as aftercare.db.replaced-",
		},
		{
			name: "backup refuses to overwrite a file",
			setup: func(t *testing.T) ([]string, func()) {
				return []string{"backup", "--data", dir, "--out", backup}, nil
			},
			code: 1, say: "already exists",
		},
		{
			name: "backup of PostgreSQL points to pg_dump",
			setup: func(t *testing.T) ([]string, func()) {
				return []string{"backup", "--database", "postgres://localhost/x", "--out", filepath.Join(t.TempDir(), "x")}, nil
			},
			code: 2, say: "pg_dump",
		},
		{
			name: "verify finds a damaged file",
			setup: func(t *testing.T) ([]string, func()) {
				broken := t.TempDir()
				data, err := os.ReadFile(backup)
				if err != nil {
					t.Fatal(err)
				}
				for i := 4096 * 2; i < len(data) && i < 4096*2+2048; i++ {
					data[i] = 0xA5
				}
				if err := os.WriteFile(filepath.Join(broken, "aftercare.db"), data, 0o600); err != nil {
					t.Fatal(err)
				}
				return []string{"verify", "--data", broken}, nil
			},
			code: 1, say: "",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args, stop := tc.setup(t)
			out := runCommand(t, nil, "", args...)
			if stop != nil {
				stop()
			}
			if out.code != tc.code || !strings.Contains(out.stdout+out.stderr, tc.say) {
				t.Errorf("aftercare %s: exit %d, want %d saying %q:\n%s%s", strings.Join(args, " "), out.code, tc.code, tc.say, out.stdout, out.stderr)
			}
		})
	}
	if kept, _ := filepath.Glob(filepath.Join(dir, "aftercare.db.replaced-*")); len(kept) == 0 {
		t.Error("the replaced database was not kept")
	}
}

func TestPostgresDumpRecipe(t *testing.T) {
	source := postgresURL(t)
	for _, tool := range []string{"pg_dump", "pg_restore"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is not installed", tool)
			}
			t.Skipf("%s is not installed (CI=true makes this fail)", tool)
		}
	}
	srv, load := backupSetup(t, []string{"--database", source})
	ctx, cancel := context.WithCancel(context.Background())
	wg := load.run(ctx)
	time.Sleep(500 * time.Millisecond)

	// The recipe of docs/operations.md: pg_dump's custom format is one
	// consistent snapshot, taken while the servers go on writing.
	dump := filepath.Join(t.TempDir(), "aftercare.dump")
	began := time.Now()
	if out, err := exec.Command("pg_dump", "--format=custom", "--file="+dump, "--dbname="+source).CombinedOutput(); err != nil {
		t.Fatalf("pg_dump: %v\n%s", err, out)
	}
	time.Sleep(300 * time.Millisecond)
	cancel()
	wg.Wait()
	srv.stop(t)
	before := load.ackedBefore(began)
	if len(before) == 0 {
		t.Fatal("no check-in was acknowledged before the dump began")
	}

	target := backupDatabase(t, source)
	if out, err := exec.Command("pg_restore", "--no-owner", "--exit-on-error", "--dbname="+target, dump).CombinedOutput(); err != nil {
		t.Fatalf("pg_restore: %v\n%s", err, out)
	}
	out := runCommand(t, nil, "", "verify", "--database", target)
	if out.code != 0 || !strings.Contains(out.stdout, "problems: none") {
		t.Fatalf("verify of the restored database exited %d:\n%s%s", out.code, out.stdout, out.stderr)
	}
	db, err := sql.Open("pgx", target)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if lost := backupMissing(t, db, before); len(lost) > 0 {
		t.Errorf("%d of %d check-ins acknowledged before pg_dump began are not restored: %v", len(lost), len(before), lost)
	}
	t.Logf("pg_dump under load: %d check-ins acknowledged before it began, all restored", len(before))
	// The restored database serves.
	srv = startServe(t, nil, "--addr", "127.0.0.1:0", "--database", target, "--log-level", "warn")
	resp, err := http.Get("http://" + srv.addr + "/readyz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("the restored database does not serve: %v %v", resp, err)
	}
	srv.stop(t)
}

// backupDatabase creates an empty database beside the one at source, to
// restore into, and drops it when the test ends.
func backupDatabase(t *testing.T, source string) string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, source)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "aftercare_restore_" + hex.EncodeToString(b)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = conn.Exec(context.Background(), "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
		conn.Close(context.Background())
	})
	u, _ := url.Parse(source)
	u.Path = "/" + name
	return u.String()
}

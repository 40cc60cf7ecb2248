package faults

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// requireRoot skips a test that needs root (to mount a tmpfs, or to run a
// PostgreSQL cluster as the postgres user), or fails it when CI is "true".
func requireRoot(t *testing.T, why string) {
	t.Helper()
	if os.Geteuid() == 0 {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("this test needs root to %s", why)
	}
	t.Skipf("this test needs root to %s (CI=true makes this fail)", why)
}

// cluster is a private, throwaway PostgreSQL server of one test, which the
// test may stop and start at will (the shared server on 5432 is never touched).
type cluster struct {
	bin, data, log string
	port           int
	url            string // of the postgres database
}

// postgresBin finds the directory of PostgreSQL's server programs.
func postgresBin(t *testing.T) string {
	t.Helper()
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		dir := strings.TrimSpace(string(out))
		if _, err := os.Stat(filepath.Join(dir, "initdb")); err == nil {
			return dir
		}
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(matches) == 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("initdb not found (install PostgreSQL's server package)")
		}
		t.Skip("initdb not found (CI=true makes this fail)")
	}
	return filepath.Dir(matches[len(matches)-1])
}

// startCluster initialises and starts a private PostgreSQL cluster on a free
// loopback port, run as the postgres user; the test's end removes it.
func startCluster(t *testing.T) *cluster {
	t.Helper()
	requireRoot(t, "run a private PostgreSQL cluster as the postgres user")
	pg, err := user.Lookup("postgres")
	if err != nil {
		t.Fatalf("no postgres user: %v", err)
	}
	uid, _ := strconv.Atoi(pg.Uid)
	gid, _ := strconv.Atoi(pg.Gid)
	dir, err := os.MkdirTemp("", "aftercare-pgcluster-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	c := &cluster{bin: postgresBin(t), data: filepath.Join(dir, "data"), log: filepath.Join(dir, "postgres.log")}
	for _, p := range []string{c.data, c.log} {
		if p == c.data {
			err = os.Mkdir(p, 0o700)
		} else {
			err = os.WriteFile(p, nil, 0o600)
		}
		if err == nil {
			err = os.Chown(p, uid, gid)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	c.asPostgres(t, "initdb", "-D", c.data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync", "--no-instructions")
	c.port = freePort(t)
	c.url = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", c.port)
	c.start(t)
	t.Cleanup(func() { c.stop(t, "immediate") })
	return c
}

func (c *cluster) asPostgres(t *testing.T, program string, args ...string) {
	t.Helper()
	cmd := exec.Command("runuser", append([]string{"-u", "postgres", "--", filepath.Join(c.bin, program)}, args...)...)
	cmd.Dir = "/"
	if out, err := cmd.CombinedOutput(); err != nil {
		log, _ := os.ReadFile(c.log)
		t.Fatalf("%s %s: %v\n%s\n%s", program, strings.Join(args, " "), err, out, tail(string(log), 3000))
	}
}

// start starts the cluster and waits until it takes connections.
func (c *cluster) start(t *testing.T) {
	t.Helper()
	opts := fmt.Sprintf("-p %d -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off -c max_connections=60", c.port)
	c.asPostgres(t, "pg_ctl", "-D", c.data, "-l", c.log, "-o", opts, "-w", "-t", "60", "start")
}

// stop stops the cluster: "fast" ends every session cleanly, "immediate"
// as a crash does (recovery runs at the next start).
func (c *cluster) stop(t *testing.T, mode string) {
	t.Helper()
	cmd := exec.Command("runuser", "-u", "postgres", "--", filepath.Join(c.bin, "pg_ctl"), "-D", c.data, "-m", mode, "-w", "stop")
	cmd.Dir = "/"
	if out, err := cmd.CombinedOutput(); err != nil && !strings.Contains(string(out), "not running") && !strings.Contains(string(out), "No such file") {
		t.Errorf("pg_ctl stop: %v\n%s", err, out)
	}
}

// createDatabase makes a database on the cluster and returns its URL.
func (c *cluster) createDatabase(t *testing.T, name string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, c.url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		t.Fatal(err)
	}
	return strings.Replace(c.url, "/postgres?", "/"+name+"?", 1)
}

// probe sends one check-in (recorded in the ledger) and reads readiness
// while the database is down: each must be a 503 in the error shape,
// answered within failFast.
func probe(t *testing.T, led *ledger, a *api, session int64) (checkIn, ready int) {
	t.Helper()
	start := time.Now()
	_, checkIn = led.sendStatus(context.Background(), a, newKey(), session, 0)
	if took := time.Since(start); took > failFast {
		t.Errorf("a check-in with the database down took %v, want under %v", took, failFast)
	}
	if checkIn == 0 {
		t.Fatal("a check-in with the database down got no answer")
	}
	if resp, err := a.do(context.Background(), "GET", "/readyz", nil); err == nil {
		ready = resp.status
		if resp.status == http.StatusServiceUnavailable && !strings.Contains(string(resp.body), `"code":"unavailable"`) {
			t.Errorf("503 without the unavailable error: %s", resp.body)
		}
	}
	return checkIn, ready
}

// waitRecovered waits until the server takes check-ins again by itself.
func waitRecovered(t *testing.T, led *ledger, a *api, session int64, within time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	eventually(t, within, func() (bool, string) {
		ok, status := led.sendStatus(context.Background(), a, newKey(), session, 3)
		return ok, fmt.Sprintf("last status %d", status)
	})
	return time.Since(start)
}

// serverErrors returns the lines of the server's log that report a failed request.
func serverErrors(s *server) string {
	var out []string
	for _, l := range strings.Split(s.stderr.String(), "\n") {
		if strings.Contains(l, "request failed") || strings.Contains(l, "panic") {
			out = append(out, l)
		}
	}
	return tail(strings.Join(out, "\n"), 3000)
}

func TestDatabaseOutage(t *testing.T) {
	t.Run("PostgreSQL stopped and restarted under load: 503s while down, recovery by itself, nothing half-written", func(t *testing.T) {
		c := startCluster(t)
		u := c.createDatabase(t, "aftercare_outage")
		st := &store{kind: "PostgreSQL", flags: []string{"--database", u}, url: u}
		cl := setupClinic(t, st)
		srv := startServe(t, st.flags...)
		t.Cleanup(func() {
			if t.Failed() {
				t.Logf("the server's errors:\n%s", serverErrors(srv))
			}
		})
		a := newAPI(srv.base, cl.token)
		probeSession := a.createSession(t, time.Hour, "")
		led := newLedger([]int64{probeSession, a.createSession(t, time.Hour, "")})
		ctx, cancel := context.WithCancel(context.Background())
		wg := led.load(ctx, a, 4, 20*time.Millisecond)
		time.Sleep(time.Second)

		var down, notReady int
		var recovered []time.Duration
		for _, mode := range []string{"fast", "immediate"} {
			c.stop(t, mode)
			for end := time.Now().Add(3 * time.Second); time.Now().Before(end); {
				checkIn, ready := probe(t, led, a, probeSession)
				if checkIn != http.StatusServiceUnavailable {
					t.Errorf("a check-in with PostgreSQL stopped (%s) got %d, want 503", mode, checkIn)
				}
				down++
				if ready == http.StatusServiceUnavailable {
					notReady++
				}
				time.Sleep(100 * time.Millisecond)
			}
			c.start(t)
			recovered = append(recovered, waitRecovered(t, led, a, probeSession, 30*time.Second))
			time.Sleep(time.Second)
		}
		cancel()
		wg.Wait()
		select {
		case <-srv.exited:
			t.Fatalf("serve exited during the outage:\n%s", tail(srv.stderr.String(), 4000))
		default:
		}
		retried := led.retryPending(t, a, 30*time.Second)
		srv.stop(t)

		tl := audit(t, st, led, defaultHours)
		if out, code := cli(t, "", "verify", "--database", u); code != 0 {
			t.Errorf("aftercare verify exited %d after the outage:\n%s", code, out)
		}
		figures(t, "outages=2 probes=%d not_ready=%d load_503=%d slow_503=%d recovered_in=%v acknowledged=%d found=%d duplicates=%d jobs_lost=%d retried=%d",
			down, notReady, led.statuses[http.StatusServiceUnavailable], led.slow, recovered, tl.acknowledged, tl.found, tl.duplicates, tl.jobsLost, retried)
		if notReady == 0 {
			t.Error("/readyz never answered 503 while PostgreSQL was down")
		}
		checkLedger(t, led, tl)
	})

	t.Run("SQLite on a full disk: 503s while full, recovery by itself once space is freed, nothing half-written", func(t *testing.T) {
		requireRoot(t, "mount a small tmpfs")
		mnt, err := os.MkdirTemp("", "aftercare-full-")
		if err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=24m,mode=0700", "tmpfs", mnt).CombinedOutput(); err != nil {
			t.Fatalf("mount a tmpfs: %v\n%s", err, out)
		}
		t.Cleanup(func() {
			exec.Command("umount", "-l", mnt).Run()
			os.RemoveAll(mnt)
		})
		dir := filepath.Join(mnt, "data")
		st := &store{kind: "SQLite", flags: []string{"--data", dir}, dir: dir}
		cl := setupClinic(t, st)
		srv := startServe(t, st.flags...)
		t.Cleanup(func() {
			if t.Failed() {
				t.Logf("the server's errors:\n%s", serverErrors(srv))
			}
		})
		a := newAPI(srv.base, cl.token)
		probeSession := a.createSession(t, time.Hour, "")
		led := newLedger([]int64{probeSession, a.createSession(t, time.Hour, "")})
		ctx, cancel := context.WithCancel(context.Background())
		wg := led.load(ctx, a, 4, 10*time.Millisecond)
		time.Sleep(time.Second)

		filler := filepath.Join(mnt, "filler")
		fill(t, filler)
		// Space SQLite had taken already may last a few writes; then it must refuse.
		var full int
		eventually(t, 20*time.Second, func() (bool, string) {
			checkIn, _ := probe(t, led, a, probeSession)
			if checkIn == http.StatusServiceUnavailable {
				full++
			}
			return full >= 5, fmt.Sprintf("%d check-ins refused with 503 on the full disk (last: %d)", full, checkIn)
		})
		if err := os.Remove(filler); err != nil {
			t.Fatal(err)
		}
		recovered := waitRecovered(t, led, a, probeSession, 30*time.Second)
		time.Sleep(time.Second)
		cancel()
		wg.Wait()
		retried := led.retryPending(t, a, 30*time.Second)
		srv.stop(t)

		tl := audit(t, st, led, defaultHours)
		if out, code := cli(t, "", "verify", "--data", dir); code != 0 {
			t.Errorf("aftercare verify exited %d after the disk was full:\n%s", code, out)
		}
		figures(t, "refused_while_full=%d load_503=%d slow_503=%d recovered_in=%v acknowledged=%d found=%d duplicates=%d jobs_lost=%d retried=%d",
			full, led.statuses[http.StatusServiceUnavailable], led.slow, recovered, tl.acknowledged, tl.found, tl.duplicates, tl.jobsLost, retried)
		checkLedger(t, led, tl)
	})
}

// fill writes to path until the file system is full.
func fill(t *testing.T, path string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 64<<10)
	for {
		if _, err := f.Write(chunk); err != nil {
			if errors.Is(err, syscall.ENOSPC) {
				return
			}
			t.Fatal(err)
		}
	}
}

// checkLedger fails the test on answers no fault explains, slow failures,
// and anything the database lost or doubled.
func checkLedger(t *testing.T, led *ledger, tl tally) {
	t.Helper()
	if len(led.unexpected) > 0 {
		t.Errorf("%d unexpected answers, such as %v", len(led.unexpected), led.unexpected[:min(5, len(led.unexpected))])
	}
	if led.slow > 0 {
		t.Errorf("%d requests took over %v to fail", led.slow, failFast)
	}
	if tl.found != tl.acknowledged || tl.duplicates != 0 || tl.jobsLost != 0 || tl.jobsDuplicated != 0 || tl.flagsMissing != 0 {
		t.Errorf("the database does not hold what was acknowledged: %v", tl)
	}
}

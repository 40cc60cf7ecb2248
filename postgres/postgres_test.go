package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"aftercare"
	"aftercare/keyring"
	"aftercare/postgres"
	"aftercare/sqlstore"
	"aftercare/storetest"
)

// adminURL is the database in which test databases are created and dropped.
func adminURL() string {
	if u := os.Getenv("AFTERCARE_TEST_DATABASE_URL"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
}

// reachable is the error of connecting to the server, tried once per run.
var reachable = sync.OnceValue(func() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, adminURL())
	if err != nil {
		return err
	}
	return conn.Close(ctx)
})

// requirePostgres skips the test when the server is unreachable, or fails it
// when the environment variable CI is "true".
func requirePostgres(tb testing.TB) {
	tb.Helper()
	if err := reachable(); err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("PostgreSQL is unreachable at %s (set AFTERCARE_TEST_DATABASE_URL): %v", adminURL(), err)
		}
		tb.Skipf("PostgreSQL is unreachable at %s, skipping (set AFTERCARE_TEST_DATABASE_URL; CI=true makes this fail): %v", adminURL(), err)
	}
}

// freshDatabase creates an empty database for one test, drops it when the test
// ends, and returns its URL. Without a reachable server the test is skipped,
// or fails when CI is "true".
func freshDatabase(tb testing.TB) string {
	tb.Helper()
	requirePostgres(tb)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, adminURL())
	if err != nil {
		tb.Fatalf("connect to %s: %v", adminURL(), err)
	}
	defer admin.Close(context.Background())
	b := make([]byte, 6)
	rand.Read(b)
	name := "aftercare_test_" + hex.EncodeToString(b)
	for attempt := 0; ; attempt++ {
		// Concurrent CREATE DATABASE can find template1 busy; try again.
		_, err = admin.Exec(ctx, "CREATE DATABASE "+name)
		if err == nil || attempt == 20 || !strings.Contains(err.Error(), "being accessed by other users") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		tb.Fatalf("create test database: %v", err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		admin, err := pgx.Connect(ctx, adminURL())
		if err != nil {
			tb.Errorf("drop test database %s: %v", name, err)
			return
		}
		defer admin.Close(ctx)
		if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			tb.Errorf("drop test database %s: %v", name, err)
		}
	})
	u, err := url.Parse(adminURL())
	if err != nil {
		tb.Fatalf("AFTERCARE_TEST_DATABASE_URL must be a postgres:// URL: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

func open(tb testing.TB) *postgres.Store {
	tb.Helper()
	s, err := postgres.Open(context.Background(), freshDatabase(tb))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// rawSQL reaches a store's database through its pool.
var rawSQL = storetest.RawSQL{
	Exec: func(ctx context.Context, s aftercare.Store, query string) error {
		_, err := s.(*postgres.Store).Pool().Exec(ctx, query)
		return err
	},
	Int: func(ctx context.Context, s aftercare.Store, query string) (int64, error) {
		var n int64
		err := s.(*postgres.Store).Pool().QueryRow(ctx, query).Scan(&n)
		return n, err
	},
}

// TestStore runs the shared store suite on PostgreSQL.
func TestStore(t *testing.T) {
	requirePostgres(t)
	storetest.Run(t, func(t *testing.T) aftercare.Store { return open(t) }, storetest.WithRawSQL(rawSQL))
}

// auditGuards drop or disable and put back the triggers that keep the audit log append-only.
var auditGuards = storetest.AuditGuards{
	Drop:    []string{`DROP TRIGGER audit_log_no_truncate ON audit_log`},
	Dropped: "audit_log_no_truncate",
	Lift:    []string{`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`},
	Restore: []string{`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`},
}

// TestVerify runs the shared cases of the verification on PostgreSQL.
func TestVerify(t *testing.T) {
	requirePostgres(t)
	var urls sync.Map // *postgres.Store → the URL of its database
	storetest.RunVerify(t, func(t *testing.T) aftercare.Store {
		u := freshDatabase(t)
		s, err := postgres.Open(context.Background(), u)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		urls.Store(s, u)
		return s
	}, rawSQL, auditGuards, func(ctx context.Context, s aftercare.Store, keys *keyring.Keyring) (*sqlstore.VerifyReport, error) {
		u, _ := urls.Load(s)
		return postgres.Verify(ctx, u.(string), keys)
	})
}

// TestUpgradeBeforeTheAuditChain migrates audit entries made before the chain began.
func TestUpgradeBeforeTheAuditChain(t *testing.T) {
	dbURL := freshDatabase(t)
	db, err := postgres.MigrateTo(t.Context(), dbURL, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	exec := func(q string) error { _, err := db.ExecContext(t.Context(), q); return err }
	storetest.UpgradeAuditChain(t, exec, func() aftercare.Store {
		s, err := postgres.Open(t.Context(), dbURL)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}, func(s aftercare.Store) (*sqlstore.VerifyReport, error) {
		return postgres.Verify(t.Context(), dbURL, nil)
	})
}

// TestUpgradeFromTheFirstMigrationKeepsTheData stores data under migration 1,
// opens the store (which migrates to the latest), then migrates back down to 1
// and up again.
func TestUpgradeFromTheFirstMigrationKeepsTheData(t *testing.T) {
	dbURL := freshDatabase(t)
	db, err := postgres.MigrateTo(t.Context(), dbURL, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	exec := func(q string) error { _, err := db.ExecContext(t.Context(), q); return err }
	blob := func(b []byte) string { return fmt.Sprintf(`'\x%x'::bytea`, b) }
	var s *postgres.Store
	storetest.Upgrade(t, exec, blob, func() aftercare.Store {
		if s, err = postgres.Open(t.Context(), dbURL); err != nil {
			t.Fatal(err)
		}
		return s
	})
	s.Close()

	down, err := postgres.MigrateTo(t.Context(), dbURL, 1)
	if err != nil {
		t.Fatalf("migrate down to 1: %v", err)
	}
	defer down.Close()
	var tables int
	if err := down.QueryRowContext(t.Context(), `SELECT count(*) FROM pg_tables
		WHERE tablename IN ('staff_sessions', 'login_failures', 'audit_log')`).Scan(&tables); err != nil {
		t.Fatal(err)
	}
	if tables != 0 {
		t.Fatalf("%d tables of migration 2 left after migrating down", tables)
	}
	s, err = postgres.Open(t.Context(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.FindToken(t.Context(), aftercare.HashSecret("act_legacy")); err != nil {
		t.Fatalf("legacy token after migrating down and up: %v", err)
	}
}

// TestSeveralProcessesMigrateOneDatabaseAtOnce opens one new database from several stores at once.
func TestSeveralProcessesMigrateOneDatabaseAtOnce(t *testing.T) {
	dbURL := freshDatabase(t)
	const n = 6
	stores := make([]*postgres.Store, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { stores[i], errs[i] = postgres.Open(t.Context(), dbURL) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("store %d: %v", i, err)
		}
		defer stores[i].Close()
	}
	c := &aftercare.Clinic{Name: "Shared"}
	if err := stores[0].CreateClinic(t.Context(), c); err != nil {
		t.Fatal(err)
	}
	if _, err := stores[n-1].FindClinic(t.Context(), c.ID); err != nil {
		t.Fatal(err)
	}
	var versions int
	if err := stores[0].Pool().QueryRow(t.Context(),
		`SELECT count(*) FROM aftercare_migrations WHERE version_id > 0`).Scan(&versions); err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join("migrations", "*.sql"))
	if err != nil {
		t.Fatal(err)
	}
	if versions != len(files) {
		t.Fatalf("%d clinic migrations recorded, want %d (one per file)", versions, len(files))
	}
}

// TestAnUnreachableDatabaseIsUnavailable checks the error code of a failed Open.
func TestAnUnreachableDatabaseIsUnavailable(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	_, err := postgres.Open(ctx, "postgres://postgres@127.0.0.1:1/none?sslmode=disable&connect_timeout=2")
	if got := aftercare.ErrorCode(err); got != aftercare.EUNAVAILABLE {
		t.Fatalf("error code %q (%v), want %q", got, err, aftercare.EUNAVAILABLE)
	}
}

// BenchmarkCreateCheckIn measures CreateCheckIn on PostgreSQL.
func BenchmarkCreateCheckIn(b *testing.B) {
	storetest.BenchmarkCreateCheckIn(b, open(b))
}

func TestRiversSchedulerQueryHasItsDueIndex(t *testing.T) {
	s := open(t)
	var def string
	err := s.Pool().QueryRow(t.Context(), `SELECT indexdef FROM pg_indexes
		WHERE tablename = 'river_job' AND indexname = 'aftercare_river_job_due_idx'`).Scan(&def)
	if err != nil {
		t.Fatalf("no aftercare_river_job_due_idx on river_job: %v", err)
	}
	if !strings.Contains(def, "(scheduled_at)") || !strings.Contains(def, "retryable") || !strings.Contains(def, "scheduled") {
		t.Errorf("aftercare_river_job_due_idx is %s, want scheduled_at where the state is retryable or scheduled", def)
	}
}

// TestTheTimelineReadsFollowUpsAndLinksFromTheirIndexesAlone checks that the
// timeline's follow-ups and link expiry are index-only scans (migration 5):
// with the planner kept off the sequential and bitmap scans a table this small
// would get, the plans of exactly the statements ListSessions runs must name
// the covering indexes and fetch no page of the tables.
func TestTheTimelineReadsFollowUpsAndLinksFromTheirIndexesAlone(t *testing.T) {
	s := open(t)
	ctx := t.Context()
	clinic := &aftercare.Clinic{Name: "Index Only", FollowUpHours: []int{24, 48}}
	if err := s.CreateClinic(ctx, clinic); err != nil {
		t.Fatal(err)
	}
	client := &aftercare.Client{ClinicID: clinic.ID, Name: "Ada"}
	if err := s.CreateClient(ctx, client); err != nil {
		t.Fatal(err)
	}
	ended := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	for i := range 3 {
		_, hash := aftercare.NewSecret("link_")
		se := &aftercare.Session{ClinicID: clinic.ID, ClientID: client.ID, EndedAt: ended.AddDate(0, 0, 7*i),
			LinkExpiresAt: ended.AddDate(0, 0, 7*i+7),
			FollowUps: []aftercare.FollowUp{
				{Hours: 24, DueAt: ended.AddDate(0, 0, 7*i+1), Status: "scheduled"},
				{Hours: 48, DueAt: ended.AddDate(0, 0, 7*i+2), Status: "scheduled"},
			}}
		if err := s.CreateSession(ctx, se, hash); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Pool().Exec(ctx, `VACUUM (ANALYZE) follow_ups, session_links, sessions`); err != nil {
		t.Fatal(err)
	}
	plans := map[string]string{}
	for _, st := range postgres.HotReads(clinic.ID, client.ID) {
		err := pgx.BeginFunc(ctx, s.Pool(), func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off`); err != nil {
				return err
			}
			rows, err := tx.Query(ctx, `EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) `+st.SQL, st.Args...)
			if err != nil {
				return err
			}
			lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
			plans[st.Name] = strings.Join(lines, "\n")
			return err
		})
		if err != nil {
			t.Fatalf("%s: %v", st.Name, err)
		}
	}
	for _, c := range []struct{ statement, index string }{
		{"timeline: their follow-ups", "follow_ups_session_hours_key"},
		{"timeline: the client's sessions", "session_links_session_cover_idx"},
	} {
		t.Run(c.statement+" is an index-only scan of "+c.index, func(t *testing.T) {
			plan, ok := plans[c.statement]
			if !ok {
				t.Fatalf("HotReads has no statement %q", c.statement)
			}
			i := strings.Index(plan, "Index Only Scan using "+c.index)
			if i < 0 {
				t.Fatalf("no index-only scan of %s:\n%s", c.index, plan)
			}
			// The scan's own Heap Fetches line is the first after it.
			rest := plan[i:]
			j := strings.Index(rest, "Heap Fetches: ")
			if j < 0 || !strings.HasPrefix(rest[j:], "Heap Fetches: 0\n") && rest[j:] != "Heap Fetches: 0" {
				t.Errorf("the index-only scan of %s fetched table pages:\n%s", c.index, plan)
			}
		})
	}
}

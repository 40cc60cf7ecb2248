package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"aftercare"
	"aftercare/followup"
	"aftercare/sqlite"
)

// flagWorld is a clinic with one client and one session, to raise flags on.
type flagWorld struct {
	clinic  *aftercare.Clinic
	session *aftercare.Session
}

func newFlagWorld(t testing.TB, s *sqlite.Store) flagWorld {
	t.Helper()
	ctx := context.Background()
	w := flagWorld{clinic: &aftercare.Clinic{Name: "Outbox", EmergencyNumber: "999"}}
	if err := s.CreateClinic(ctx, w.clinic); err != nil {
		t.Fatal(err)
	}
	cl := &aftercare.Client{ClinicID: w.clinic.ID, Name: "Ada", Email: "ada@example.com"}
	if err := s.CreateClient(ctx, cl); err != nil {
		t.Fatal(err)
	}
	ended := time.Now().UTC().Add(-time.Hour).Truncate(time.Second)
	w.session = &aftercare.Session{ClinicID: w.clinic.ID, ClientID: cl.ID, Style: "deep_tissue", Pressure: "firm",
		EndedAt: ended, LinkExpiresAt: ended.Add(7 * 24 * time.Hour)}
	_, hash := aftercare.NewSecret("link_")
	if err := s.CreateSession(ctx, w.session, hash); err != nil {
		t.Fatal(err)
	}
	return w
}

// raise stores a check-in at level and returns its flag (nil below consult).
func (w flagWorld) raise(t testing.TB, s *sqlite.Store, level aftercare.Level) *aftercare.Flag {
	t.Helper()
	h := 20.0
	c := &aftercare.CheckIn{ClinicID: w.clinic.ID, SessionID: w.session.ID, HoursSince: h,
		Request: aftercare.Request{HoursSince: &h, Symptoms: []string{"calf_swelling"}},
		Assessment: aftercare.Response{Level: level, Headline: "Headline at " + level.String(),
			KnowledgeVersion: "test-1", Disclaimer: "Not a diagnosis."}}
	f, err := s.CreateCheckIn(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// notices counts the flag notice jobs of each flag, and the rows waiting in
// the outbox, reading the tables themselves (not Store.Jobs, which sweeps).
func notices(t testing.TB, db *sql.DB) (jobs map[int64]int, waiting int) {
	t.Helper()
	rows, err := db.Query(`SELECT args ->> '$.flag_id' FROM river_job WHERE kind = ?`, followup.FlagArgs{}.Kind())
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	jobs = map[int64]int{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		jobs[id]++
	}
	if err := db.QueryRow(`SELECT count(*) FROM flag_outbox`).Scan(&waiting); err != nil {
		t.Fatal(err)
	}
	return jobs, waiting
}

// waitSwept waits until the flag has its one notice job and the outbox is
// empty, without asking the store (which would sweep), for up to 10 s.
func waitSwept(t testing.TB, db *sql.DB, flagID int64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		jobs, waiting := notices(t, db)
		if jobs[flagID] == 1 && waiting == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("flag %d: %d notice jobs and %d outbox rows after 10 s, want 1 and 0", flagID, jobs[flagID], waiting)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// rawDB opens the database file of dir past the store, as another program would.
func rawDB(t testing.TB, dir string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, sqlite.FileName)+"?_busy_timeout=10000&_foreign_keys=on")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestFlagNoticeOutbox(t *testing.T) {
	t.Run("a flag's notice becomes River's job by itself, and its outbox row goes", func(t *testing.T) {
		s := open(t)
		w := newFlagWorld(t, s)
		f := w.raise(t, s, aftercare.Urgent)
		if f == nil {
			t.Fatal("an urgent check-in raised no flag")
		}
		waitSwept(t, sqlite.WriteDB(s), f.ID)
	})

	t.Run("a check-in below consult puts nothing in the outbox", func(t *testing.T) {
		s := open(t)
		w := newFlagWorld(t, s)
		if f := w.raise(t, s, aftercare.Monitor); f != nil {
			t.Fatalf("a monitor check-in raised flag %+v", f)
		}
		if jobs, waiting := notices(t, sqlite.WriteDB(s)); len(jobs) != 0 || waiting != 0 {
			t.Fatalf("%d notice jobs and %d outbox rows, want none", len(jobs), waiting)
		}
	})

	t.Run("every flag of many writers gets exactly one notice job", func(t *testing.T) {
		s := open(t)
		w := newFlagWorld(t, s)
		var mu sync.Mutex
		var flags []int64
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				for i := range 40 {
					level := []aftercare.Level{aftercare.Consult, aftercare.Urgent, aftercare.Emergency, aftercare.Monitor}[i%4]
					if f := w.raise(t, s, level); f != nil {
						mu.Lock()
						flags = append(flags, f.ID)
						mu.Unlock()
					}
				}
			})
		}
		wg.Wait()
		if _, err := s.Jobs(t.Context(), followup.FlagArgs{}.Kind()); err != nil {
			t.Fatal(err)
		}
		jobs, waiting := notices(t, sqlite.WriteDB(s))
		if waiting != 0 {
			t.Errorf("%d outbox rows left after Jobs, want none", waiting)
		}
		if len(flags) != 8*30 {
			t.Fatalf("%d flags, want %d", len(flags), 8*30)
		}
		for _, id := range flags {
			if jobs[id] != 1 {
				t.Errorf("flag %d has %d notice jobs, want 1", id, jobs[id])
			}
		}
		if len(jobs) != len(flags) {
			t.Errorf("%d flags have notice jobs, want %d", len(jobs), len(flags))
		}
	})

	t.Run("Close hands River the notices still waiting", func(t *testing.T) {
		dir := t.TempDir()
		s, err := sqlite.Open(t.Context(), dir)
		if err != nil {
			t.Fatal(err)
		}
		w := newFlagWorld(t, s)
		var ids []int64
		for range 5 {
			ids = append(ids, w.raise(t, s, aftercare.Emergency).ID)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		jobs, waiting := notices(t, rawDB(t, dir))
		if waiting != 0 {
			t.Errorf("%d outbox rows after Close, want none", waiting)
		}
		for _, id := range ids {
			if jobs[id] != 1 {
				t.Errorf("flag %d has %d notice jobs after Close, want 1", id, jobs[id])
			}
		}
	})

	t.Run("what a crash left in the outbox is queued when the store opens again", func(t *testing.T) {
		dir := t.TempDir()
		s, err := sqlite.Open(t.Context(), dir)
		if err != nil {
			t.Fatal(err)
		}
		w := newFlagWorld(t, s)
		f := w.raise(t, s, aftercare.Urgent)
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		// The state a SIGKILL between the check-in's commit and the sweep leaves.
		db := rawDB(t, dir)
		if _, err := db.Exec(`DELETE FROM river_job WHERE kind = ?`, followup.FlagArgs{}.Kind()); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`INSERT INTO flag_outbox (flag_id) VALUES (?)`, f.ID); err != nil {
			t.Fatal(err)
		}
		r, err := sqlite.Verify(t.Context(), dir, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Problems) != 0 || !slices.ContainsFunc(r.Notes, func(n string) bool { return strings.Contains(n, "1 flag notices wait in the outbox") }) {
			t.Errorf("verify with a notice waiting: problems %q, notes %q; want no problem and a note of the waiting notice", r.Problems, r.Notes)
		}

		open(t, dir) // opening again sweeps the outbox
		waitSwept(t, db, f.ID)
	})

	t.Run("verify finds a flag with neither a notice job nor an outbox row", func(t *testing.T) {
		dir := t.TempDir()
		s := open(t, dir)
		w := newFlagWorld(t, s)
		f := w.raise(t, s, aftercare.Consult)
		if _, err := s.Jobs(t.Context(), followup.FlagArgs{}.Kind()); err != nil {
			t.Fatal(err)
		}
		if _, err := sqlite.WriteDB(s).Exec(`DELETE FROM river_job WHERE kind = ?`, followup.FlagArgs{}.Kind()); err != nil {
			t.Fatal(err)
		}
		r, err := sqlite.Verify(t.Context(), dir, nil)
		if err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprintf("flag %d", f.ID); !slices.ContainsFunc(r.Problems, func(p string) bool { return strings.Contains(p, want) }) {
			t.Errorf("verify's problems %q do not name %s", r.Problems, want)
		}
	})

	t.Run("erasing a client takes the notices waiting for its flags", func(t *testing.T) {
		s := open(t)
		w := newFlagWorld(t, s)
		f := w.raise(t, s, aftercare.Urgent)
		if _, err := s.Jobs(t.Context(), followup.FlagArgs{}.Kind()); err != nil {
			t.Fatal(err)
		}
		db := sqlite.WriteDB(s)
		if _, err := db.Exec(`INSERT INTO flag_outbox (flag_id) VALUES (?)`, f.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.EraseClient(t.Context(), w.clinic.ID, w.session.ClientID); err != nil {
			t.Fatal(err)
		}
		if _, waiting := notices(t, db); waiting != 0 {
			t.Errorf("%d outbox rows after erasing the client, want none", waiting)
		}
	})
}

package postgres_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"aftercare"
	"aftercare/followup"
	"aftercare/postgres"
)

// TestAQueryFailingInsideABatchLeavesNothingWrittenAndTheConnectionUsable
// makes the server refuse a query in the middle of the batches that the
// timeline, FindSession and a flagged check-in send (a lock held past
// lock_timeout), on a pool of one connection. Each call must report the
// failure, the check-in must leave no row behind, and the one connection
// must come back out of its transaction, or the calls after it would wait
// for it forever.
func TestAQueryFailingInsideABatchLeavesNothingWrittenAndTheConnectionUsable(t *testing.T) {
	dbURL := freshDatabase(t)
	// A connection that never comes back makes the next call wait: the
	// deadline turns that into a failure.
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	admin, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(context.Background())
	// New connections of this test's database give up waiting for a lock.
	if _, err := admin.Exec(ctx, `ALTER DATABASE `+strings.TrimPrefix(u.Path, "/")+` SET lock_timeout = '300ms'`); err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("pool_max_conns", "1")
	u.RawQuery = q.Encode()
	s, err := postgres.Open(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	// Closing a pool waits for every connection to come back: a test that
	// failed because one did not leaves it to the database's drop.
	defer func() {
		if !t.Failed() {
			s.Close()
		}
	}()

	clinic := &aftercare.Clinic{Name: "Locked"}
	must(t, s.CreateClinic(ctx, clinic))
	client := &aftercare.Client{ClinicID: clinic.ID, Name: "Ada"}
	must(t, s.CreateClient(ctx, client))
	ended := time.Now().UTC().Truncate(time.Second)
	_, hash := aftercare.NewSecret("link_")
	se := &aftercare.Session{ClinicID: clinic.ID, ClientID: client.ID, EndedAt: ended, LinkExpiresAt: ended.Add(time.Hour),
		FollowUps: []aftercare.FollowUp{{Hours: 24, DueAt: ended.Add(24 * time.Hour)}}}
	must(t, s.CreateSession(ctx, se, hash))
	consult := func() *aftercare.CheckIn {
		return &aftercare.CheckIn{ClinicID: clinic.ID, SessionID: se.ID, HoursSince: 2,
			Assessment: aftercare.Response{Level: aftercare.Consult, Headline: "See your doctor"}}
	}
	// Every statement is prepared on the one connection before the lock, so
	// that the failure comes from a batch already on its way.
	for range 2 {
		_, err := s.CreateCheckIn(ctx, consult())
		must(t, err)
		_, err = s.ListSessions(ctx, clinic.ID, client.ID)
		must(t, err)
		_, err = s.FindSession(ctx, clinic.ID, se.ID)
		must(t, err)
	}

	locker, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer locker.Close(context.Background())
	lock, err := locker.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lock.Exec(ctx, `LOCK TABLE follow_ups, flags IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	lockTimeout := func(what string, err error) {
		t.Helper()
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != "55P03" {
			t.Fatalf("%s while follow_ups and flags are locked: %v, want a lock timeout (55P03)", what, err)
		}
		if n := s.Pool().Stat().AcquiredConns(); n != 0 {
			t.Fatalf("%d connections still acquired after %s failed", n, what)
		}
	}
	for range 2 {
		call, cancel := context.WithTimeout(ctx, 10*time.Second)
		_, err := s.ListSessions(call, clinic.ID, client.ID)
		lockTimeout("ListSessions", err)
		_, err = s.FindSession(call, clinic.ID, se.ID)
		lockTimeout("FindSession", err)
		flag, err := s.CreateCheckIn(call, consult())
		lockTimeout("a check-in at consult", err)
		if flag != nil {
			t.Fatalf("a failed check-in returned flag %+v", flag)
		}
		cancel()
	}
	if err := lock.Rollback(ctx); err != nil {
		t.Fatal(err)
	}

	call, cancelCall := context.WithTimeout(ctx, 10*time.Second)
	defer cancelCall()
	list, err := s.ListSessions(call, clinic.ID, client.ID)
	must(t, err)
	if len(list) != 1 || len(list[0].CheckIns) != 2 || len(list[0].FollowUps) != 1 {
		t.Fatalf("timeline after the failures = %+v, want the session with its 2 stored check-ins and 1 follow-up", list)
	}
	flags, err := s.ListFlags(call, clinic.ID)
	must(t, err)
	notices, err := s.Jobs(call, followup.FlagArgs{}.Kind())
	must(t, err)
	if len(flags) != 2 || len(notices) != 2 {
		t.Fatalf("%d flags and %d notices after the failures, want 2 each", len(flags), len(notices))
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

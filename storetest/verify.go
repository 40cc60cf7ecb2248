package storetest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"aftercare"
	"aftercare/keyring"
	"aftercare/sqlstore"
)

// testKeyring returns a keyring of one new key, of id "k1".
func testKeyring(t testing.TB) *keyring.Keyring {
	t.Helper()
	line, err := keyring.NewKey("k1")
	must(t, err)
	k, err := keyring.Parse(line)
	must(t, err)
	return k
}

// Verifier checks a store's database as aftercare verify does, under keys
// (nil: no keyring given).
type Verifier func(ctx context.Context, s aftercare.Store, keys *keyring.Keyring) (*sqlstore.VerifyReport, error)

// AuditGuards are a database's statements that take away and put back the
// guards of its audit log (the triggers that refuse to change an entry).
type AuditGuards struct {
	// Drop drops the guard named Dropped, and only it.
	Drop    []string
	Dropped string
	// Lift takes every guard away, Restore puts them back as they were.
	Lift, Restore []string
}

// RunVerify runs the cases of the verification on stores that open returns,
// spoiling their databases through raw and guards: what it counts in a
// sound database, the lost or given-up jobs it names, and the audit log's
// dropped guards and changed or deleted entries.
func RunVerify(t *testing.T, open func(t *testing.T) aftercare.Store, raw RawSQL, guards AuditGuards, verify Verifier) {
	ctx := context.Background()
	check := func(t *testing.T, s aftercare.Store) *sqlstore.VerifyReport {
		t.Helper()
		r, err := verify(ctx, s, nil)
		must(t, err)
		return r
	}
	exec := func(t *testing.T, s aftercare.Store, query string) {
		t.Helper()
		must(t, raw.Exec(ctx, s, query))
	}
	execAll := func(t *testing.T, s aftercare.Store, queries []string) {
		t.Helper()
		for _, q := range queries {
			exec(t, s, q)
		}
	}
	// audited opens a store whose audit log holds three entries, chained under keys.
	audited := func(t *testing.T, keys *keyring.Keyring) aftercare.Store {
		t.Helper()
		s := open(t)
		s.(interface{ AuditKeys(*keyring.Keyring) }).AuditKeys(keys)
		w := build(t, s, "audited")
		for _, action := range []string{aftercare.AuditRead, aftercare.AuditCreate, aftercare.AuditUpdate} {
			must(t, s.AppendAudit(ctx, entry(w.clinic.ID, base, action)))
		}
		return s
	}
	keys := testKeyring(t)
	t.Run("an audit log chained under a keyring checks under it, and is noted unchecked without it", func(t *testing.T) {
		t.Parallel()
		s := audited(t, keys)
		r, err := verify(ctx, s, keys)
		must(t, err)
		if !r.OK() || len(r.Notes) != 0 {
			t.Errorf("problems %q, notes %q, want none", r.Problems, r.Notes)
		}
		want := "3 audit entries are chained with a key and were not checked: give --secret-keys"
		if r := check(t, s); !r.OK() || !slices.Contains(r.Notes, want) {
			t.Errorf("without the keyring: problems %q, notes %q, want none and %q", r.Problems, r.Notes, want)
		}
	})
	t.Run("an audit log chained without a keyring checks, and is noted unkeyed", func(t *testing.T) {
		t.Parallel()
		r := check(t, audited(t, nil))
		want := "3 audit entries are chained without a key (plain SHA-256): the chain shows a careless change, not a rewrite; run with --secret-keys"
		if !r.OK() || !slices.Equal(r.Notes, []string{want}) {
			t.Errorf("problems %q, notes %q, want none and %q", r.Problems, r.Notes, want)
		}
	})
	t.Run("an audit log under another keyring is named changed from its first entry on", func(t *testing.T) {
		t.Parallel()
		s := audited(t, keys)
		other := testKeyring(t) // the same key id, another key
		r, err := verify(ctx, s, other)
		must(t, err)
		want := "3 audit entries do not match their chain hash (changed, or chained anew): entry 1, entry 2, entry 3"
		if !slices.Equal(r.Problems, []string{want}) {
			t.Errorf("problems %q, want %q", r.Problems, want)
		}
	})
	t.Run("audit entries appended at once make one unbroken chain", func(t *testing.T) {
		t.Parallel()
		s := audited(t, keys)
		var wg sync.WaitGroup
		errs := make(chan error, 40)
		for i := range 40 {
			wg.Go(func() { errs <- s.AppendAudit(ctx, entry(0, base.Add(time.Duration(i)), aftercare.AuditLoginFailed)) })
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			must(t, err)
		}
		r, err := verify(ctx, s, keys)
		must(t, err)
		if !r.OK() {
			t.Errorf("problems %q, want none", r.Problems)
		}
	})
	t.Run("a dropped guard of the audit log is named", func(t *testing.T) {
		t.Parallel()
		s := audited(t, keys)
		execAll(t, s, guards.Drop)
		want := "1 " + sqlstore.AuditGuardsMissing + ": " + guards.Dropped
		if r := check(t, s); !slices.Equal(r.Problems, []string{want}) {
			t.Errorf("problems %q, want %q", r.Problems, want)
		}
	})
	for _, keyed := range []bool{true, false} {
		var ring *keyring.Keyring
		under := "without a keyring"
		if keyed {
			ring, under = keys, "under a keyring"
		}
		t.Run("a changed audit entry is named, "+under, func(t *testing.T) {
			t.Parallel()
			s := audited(t, ring)
			execAll(t, s, guards.Lift)
			exec(t, s, `UPDATE audit_log SET actor = 'user:2' WHERE id = 2`)
			execAll(t, s, guards.Restore)
			r, err := verify(ctx, s, ring)
			must(t, err)
			want := "1 audit entries do not match their chain hash (changed, or chained anew): entry 2"
			if !slices.Equal(r.Problems, []string{want}) {
				t.Errorf("problems %q, want %q", r.Problems, want)
			}
		})
		t.Run("a deleted audit entry is named, "+under, func(t *testing.T) {
			t.Parallel()
			s := audited(t, ring)
			execAll(t, s, guards.Lift)
			exec(t, s, `DELETE FROM audit_log WHERE id = 2`)
			execAll(t, s, guards.Restore)
			r, err := verify(ctx, s, ring)
			must(t, err)
			want := "1 runs of audit entries are missing from the chain (deleted): entry 2"
			if !slices.Equal(r.Problems, []string{want}) {
				t.Errorf("problems %q, want %q", r.Problems, want)
			}
		})
	}
	t.Run("a sound database has no problem, and its rows, migrations and jobs are counted", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		build(t, s, "sound")
		r := check(t, s)
		if !r.OK() {
			t.Errorf("problems %q, want none", r.Problems)
		}
		if r.SchemaVersion == 0 || r.SchemaVersion != r.LatestSchema {
			t.Errorf("schema version %d of %d, want the latest", r.SchemaVersion, r.LatestSchema)
		}
		if r.RiverVersion == 0 || r.RiverVersion != r.LatestRiver {
			t.Errorf("River version %d of %d, want the latest", r.RiverVersion, r.LatestRiver)
		}
		for _, want := range []sqlstore.RowCount{{Name: "sessions", Rows: 1}, {Name: "follow_ups", Rows: 2}, {Name: "clients", Rows: 1}} {
			if !slices.Contains(r.Tables, want) {
				t.Errorf("tables %v, want %v among them", r.Tables, want)
			}
		}
		if want := (sqlstore.RowCount{Name: "checkin_reminder/scheduled", Rows: 2}); !slices.Equal(r.Jobs, []sqlstore.RowCount{want}) {
			t.Errorf("jobs %v, want %v", r.Jobs, want)
		}
	})
	t.Run("follow-ups whose reminder jobs are lost are named", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		w := build(t, s, "lost")
		exec(t, s, `DELETE FROM river_job WHERE kind = 'checkin_reminder'`)
		want := fmt.Sprintf("2 scheduled follow-ups have no reminder job: session %d at 24 h, session %d at 48 h", w.session.ID, w.session.ID)
		if r := check(t, s); !slices.Equal(r.Problems, []string{want}) {
			t.Errorf("problems %q, want %q", r.Problems, want)
		}
	})
	t.Run("a follow-up whose reminder job gave up is named", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		w := build(t, s, "gave up")
		exec(t, s, `UPDATE river_job SET state = 'discarded', finalized_at = created_at
			WHERE kind = 'checkin_reminder' AND CAST(args ->> 'hours' AS bigint) = 48`)
		want := fmt.Sprintf("1 scheduled follow-ups have a reminder job that gave up: session %d at 48 h", w.session.ID)
		if r := check(t, s); !slices.Equal(r.Problems, []string{want}) {
			t.Errorf("problems %q, want %q", r.Problems, want)
		}
	})
	t.Run("a flag of the last day without a notice job is named", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		w := build(t, s, "unnoticed")
		flag, err := s.CreateCheckIn(ctx, checkIn(w.clinic.ID, w.session.ID, aftercare.Urgent))
		must(t, err)
		// Where the store keeps its notices in an outbox first, empty it too.
		raw.Exec(ctx, s, `DELETE FROM flag_outbox`)
		exec(t, s, `DELETE FROM river_job WHERE kind = 'flag_notice'`)
		want := fmt.Sprintf("1 flags of the last day have no notice job: flag %d", flag.ID)
		if r := check(t, s); !slices.Equal(r.Problems, []string{want}) {
			t.Errorf("problems %q, want %q", r.Problems, want)
		}
	})
}

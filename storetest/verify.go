package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"aftercare"
	"aftercare/sqlstore"
)

// Verifier checks a store's database as aftercare verify does.
type Verifier func(ctx context.Context, s aftercare.Store) (*sqlstore.VerifyReport, error)

// RunVerify runs the cases of the verification on stores that open returns,
// spoiling their databases through raw: what it counts in a sound database,
// and the lost or given-up jobs it names.
func RunVerify(t *testing.T, open func(t *testing.T) aftercare.Store, raw RawSQL, verify Verifier) {
	ctx := context.Background()
	check := func(t *testing.T, s aftercare.Store) *sqlstore.VerifyReport {
		t.Helper()
		r, err := verify(ctx, s)
		must(t, err)
		return r
	}
	exec := func(t *testing.T, s aftercare.Store, query string) {
		t.Helper()
		must(t, raw.Exec(ctx, s, query))
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

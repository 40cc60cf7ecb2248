package usecase_test

import (
	"context"
	"testing"
	"time"

	"aftercare"
	"aftercare/usecase"
)

func TestSetTimeZone(t *testing.T) {
	ctx := context.Background()
	c := newClinic(t)
	zoneOf := func(t *testing.T) string {
		t.Helper()
		got, err := c.store.FindClinic(ctx, c.clinic.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.TimeZone
	}
	t.Run("an owner sets the zone, trimmed, and the change is audited", func(t *testing.T) {
		name, err := usecase.SetTimeZone(ctx, c.owner, "  America/Los_Angeles ")
		if err != nil || name != "America/Los_Angeles" {
			t.Fatalf("SetTimeZone = %q, %v", name, err)
		}
		if got := zoneOf(t); got != "America/Los_Angeles" {
			t.Fatalf("stored zone %q", got)
		}
		es, err := c.store.ListAudit(ctx, c.clinic.ID, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if n := len(es); n == 0 || es[n-1].Object != "clinic/1/time_zone" || es[n-1].Outcome != aftercare.OutcomeOK {
			t.Fatalf("the last audit entry is not the change: %+v", es)
		}
	})
	t.Run("the command line's door sets it too", func(t *testing.T) {
		if _, err := usecase.SetTimeZone(ctx, usecase.ClinicStore{Store: c.store, ClinicID: c.clinic.ID}, "Europe/London"); err != nil {
			t.Fatal(err)
		}
		if got := zoneOf(t); got != "Europe/London" {
			t.Fatalf("stored zone %q", got)
		}
	})
	for _, bad := range []string{"", "  ", "Pacific Time", "Europe/Londn", "Local", "PST8PDT/x"} {
		t.Run("the name "+`"`+bad+`"`+" is refused naming time_zone and the zone stays", func(t *testing.T) {
			before := zoneOf(t)
			_, err := usecase.SetTimeZone(ctx, c.owner, bad)
			wantError(t, err, aftercare.EINVALID, "time_zone")
			if got := zoneOf(t); got != before {
				t.Fatalf("zone %q after a refused change, was %q", got, before)
			}
		})
	}
	t.Run("a therapist may not change it", func(t *testing.T) {
		p := &aftercare.Principal{ClinicID: c.clinic.ID, UserID: 2, Role: aftercare.RoleTherapist, Scopes: aftercare.RoleScopes(aftercare.RoleTherapist)}
		therapist := aftercare.NewAccess(c.store, p, aftercare.RequestMeta{}, func() time.Time { return c.now })
		before := zoneOf(t)
		_, err := usecase.SetTimeZone(ctx, therapist, "Asia/Tokyo")
		if aftercare.ErrorCode(err) != aftercare.EFORBIDDEN {
			t.Fatalf("err %v; want forbidden", err)
		}
		if got := zoneOf(t); got != before {
			t.Fatalf("zone %q after a refused change, was %q", got, before)
		}
	})
}

package storetest

import (
	"strings"
	"testing"
	"time"

	"aftercare"
)

// outcomeTests judge a client's phone, what came of acknowledging a flag
// and undoing it, and what became of a reminder's delivery.
var outcomeTests = []test{
	{name: "a client's phone is kept, found, listed and changed", run: func(t *testing.T, s aftercare.Store) {
		w := build(t, s, "alpha")
		c := &aftercare.Client{ClinicID: w.clinic.ID, Name: "Cai", Phone: " +44 (20) 7946-0958 "}
		must(t, s.CreateClient(t.Context(), c))
		got, err := s.FindClient(t.Context(), w.clinic.ID, c.ID)
		must(t, err)
		if got.Phone != "+44 (20) 7946-0958" {
			t.Fatalf("phone %q, want it trimmed and otherwise as written", got.Phone)
		}
		same(t, "client", got, c)
		changed := &aftercare.Client{ClinicID: w.clinic.ID, ID: c.ID, Name: "Cai Lopes", Email: "cai@example.com", Phone: "020 7946 0000"}
		must(t, s.UpdateClient(t.Context(), changed))
		if changed.CreatedAt.IsZero() || !changed.CreatedAt.Equal(c.CreatedAt) {
			t.Fatalf("updated client %+v keeps no creation time %v", changed, c.CreatedAt)
		}
		list, err := s.ListClients(t.Context(), w.clinic.ID)
		must(t, err)
		same(t, "clients", list, []*aftercare.Client{w.client, changed})
		changed.Phone = ""
		must(t, s.UpdateClient(t.Context(), changed))
		got, err = s.FindClient(t.Context(), w.clinic.ID, c.ID)
		must(t, err)
		if got.Phone != "" {
			t.Fatalf("phone %q after clearing it", got.Phone)
		}
	}},
	{name: "a bad phone is refused naming the field, on creating and on changing, and nothing is stored", run: func(t *testing.T, s aftercare.Store) {
		w := build(t, s, "alpha")
		for _, phone := range []string{"12345", "call me", "+44 20 7946 0958 ext. 2", strings.Repeat("1", 21)} {
			err := s.CreateClient(t.Context(), &aftercare.Client{ClinicID: w.clinic.ID, Name: "Dee", Phone: phone})
			wantCode(t, err, aftercare.EINVALID)
			wantField(t, err, "phone")
			err = s.UpdateClient(t.Context(), &aftercare.Client{ClinicID: w.clinic.ID, ID: w.client.ID, Name: "Dee", Phone: phone})
			wantCode(t, err, aftercare.EINVALID)
			wantField(t, err, "phone")
		}
		list, err := s.ListClients(t.Context(), w.clinic.ID)
		must(t, err)
		same(t, "clients", list, []*aftercare.Client{w.client})
		wantCode(t, s.UpdateClient(t.Context(), &aftercare.Client{ClinicID: w.clinic.ID, ID: w.client.ID + 100, Name: "Nobody"}), aftercare.ENOTFOUND)
	}},
	{name: "an acknowledgement keeps its outcome and note, and a bad outcome stores nothing", run: func(t *testing.T, s aftercare.Store) {
		w := build(t, s, "alpha")
		f, err := s.CreateCheckIn(t.Context(), checkIn(w.clinic.ID, w.session.ID, aftercare.Urgent))
		must(t, err)
		_, err = s.AckFlag(t.Context(), w.clinic.ID, f.ID, aftercare.FlagAck{By: "ana@alpha.example", At: base, Outcome: "phoned"})
		wantCode(t, err, aftercare.EINVALID)
		wantField(t, err, "outcome")
		open, err := s.ListFlags(t.Context(), w.clinic.ID)
		must(t, err)
		same(t, "open flags after a refused acknowledgement", open, []*aftercare.Flag{f})

		acked, err := s.AckFlag(t.Context(), w.clinic.ID, f.ID,
			aftercare.FlagAck{By: "ana@alpha.example", At: base, Outcome: "advised_doctor", Note: "  GP today  "})
		must(t, err)
		want := *f
		at := base
		want.AckedAt, want.AckedBy, want.Outcome, want.OutcomeNote = &at, "ana@alpha.example", "advised_doctor", "GP today"
		same(t, "acknowledged flag", acked, &want)
		found, err := s.FindFlag(t.Context(), w.clinic.ID, f.ID)
		must(t, err)
		same(t, "found flag", found, &want)
		all, err := s.ListClientFlags(t.Context(), w.clinic.ID, w.client.ID)
		must(t, err)
		same(t, "client's flags", all, []*aftercare.Flag{&want})
	}},
	{name: "an acknowledgement is undone only when made since the time given", run: func(t *testing.T, s aftercare.Store) {
		w := build(t, s, "alpha")
		f, err := s.CreateCheckIn(t.Context(), checkIn(w.clinic.ID, w.session.ID, aftercare.Consult))
		must(t, err)
		_, err = s.UndoAck(t.Context(), w.clinic.ID, f.ID, base.Add(-time.Hour))
		wantCode(t, err, aftercare.ECONFLICT)
		wantField(t, err, "id")

		_, err = s.AckFlag(t.Context(), w.clinic.ID, f.ID, aftercare.FlagAck{By: "ana@alpha.example", At: base, Outcome: "called"})
		must(t, err)
		_, err = s.UndoAck(t.Context(), w.clinic.ID, f.ID, base.Add(time.Second))
		wantCode(t, err, aftercare.ECONFLICT)
		found, err := s.FindFlag(t.Context(), w.clinic.ID, f.ID)
		must(t, err)
		if found.AckedAt == nil || found.Outcome != "called" {
			t.Fatalf("flag %+v after a late undo, want it still acknowledged", found)
		}

		opened, err := s.UndoAck(t.Context(), w.clinic.ID, f.ID, base)
		must(t, err)
		same(t, "flag opened again", opened, f)
		open, err := s.ListFlags(t.Context(), w.clinic.ID)
		must(t, err)
		same(t, "open flags", open, []*aftercare.Flag{f})
		_, err = s.UndoAck(t.Context(), w.clinic.ID, f.ID+100, base)
		wantCode(t, err, aftercare.ENOTFOUND)

		again, err := s.AckFlag(t.Context(), w.clinic.ID, f.ID, aftercare.FlagAck{By: "bo@alpha.example", At: base.Add(time.Minute), Outcome: "no_answer"})
		must(t, err)
		if again.AckedBy != "bo@alpha.example" || again.Outcome != "no_answer" {
			t.Fatalf("flag acknowledged again %+v", again)
		}
	}},
	{name: "a reminder's delivery is kept as the last attempt left it", run: func(t *testing.T, s aftercare.Store) {
		w := build(t, s, "alpha")
		failedAt, deliveredAt := base.Add(24*time.Hour), base.Add(25*time.Hour)
		must(t, s.MarkDelivery(t.Context(), w.clinic.ID, w.session.ID, 24, aftercare.DeliveryFailed,
			"webhook: webhook checkin.reminder answered 500 Internal Server Error", failedAt))
		must(t, s.MarkDelivery(t.Context(), w.clinic.ID, w.session.ID, 48, aftercare.DeliveryDelivered, "", deliveredAt))
		got, err := s.FindSession(t.Context(), w.clinic.ID, w.session.ID)
		must(t, err)
		f24, f48 := got.FollowUps[0], got.FollowUps[1]
		if f24.Delivery != "failed" || !strings.Contains(f24.DeliveryError, "500") || f24.DeliveryAt == nil || !f24.DeliveryAt.Equal(failedAt) ||
			f24.Status != "scheduled" {
			t.Fatalf("24-hour follow-up %+v, want still scheduled, failed at %v with the answer", f24, failedAt)
		}
		if f48.Delivery != "delivered" || f48.DeliveryError != "" || f48.DeliveryAt == nil || !f48.DeliveryAt.Equal(deliveredAt) {
			t.Fatalf("48-hour follow-up %+v, want delivered at %v", f48, deliveredAt)
		}
		must(t, s.MarkDelivery(t.Context(), w.clinic.ID, w.session.ID, 24, aftercare.DeliveryDelivered, "", deliveredAt))
		list, err := s.ListSessions(t.Context(), w.clinic.ID, w.client.ID)
		must(t, err)
		if f := list[0].FollowUps[0]; f.Delivery != "delivered" || f.DeliveryError != "" {
			t.Fatalf("24-hour follow-up %+v after a later delivery, want delivered without an error", f)
		}
	}},
	{name: "a delivery of an unknown outcome or a failure without a reason is refused", run: func(t *testing.T, s aftercare.Store) {
		w := build(t, s, "alpha")
		err := s.MarkDelivery(t.Context(), w.clinic.ID, w.session.ID, 24, "bounced", "", base)
		wantCode(t, err, aftercare.EINVALID)
		wantField(t, err, "delivery")
		err = s.MarkDelivery(t.Context(), w.clinic.ID, w.session.ID, 24, aftercare.DeliveryFailed, " ", base)
		wantCode(t, err, aftercare.EINVALID)
		wantField(t, err, "delivery_error")
		wantCode(t, s.MarkDelivery(t.Context(), w.clinic.ID, w.session.ID, 72, aftercare.DeliveryDelivered, "", base), aftercare.ENOTFOUND)
		got, err := s.FindSession(t.Context(), w.clinic.ID, w.session.ID)
		must(t, err)
		if got.FollowUps[0].Delivery != "" {
			t.Fatalf("follow-up %+v after refused marks", got.FollowUps[0])
		}
	}},
}

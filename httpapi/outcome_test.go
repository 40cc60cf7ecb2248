package httpapi_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"aftercare"
)

func TestClientPhone(t *testing.T) {
	forEachStore(t, func(t *testing.T, h *harness) {
		var c aftercare.Client
		t.Run("a client is created with a phone and read back with it", func(t *testing.T) {
			c = decode[aftercare.Client](t, h.api("POST", "/api/v1/clients", map[string]any{"name": "Ida", "phone": "+44 (20) 7946-0958"}).want(t, 201))
			got := decode[aftercare.Client](t, h.api("GET", fmt.Sprintf("/api/v1/clients/%d", c.ID), nil).want(t, 200))
			if c.Phone != "+44 (20) 7946-0958" || got.Phone != c.Phone {
				t.Errorf("created %+v, read %+v", c, got)
			}
		})
		for _, tc := range []struct{ name, method, path string }{
			{"a bad phone on creating is refused naming the field and the allowed form", "POST", "/api/v1/clients"},
			{"a bad phone on changing is refused naming the field and the allowed form", "PATCH", fmt.Sprintf("/api/v1/clients/%d", c.ID)},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := h.api(tc.method, tc.path, map[string]any{"name": "Ida", "phone": "ring 0800"}).wantError(t, 400, "invalid", "phone")
				if !strings.Contains(e.Message, "6 to 20 digits") || !strings.Contains(e.Message, "+, - and brackets") {
					t.Errorf("message %q does not say the allowed form", e.Message)
				}
			})
		}
		t.Run("a change of the phone alone keeps the name and email", func(t *testing.T) {
			got := decode[aftercare.Client](t, h.api("PATCH", fmt.Sprintf("/api/v1/clients/%d", c.ID), map[string]any{"phone": "020 7946 0000"}).want(t, 200))
			if got.Phone != "020 7946 0000" || got.Name != "Ida" || got.ID != c.ID {
				t.Errorf("client %+v", got)
			}
			stored, err := h.store.FindClient(t.Context(), h.clinic.ID, c.ID)
			if err != nil || stored.Phone != "020 7946 0000" {
				t.Errorf("stored %+v, err %v", stored, err)
			}
		})
		t.Run("another clinic cannot change the client", func(t *testing.T) {
			h.do("PATCH", fmt.Sprintf("/api/v1/clients/%d", c.ID), map[string]any{"phone": "+1 555 010 4477"}, bearer(h.other)).wantError(t, 404, "not_found", "id")
		})
	})
}

func TestAckOutcomeAndUndo(t *testing.T) {
	forEachStore(t, func(t *testing.T, h *harness) {
		c := h.createClient(t, "Jo")
		sess := h.createSession(t, map[string]any{"client_id": c.ID, "style": "deep_tissue", "areas_worked": []string{"calves"}})
		path := fmt.Sprintf("/api/v1/sessions/%d/check-ins", sess.ID)
		flagged := func(t *testing.T) aftercare.Flag {
			t.Helper()
			ci := decode[aftercare.CheckIn](t, h.api("POST", path, `{"symptoms":["calf_swelling","warmth_redness"]}`).want(t, 201))
			list := decode[struct{ Flags []aftercare.Flag }](t, h.api("GET", "/api/v1/flags", nil).want(t, 200))
			for _, f := range list.Flags {
				if f.CheckInID == ci.ID {
					return f
				}
			}
			t.Fatalf("no flag for check-in %d in %+v", ci.ID, list.Flags)
			return aftercare.Flag{}
		}
		ack := func(f aftercare.Flag) string { return fmt.Sprintf("/api/v1/flags/%d/ack", f.ID) }
		undo := func(f aftercare.Flag) string { return fmt.Sprintf("/api/v1/flags/%d/undo", f.ID) }

		t.Run("a bad outcome is refused naming the field and the allowed values, and the flag stays open", func(t *testing.T) {
			f := flagged(t)
			e := h.api("POST", ack(f), map[string]any{"outcome": "rang"}).wantError(t, 400, "invalid", "outcome")
			if !strings.Contains(e.Message, aftercare.Outcomes.Allowed()) {
				t.Errorf("message %q does not list %s", e.Message, aftercare.Outcomes.Allowed())
			}
			got, err := h.store.FindFlag(t.Context(), h.clinic.ID, f.ID)
			if err != nil || got.AckedAt != nil {
				t.Errorf("flag %+v, err %v; want it open", got, err)
			}
		})
		t.Run("an acknowledgement with an outcome and a note returns them", func(t *testing.T) {
			f := flagged(t)
			got := decode[aftercare.Flag](t, h.api("POST", ack(f), map[string]any{"outcome": "advised_doctor", "outcome_note": "GP today"}).want(t, 200))
			if got.AckedAt == nil || got.Outcome != "advised_doctor" || got.OutcomeNote != "GP today" {
				t.Errorf("flag %+v", got)
			}
		})
		t.Run("within ten minutes the acknowledgement is undone and the flag is listed again", func(t *testing.T) {
			f := flagged(t)
			h.api("POST", ack(f), map[string]any{"outcome": "called"}).want(t, 200)
			h.clock.Advance(9 * time.Minute)
			got := decode[aftercare.Flag](t, h.api("POST", undo(f), nil).want(t, 200))
			if got.AckedAt != nil || got.Outcome != "" {
				t.Errorf("flag %+v; want it open", got)
			}
			list := decode[struct{ Flags []aftercare.Flag }](t, h.api("GET", "/api/v1/flags", nil).want(t, 200))
			if !containsFlag(list.Flags, f.ID) {
				t.Errorf("flags %+v; want flag %d", list.Flags, f.ID)
			}
		})
		t.Run("after ten minutes undoing is refused with a conflict saying why", func(t *testing.T) {
			f := flagged(t)
			h.api("POST", ack(f), map[string]any{"outcome": "no_answer"}).want(t, 200)
			h.clock.Advance(11 * time.Minute)
			e := h.api("POST", undo(f), nil).wantError(t, 409, "conflict", "id")
			if !strings.Contains(e.Message, "10 minutes") {
				t.Errorf("message %q does not say how long undoing is possible", e.Message)
			}
			got, err := h.store.FindFlag(t.Context(), h.clinic.ID, f.ID)
			if err != nil || got.AckedAt == nil || got.Outcome != "no_answer" {
				t.Errorf("flag %+v, err %v; want it still acknowledged", got, err)
			}
		})
		t.Run("another clinic cannot undo the acknowledgement", func(t *testing.T) {
			f := flagged(t)
			h.api("POST", ack(f), nil).want(t, 200)
			h.do("POST", undo(f), nil, bearer(h.other)).wantError(t, 404, "not_found", "id")
		})
	})
}

func containsFlag(fs []aftercare.Flag, id int64) bool {
	for _, f := range fs {
		if f.ID == id {
			return true
		}
	}
	return false
}

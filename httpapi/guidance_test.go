package httpapi_test

import (
	"fmt"
	"html"
	"slices"
	"strings"
	"testing"

	"aftercare"
)

// guidedFlag is a flag as the API answers it, with its guidance.
type guidedFlag struct {
	aftercare.Flag
	Guidance []aftercare.Guidance `json:"guidance"`
}

func TestFlagGuidance(t *testing.T) {
	forEachStore(t, func(t *testing.T, h *harness) {
		c := h.createClient(t, "Ida")
		sess := h.createSession(t, map[string]any{"client_id": c.ID, "style": "deep_tissue", "areas_worked": []string{"calves", "lower_back"}})
		path := fmt.Sprintf("/api/v1/sessions/%d/check-ins", sess.ID)
		h.api("POST", path, `{"symptoms":["calf_pain_one_side"],"soreness":[{"area":"calves","pain":5}]}`).want(t, 201)

		var flag guidedFlag
		var clot aftercare.Guidance
		t.Run("a suspected clot flag carries the do-not-treat-the-leg guidance with its source", func(t *testing.T) {
			list := decode[struct{ Flags []guidedFlag }](t, h.api("GET", "/api/v1/flags", nil).want(t, 200))
			if len(list.Flags) != 1 {
				t.Fatalf("flags %+v", list.Flags)
			}
			flag = list.Flags[0]
			i := slices.IndexFunc(flag.Guidance, func(g aftercare.Guidance) bool { return g.ID == "suspected_clot" })
			if i < 0 {
				t.Fatalf("no suspected clot guidance in %+v", flag.Guidance)
			}
			clot = flag.Guidance[i]
			for _, want := range []string{"Do not treat the legs until a clinician has ruled out a clot", "calves", "until a clinician has cleared the client"} {
				if !strings.Contains(clot.Text, want) {
					t.Errorf("the text %q does not say %q", clot.Text, want)
				}
			}
			if !clot.UntilCleared || !slices.Contains(clot.AvoidAreas, "calves") || !slices.Contains(clot.AvoidAreas, "feet") {
				t.Errorf("areas %v until cleared %v", clot.AvoidAreas, clot.UntilCleared)
			}
			if len(clot.Sources) == 0 || clot.Source == "" {
				t.Fatalf("no source: %+v", clot)
			}
			for _, s := range clot.Sources {
				if s.ID == "" || s.Title == "" || !strings.HasPrefix(s.URL, "https://") {
					t.Errorf("source %+v lacks an id, a title or an address", s)
				}
			}
		})
		t.Run("the session gives the same guidance as its flag", func(t *testing.T) {
			got := decode[struct {
				Guidance []aftercare.Guidance `json:"guidance"`
			}](t, h.api("GET", fmt.Sprintf("/api/v1/sessions/%d", sess.ID), nil).want(t, 200))
			if !slices.EqualFunc(got.Guidance, flag.Guidance, sameGuidance) {
				t.Errorf("session %+v, flag %+v", got.Guidance, flag.Guidance)
			}
		})
		t.Run("the workspace page and the API give the same text for the same flag", func(t *testing.T) {
			u := h.createUser(t, h.clinic.ID, "ida.therapist@example.com", aftercare.RoleTherapist)
			page := string(h.do("GET", fmt.Sprintf("/staff/clients/%d", c.ID), nil, cookie(h.signIn(t, u))).want(t, 200).body)
			if len(flag.Guidance) == 0 {
				t.Fatal("no guidance to compare")
			}
			for _, g := range flag.Guidance {
				for _, s := range []string{g.Title, g.Text, g.Source} {
					if !strings.Contains(page, html.EscapeString(s)) {
						t.Errorf("the page does not show %q", s)
					}
				}
			}
		})
		t.Run("the acknowledgement answers with the flag's guidance", func(t *testing.T) {
			got := decode[guidedFlag](t, h.api("POST", fmt.Sprintf("/api/v1/flags/%d/ack", flag.ID), nil).want(t, 200))
			if got.AckedAt == nil || !slices.EqualFunc(got.Guidance, flag.Guidance, sameGuidance) {
				t.Errorf("acknowledged %+v, listed %+v", got.Guidance, flag.Guidance)
			}
		})
		t.Run("a flag whose rules call for no guidance carries an empty list", func(t *testing.T) {
			sess := h.createSession(t, map[string]any{"client_id": c.ID, "style": "swedish", "areas_worked": []string{"lower_back"}})
			h.api("POST", fmt.Sprintf("/api/v1/sessions/%d/check-ins", sess.ID), `{"soreness":[{"area":"lower_back","pain":8}]}`).want(t, 201)
			r := h.api("GET", "/api/v1/flags", nil).want(t, 200)
			list := decode[struct{ Flags []guidedFlag }](t, r)
			if len(list.Flags) != 1 || list.Flags[0].SessionID != sess.ID || list.Flags[0].Guidance == nil || len(list.Flags[0].Guidance) != 0 {
				t.Errorf("flags %s", r.body)
			}
		})
	})
}

func sameGuidance(a, b aftercare.Guidance) bool {
	return a.ID == b.ID && a.Text == b.Text && a.Source == b.Source && slices.Equal(a.AvoidAreas, b.AvoidAreas) &&
		a.UntilCleared == b.UntilCleared && slices.Equal(a.Sources, b.Sources)
}

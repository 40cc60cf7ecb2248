package httpapi_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"aftercare"
	"aftercare/fhir"
)

func TestSessionFHIR(t *testing.T) {
	forEachStore(t, func(t *testing.T, h *harness) {
		c := h.createClient(t, "Gwen")
		sess := h.createSession(t, map[string]any{
			"client_id": c.ID, "style": "swedish", "pressure": "medium", "areas_worked": []string{"neck"},
			"ended_at": h.clock.Now().Add(-24 * time.Hour).Format(time.RFC3339),
		})
		path := fmt.Sprintf("/api/v1/sessions/%d/fhir", sess.ID)
		h.api("POST", fmt.Sprintf("/api/v1/sessions/%d/check-ins", sess.ID), `{"soreness":[{"area":"neck","pain":4}]}`).want(t, 201)
		t.Run("the session is a FHIR Bundle", func(t *testing.T) {
			r := h.api("GET", path, nil).want(t, 200)
			if ct := r.header.Get("Content-Type"); ct != "application/fhir+json" {
				t.Errorf("Content-Type %q", ct)
			}
			var b struct {
				ResourceType string `json:"resourceType"`
				Type         string `json:"type"`
				Entry        []struct {
					FullURL  string `json:"fullUrl"`
					Resource struct {
						ResourceType string `json:"resourceType"`
					} `json:"resource"`
				} `json:"entry"`
			}
			if err := json.Unmarshal(r.body, &b); err != nil {
				t.Fatal(err)
			}
			var types []string
			for _, e := range b.Entry {
				types = append(types, e.Resource.ResourceType)
			}
			if b.ResourceType != "Bundle" || b.Type != "collection" {
				t.Errorf("bundle %s/%s", b.ResourceType, b.Type)
			}
			for _, want := range []string{"Organization", "Patient", "Procedure", "QuestionnaireResponse", "Observation", "RiskAssessment"} {
				if !slices.Contains(types, want) {
					t.Errorf("no %s in %v", want, types)
				}
			}
		})
		t.Run("another clinic cannot read it", func(t *testing.T) {
			h.do("GET", path, nil, bearer(h.other)).wantError(t, 404, "not_found", "id")
		})
		t.Run("it needs a token", func(t *testing.T) {
			h.do("GET", path, nil).wantError(t, 401, "unauthorized", "Authorization")
		})
		t.Run("an unknown session is not found", func(t *testing.T) {
			h.api("GET", "/api/v1/sessions/999999/fhir", nil).wantError(t, 404, "not_found", "id")
		})
	})
}

func TestQuestionnaires(t *testing.T) {
	h := newHarness(t, "SQLite")
	for _, name := range []string{fhir.CheckInQuestionnaireID, fhir.ScreeningQuestionnaireID} {
		t.Run(name+" is served", func(t *testing.T) {
			r := h.do("GET", "/fhir/Questionnaire/"+name, nil).want(t, 200)
			if ct := r.header.Get("Content-Type"); ct != "application/fhir+json" {
				t.Errorf("Content-Type %q", ct)
			}
			q := decode[fhir.Questionnaire](t, r)
			if q.ResourceType != "Questionnaire" || q.URL != baseURL+"/fhir/Questionnaire/"+name {
				t.Errorf("questionnaire %s at %s", q.ResourceType, q.URL)
			}
		})
	}
	t.Run("an unknown questionnaire is not found", func(t *testing.T) {
		h.do("GET", "/fhir/Questionnaire/nope", nil).wantError(t, 404, "not_found", "name")
	})
}

func TestCheckInAsQuestionnaireResponse(t *testing.T) {
	forEachStore(t, func(t *testing.T, h *harness) {
		c := h.createClient(t, "Hal")
		newSession := func() string {
			s := h.createSession(t, map[string]any{
				"client_id": c.ID, "style": "deep_tissue", "pressure": "firm", "areas_worked": []string{"neck", "lower_back"},
				"ended_at": h.clock.Now().Add(-30 * time.Hour).Format(time.RFC3339),
			})
			return fmt.Sprintf("/api/v1/sessions/%d/check-ins", s.ID)
		}
		body := `{"soreness":[{"area":"lower_back","pain":8}],"symptoms":["tingling","headache"],"text":"my lower back aches"}`
		req, err := aftercare.DecodeRequest([]byte(body))
		if err != nil {
			t.Fatal(err)
		}
		qr, err := json.Marshal(fhir.NewBuilder(baseURL).CheckInResponse(aftercare.Session{}, aftercare.CheckIn{Request: req}, c))
		if err != nil {
			t.Fatal(err)
		}
		asJSON := decode[aftercare.CheckIn](t, h.api("POST", newSession(), body).want(t, 201))
		same := func(t *testing.T, got aftercare.CheckIn) {
			t.Helper()
			a, b := got.Assessment, asJSON.Assessment
			if a.Level != b.Level || !slices.Equal(a.Reasons, b.Reasons) {
				t.Errorf("got %v %+v\nwant %v %+v", a.Level, a.Reasons, b.Level, b.Reasons)
			}
			if a.Level != aftercare.Consult {
				t.Errorf("level %v, want consult", a.Level)
			}
		}
		t.Run("sent as application/fhir+json it is assessed as the JSON one", func(t *testing.T) {
			r := h.api("POST", newSession(), qr, header("Content-Type", "application/fhir+json")).want(t, 201)
			same(t, decode[aftercare.CheckIn](t, r))
		})
		t.Run("sent as application/json it is recognised by its resourceType", func(t *testing.T) {
			r := h.api("POST", newSession(), qr).want(t, 201)
			same(t, decode[aftercare.CheckIn](t, r))
		})
		path := newSession()
		bad := []struct{ name, body, field string }{
			{"a wrong status", `{"resourceType":"QuestionnaireResponse","status":"in-progress","item":[]}`, "status"},
			{"an unknown item", `{"resourceType":"QuestionnaireResponse","status":"completed","item":[{"linkId":"mood","answer":[{"valueString":"x"}]}]}`, ""},
			{"another resource", `{"resourceType":"Patient"}`, "resourceType"},
			{"malformed JSON", `{"resourceType":`, "request"},
		}
		for _, tt := range bad {
			t.Run("a QuestionnaireResponse with "+tt.name+" is refused", func(t *testing.T) {
				r := h.api("POST", path, tt.body, header("Content-Type", "application/fhir+json"))
				e := decode[struct{ Error errorDetail }](t, r.want(t, 400)).Error
				if e.Code != "invalid" || e.Field == "" || (tt.field != "" && e.Field != tt.field) {
					t.Errorf("error %+v, want field %q", e, tt.field)
				}
			})
		}
		t.Run("nothing was stored by the refused ones", func(t *testing.T) {
			got := decode[aftercare.Session](t, h.api("GET", strings.TrimSuffix(path, "/check-ins"), nil).want(t, 200))
			if len(got.CheckIns) != 0 {
				t.Errorf("check-ins %+v", got.CheckIns)
			}
		})
	})
}

// cdsBody is a CDS Hooks request carrying req as context.aftercare_request.
func cdsBody(req string) string {
	return `{"hookInstance":"d1577c69-dfbe-44ad-ba6d-3e05e953b2ea","hook":"patient-view","fhirServer":"https://ehr.example/fhir","context":{"patientId":"12","aftercare_request":` + req + `}}`
}

type cdsCards struct {
	Cards []struct {
		Summary     string `json:"summary"`
		Indicator   string `json:"indicator"`
		Detail      string `json:"detail"`
		Source      struct{ Label, URL string }
		Suggestions []any `json:"suggestions"`
	} `json:"cards"`
}

func TestCDSHooks(t *testing.T) {
	h := newHarness(t, "SQLite")
	t.Run("discovery lists the one service", func(t *testing.T) {
		d := decode[struct {
			Services []map[string]any `json:"services"`
		}](t, h.do("GET", "/cds-services", nil).want(t, 200))
		if len(d.Services) != 1 || d.Services[0]["id"] != "aftercare-checkin" || d.Services[0]["hook"] != "patient-view" ||
			d.Services[0]["title"] == "" || d.Services[0]["description"] == "" || d.Services[0]["prefetch"] != nil {
			t.Errorf("services %+v", d.Services)
		}
	})
	levels := []struct {
		level, request, indicator string
	}{
		{"self_care", `{"soreness":[{"area":"neck","pain":3}],"hours_since":24}`, "info"},
		{"monitor", `{"symptoms":["dizziness"],"hours_since":24}`, "info"},
		{"consult", `{"symptoms":["numbness"],"hours_since":24}`, "warning"},
		{"urgent", `{"symptoms":["calf_swelling"],"hours_since":24}`, "critical"},
		{"emergency", `{"symptoms":["chest_pain"],"hours_since":40}`, "critical"},
	}
	for _, tt := range levels {
		t.Run(tt.level+" is a card with indicator "+tt.indicator, func(t *testing.T) {
			want := decode[aftercare.Response](t, h.do("POST", "/api/v1/assessments", tt.request).want(t, 200))
			if want.Level.String() != tt.level {
				t.Fatalf("the request is %v, not %s", want.Level, tt.level)
			}
			got := decode[cdsCards](t, h.do("POST", "/cds-services/aftercare-checkin", cdsBody(tt.request)).want(t, 200))
			if len(got.Cards) != 1 {
				t.Fatalf("cards %+v", got.Cards)
			}
			card := got.Cards[0]
			if card.Indicator != tt.indicator {
				t.Errorf("indicator %q, want %q", card.Indicator, tt.indicator)
			}
			if utf8.RuneCountInString(card.Summary) > 140 || card.Summary == "" || !strings.HasPrefix(want.Headline, strings.TrimSuffix(card.Summary, "…")) {
				t.Errorf("summary %q for headline %q", card.Summary, want.Headline)
			}
			for _, rs := range want.Reasons {
				if !strings.Contains(card.Detail, rs.Text) {
					t.Errorf("detail %q lacks reason %q", card.Detail, rs.Text)
				}
			}
			if card.Source.Label != "Aftercare" || card.Source.URL != baseURL || card.Suggestions == nil {
				t.Errorf("card %+v", card)
			}
		})
	}
	t.Run("the request may be the top-level request instead", func(t *testing.T) {
		body := `{"hookInstance":"x","hook":"patient-view","context":{},"request":{"symptoms":["numbness"]}}`
		got := decode[cdsCards](t, h.do("POST", "/cds-services/aftercare-checkin", body).want(t, 200))
		if len(got.Cards) != 1 || got.Cards[0].Indicator != "warning" {
			t.Errorf("cards %+v", got.Cards)
		}
	})
	bad := []struct{ name, body, field string }{
		{"no assessment request", `{"hookInstance":"x","hook":"patient-view","context":{}}`, "context.aftercare_request"},
		{"an unknown symptom", cdsBody(`{"symptoms":["gout"]}`), "context.aftercare_request.symptoms[0]"},
		{"nothing to assess", cdsBody(`{"style":"swedish"}`), "context.aftercare_request"},
		{"no hookInstance", `{"hook":"patient-view","context":{"aftercare_request":{"text":"sore"}}}`, "hookInstance"},
		{"another hook", `{"hookInstance":"x","hook":"order-sign","context":{"aftercare_request":{"text":"sore"}}}`, "hook"},
		{"the request twice", `{"hookInstance":"x","hook":"patient-view","context":{"aftercare_request":{"text":"sore"}},"request":{"text":"sore"}}`, "request"},
		{"malformed JSON", `{"hookInstance":`, "request"},
	}
	for _, tt := range bad {
		t.Run("a call with "+tt.name+" is refused", func(t *testing.T) {
			h.do("POST", "/cds-services/aftercare-checkin", tt.body).wantError(t, 400, "invalid", tt.field)
		})
	}
}

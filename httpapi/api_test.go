package httpapi_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"aftercare"
	"aftercare/httpapi"
	"aftercare/usecase"
)

// goodRequest is a plain, expected soreness check-in.
var goodRequest = map[string]any{
	"style": "deep_tissue", "pressure": "firm", "areas_worked": []string{"neck", "lower_back"},
	"hours_since": 30, "soreness": []map[string]any{{"area": "lower_back", "pain": 4}},
	"text": "my lower back aches, no numbness",
}

// badBodies are assessment requests every door that takes one must refuse.
var badBodies = []struct {
	name   string
	body   any
	opts   []reqOpt
	status int
	code   string
	field  string
}{
	{"an unknown style code", `{"style":"shiatsu","text":"sore"}`, nil, 400, "invalid", "style"},
	{"an unknown symptom code", `{"symptoms":["headache","gout"]}`, nil, 400, "invalid", "symptoms[1]"},
	{"an unknown area code", `{"soreness":[{"area":"elbow","pain":3}]}`, nil, 400, "invalid", "soreness[0].area"},
	{"a pain of 11", `{"soreness":[{"area":"neck","pain":11}]}`, nil, 400, "invalid", "soreness[0].pain"},
	{"a pain of 2.5", `{"soreness":[{"area":"neck","pain":2.5}]}`, nil, 400, "invalid", "soreness[0].pain"},
	{"negative hours", `{"hours_since":-1,"text":"sore"}`, nil, 400, "invalid", "hours_since"},
	{"hours given as a string", `{"hours_since":"30","text":"sore"}`, nil, 400, "invalid", "hours_since"},
	{"a malformed body", `{"text": "sore"`, nil, 400, "invalid", "request"},
	{"a body that is not an object", `["sore"]`, nil, 400, "invalid", "request"},
	{"an unknown field", `{"text":"sore","mood":"grumpy"}`, nil, 400, "invalid", "mood"},
	{"trailing data", `{"text":"sore"} {"text":"again"}`, nil, 400, "invalid", "request"},
	{"an empty body", ``, nil, 400, "invalid", "request"},
	{"nothing to assess", `{"style":"swedish"}`, nil, 400, "invalid", "request"},
	{"a wrong content type", `{"text":"sore"}`, []reqOpt{header("Content-Type", "text/plain")}, 415, "unsupported_media_type", "Content-Type"},
	{"no content type", `{"text":"sore"}`, []reqOpt{noContentType()}, 415, "unsupported_media_type", "Content-Type"},
	{"a body of 1 MiB and 1 byte", oversized(), nil, 413, "too_large", "request"},
}

// oversized is a JSON body one byte over the limit.
func oversized() string {
	prefix, suffix := `{"text":"`, `"}`
	return prefix + strings.Repeat("a", httpapi.MaxBodyBytes+1-len(prefix)-len(suffix)) + suffix
}

func TestAssessments(t *testing.T) {
	h := newHarness(t, "SQLite")
	t.Run("a plain check-in is assessed as expected soreness", func(t *testing.T) {
		r := h.do("POST", "/api/v1/assessments", goodRequest).want(t, 200)
		resp := decode[aftercare.Response](t, r)
		if resp.Level != aftercare.SelfCare {
			t.Errorf("level %v, want self_care", resp.Level)
		}
		if resp.KnowledgeVersion == "" || resp.Disclaimer == "" || resp.Headline == "" {
			t.Errorf("incomplete response: %s", r.body)
		}
		for _, f := range resp.Findings {
			if f.Code == "numbness" && !f.Negated {
				t.Errorf("\"no numbness\" counted as numbness: %+v", f)
			}
		}
	})
	t.Run("chest pain is an emergency", func(t *testing.T) {
		r := h.do("POST", "/api/v1/assessments", `{"symptoms":["chest_pain"],"hours_since":40}`).want(t, 200)
		if got := decode[aftercare.Response](t, r).Level; got != aftercare.Emergency {
			t.Errorf("level %v, want emergency", got)
		}
	})
	t.Run("a charset parameter of utf-8 is accepted", func(t *testing.T) {
		h.do("POST", "/api/v1/assessments", `{"text":"my calves ache"}`, header("Content-Type", "application/json; charset=utf-8")).want(t, 200)
	})
	for _, tt := range badBodies {
		t.Run("a request with "+tt.name+" is refused", func(t *testing.T) {
			e := h.do("POST", "/api/v1/assessments", tt.body, tt.opts...).wantError(t, tt.status, tt.code, tt.field)
			if strings.Contains(tt.name, "unknown") && strings.Contains(tt.name, "code") && !strings.Contains(e.Message, "allowed:") {
				t.Errorf("message %q does not list the allowed values", e.Message)
			}
		})
	}
	t.Run("a GET is refused with 405 and the allowed method", func(t *testing.T) {
		r := h.do("GET", "/api/v1/assessments", nil)
		r.wantError(t, 405, "method_not_allowed", "method")
		if got := r.header.Get("Allow"); !strings.Contains(got, "POST") {
			t.Errorf("Allow %q, want POST", got)
		}
	})
	t.Run("a cross-origin browser post is refused", func(t *testing.T) {
		h.do("POST", "/api/v1/assessments", goodRequest, header("Sec-Fetch-Site", "cross-site")).wantError(t, 403, "forbidden", "Origin")
	})
}

func TestAuthentication(t *testing.T) {
	forEachStore(t, func(t *testing.T, h *harness) {
		revoked, revokedHash := aftercare.NewSecret("act_")
		tok := &aftercare.APIToken{ClinicID: h.clinic.ID, Name: "old", Hash: revokedHash}
		if err := h.store.CreateToken(context.Background(), tok); err != nil {
			t.Fatal(err)
		}
		if err := h.store.RevokeToken(context.Background(), h.clinic.ID, tok.ID, h.clock.Now()); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name string
			opts []reqOpt
		}{
			{"no Authorization header", nil},
			{"a Basic scheme", []reqOpt{header("Authorization", "Basic dXNlcjpwYXNz")}},
			{"an empty bearer token", []reqOpt{header("Authorization", "Bearer ")}},
			{"a wrong token", []reqOpt{bearer("act_wrong")}},
			{"a client link given as a token", []reqOpt{bearer("c_" + strings.Repeat("x", 43))}},
			{"a revoked token", []reqOpt{bearer(revoked)}},
		}
		routes := []struct{ method, path string }{
			{"GET", "/api/v1/clients"},
			{"POST", "/api/v1/clients"},
			{"GET", "/api/v1/clients/1"},
			{"POST", "/api/v1/clients/1/screenings"},
			{"POST", "/api/v1/sessions"},
			{"GET", "/api/v1/sessions/1"},
			{"POST", "/api/v1/sessions/1/check-ins"},
			{"GET", "/api/v1/flags"},
			{"POST", "/api/v1/flags/1/ack"},
		}
		before := h.api("GET", "/api/v1/clients", nil).want(t, 200).body
		for _, tt := range tests {
			for _, rt := range routes {
				t.Run(fmt.Sprintf("%s %s with %s is unauthorized", rt.method, rt.path, tt.name), func(t *testing.T) {
					var body any
					if rt.method == "POST" {
						body = `{"name":"Ana"}`
					}
					r := h.do(rt.method, rt.path, body, tt.opts...)
					r.wantError(t, 401, "unauthorized", "Authorization")
					if r.header.Get("WWW-Authenticate") == "" {
						t.Error("no WWW-Authenticate header")
					}
				})
			}
		}
		t.Run("nothing was stored by the refused requests", func(t *testing.T) {
			if after := h.api("GET", "/api/v1/clients", nil).want(t, 200).body; !bytes.Equal(before, after) {
				t.Errorf("clients changed:\n%s\n%s", before, after)
			}
		})
		t.Run("a live token is admitted and touched", func(t *testing.T) {
			h.api("GET", "/api/v1/flags", nil).want(t, 200)
			got, err := h.store.FindToken(context.Background(), aftercare.HashSecret(h.token))
			if err != nil {
				t.Fatal(err)
			}
			if got.LastUsedAt == nil {
				t.Error("the token's last use was not recorded")
			}
		})
	})
}

func TestClients(t *testing.T) {
	forEachStore(t, func(t *testing.T, h *harness) {
		var client aftercare.Client
		t.Run("a client is created with an id", func(t *testing.T) {
			r := h.api("POST", "/api/v1/clients", map[string]any{"name": " Ana Silva ", "email": "ana@example.com"}).want(t, 201)
			client = decode[aftercare.Client](t, r)
			if client.ID == 0 || client.Name != "Ana Silva" || client.Email != "ana@example.com" || client.ClinicID != h.clinic.ID {
				t.Fatalf("client %+v", client)
			}
			if loc := r.header.Get("Location"); loc != fmt.Sprintf("/api/v1/clients/%d", client.ID) {
				t.Errorf("Location %q", loc)
			}
		})
		t.Run("the client is read back with no screenings", func(t *testing.T) {
			r := h.api("GET", fmt.Sprintf("/api/v1/clients/%d", client.ID), nil).want(t, 200)
			got := decode[struct {
				aftercare.Client
				Screenings []aftercare.Screening `json:"screenings"`
			}](t, r)
			if got.ID != client.ID || got.Name != client.Name || got.Screenings == nil || len(got.Screenings) != 0 {
				t.Errorf("got %s", r.body)
			}
		})
		t.Run("the client is listed", func(t *testing.T) {
			got := decode[struct{ Clients []aftercare.Client }](t, h.api("GET", "/api/v1/clients", nil).want(t, 200))
			if len(got.Clients) != 1 || got.Clients[0].ID != client.ID {
				t.Errorf("clients %+v", got.Clients)
			}
		})
		t.Run("another clinic does not see the client", func(t *testing.T) {
			h.do("GET", fmt.Sprintf("/api/v1/clients/%d", client.ID), nil, bearer(h.other)).wantError(t, 404, "not_found", "id")
			got := decode[struct{ Clients []aftercare.Client }](t, h.do("GET", "/api/v1/clients", nil, bearer(h.other)).want(t, 200))
			if len(got.Clients) != 0 {
				t.Errorf("the other clinic lists %+v", got.Clients)
			}
		})
		before := h.api("GET", "/api/v1/clients", nil).want(t, 200).body
		bad := []struct {
			name   string
			body   any
			opts   []reqOpt
			status int
			code   string
			field  string
		}{
			{"no name", `{"email":"a@example.com"}`, nil, 400, "invalid", "name"},
			{"a blank name", `{"name":"   "}`, nil, 400, "invalid", "name"},
			{"a name of 201 characters", map[string]any{"name": strings.Repeat("é", 201)}, nil, 400, "invalid", "name"},
			{"a name with a control character", `{"name":"Ana\u0000"}`, nil, 400, "invalid", "name"},
			{"a bad email", `{"name":"Ana","email":"ana at example"}`, nil, 400, "invalid", "email"},
			{"an email with a display name", `{"name":"Ana","email":"Ana <ana@example.com>"}`, nil, 400, "invalid", "email"},
			{"a name that is a number", `{"name":42}`, nil, 400, "invalid", "name"},
			{"an unknown field", `{"name":"Ana","fax":"123"}`, nil, 400, "invalid", "fax"},
			{"a malformed body", `{"name":`, nil, 400, "invalid", "request"},
			{"a null body", `null`, nil, 400, "invalid", "request"},
			{"trailing data", `{"name":"Ana"}x`, nil, 400, "invalid", "request"},
			{"a wrong content type", `{"name":"Ana"}`, []reqOpt{header("Content-Type", "application/x-www-form-urlencoded")}, 415, "unsupported_media_type", "Content-Type"},
			{"a body of 1 MiB and 1 byte", `{"name":"` + strings.Repeat("a", httpapi.MaxBodyBytes) + `"}`, nil, 413, "too_large", "request"},
		}
		for _, tt := range bad {
			t.Run("a client with "+tt.name+" is refused", func(t *testing.T) {
				e := h.api("POST", "/api/v1/clients", tt.body, tt.opts...).wantError(t, tt.status, tt.code, tt.field)
				if tt.name == "an unknown field" && !strings.Contains(e.Message, "allowed: name, email, phone") {
					t.Errorf("message %q does not list the allowed fields", e.Message)
				}
				if after := h.api("GET", "/api/v1/clients", nil).want(t, 200).body; !bytes.Equal(before, after) {
					t.Errorf("clients changed:\n%s\n%s", before, after)
				}
			})
		}
		for _, id := range []string{"999999", "0", "-1", "abc", "1e3", "01"} {
			t.Run("client id "+id+" is not found", func(t *testing.T) {
				h.api("GET", "/api/v1/clients/"+id, nil).wantError(t, 404, "not_found", "id")
			})
		}
	})
}

// createClient stores a client through the API.
func (h *harness) createClient(t testing.TB, name string) aftercare.Client {
	t.Helper()
	return decode[aftercare.Client](t, h.api("POST", "/api/v1/clients", map[string]any{"name": name}).want(t, 201))
}

// createSession stores a session through the API.
func (h *harness) createSession(t testing.TB, body map[string]any) aftercare.Session {
	t.Helper()
	return decode[aftercare.Session](t, h.api("POST", "/api/v1/sessions", body).want(t, 201))
}

func TestScreenings(t *testing.T) {
	forEachStore(t, func(t *testing.T, h *harness) {
		c := h.createClient(t, "Ben")
		path := fmt.Sprintf("/api/v1/clients/%d/screenings", c.ID)
		t.Run("a screening is stored with a caution for each answer", func(t *testing.T) {
			r := h.api("POST", path, map[string]any{"health": []string{"blood_thinners", "pregnant", "blood_thinners"}, "notes": "warfarin"}).want(t, 201)
			s := decode[aftercare.Screening](t, r)
			if s.ID == 0 || s.ClientID != c.ID || len(s.Health) != 2 {
				t.Fatalf("screening %s", r.body)
			}
			seen := map[string]bool{}
			for _, ca := range s.Cautions {
				seen[ca.Health] = true
				if ca.Source == "" || ca.Advice == "" {
					t.Errorf("caution without advice or source: %+v", ca)
				}
			}
			if !seen["blood_thinners"] || !seen["pregnant"] {
				t.Errorf("cautions %+v do not cover both answers", s.Cautions)
			}
		})
		t.Run("an empty screening has no cautions", func(t *testing.T) {
			s := decode[aftercare.Screening](t, h.api("POST", path, map[string]any{"health": []string{}}).want(t, 201))
			if s.Cautions == nil || len(s.Cautions) != 0 {
				t.Errorf("cautions %+v", s.Cautions)
			}
		})
		t.Run("the client shows the screenings oldest first", func(t *testing.T) {
			got := decode[struct {
				Screenings []aftercare.Screening `json:"screenings"`
			}](t, h.api("GET", fmt.Sprintf("/api/v1/clients/%d", c.ID), nil).want(t, 200))
			if len(got.Screenings) != 2 || len(got.Screenings[0].Health) != 2 {
				t.Errorf("screenings %+v", got.Screenings)
			}
		})
		clientPath := fmt.Sprintf("/api/v1/clients/%d", c.ID)
		before := h.api("GET", clientPath, nil).want(t, 200).body
		bad := []struct {
			name   string
			path   string
			body   any
			opts   []reqOpt
			status int
			code   string
			field  string
		}{
			{"an unknown health code", path, `{"health":["pregnant","broken_heart"]}`, nil, 400, "invalid", "health[1]"},
			{"an empty health code", path, `{"health":[""]}`, nil, 400, "invalid", "health[0]"},
			{"health that is not a list", path, `{"health":"pregnant"}`, nil, 400, "invalid", "health"},
			{"notes over 4000 bytes", path, map[string]any{"notes": strings.Repeat("n", 4001)}, nil, 400, "invalid", "notes"},
			{"an unknown field", path, `{"health":[],"diagnosis":"x"}`, nil, 400, "invalid", "diagnosis"},
			{"a malformed body", path, `{"health":[`, nil, 400, "invalid", "request"},
			{"a wrong content type", path, `{"health":[]}`, []reqOpt{header("Content-Type", "text/json")}, 415, "unsupported_media_type", "Content-Type"},
			{"a body of 1 MiB and 1 byte", path, `{"notes":"` + strings.Repeat("a", httpapi.MaxBodyBytes) + `"}`, nil, 413, "too_large", "request"},
			{"an unknown client", "/api/v1/clients/999999/screenings", `{"health":[]}`, nil, 404, "not_found", "id"},
		}
		for _, tt := range bad {
			t.Run("a screening with "+tt.name+" is refused", func(t *testing.T) {
				e := h.api("POST", tt.path, tt.body, tt.opts...).wantError(t, tt.status, tt.code, tt.field)
				if tt.name == "an unknown health code" && !strings.Contains(e.Message, aftercare.Health.Allowed()) {
					t.Errorf("message %q does not list the allowed codes", e.Message)
				}
				if after := h.api("GET", clientPath, nil).want(t, 200).body; !bytes.Equal(before, after) {
					t.Errorf("client changed:\n%s\n%s", before, after)
				}
			})
		}
		t.Run("another clinic cannot screen the client", func(t *testing.T) {
			h.do("POST", path, `{"health":[]}`, bearer(h.other)).wantError(t, 404, "not_found", "id")
			if after := h.api("GET", clientPath, nil).want(t, 200).body; !bytes.Equal(before, after) {
				t.Errorf("client changed")
			}
		})
	})
}

func TestSessions(t *testing.T) {
	forEachStore(t, func(t *testing.T, h *harness) {
		c := h.createClient(t, "Cleo")
		ended := h.clock.Now().Add(-2 * time.Hour)
		var sess aftercare.Session
		t.Run("a session is created with follow-ups and a client link", func(t *testing.T) {
			sess = h.createSession(t, map[string]any{
				"client_id": c.ID, "style": "sports", "pressure": "deep", "areas_worked": []string{"calves", "hamstrings"},
				"area_pressure": map[string]string{"calves": "medium"}, "ended_at": ended.Format(time.RFC3339), "notes": "tight calves",
			})
			if sess.ID == 0 || sess.ClientID != c.ID || sess.Style != "sports" || !sess.EndedAt.Equal(ended) {
				t.Fatalf("session %+v", sess)
			}
			if len(sess.FollowUps) != 3 {
				t.Fatalf("follow-ups %+v", sess.FollowUps)
			}
			for i, h := range aftercare.DefaultFollowUpHours {
				f := sess.FollowUps[i]
				if f.Hours != h || !f.DueAt.Equal(ended.Add(time.Duration(h)*time.Hour)) || f.Status != "scheduled" {
					t.Errorf("follow-up %d: %+v", i, f)
				}
			}
			if !strings.HasPrefix(sess.CheckInURL, baseURL+"/c/c_") {
				t.Errorf("check_in_url %q", sess.CheckInURL)
			}
			if want := ended.Add(usecase.DefaultLinkTTL); !sess.LinkExpiresAt.Equal(want) {
				t.Errorf("link expires %v, want %v", sess.LinkExpiresAt, want)
			}
		})
		t.Run("a session without ended_at ends now", func(t *testing.T) {
			s := h.createSession(t, map[string]any{"client_id": c.ID})
			if !s.EndedAt.Equal(h.clock.Now()) {
				t.Errorf("ended_at %v, want %v", s.EndedAt, h.clock.Now())
			}
		})
		t.Run("the session is read back without its link", func(t *testing.T) {
			got := decode[aftercare.Session](t, h.api("GET", fmt.Sprintf("/api/v1/sessions/%d", sess.ID), nil).want(t, 200))
			if got.ID != sess.ID || got.CheckInURL != "" || len(got.FollowUps) != 3 || got.AreaPressure["calves"] != "medium" {
				t.Errorf("session %+v", got)
			}
		})
		t.Run("a clinic's own follow-up hours are used", func(t *testing.T) {
			cl := &aftercare.Clinic{Name: "Twelve-hourly", FollowUpHours: []int{12, 36}}
			if err := h.store.CreateClinic(context.Background(), cl); err != nil {
				t.Fatal(err)
			}
			secret, hash := aftercare.NewSecret("act_")
			if err := h.store.CreateToken(context.Background(), &aftercare.APIToken{ClinicID: cl.ID, Name: "t", Hash: hash}); err != nil {
				t.Fatal(err)
			}
			cc := decode[aftercare.Client](t, h.do("POST", "/api/v1/clients", `{"name":"Dee"}`, bearer(secret)).want(t, 201))
			s := decode[aftercare.Session](t, h.do("POST", "/api/v1/sessions", map[string]any{"client_id": cc.ID}, bearer(secret)).want(t, 201))
			if len(s.FollowUps) != 2 || s.FollowUps[0].Hours != 12 || s.FollowUps[1].Hours != 36 {
				t.Errorf("follow-ups %+v", s.FollowUps)
			}
		})
		probe := h.createSession(t, map[string]any{"client_id": c.ID})
		next := fmt.Sprintf("/api/v1/sessions/%d", probe.ID+1)
		clientBefore := h.api("GET", fmt.Sprintf("/api/v1/clients/%d", c.ID), nil).want(t, 200).body
		otherClient := decode[aftercare.Client](t, h.do("POST", "/api/v1/clients", `{"name":"Eve"}`, bearer(h.other)).want(t, 201))
		bad := []struct {
			name   string
			body   any
			opts   []reqOpt
			status int
			code   string
			field  string
		}{
			{"no client", `{"style":"thai"}`, nil, 400, "invalid", "client_id"},
			{"an unknown client", `{"client_id":999999}`, nil, 404, "not_found", "client_id"},
			{"another clinic's client", fmt.Sprintf(`{"client_id":%d}`, otherClient.ID), nil, 404, "not_found", "client_id"},
			{"a client id that is a string", `{"client_id":"1"}`, nil, 400, "invalid", "client_id"},
			{"an unknown style", fmt.Sprintf(`{"client_id":%d,"style":"shiatsu"}`, c.ID), nil, 400, "invalid", "style"},
			{"an unknown pressure", fmt.Sprintf(`{"client_id":%d,"pressure":"crushing"}`, c.ID), nil, 400, "invalid", "pressure"},
			{"an unknown area", fmt.Sprintf(`{"client_id":%d,"areas_worked":["neck","tail"]}`, c.ID), nil, 400, "invalid", "areas_worked[1]"},
			{"an unknown area in area_pressure", fmt.Sprintf(`{"client_id":%d,"area_pressure":{"tail":"light"}}`, c.ID), nil, 400, "invalid", "area_pressure.tail"},
			{"an unknown pressure in area_pressure", fmt.Sprintf(`{"client_id":%d,"area_pressure":{"neck":"max"}}`, c.ID), nil, 400, "invalid", "area_pressure.neck"},
			{"an ended_at that is not RFC 3339", fmt.Sprintf(`{"client_id":%d,"ended_at":"yesterday"}`, c.ID), nil, 400, "invalid", "ended_at"},
			{"an ended_at two days ahead", map[string]any{"client_id": c.ID, "ended_at": h.clock.Now().Add(48 * time.Hour).Format(time.RFC3339)}, nil, 400, "invalid", "ended_at"},
			{"an ended_at two years ago", map[string]any{"client_id": c.ID, "ended_at": h.clock.Now().AddDate(-2, 0, 0).Format(time.RFC3339)}, nil, 400, "invalid", "ended_at"},
			{"an unknown field", fmt.Sprintf(`{"client_id":%d,"room":"3"}`, c.ID), nil, 400, "invalid", "room"},
			{"a malformed body", `{"client_id":`, nil, 400, "invalid", "request"},
			{"a wrong content type", fmt.Sprintf(`{"client_id":%d}`, c.ID), []reqOpt{header("Content-Type", "text/plain")}, 415, "unsupported_media_type", "Content-Type"},
			{"a body of 1 MiB and 1 byte", fmt.Sprintf(`{"client_id":%d,"notes":"%s"}`, c.ID, strings.Repeat("a", httpapi.MaxBodyBytes)), nil, 413, "too_large", "request"},
		}
		for _, tt := range bad {
			t.Run("a session with "+tt.name+" is refused", func(t *testing.T) {
				h.api("POST", "/api/v1/sessions", tt.body, tt.opts...).wantError(t, tt.status, tt.code, tt.field)
				h.api("GET", next, nil).wantError(t, 404, "not_found", "id")
				if after := h.api("GET", fmt.Sprintf("/api/v1/clients/%d", c.ID), nil).want(t, 200).body; !bytes.Equal(clientBefore, after) {
					t.Errorf("client changed")
				}
			})
		}
		for _, id := range []string{"999999", "abc"} {
			t.Run("session id "+id+" is not found", func(t *testing.T) {
				h.api("GET", "/api/v1/sessions/"+id, nil).wantError(t, 404, "not_found", "id")
			})
		}
		t.Run("another clinic does not see the session", func(t *testing.T) {
			h.do("GET", fmt.Sprintf("/api/v1/sessions/%d", sess.ID), nil, bearer(h.other)).wantError(t, 404, "not_found", "id")
		})
	})
}

func TestCheckIns(t *testing.T) {
	forEachStore(t, func(t *testing.T, h *harness) {
		c := h.createClient(t, "Finn")
		ended := h.clock.Now().Add(-30 * time.Hour)
		sess := h.createSession(t, map[string]any{
			"client_id": c.ID, "style": "deep_tissue", "pressure": "firm", "areas_worked": []string{"lower_back"},
			"ended_at": ended.Format(time.RFC3339),
		})
		path := fmt.Sprintf("/api/v1/sessions/%d/check-ins", sess.ID)
		sessPath := fmt.Sprintf("/api/v1/sessions/%d", sess.ID)
		var first aftercare.CheckIn
		t.Run("a check-in is completed from its session and stored", func(t *testing.T) {
			r := h.api("POST", path, `{"soreness":[{"area":"lower_back","pain":5}]}`).want(t, 201)
			first = decode[aftercare.CheckIn](t, r)
			if first.ID == 0 || first.SessionID != sess.ID || first.HoursSince != 30 {
				t.Fatalf("check-in %s", r.body)
			}
			q := first.Request
			if q.Style != "deep_tissue" || q.Pressure != "firm" || len(q.AreasWorked) != 1 || q.HoursSince == nil || *q.HoursSince != 30 {
				t.Errorf("request not completed from the session: %+v", q)
			}
			if first.Assessment.Level != aftercare.SelfCare {
				t.Errorf("level %v, want self_care", first.Assessment.Level)
			}
		})
		t.Run("a later check-in carries the earlier one as history", func(t *testing.T) {
			h.clock.Advance(20 * time.Hour)
			r := h.api("POST", path, `{"soreness":[{"area":"lower_back","pain":3}],"style":"swedish"}`).want(t, 201)
			second := decode[aftercare.CheckIn](t, r)
			q := second.Request
			if q.Style != "swedish" {
				t.Errorf("the request's own style was replaced: %q", q.Style)
			}
			if len(q.History) != 1 || *q.History[0].HoursSince != 30 || q.History[0].Pain != 5 || second.HoursSince != 50 {
				t.Errorf("history %+v at %v", q.History, second.HoursSince)
			}
		})
		t.Run("the session lists its check-ins oldest first", func(t *testing.T) {
			got := decode[aftercare.Session](t, h.api("GET", sessPath, nil).want(t, 200))
			if len(got.CheckIns) != 2 || got.CheckIns[0].ID != first.ID || got.CheckIns[1].HoursSince != 50 {
				t.Errorf("check-ins %+v", got.CheckIns)
			}
		})
		before := h.api("GET", sessPath, nil).want(t, 200).body
		flagsBefore := h.api("GET", "/api/v1/flags", nil).want(t, 200).body
		for _, tt := range badBodies {
			t.Run("a check-in with "+tt.name+" is refused", func(t *testing.T) {
				h.api("POST", path, tt.body, tt.opts...).wantError(t, tt.status, tt.code, tt.field)
				if after := h.api("GET", sessPath, nil).want(t, 200).body; !bytes.Equal(before, after) {
					t.Errorf("session changed:\n%s\n%s", before, after)
				}
			})
		}
		t.Run("a check-in whose hours come before the session's history is refused", func(t *testing.T) {
			h.api("POST", path, `{"hours_since":10,"history":[{"hours_since":20,"pain":3}],"text":"sore"}`).wantError(t, 400, "invalid", "history[0].hours_since")
		})
		t.Run("a check-in of an unknown session is not found", func(t *testing.T) {
			h.api("POST", "/api/v1/sessions/999999/check-ins", goodRequest).wantError(t, 404, "not_found", "id")
		})
		t.Run("another clinic cannot check in to the session", func(t *testing.T) {
			h.do("POST", path, goodRequest, bearer(h.other)).wantError(t, 404, "not_found", "id")
		})
		t.Run("nothing was stored by the refused check-ins", func(t *testing.T) {
			if after := h.api("GET", sessPath, nil).want(t, 200).body; !bytes.Equal(before, after) {
				t.Errorf("session changed")
			}
			if after := h.api("GET", "/api/v1/flags", nil).want(t, 200).body; !bytes.Equal(flagsBefore, after) {
				t.Errorf("flags changed")
			}
		})
	})
}

func TestFlags(t *testing.T) {
	forEachStore(t, func(t *testing.T, h *harness) {
		c := h.createClient(t, "Gus")
		sess := h.createSession(t, map[string]any{"client_id": c.ID, "style": "deep_tissue", "areas_worked": []string{"calves"}})
		path := fmt.Sprintf("/api/v1/sessions/%d/check-ins", sess.ID)
		t.Run("no flags at first", func(t *testing.T) {
			got := decode[struct{ Flags []aftercare.Flag }](t, h.api("GET", "/api/v1/flags", nil).want(t, 200))
			if got.Flags == nil || len(got.Flags) != 0 {
				t.Errorf("flags %+v", got.Flags)
			}
		})
		h.api("POST", path, `{"soreness":[{"area":"calves","pain":3}]}`).want(t, 201)
		ci := decode[aftercare.CheckIn](t, h.api("POST", path, `{"symptoms":["calf_swelling","warmth_redness"]}`).want(t, 201))
		var flag aftercare.Flag
		t.Run("a check-in at consult or above is flagged", func(t *testing.T) {
			if ci.Assessment.Level < aftercare.Consult {
				t.Fatalf("level %v", ci.Assessment.Level)
			}
			got := decode[struct{ Flags []aftercare.Flag }](t, h.api("GET", "/api/v1/flags", nil).want(t, 200))
			if len(got.Flags) != 1 || got.Flags[0].CheckInID != ci.ID || got.Flags[0].Level != ci.Assessment.Level || got.Flags[0].ClientID != c.ID {
				t.Fatalf("flags %+v", got.Flags)
			}
			flag = got.Flags[0]
		})
		t.Run("another clinic neither sees nor acknowledges the flag", func(t *testing.T) {
			got := decode[struct{ Flags []aftercare.Flag }](t, h.do("GET", "/api/v1/flags", nil, bearer(h.other)).want(t, 200))
			if len(got.Flags) != 0 {
				t.Errorf("the other clinic sees %+v", got.Flags)
			}
			h.do("POST", fmt.Sprintf("/api/v1/flags/%d/ack", flag.ID), nil, bearer(h.other)).wantError(t, 404, "not_found", "id")
		})
		t.Run("an unknown flag is not found", func(t *testing.T) {
			h.api("POST", "/api/v1/flags/999999/ack", nil).wantError(t, 404, "not_found", "id")
			h.api("POST", "/api/v1/flags/abc/ack", nil).wantError(t, 404, "not_found", "id")
		})
		t.Run("an acknowledged flag leaves the list", func(t *testing.T) {
			got := decode[aftercare.Flag](t, h.api("POST", fmt.Sprintf("/api/v1/flags/%d/ack", flag.ID), nil).want(t, 200))
			if got.ID != flag.ID || got.AckedAt == nil || got.AckedBy == "" {
				t.Errorf("flag %+v", got)
			}
			list := decode[struct{ Flags []aftercare.Flag }](t, h.api("GET", "/api/v1/flags", nil).want(t, 200))
			if len(list.Flags) != 0 {
				t.Errorf("flags %+v", list.Flags)
			}
		})
	})
}

func TestClientLink(t *testing.T) {
	forEachStore(t, func(t *testing.T, h *harness) {
		c := h.createClient(t, "Hana")
		sess := h.createSession(t, map[string]any{
			"client_id": c.ID, "style": "thai", "pressure": "medium", "areas_worked": []string{"shoulders"},
			"ended_at": h.clock.Now().Add(-20 * time.Hour).Format(time.RFC3339),
		})
		token := sess.CheckInURL[strings.LastIndex(sess.CheckInURL, "/")+1:]
		link := "/api/v1/checkin/" + token
		sessPath := fmt.Sprintf("/api/v1/sessions/%d", sess.ID)
		t.Run("the link shows the session and no check-ins", func(t *testing.T) {
			r := h.do("GET", link, nil).want(t, 200)
			v := decode[struct {
				ClinicName  string   `json:"clinic_name"`
				Style       string   `json:"style"`
				AreasWorked []string `json:"areas_worked"`
				HoursSince  float64  `json:"hours_since"`
				CheckIns    []any    `json:"check_ins"`
			}](t, r)
			if v.ClinicName != h.clinic.Name || v.Style != "thai" || len(v.AreasWorked) != 1 || v.HoursSince != 20 || v.CheckIns == nil || len(v.CheckIns) != 0 {
				t.Errorf("view %s", r.body)
			}
			if strings.Contains(string(r.body), c.Name) {
				t.Error("the link shows the client's name")
			}
		})
		t.Run("the client checks in through the link", func(t *testing.T) {
			ci := decode[aftercare.CheckIn](t, h.do("POST", link, `{"soreness":[{"area":"shoulders","pain":4}]}`).want(t, 201))
			if ci.SessionID != sess.ID || ci.HoursSince != 20 || ci.Request.Style != "thai" {
				t.Errorf("check-in %+v", ci)
			}
			got := decode[aftercare.Session](t, h.api("GET", sessPath, nil).want(t, 200))
			if len(got.CheckIns) != 1 || got.CheckIns[0].ID != ci.ID {
				t.Errorf("the clinic does not see the check-in: %+v", got.CheckIns)
			}
			v := decode[struct {
				CheckIns []struct {
					Level aftercare.Level `json:"level"`
					Pain  *int            `json:"pain"`
				} `json:"check_ins"`
			}](t, h.do("GET", link, nil).want(t, 200))
			if len(v.CheckIns) != 1 || v.CheckIns[0].Pain == nil || *v.CheckIns[0].Pain != 4 {
				t.Errorf("earlier check-ins %+v", v.CheckIns)
			}
		})
		before := h.api("GET", sessPath, nil).want(t, 200).body
		for _, tt := range badBodies {
			t.Run("a link check-in with "+tt.name+" is refused", func(t *testing.T) {
				h.do("POST", link, tt.body, tt.opts...).wantError(t, tt.status, tt.code, tt.field)
				if after := h.api("GET", sessPath, nil).want(t, 200).body; !bytes.Equal(before, after) {
					t.Errorf("session changed")
				}
			})
		}
		for _, bad := range []struct{ name, token string }{
			{"an unknown link", "c_" + strings.Repeat("A", 43)},
			{"a link of another length", "c_short"},
			{"an API token used as a link", h.token},
		} {
			t.Run(bad.name+" is not found", func(t *testing.T) {
				h.do("GET", "/api/v1/checkin/"+bad.token, nil).wantError(t, 404, "not_found", "token")
				h.do("POST", "/api/v1/checkin/"+bad.token, goodRequest).wantError(t, 404, "not_found", "token")
				if after := h.api("GET", sessPath, nil).want(t, 200).body; !bytes.Equal(before, after) {
					t.Errorf("session changed")
				}
			})
		}
		t.Run("an expired link is not found", func(t *testing.T) {
			h.clock.Advance(usecase.DefaultLinkTTL)
			defer h.clock.Advance(-usecase.DefaultLinkTTL)
			h.do("GET", link, nil).wantError(t, 404, "not_found", "token")
			h.do("POST", link, goodRequest).wantError(t, 404, "not_found", "token")
			if after := h.api("GET", sessPath, nil).want(t, 200).body; !bytes.Equal(before, after) {
				t.Errorf("session changed:\n%s\n%s", before, after)
			}
		})
		t.Run("a revoked link is not found", func(t *testing.T) {
			if err := h.store.RevokeLinks(context.Background(), h.clinic.ID, sess.ID, h.clock.Now()); err != nil {
				t.Fatal(err)
			}
			revoked := h.api("GET", sessPath, nil).want(t, 200).body
			h.do("GET", link, nil).wantError(t, 404, "not_found", "token")
			h.do("POST", link, goodRequest).wantError(t, 404, "not_found", "token")
			if after := h.api("GET", sessPath, nil).want(t, 200).body; !bytes.Equal(revoked, after) {
				t.Errorf("session changed:\n%s\n%s", revoked, after)
			}
		})
	})
}

func TestPagesThroughTheServer(t *testing.T) {
	forEachStore(t, func(t *testing.T, h *harness) {
		c := h.createClient(t, "Ivy")
		sess := h.createSession(t, map[string]any{"client_id": c.ID, "style": "sports", "areas_worked": []string{"quads"}})
		token := sess.CheckInURL[strings.LastIndex(sess.CheckInURL, "/")+1:]
		tests := []struct {
			name, method, path, body string
			status                   int
			contains                 string
		}{
			{"the home page shows the form", "GET", "/", "", 200, `name="hours_since"`},
			{"a form post gives the answer's level", "POST", "/check", "hours_since=20&pain_quads=3&style=sports", 200, `data-level="self_care"`},
			{"the client's page shows the form", "GET", "/c/" + token, "", 200, `action="/c/` + token + `"`},
			{"the client's post is stored, and answered by a redirect to its answer", "POST", "/c/" + token, "pain_quads=4", 303, ""},
			{"a bad link shows the not-found page", "GET", "/c/c_nothing", "", 404, "not valid"},
			{"the style sheet is served", "GET", "/static/style.css", "", 200, "emergency-banner"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				var body any
				var opts []reqOpt
				if tt.method == "POST" {
					body, opts = tt.body, []reqOpt{header("Content-Type", "application/x-www-form-urlencoded")}
				}
				r := h.do(tt.method, tt.path, body, opts...).want(t, tt.status)
				if !strings.Contains(string(r.body), tt.contains) {
					t.Errorf("the page lacks %q", tt.contains)
				}
			})
		}
		t.Run("the check-in posted on the page is in the session", func(t *testing.T) {
			got := decode[aftercare.Session](t, h.api("GET", fmt.Sprintf("/api/v1/sessions/%d", sess.ID), nil).want(t, 200))
			if len(got.CheckIns) != 1 || got.CheckIns[0].Request.Soreness[0].Pain != 4 {
				t.Errorf("check-ins %+v", got.CheckIns)
			}
		})
		t.Run("a cross-origin form post is refused", func(t *testing.T) {
			h.do("POST", "/check", "pain_quads=3", header("Content-Type", "application/x-www-form-urlencoded"),
				header("Origin", "https://evil.example"), header("Sec-Fetch-Site", "cross-site")).wantError(t, 403, "forbidden", "Origin")
		})
	})
}

// TestRequestIDs checks the request id header on a few kinds of answers.
func TestRequestIDs(t *testing.T) {
	h := newHarness(t, "SQLite")
	tests := []struct {
		name, sent string
		echoed     bool
	}{
		{"a plain request id is echoed", "abc-123", true},
		{"a request id with spaces is replaced", "abc 123", false},
		{"a request id of 65 characters is replaced", strings.Repeat("a", 65), false},
		{"a missing request id is generated", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var opts []reqOpt
			if tt.sent != "" {
				opts = append(opts, header("X-Request-Id", tt.sent))
			}
			got := h.do("GET", "/healthz", nil, opts...).want(t, http.StatusOK).header.Get("X-Request-Id")
			if tt.echoed && got != tt.sent || !tt.echoed && (got == "" || got == tt.sent) {
				t.Errorf("X-Request-Id %q for %q", got, tt.sent)
			}
		})
	}
}

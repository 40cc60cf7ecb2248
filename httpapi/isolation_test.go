package httpapi_test

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"aftercare"
	"aftercare/httpapi"
	"aftercare/usecase"
)

// randomSecret is text in the shape of a secret of the service, known to no one.
func randomSecret(prefix string) string {
	b := make([]byte, aftercare.SecretBytes)
	_, _ = rand.Read(b)
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// newRequestIDs returns a maker of request ids unique to this test run, so
// that each request's audit entries can be found even in a shared database.
func newRequestIDs(prefix string) func() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	run, n := hex.EncodeToString(b), 0
	return func() string {
		n++
		return fmt.Sprintf("%s-%s-%d", prefix, run, n)
	}
}

// linkToken is the token of a check_in_url.
func linkToken(u string) string { return u[strings.LastIndex(u, "/")+1:] }

// isolation is clinic A's data, which every attempt of the matrix aims at,
// and the credentials that must open none of it.
type isolation struct {
	h *harness
	// Clinic A's records.
	client           aftercare.Client
	session          aftercare.Session
	flag             aftercare.Flag
	link             string
	expiredLink      string
	revokedLink      string
	revokedToken     string
	readOnlyToken    string
	readOnlyTokenID  int64
	ownerSession     string
	therapistSession string
	endedSession     string
	// markers are texts of clinic A's records that no refused answer may hold.
	markers []string
	// Clinic B's.
	otherSession      aftercare.Session
	otherLink         string
	otherOwner        *aftercare.User
	otherOwnerSession string
}

func newIsolation(t *testing.T, h *harness) *isolation {
	t.Helper()
	ctx := context.Background()
	f := &isolation{h: h}
	tag := strings.ReplaceAll(fmt.Sprintf("%d", time.Now().UnixNano()), "-", "")
	f.client = decode[aftercare.Client](t, h.api("POST", "/api/v1/clients", map[string]any{"name": "Ana Isolated-" + tag}).want(t, 201))
	h.api("POST", fmt.Sprintf("/api/v1/clients/%d/screenings", f.client.ID), map[string]any{"health": []string{"pregnant"}, "notes": "note-" + tag}).want(t, 201)
	f.session = h.createSession(t, map[string]any{"client_id": f.client.ID, "style": "deep_tissue", "areas_worked": []string{"calves"}})
	f.link = linkToken(f.session.CheckInURL)
	ci := decode[aftercare.CheckIn](t, h.api("POST", fmt.Sprintf("/api/v1/sessions/%d/check-ins", f.session.ID),
		map[string]any{"symptoms": []string{"calf_swelling", "warmth_redness"}, "text": "text-" + tag + " my calf is swollen"}).want(t, 201))
	flags := decode[struct{ Flags []aftercare.Flag }](t, h.api("GET", "/api/v1/flags", nil).want(t, 200))
	for _, fl := range flags.Flags {
		if fl.CheckInID == ci.ID {
			f.flag = fl
		}
	}
	if f.flag.ID == 0 {
		t.Fatalf("the flagged check-in raised no flag: %+v", flags.Flags)
	}
	f.markers = []string{f.client.Name, "note-" + tag, "text-" + tag}

	expired := h.createSession(t, map[string]any{"client_id": f.client.ID,
		"ended_at": h.clock.Now().Add(-usecase.DefaultLinkTTL - time.Hour).Format(time.RFC3339)})
	f.expiredLink = linkToken(expired.CheckInURL)
	revoked := h.createSession(t, map[string]any{"client_id": f.client.ID})
	f.revokedLink = linkToken(revoked.CheckInURL)
	h.api("POST", fmt.Sprintf("/api/v1/sessions/%d/revoke-links", revoked.ID), nil).want(t, 204)

	var hash []byte
	f.revokedToken, hash = aftercare.NewSecret(httpapi.TokenPrefix)
	tok := &aftercare.APIToken{ClinicID: h.clinic.ID, Name: "revoked", Hash: hash, Scopes: aftercare.Scopes}
	if err := h.store.CreateToken(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if err := h.store.RevokeToken(ctx, h.clinic.ID, tok.ID, h.clock.Now()); err != nil {
		t.Fatal(err)
	}
	f.readOnlyToken, hash = aftercare.NewSecret(httpapi.TokenPrefix)
	ro := &aftercare.APIToken{ClinicID: h.clinic.ID, Name: "read only", Hash: hash, Scopes: []string{aftercare.ScopeRead}}
	if err := h.store.CreateToken(ctx, ro); err != nil {
		t.Fatal(err)
	}
	f.readOnlyTokenID = ro.ID

	owner := h.createUser(t, h.clinic.ID, "owner-"+tag+"@a.example", aftercare.RoleOwner)
	f.ownerSession = h.signIn(t, owner)
	therapist := h.createUser(t, h.clinic.ID, "therapist-"+tag+"@a.example", aftercare.RoleTherapist)
	f.therapistSession = h.signIn(t, therapist)
	f.endedSession = h.storeSession(t, owner, h.clock.Now().Add(-aftercare.SessionLifetime-time.Hour), aftercare.SessionLifetime)

	otherClient := decode[aftercare.Client](t, h.do("POST", "/api/v1/clients", map[string]any{"name": "Bo Elsewhere"}, bearer(h.other)).want(t, 201))
	f.otherSession = decode[aftercare.Session](t, h.do("POST", "/api/v1/sessions", map[string]any{"client_id": otherClient.ID}, bearer(h.other)).want(t, 201))
	f.otherLink = linkToken(f.otherSession.CheckInURL)
	f.otherOwner = h.createUser(t, h.otherClinic.ID, "owner-"+tag+"@b.example", aftercare.RoleOwner)
	f.otherOwnerSession = h.signIn(t, f.otherOwner)
	return f
}

// snapshot is everything clinic A holds, read from the store, as JSON: its
// clients with their screenings, sessions (with check-ins and follow-ups)
// and flags, its open flags, its tokens (without their last use, which a
// refused request may not change either, but an admitted one does), its
// staff, its settings, and which of its links still open.
func (f *isolation) snapshot(t testing.TB) string {
	t.Helper()
	ctx, st, clinic := context.Background(), f.h.store, f.h.clinic.ID
	type clientData struct {
		Client     *aftercare.Client
		Screenings []*aftercare.Screening
		Sessions   []*aftercare.Session
		Flags      []*aftercare.Flag
	}
	var snap struct {
		Clinic  *aftercare.Clinic
		Clients []clientData
		Open    []*aftercare.Flag
		Tokens  []*aftercare.APIToken
		Users   []*aftercare.User
		Links   map[string]bool
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	var err error
	snap.Clinic, err = st.FindClinic(ctx, clinic)
	must(err)
	cs, err := st.ListClients(ctx, clinic)
	must(err)
	for _, c := range cs {
		d := clientData{Client: c}
		d.Screenings, err = st.ListScreenings(ctx, clinic, c.ID)
		must(err)
		d.Sessions, err = st.ListSessions(ctx, clinic, c.ID)
		must(err)
		d.Flags, err = st.ListClientFlags(ctx, clinic, c.ID)
		must(err)
		snap.Clients = append(snap.Clients, d)
	}
	snap.Open, err = st.ListFlags(ctx, clinic)
	must(err)
	snap.Tokens, err = st.ListTokens(ctx, clinic)
	must(err)
	for _, tok := range snap.Tokens {
		tok.LastUsedAt = nil
	}
	snap.Users, err = st.ListUsers(ctx, clinic)
	must(err)
	snap.Links = map[string]bool{}
	for name, l := range map[string]string{"link": f.link, "expired": f.expiredLink, "revoked": f.revokedLink} {
		_, err := st.FindSessionByLink(ctx, aftercare.HashSecret(l), f.h.clock.Now())
		snap.Links[name] = err == nil
	}
	data, err := json.Marshal(snap)
	must(err)
	return string(data)
}

// probe is one request of the matrix: a route with a path and body that aim
// at clinic A's records.
type probe struct {
	path, body string
	// isForm sends the body as a form instead of JSON.
	isForm bool
	// aims says the request names one of clinic A's records (in the path or body).
	aims bool
	// page is a staff page (package web), not the JSON API.
	page bool
}

// probes returns the request of every clinic route, by pattern. Every route
// of httpapi.Routes must be here, among the link routes or among the public ones.
func (f *isolation) probes() map[string]probe {
	c, s, fl := f.client.ID, f.session.ID, f.flag.ID
	return map[string]probe{
		"GET /api/v1/clients":                     {path: "/api/v1/clients"},
		"POST /api/v1/clients":                    {path: "/api/v1/clients", body: `{"name":"Mallory"}`},
		"GET /api/v1/clients/{id}":                {path: fmt.Sprintf("/api/v1/clients/%d", c), aims: true},
		"DELETE /api/v1/clients/{id}":             {path: fmt.Sprintf("/api/v1/clients/%d", c), aims: true},
		"PATCH /api/v1/clients/{id}":              {path: fmt.Sprintf("/api/v1/clients/%d", c), body: `{"phone":"+44 20 7946 0000"}`, aims: true},
		"POST /api/v1/clients/{id}/screenings":    {path: fmt.Sprintf("/api/v1/clients/%d/screenings", c), body: `{"health":["pregnant"]}`, aims: true},
		"GET /api/v1/clients/{id}/export":         {path: fmt.Sprintf("/api/v1/clients/%d/export", c), aims: true},
		"GET /api/v1/clients/{id}/follow-ups.ics": {path: fmt.Sprintf("/api/v1/clients/%d/follow-ups.ics", c), aims: true},
		"POST /api/v1/sessions":                   {path: "/api/v1/sessions", body: fmt.Sprintf(`{"client_id":%d}`, c), aims: true},
		"GET /api/v1/sessions/{id}":               {path: fmt.Sprintf("/api/v1/sessions/%d", s), aims: true},
		"POST /api/v1/sessions/{id}/check-ins":    {path: fmt.Sprintf("/api/v1/sessions/%d/check-ins", s), body: `{"soreness":[{"area":"calves","pain":2}]}`, aims: true},
		"POST /api/v1/sessions/{id}/links":        {path: fmt.Sprintf("/api/v1/sessions/%d/links", s), aims: true},
		"POST /api/v1/sessions/{id}/links/email":  {path: fmt.Sprintf("/api/v1/sessions/%d/links/email", s), aims: true},
		"POST /api/v1/sessions/{id}/revoke-links": {path: fmt.Sprintf("/api/v1/sessions/%d/revoke-links", s), aims: true},
		"GET /api/v1/sessions/{id}/fhir":          {path: fmt.Sprintf("/api/v1/sessions/%d/fhir", s), aims: true},
		"POST /api/v1/sessions/{id}/reassess":     {path: fmt.Sprintf("/api/v1/sessions/%d/reassess", s), aims: true},
		"GET /api/v1/flags":                       {path: "/api/v1/flags"},
		"POST /api/v1/flags/{id}/ack":             {path: fmt.Sprintf("/api/v1/flags/%d/ack", fl), aims: true},
		"POST /api/v1/flags/{id}/undo":            {path: fmt.Sprintf("/api/v1/flags/%d/undo", fl), aims: true},
		"GET /api/v1/audit":                       {path: "/api/v1/audit"},
		"GET /api/v1/export/check-ins.csv":        {path: "/api/v1/export/check-ins.csv"},

		"GET /staff":                             {path: "/staff", page: true},
		"POST /staff/clients":                    {path: "/staff/clients", body: "name=Mallory", isForm: true, page: true},
		"GET /staff/clients/{id}":                {path: fmt.Sprintf("/staff/clients/%d", c), aims: true, page: true},
		"POST /staff/clients/{id}/screenings":    {path: fmt.Sprintf("/staff/clients/%d/screenings", c), body: "health=pregnant", isForm: true, aims: true, page: true},
		"POST /staff/sessions":                   {path: "/staff/sessions", body: fmt.Sprintf("client_id=%d", c), isForm: true, aims: true, page: true},
		"GET /staff/sessions/{id}":               {path: fmt.Sprintf("/staff/sessions/%d", s), aims: true, page: true},
		"POST /staff/sessions/{id}/link":         {path: fmt.Sprintf("/staff/sessions/%d/link", s), body: "x=1", isForm: true, aims: true, page: true},
		"POST /staff/sessions/{id}/revoke-links": {path: fmt.Sprintf("/staff/sessions/%d/revoke-links", s), body: "x=1", isForm: true, aims: true, page: true},
		"POST /staff/sessions/{id}/email-link":   {path: fmt.Sprintf("/staff/sessions/%d/email-link", s), body: "x=1", isForm: true, aims: true, page: true},
		"POST /staff/flags/{id}/ack":             {path: fmt.Sprintf("/staff/flags/%d/ack", fl), body: "x=1", isForm: true, aims: true, page: true},
		"GET /staff/settings":                    {path: "/staff/settings", page: true},
		"POST /staff/settings":                   {path: "/staff/settings", body: "time_zone=Asia/Tokyo", isForm: true, page: true},
		"POST /staff/flags/{id}/undo":            {path: fmt.Sprintf("/staff/flags/%d/undo", fl), body: "x=1", isForm: true, aims: true, page: true},
		"POST /staff/clients/{id}":               {path: fmt.Sprintf("/staff/clients/%d", c), body: "name=Mallory&phone=%2B44+20+7946+0000", isForm: true, aims: true, page: true},
	}
}

// publicRoutes need no credential; linkRoutes take a client link.
var (
	publicRoutes = map[string]bool{
		"GET /healthz": true, "GET /readyz": true, "GET /metrics": true, "GET /api/v1/openapi.json": true,
		"POST /api/v1/assessments": true, "GET /fhir/Questionnaire/{name}": true, "GET /cds-services": true,
		"POST /cds-services/aftercare-checkin": true, "GET /{$}": true, "POST /check": true, "GET /guide": true,
		"GET /guide/{topic}": true, "GET /static/{file}": true, "GET /login": true, "POST /login": true, "POST /logout": true,
	}
	linkRoutes = map[string]string{
		"GET /api/v1/checkin/{token}":  "/api/v1/checkin/",
		"POST /api/v1/checkin/{token}": "/api/v1/checkin/",
		"GET /c/{token}":               "/c/",
		"POST /c/{token}":              "/c/",
	}
)

// send makes one probe's request with the credential options and a request id.
func (f *isolation) send(t *testing.T, pattern string, p probe, id string, opts ...reqOpt) *result {
	t.Helper()
	method, _, _ := strings.Cut(pattern, " ")
	var body any
	if p.body != "" {
		body = p.body
	}
	opts = append(opts, requestIDOpt(id))
	if p.isForm {
		opts = append(opts, form())
	}
	return f.h.do(method, p.path, body, opts...)
}

func TestEveryRouteIsInTheIsolationMatrix(t *testing.T) {
	f := &isolation{}
	probes := f.probes()
	for _, pattern := range httpapi.Routes() {
		_, inProbes := probes[pattern]
		_, isLink := linkRoutes[pattern]
		if !inProbes && !isLink && !publicRoutes[pattern] {
			t.Errorf("route %s is in none of the isolation matrix's tables (clinic probes, link routes, public routes)", pattern)
		}
	}
	for pattern := range probes {
		if !routeServed(pattern) {
			t.Errorf("the matrix probes %s, which is not served", pattern)
		}
	}
}

func routeServed(pattern string) bool {
	for _, p := range httpapi.Routes() {
		if p == pattern {
			return true
		}
	}
	return false
}

func TestIsolationMatrix(t *testing.T) {
	forEachStore(t, func(t *testing.T, h *harness) {
		f := newIsolation(t, h)
		next := newRequestIDs("iso")
		refused := []struct {
			name string
			opts []reqOpt
		}{
			{"no credentials", nil},
			{"a forged token", []reqOpt{bearer(randomSecret(httpapi.TokenPrefix))}},
			{"a Basic Authorization header", []reqOpt{header("Authorization", "Basic dXNlcjpwYXNz")}},
			{"a client link given as a token", []reqOpt{bearer(f.link)}},
			{"a revoked token", []reqOpt{bearer(f.revokedToken)}},
			{"a forged sign-in", []reqOpt{cookie(randomSecret(httpapi.SessionPrefix))}},
			{"an ended sign-in", []reqOpt{cookie(f.endedSession)}},
			{"a client link given as a sign-in", []reqOpt{cookie(f.link)}},
		}
		others := []struct {
			name, actor string
			opts        []reqOpt
		}{
			{"the other clinic's token", fmt.Sprintf("token:%d", h.otherTokenID), []reqOpt{bearer(h.other)}},
			{"the other clinic's sign-in", fmt.Sprintf("user:%d", f.otherOwner.ID), []reqOpt{cookie(f.otherOwnerSession)}},
		}
		probes := f.probes()
		before := f.snapshot(t)
		for _, pattern := range httpapi.Routes() {
			p, ok := probes[pattern]
			if !ok {
				continue
			}
			for _, cred := range refused {
				t.Run(fmt.Sprintf("%s with %s is refused, changes nothing and is audited", pattern, cred.name), func(t *testing.T) {
					id := next()
					r := f.send(t, pattern, p, id, cred.opts...)
					if p.page {
						r.want(t, http.StatusSeeOther)
						if loc := r.header.Get("Location"); !strings.HasPrefix(loc, "/login") {
							t.Errorf("redirected to %q, not to /login", loc)
						}
					} else {
						r.wantError(t, http.StatusUnauthorized, aftercare.EUNAUTHORIZED, r.errorField(t))
					}
					if m := hasAny(r.body, f.markers...); m != "" {
						t.Errorf("the answer holds clinic A's %q", m)
					}
					if after := f.snapshot(t); after != before {
						t.Errorf("clinic A's data changed:\n%s\n%s", before, after)
					}
					if e := h.wantAudit(t, id, aftercare.OutcomeDenied, "anonymous"); e != nil && (e.ClinicID != 0 || e.Route != pattern) {
						t.Errorf("audit entry %+v: want no clinic and route %s", e, pattern)
					}
				})
			}
			for _, cred := range others {
				t.Run(fmt.Sprintf("%s with %s sees nothing of clinic A", pattern, cred.name), func(t *testing.T) {
					id := next()
					r := f.send(t, pattern, p, id, cred.opts...)
					if r.status >= 500 {
						t.Fatalf("status %d: %s", r.status, r.body)
					}
					if m := hasAny(r.body, f.markers...); m != "" {
						t.Errorf("the answer holds clinic A's %q", m)
					}
					if after := f.snapshot(t); after != before {
						t.Errorf("clinic A's data changed:\n%s\n%s", before, after)
					}
					for _, e := range h.auditOf(t, id) {
						if e.ClinicID == h.clinic.ID {
							t.Errorf("the attempt is in clinic A's audit log: %+v", e)
						}
					}
					switch {
					case p.aims && !p.page:
						r.wantError(t, http.StatusNotFound, aftercare.ENOTFOUND, r.errorField(t))
						if e := h.wantAudit(t, id, aftercare.OutcomeDenied, cred.actor); e != nil && e.ClinicID != h.otherClinic.ID {
							t.Errorf("audit entry %+v: want clinic %d", e, h.otherClinic.ID)
						}
					case p.aims:
						if r.status != http.StatusNotFound && r.status != http.StatusForbidden && r.status != http.StatusBadRequest {
							t.Errorf("status %d, want 404 (or 403, or 400 for a form refused before the lookup)", r.status)
						}
						if r.status != http.StatusBadRequest {
							h.wantAudit(t, id, aftercare.OutcomeDenied, cred.actor)
						}
					default:
						// A route of the caller's own clinic: it answers for clinic B only.
						if len(h.auditOf(t, id)) == 0 && r.status < 300 {
							t.Errorf("status %d and nothing audited", r.status)
						}
					}
				})
			}
		}

		checkIns := 0
		for _, pattern := range httpapi.Routes() {
			prefix, ok := linkRoutes[pattern]
			if !ok {
				continue
			}
			method, _, _ := strings.Cut(pattern, " ")
			body, opts := linkBody(pattern)
			for _, bad := range []struct{ name, token string }{
				{"a forged link", randomSecret("c_")},
				{"a malformed link", "c_short"},
				{"an API token given as a link", h.token},
				{"an expired link", f.expiredLink},
				{"a revoked link", f.revokedLink},
			} {
				t.Run(fmt.Sprintf("%s with %s is not found, changes nothing and is audited", pattern, bad.name), func(t *testing.T) {
					id := next()
					r := h.do(method, prefix+url.PathEscape(bad.token), body, append(opts, requestIDOpt(id))...)
					r.want(t, http.StatusNotFound)
					if m := hasAny(r.body, f.markers...); m != "" {
						t.Errorf("the answer holds clinic A's %q", m)
					}
					if after := f.snapshot(t); after != before {
						t.Errorf("clinic A's data changed:\n%s\n%s", before, after)
					}
					if e := h.wantAudit(t, id, aftercare.OutcomeDenied, "anonymous"); e != nil && e.ClinicID != 0 {
						t.Errorf("audit entry %+v: want no clinic", e)
					}
				})
			}
			t.Run(pattern+" with another session's link opens that session only", func(t *testing.T) {
				id := next()
				r := h.do(method, prefix+f.otherLink, body, append(opts, requestIDOpt(id))...)
				// The page's form is answered by a redirect to the page of its answer.
				if r.status != http.StatusOK && r.status != http.StatusCreated && r.status != http.StatusSeeOther {
					t.Fatalf("status %d: %s", r.status, r.body)
				}
				if m := hasAny(r.body, append(f.markers, h.clinic.Name)...); m != "" {
					t.Errorf("the answer holds clinic A's %q", m)
				}
				if method == "GET" && !strings.Contains(string(r.body), h.otherClinic.Name) {
					t.Errorf("the answer does not name the link's own clinic")
				}
				if method == "POST" {
					got, err := h.store.FindSession(context.Background(), h.otherClinic.ID, f.otherSession.ID)
					if err != nil {
						t.Fatal(err)
					}
					if len(got.CheckIns) != checkIns+1 {
						t.Errorf("the link's own session has %d check-ins, want %d", len(got.CheckIns), checkIns+1)
					}
					checkIns = len(got.CheckIns)
				}
				if after := f.snapshot(t); after != before {
					t.Errorf("clinic A's data changed:\n%s\n%s", before, after)
				}
				if e := h.wantAudit(t, id, aftercare.OutcomeOK, fmt.Sprintf("link:session/%d", f.otherSession.ID)); e != nil && e.ClinicID != h.otherClinic.ID {
					t.Errorf("audit entry %+v: want clinic %d", e, h.otherClinic.ID)
				}
			})
		}
	})
}

// linkBody is a check-in each link route takes.
func linkBody(pattern string) (any, []reqOpt) {
	switch pattern {
	case "POST /api/v1/checkin/{token}":
		return `{"soreness":[{"area":"calves","pain":2}]}`, nil
	case "POST /c/{token}":
		return "pain_calves=2", []reqOpt{form()}
	}
	return nil, nil
}

// errorField returns the field of an error answer, for checks that care
// about the status and code only.
func (r *result) errorField(t testing.TB) string {
	var e struct {
		Error errorDetail `json:"error"`
	}
	_ = json.Unmarshal(r.body, &e)
	return e.Error.Field
}

func TestScopes(t *testing.T) {
	forEachStore(t, func(t *testing.T, h *harness) {
		f := newIsolation(t, h)
		next := newRequestIDs("scope")
		probes := f.probes()
		before := f.snapshot(t)
		tests := []struct {
			name    string
			pattern string
			opts    []reqOpt
			actor   string
		}{
			{"a read-only token cannot create a client", "POST /api/v1/clients", []reqOpt{bearer(f.readOnlyToken)}, fmt.Sprintf("token:%d", f.readOnlyTokenID)},
			{"a read-only token cannot screen a client", "POST /api/v1/clients/{id}/screenings", []reqOpt{bearer(f.readOnlyToken)}, ""},
			{"a read-only token cannot record a session", "POST /api/v1/sessions", []reqOpt{bearer(f.readOnlyToken)}, ""},
			{"a read-only token cannot check in", "POST /api/v1/sessions/{id}/check-ins", []reqOpt{bearer(f.readOnlyToken)}, ""},
			{"a read-only token cannot revoke links", "POST /api/v1/sessions/{id}/revoke-links", []reqOpt{bearer(f.readOnlyToken)}, ""},
			{"a read-only token cannot make a link", "POST /api/v1/sessions/{id}/links", []reqOpt{bearer(f.readOnlyToken)}, ""},
			{"a read-only token cannot acknowledge a flag", "POST /api/v1/flags/{id}/ack", []reqOpt{bearer(f.readOnlyToken)}, ""},
			{"a read-only token cannot export a client", "GET /api/v1/clients/{id}/export", []reqOpt{bearer(f.readOnlyToken)}, ""},
			{"a read-only token cannot export the check-ins", "GET /api/v1/export/check-ins.csv", []reqOpt{bearer(f.readOnlyToken)}, ""},
			{"a read-only token cannot take a session's FHIR bundle, which names the client", "GET /api/v1/sessions/{id}/fhir", []reqOpt{bearer(f.readOnlyToken)}, ""},
			{"a read-only token cannot erase a client", "DELETE /api/v1/clients/{id}", []reqOpt{bearer(f.readOnlyToken)}, ""},
			{"a token cannot read the audit log", "GET /api/v1/audit", []reqOpt{bearer(h.token)}, fmt.Sprintf("token:%d", h.tokenID)},
			{"a therapist cannot erase a client", "DELETE /api/v1/clients/{id}", []reqOpt{cookie(f.therapistSession)}, ""},
			{"a therapist cannot read the audit log", "GET /api/v1/audit", []reqOpt{cookie(f.therapistSession)}, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				id := next()
				r := f.send(t, tt.pattern, probes[tt.pattern], id, tt.opts...)
				r.wantError(t, http.StatusForbidden, aftercare.EFORBIDDEN, "")
				if after := f.snapshot(t); after != before {
					t.Errorf("clinic A's data changed:\n%s\n%s", before, after)
				}
				if e := h.wantAudit(t, id, aftercare.OutcomeDenied, tt.actor); e != nil && e.ClinicID != h.clinic.ID {
					t.Errorf("audit entry %+v: want clinic %d", e, h.clinic.ID)
				}
			})
		}
		t.Run("a read-only token reads", func(t *testing.T) {
			h.do("GET", fmt.Sprintf("/api/v1/clients/%d", f.client.ID), nil, bearer(f.readOnlyToken)).want(t, 200)
		})
		t.Run("a therapist reads and writes through the API with the sign-in cookie", func(t *testing.T) {
			h.do("GET", fmt.Sprintf("/api/v1/sessions/%d", f.session.ID), nil, cookie(f.therapistSession)).want(t, 200)
			h.do("POST", "/api/v1/clients", `{"name":"Walk-in"}`, cookie(f.therapistSession)).want(t, 201)
		})
		t.Run("an owner reads the audit log with the sign-in cookie", func(t *testing.T) {
			got := decode[struct {
				Entries []aftercare.AuditEntry `json:"entries"`
			}](t, h.do("GET", "/api/v1/audit", nil, cookie(f.ownerSession)).want(t, 200))
			if len(got.Entries) == 0 {
				t.Fatal("no entries")
			}
			for _, e := range got.Entries {
				if e.ClinicID != h.clinic.ID {
					t.Errorf("entry of clinic %d in clinic %d's log", e.ClinicID, h.clinic.ID)
				}
			}
		})
	})
}

package web_test

import (
	"context"
	"fmt"
	"html"
	"image"
	"image/draw"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	qr "github.com/piglig/go-qr"

	"aftercare"
	"aftercare/sqlite"
	"aftercare/web"
)

var (
	inlineScript  = regexp.MustCompile(`<script(?:\s[^>]*)?>`)
	styleAttr     = regexp.MustCompile(`\sstyle=`)
	handlerAttr   = regexp.MustCompile(`\son[a-z]+=`)
	deferredLocal = regexp.MustCompile(`^<script src="/static/[a-z.]+\?v=[0-9a-f]+" defer>$`)
)

// checkNoInline fails when a page has an inline script, a script that blocks
// rendering, a style attribute or an event handler attribute: the CSP allows none.
func checkNoInline(t *testing.T, body string) {
	t.Helper()
	for _, s := range inlineScript.FindAllString(body, -1) {
		if !deferredLocal.MatchString(s) {
			t.Errorf("a script that is inline, outside or not deferred: %s", s)
		}
	}
	if styleAttr.MatchString(body) || handlerAttr.MatchString(body) || strings.Contains(body, "<style") {
		t.Error("the page has inline style or an event handler attribute")
	}
}

// luminance is the relative luminance of a #rrggbb colour (WCAG 2).
func luminance(hex string) float64 {
	var l float64
	for i, w := range []float64{0.2126, 0.7152, 0.0722} {
		v, _ := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		c := float64(v) / 255
		if c <= 0.03928 {
			c /= 12.92
		} else {
			c = math.Pow((c+0.055)/1.055, 2.4)
		}
		l += w * c
	}
	return l
}

func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

func TestLevelColoursPassContrast(t *testing.T) {
	s := newSite(t, "")
	css := s.get(t, "/static/style.css").body
	vars := map[string]string{}
	for _, m := range regexp.MustCompile(`--([a-z_0-9-]+):\s*(#[0-9a-f]{6})`).FindAllStringSubmatch(css, -1) {
		vars[m[1]] = m[2]
	}
	for _, l := range aftercare.Levels {
		code := l.String()
		c, tint := vars["lvl-"+code], vars["tint-"+code]
		if c == "" || tint == "" {
			t.Fatalf("no colour or tint for %s", code)
		}
		if r := contrast(c, "#ffffff"); r < 4.5 {
			t.Errorf("white on the %s colour %s: %.2f:1, want 4.5:1", code, c, r)
		}
		if r := contrast(vars["ink"], tint); r < 4.5 {
			t.Errorf("ink on the %s tint %s: %.2f:1", code, tint, r)
		}
		if r := contrast(c, tint); r < 3 {
			t.Errorf("the %s icon on its tint: %.2f:1, want 3:1", code, r)
		}
	}
	for _, name := range []string{"muted", "accent"} {
		if r := contrast(vars[name], "#ffffff"); r < 4.5 {
			t.Errorf("%s on white: %.2f:1", name, r)
		}
	}
}

// workingName finds the knowledge base's working name for the consumer
// article the guide began from, which readers should never see.
var workingName = regexp.MustCompile(`(?i).{0,40}\bseed\b.{0,40}`)

// visibleText is a page's text without its tags (so without ids and links).
func visibleText(body string) string {
	return html.UnescapeString(regexp.MustCompile(`(?s)<[^>]*>`).ReplaceAllString(body, " "))
}

func TestGuide(t *testing.T) {
	s := newSite(t, "")
	kb := realEngine(t).Knowledge()
	want := map[string][]string{"/guide": {"The five answers"}}
	for _, c := range kb.Causes {
		want["/guide/why"] = append(want["/guide/why"], c.Title)
	}
	for _, st := range kb.Styles {
		want["/guide/styles"] = append(want["/guide/styles"], `<h2>`+st.Name+`</h2>`)
	}
	for _, r := range kb.Relief {
		want["/guide/relief"] = append(want["/guide/relief"], `id="`+r.ID+`"`)
	}
	for _, w := range kb.WatchFor {
		want["/guide/red-flags"] = append(want["/guide/red-flags"], template(w.Text))
	}
	for _, c := range kb.Cautions {
		want["/guide/red-flags"] = append(want["/guide/red-flags"], template(c.Advice))
	}
	for _, p := range kb.Prevention {
		want["/guide/prevention"] = append(want["/guide/prevention"], template(p.Text))
	}
	for _, q := range kb.FAQ {
		want["/guide/faq"] = append(want["/guide/faq"], template(q.Question), template(q.Answer))
	}
	for _, src := range kb.Sources {
		want["/guide/sources"] = append(want["/guide/sources"], `id="src-`+src.ID+`"`)
	}
	want["/guide/sources"] = append(want["/guide/sources"], "The consumer article “Sore after a massage?” (2025) is where this guide began")
	for _, tp := range kb.Topics {
		path := "/guide/" + strings.ReplaceAll(tp.ID, "_", "-")
		want[path] = append(want[path], template(tp.Text))
	}
	for path, parts := range want {
		t.Run(path+" is rendered from the knowledge base", func(t *testing.T) {
			p := s.get(t, path)
			if p.status != 200 {
				t.Fatalf("status %d", p.status)
			}
			for _, part := range parts {
				if !strings.Contains(p.body, part) {
					t.Errorf("the page lacks %q", part)
				}
			}
			if !strings.Contains(p.body, `href="/guide/sources#src-`) && path != "/guide" && path != "/guide/sources" {
				t.Error("the page cites no source")
			}
			if w := workingName.FindString(visibleText(p.body)); w != "" {
				t.Errorf("the page calls a source by its working name: %q", w)
			}
			checkNoInline(t, p.body)
			if len(p.body) > 100<<10 {
				t.Errorf("%d bytes", len(p.body))
			}
		})
	}
	t.Run("every cited source is listed", func(t *testing.T) {
		sources := s.get(t, "/guide/sources").body
		for path := range want {
			for _, m := range regexp.MustCompile(`/guide/sources#src-([a-z0-9_]+)`).FindAllStringSubmatch(s.get(t, path).body, -1) {
				if !strings.Contains(sources, `id="src-`+m[1]+`"`) {
					t.Errorf("%s cites %s, which is not listed", path, m[1])
				}
			}
		}
	})
	t.Run("an unknown page of the guide is not found", func(t *testing.T) {
		if p := s.get(t, "/guide/nothing"); p.status != 404 {
			t.Errorf("status %d", p.status)
		}
	})
}

// template escapes text as html/template does, for comparing with a page.
func template(s string) string {
	return strings.NewReplacer("&", "&amp;", "'", "&#39;", "<", "&lt;", ">", "&gt;", `"`, "&#34;").Replace(s)
}

func TestAnswerPage(t *testing.T) {
	s := newSite(t, "")
	p := s.post(t, "/check", url.Values{"style": {"deep_tissue"}, "hours_since": {"30"}, "pain_lower_back": {"4"}, "pain_neck": {"2"}})
	if p.level() != "self_care" {
		t.Fatalf("level %q", p.level())
	}
	t.Run("the level comes first, as the page's heading", func(t *testing.T) {
		if a, f := strings.Index(p.body, `class="answer`), strings.Index(p.body, `<form method="post" action="/check"`); a < 0 || a > f {
			t.Error("the answer is not above the form")
		}
		if !strings.Contains(p.body, `<h1 class="level-name" id="answer-title">Expected soreness</h1>`) || strings.Count(p.body, "<h1") != 1 {
			t.Error("the level is not the one heading of the page")
		}
	})
	t.Run("the recovery picture shows the window and the client's point", func(t *testing.T) {
		for _, part := range []string{`class="recovery-chart"`, `usual: 24–48 h`, `You: 30 h`, `class="rc-you"`, "You are at 30 hours."} {
			if !strings.Contains(p.body, part) {
				t.Errorf("the picture lacks %s", part)
			}
		}
	})
	t.Run("the answer shows where it hurts", func(t *testing.T) {
		if !strings.Contains(p.body, `class="region v-4" data-area="lower_back"`) || !strings.Contains(p.body, `class="region v-2" data-area="neck"`) {
			t.Error("the answer's body map does not show the ratings")
		}
	})
	t.Run("sources are named by their own titles, not by working names", func(t *testing.T) {
		if strings.Contains(strings.ToLower(p.body), "seed guide") || !strings.Contains(p.body, "“Sore after a massage?” (2025)") {
			t.Error("the answer names a source by a working name")
		}
	})
	t.Run("the pain picker offers 0 and a way to remove a rating, not two ways to say no pain", func(t *testing.T) {
		home := s.get(t, "/").body
		if strings.Contains(home, ">Not sore<") || !strings.Contains(home, ">Remove the rating<") {
			t.Error("the picker offers both 0 and Not sore")
		}
	})
	t.Run("the sheet prints", func(t *testing.T) {
		css := s.get(t, "/static/style.css").body
		if !strings.Contains(css, "@media print") || !strings.Contains(p.body, `data-print`) || !strings.Contains(p.body, `data-sheet-head`) {
			t.Error("no print style or print button")
		}
	})
	checkNoInline(t, p.body)
}

// staffSite is the pages with a principal put in each request's context, as
// the server's authentication does.
type staffSite struct {
	*site
	mu sync.Mutex
	p  *aftercare.Principal
	c  *http.Client
}

func (s *staffSite) as(p *aftercare.Principal) { s.mu.Lock(); s.p = p; s.mu.Unlock() }

// newStaffSite starts the pages over a fresh store; opts change their Deps.
func newStaffSite(t *testing.T, opts ...func(*web.Deps)) *staffSite {
	t.Helper()
	st, err := sqlite.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ss := &staffSite{site: &site{store: st, at: time.Now().UTC().Truncate(time.Second)}}
	d := web.Deps{Assessor: realEngine(t), Store: st, Now: ss.now, BaseURL: "https://aftercare.example"}
	for _, o := range opts {
		o(&d)
	}
	h := web.New(d)
	ss.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ss.mu.Lock()
		p := ss.p
		ss.mu.Unlock()
		if p != nil {
			r = r.WithContext(aftercare.WithPrincipal(r.Context(), p))
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(ss.srv.Close)
	ss.c = ss.srv.Client()
	ss.c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return ss
}

func (s *staffSite) get(t *testing.T, path string) page {
	t.Helper()
	resp, err := s.c.Get(s.srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	return read(t, resp)
}

func (s *staffSite) post(t *testing.T, path string, form url.Values) page {
	t.Helper()
	resp, err := s.c.PostForm(s.srv.URL+path, form)
	if err != nil {
		t.Fatal(err)
	}
	return read(t, resp)
}

// follow loads the page a redirect leads to, with the cookies it set.
func (s *staffSite) follow(t *testing.T, p page) page {
	t.Helper()
	if p.status != http.StatusSeeOther {
		t.Fatalf("status %d, want 303: %.1000s", p.status, p.body)
	}
	req, err := http.NewRequest(http.MethodGet, s.srv.URL+p.header.Get("Location"), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range (&http.Response{Header: p.header}).Cookies() {
		req.AddCookie(c)
	}
	resp, err := s.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return read(t, resp)
}

func sessionPath(id int64) string { return fmt.Sprintf("/staff/sessions/%d", id) }

func owner(clinicID int64) *aftercare.Principal {
	return &aftercare.Principal{ClinicID: clinicID, UserID: 1, Email: "owner@example.com", Role: aftercare.RoleOwner, Scopes: aftercare.RoleScopes(aftercare.RoleOwner)}
}

var linkURL = regexp.MustCompile(`value="https://aftercare\.example(/c/c_[A-Za-z0-9_-]{43})"`)

func TestStaffPages(t *testing.T) {
	s := newStaffSite(t)
	ctx := context.Background()
	clinic := &aftercare.Clinic{Name: "Calm Hands", EmergencyNumber: "112"}
	other := &aftercare.Clinic{Name: "Elsewhere"}
	for _, c := range []*aftercare.Clinic{clinic, other} {
		if err := s.store.CreateClinic(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	stranger := &aftercare.Client{ClinicID: other.ID, Name: "Someone Else"}
	if err := s.store.CreateClient(ctx, stranger); err != nil {
		t.Fatal(err)
	}

	t.Run("a visitor who is not signed in is sent to sign in, and back", func(t *testing.T) {
		for _, path := range []string{"/staff", "/staff/clients/1"} {
			p := s.get(t, path)
			if p.status != http.StatusSeeOther || p.header.Get("Location") != "/login?next="+url.QueryEscape(path) {
				t.Errorf("%s: status %d, Location %q", path, p.status, p.header.Get("Location"))
			}
		}
		if p := s.post(t, "/staff/clients", url.Values{"name": {"X"}}); p.status != http.StatusSeeOther || !strings.HasPrefix(p.header.Get("Location"), "/login") {
			t.Errorf("POST: status %d", p.status)
		}
	})
	t.Run("the sign-in page keeps where to go next, and says what went wrong", func(t *testing.T) {
		p := s.get(t, "/login?next=%2Fstaff%2Fclients%2F3")
		if p.status != 200 || !strings.Contains(p.body, `<input type="hidden" name="next" value="/staff/clients/3">`) || !strings.Contains(p.body, `action="/login"`) {
			t.Errorf("status %d: %.2000s", p.status, p.body)
		}
		if p := s.get(t, "/login?next=https://evil.example"); !strings.Contains(p.body, `name="next" value=""`) {
			t.Error("an outside next is kept")
		}
		if p := s.get(t, "/login?error=1"); p.status != 200 || !strings.Contains(p.body, `role="alert"`) {
			t.Errorf("error: status %d", p.status)
		}
		checkNoInline(t, p.body)
	})
	t.Run("an email in the sign-in page's address is not put in the form", func(t *testing.T) {
		p := s.get(t, "/login?error=1&email=ana%40calm.example")
		if p.status != 200 || strings.Contains(p.body, "ana@calm.example") || !strings.Contains(p.body, `name="email" type="email" autocomplete="username" required value=""`) {
			t.Errorf("status %d: %.2000s", p.status, p.body)
		}
		if strings.Contains(p.body, "autofocus") {
			t.Error("the password is focused with no email kept")
		}
	})

	s.as(owner(clinic.ID))
	var clientPath string
	t.Run("a client is added", func(t *testing.T) {
		if p := s.post(t, "/staff/clients", url.Values{"name": {""}}); p.status != 400 || !strings.Contains(p.body, `data-field="name"`) {
			t.Errorf("an empty name: status %d", p.status)
		}
		p := s.post(t, "/staff/clients", url.Values{"name": {"Sam Rivers"}, "email": {"sam@example.com"}})
		clientPath = p.header.Get("Location")
		if p.status != http.StatusSeeOther || !strings.HasPrefix(clientPath, "/staff/clients/") {
			t.Fatalf("status %d, Location %q", p.status, clientPath)
		}
		d := s.get(t, "/staff")
		if d.status != 200 || !strings.Contains(d.body, "Sam Rivers") || strings.Contains(d.body, "Someone Else") || !strings.Contains(d.body, "No open flags") {
			t.Errorf("dashboard: status %d: %.3000s", d.status, d.body)
		}
		checkNoInline(t, d.body)
	})
	t.Run("a screening shows its cautions", func(t *testing.T) {
		p := s.post(t, clientPath+"/screenings", url.Values{"health": {"blood_thinners", "dvt_history"}, "notes": {"on warfarin"}})
		if p.status != http.StatusSeeOther {
			t.Fatalf("status %d: %s", p.status, p.body)
		}
		c := s.get(t, clientPath)
		for _, want := range []string{"Blood thinners", "Previous blood clot", "A doctor's clearance first", "on warfarin", "Source: "} {
			if !strings.Contains(c.body, want) {
				t.Errorf("the client page lacks %q", want)
			}
		}
	})
	var link string
	t.Run("a session is recorded with pressure per area, and its link is shown once", func(t *testing.T) {
		id := strings.TrimPrefix(clientPath, "/staff/clients/")
		bad := s.post(t, "/staff/sessions", url.Values{"client_id": {id}, "pressure_neck": {"crushing"}})
		if bad.status != 400 || !strings.Contains(bad.body, `data-field="pressure_neck"`) {
			t.Errorf("a bad pressure: status %d", bad.status)
		}
		v := url.Values{
			"client_id": {id}, "style": {"deep_tissue"}, "pressure": {"firm"}, "ended": {"60"},
			"pressure_calves": {"deep"}, "pressure_neck": {"firm"}, "notes": {"tight calves"},
			"key": {formKeyOf(t, s.get(t, clientPath).body)},
		}
		first, again := s.post(t, "/staff/sessions", v), s.post(t, "/staff/sessions", v)
		to := first.header.Get("Location")
		if first.status != http.StatusSeeOther || !strings.HasPrefix(to, "/staff/sessions/") || again.header.Get("Location") != to {
			t.Fatalf("status %d, Location %q then %q", first.status, to, again.header.Get("Location"))
		}
		p := s.follow(t, again)
		m := linkURL.FindStringSubmatch(p.body)
		if p.status != 200 || m == nil {
			t.Fatalf("status %d: %.3000s", p.status, p.body)
		}
		link = m[1]
		if got := decodeQR(t, p.body); got != "https://aftercare.example"+link {
			t.Errorf("the QR code reads %q, the link is %q", got, link)
		}
		if later := s.get(t, to); later.status != 200 || linkURL.MatchString(later.body) || !strings.Contains(later.body, "Make a new check-in link") {
			t.Errorf("the session's page shows the link to a browser that did not record it: status %d", later.status)
		}
		sessions, err := s.store.ListSessions(ctx, clinic.ID, 0)
		if err != nil || len(sessions) != 1 {
			t.Fatalf("%v %d sessions", err, len(sessions))
		}
		got := sessions[0]
		if got.Style != "deep_tissue" || got.Pressure != "firm" || fmt.Sprint(got.AreasWorked) != "[neck calves]" || got.AreaPressure["calves"] != "deep" || got.AreaPressure["neck"] != "" || got.Notes != "tight calves" {
			t.Errorf("stored %+v", got)
		}
		if d := s.now().Sub(got.EndedAt); d != time.Hour {
			t.Errorf("ended %v ago", d)
		}
		if len(got.FollowUps) != 3 {
			t.Errorf("follow-ups %+v", got.FollowUps)
		}
	})
	t.Run("the client's check-in with a red flag reaches the flag queue", func(t *testing.T) {
		s.as(nil)
		page := s.get(t, link)
		if page.status != 200 || !strings.Contains(page.body, "Calm Hands") || strings.Contains(page.body, "Sam Rivers") {
			t.Fatalf("the link: status %d", page.status)
		}
		s.advance(20 * time.Hour)
		defer s.advance(-20 * time.Hour)
		p := s.follow(t, s.post(t, link, url.Values{"pain_calves": {"7"}, "symptoms": {"calf_swelling"}}))
		if lv := p.level(); lv != "urgent" && lv != "emergency" {
			t.Fatalf("level %q: %.2000s", lv, p.body)
		}
		again := s.get(t, link)
		if !strings.Contains(again.body, `id="curve"`) || !strings.Contains(again.body, "worst pain 7/10") {
			t.Error("the client's page lacks the curve of their check-ins")
		}
		s.as(owner(clinic.ID))
		d := s.get(t, "/staff")
		if !strings.Contains(d.body, `class="flag lvl-`) || !strings.Contains(d.body, "Sam Rivers") {
			t.Fatalf("the flag is not listed: %.3000s", d.body)
		}
		flags, _ := s.store.ListFlags(ctx, clinic.ID)
		if len(flags) != 1 {
			t.Fatalf("%d flags", len(flags))
		}
		c := s.get(t, clientPath)
		for _, want := range []string{`id="areas"`, `id="heat-map"`, `class="region v-7" data-area="calves"`, "Open flag", `<li class="held" data-area="calves">`, "Do not treat Front of thighs (quads), Back of thighs (hamstrings), Calves, Shins, Feet until a clinician has cleared the client."} {
			if !strings.Contains(c.body, want) {
				t.Errorf("the client page lacks %s", want)
			}
		}
		checkNoInline(t, c.body)
		if len(c.body) > 100<<10 {
			t.Errorf("the client page is %d bytes", len(c.body))
		}
		ack := s.post(t, fmt.Sprintf("/staff/flags/%d/ack", flags[0].ID), url.Values{"next": {"/staff"}})
		if want := fmt.Sprintf("/staff?acked=%d#acked", flags[0].ID); ack.status != http.StatusSeeOther || ack.header.Get("Location") != want {
			t.Errorf("ack: status %d to %q, want 303 to %q", ack.status, ack.header.Get("Location"), want)
		}
		if d := s.get(t, "/staff"); !strings.Contains(d.body, "No open flags") {
			t.Error("the acknowledged flag is still listed")
		}
	})
	t.Run("after a suspected clot, even acknowledged, the legs are not to be treated until the therapist confirms a clearance", func(t *testing.T) {
		c := s.get(t, clientPath)
		row := regexp.MustCompile(`(?s)data-area="calves"><p class="sl-head"><strong>Calves</strong> <span class="sl-change">last time deep · next time <strong class="sl-next">([a-z ]+)</strong>`).FindStringSubmatch(c.body)
		if row == nil || row[1] != "do not treat" {
			t.Errorf("the suggestion for the calves after a suspected clot: %v", row)
		}
		if !strings.Contains(c.body, `name="pressure_calves" aria-describedby="held_calves"><option value="">Not worked</option><option value="light">`) {
			t.Error("the session form does not leave the held calves out")
		}
		if !strings.Contains(c.body, `<select id="pressure_neck" name="pressure_neck"><option value="">Not worked</option><option value="light">Light</option><option value="medium" selected>`) {
			t.Error("the session form is not prefilled from the suggestion (capped at medium by the screening) where nothing is held")
		}
		id := strings.TrimPrefix(clientPath, "/staff/clients/")
		v := url.Values{"client_id": {id}, "style": {"sports"}, "pressure": {"medium"}, "pressure_calves": {"light"}, "key": {formKeyOf(t, c.body)}}
		refused := s.post(t, "/staff/sessions", v)
		if refused.status != 400 || !strings.Contains(refused.body, `data-field="cleared"`) || !strings.Contains(refused.body, "calves (a suspected blood clot)") {
			t.Errorf("working a held area unconfirmed: status %d", refused.status)
		}
		if n, _ := s.store.ListSessions(ctx, clinic.ID, 0); len(n) != 1 {
			t.Fatalf("%d sessions stored", len(n))
		}
		v.Set("cleared", "yes")
		s.advance(48 * time.Hour) // days after the flag
		defer s.advance(-48 * time.Hour)
		if p := s.post(t, "/staff/sessions", v); p.status != http.StatusSeeOther {
			t.Fatalf("confirmed: status %d: %.2000s", p.status, p.body)
		}
		sessions, _ := s.store.ListSessions(ctx, clinic.ID, 0)
		if len(sessions) != 2 || !strings.Contains(sessions[1].Notes, "clinician cleared the client") {
			t.Fatalf("the override is not recorded: %+v", sessions[len(sessions)-1])
		}
		if after := s.get(t, clientPath); strings.Contains(after.body, `data-area="calves" class="held"`) || !strings.Contains(after.body, "Do not treat Front of thighs (quads), Back of thighs (hamstrings), Shins, Feet until") {
			t.Error("the hold of the calves, worked after the confirmation, is not lifted (or the others are)")
		}
	})
	t.Run("a new link for a session works", func(t *testing.T) {
		sessions, _ := s.store.ListSessions(ctx, clinic.ID, 0)
		p := s.follow(t, s.post(t, fmt.Sprintf("/staff/sessions/%d/link", sessions[0].ID), url.Values{"key": {formKeyOf(t, s.get(t, sessionPath(sessions[0].ID)).body)}}))
		m := linkURL.FindStringSubmatch(p.body)
		if p.status != 200 || m == nil || m[1] == link {
			t.Fatalf("status %d", p.status)
		}
		s.as(nil)
		defer s.as(owner(clinic.ID))
		if p := s.get(t, m[1]); p.status != 200 {
			t.Errorf("the new link: status %d", p.status)
		}
	})
	t.Run("a new link retires the old one, and the workspace stops a session's links", func(t *testing.T) {
		sessions, _ := s.store.ListSessions(ctx, clinic.ID, 0)
		sess := sessions[0]
		if c := s.get(t, clientPath); !strings.Contains(c.body, fmt.Sprintf(`action="/staff/sessions/%d/revoke-links"`, sess.ID)) {
			t.Error("the client's page offers no way to stop a session's links")
		}
		newLink := func() []string {
			key := formKeyOf(t, s.get(t, sessionPath(sess.ID)).body)
			return linkURL.FindStringSubmatch(s.follow(t, s.post(t, fmt.Sprintf("/staff/sessions/%d/link", sess.ID), url.Values{"key": {key}})).body)
		}
		first, second := newLink(), newLink()
		if first == nil || second == nil {
			t.Fatal("no link made")
		}
		s.as(nil)
		old := s.get(t, first[1])
		if old.status != 404 || !strings.Contains(old.body, "a new link stops the earlier ones working") {
			t.Errorf("the retired link: status %d, want 404 saying what to do", old.status)
		}
		if p := s.get(t, second[1]); p.status != 200 {
			t.Errorf("the newest link: status %d", p.status)
		}
		s.as(owner(clinic.ID))
		p := s.post(t, fmt.Sprintf("/staff/sessions/%d/revoke-links", sess.ID), url.Values{"next": {clientPath}})
		if p.status != 200 && p.status != 303 {
			t.Errorf("stopping the links: status %d", p.status)
		}
		s.as(nil)
		defer s.as(owner(clinic.ID))
		if p := s.get(t, second[1]); p.status != 404 {
			t.Errorf("a stopped link: status %d, want 404", p.status)
		}
	})
	t.Run("another clinic's records are not found", func(t *testing.T) {
		if p := s.get(t, fmt.Sprintf("/staff/clients/%d", stranger.ID)); p.status != 404 {
			t.Errorf("status %d", p.status)
		}
		if p := s.post(t, "/staff/sessions", url.Values{"client_id": {fmt.Sprint(stranger.ID)}}); p.status != 404 {
			t.Errorf("a session for another clinic's client: status %d", p.status)
		}
		s.as(owner(other.ID))
		defer s.as(owner(clinic.ID))
		if p := s.get(t, clientPath); p.status != 404 {
			t.Errorf("status %d", p.status)
		}
	})
	t.Run("a principal without the write scope may not record", func(t *testing.T) {
		s.as(&aftercare.Principal{ClinicID: clinic.ID, TokenID: 9, Scopes: []string{aftercare.ScopeRead}})
		defer s.as(owner(clinic.ID))
		if p := s.post(t, "/staff/clients", url.Values{"name": {"Nope"}}); p.status != 403 {
			t.Errorf("status %d", p.status)
		}
	})
	t.Run("a signed-in visitor of the sign-in page goes on", func(t *testing.T) {
		if p := s.get(t, "/login?next=%2Fstaff%2Fclients%2F1"); p.status != http.StatusSeeOther || p.header.Get("Location") != "/staff/clients/1" {
			t.Errorf("status %d, Location %q", p.status, p.header.Get("Location"))
		}
	})
}

// clinicWithClient stores a clinic with one client.
func (s *staffSite) clinicWithClient(t *testing.T, name string) (*aftercare.Clinic, *aftercare.Client) {
	t.Helper()
	ctx := context.Background()
	clinic := &aftercare.Clinic{Name: "Calm Hands"}
	if err := s.store.CreateClinic(ctx, clinic); err != nil {
		t.Fatal(err)
	}
	client := &aftercare.Client{ClinicID: clinic.ID, Name: name}
	if err := s.store.CreateClient(ctx, client); err != nil {
		t.Fatal(err)
	}
	return clinic, client
}

func TestTheFlagQueue(t *testing.T) {
	s := newStaffSite(t)
	ctx := context.Background()
	clinic, client := s.clinicWithClient(t, "Ana Lima")
	ended := s.now().Add(-30 * time.Hour)
	sess := &aftercare.Session{ClinicID: clinic.ID, ClientID: client.ID, Style: "deep_tissue", Pressure: "firm", AreasWorked: []string{"calves"},
		EndedAt: ended, LinkExpiresAt: ended.Add(14 * 24 * time.Hour), CreatedAt: ended}
	_, hash := aftercare.NewSecret("c_")
	if err := s.store.CreateSession(ctx, sess, hash); err != nil {
		t.Fatal(err)
	}
	checkIn := func(hours float64, req aftercare.Request) {
		t.Helper()
		req.HoursSince = &hours
		resp, err := realEngine(t).Assess(req, s.now())
		if err != nil {
			t.Fatal(err)
		}
		c := &aftercare.CheckIn{ClinicID: clinic.ID, SessionID: sess.ID, HoursSince: hours, Request: req, Assessment: *resp, CreatedAt: ended.Add(time.Duration(hours) * time.Hour)}
		if _, err := s.store.CreateCheckIn(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	checkIn(18, aftercare.Request{Symptoms: []string{"numbness"}, Soreness: []aftercare.Soreness{{Area: "forearms", Pain: 2}}})
	checkIn(20, aftercare.Request{Symptoms: []string{"calf_swelling"}, Soreness: []aftercare.Soreness{{Area: "calves", Pain: 6}}, Text: "my left calf is swollen and hot"})
	checkIn(24, aftercare.Request{Symptoms: []string{"tingling"}})
	s.as(owner(clinic.ID))
	d := s.get(t, "/staff")
	levels := regexp.MustCompile(`<li class="flag lvl-[a-z_]+" data-flag="\d+" data-level="([a-z_]+)">`).FindAllStringSubmatch(d.body, -1)
	t.Run("the most serious flag comes first, then the oldest", func(t *testing.T) {
		var got []string
		for _, m := range levels {
			got = append(got, m[1])
		}
		if strings.Join(got, " ") != "urgent consult consult" {
			t.Fatalf("flags in the order %v", got)
		}
		if strings.Index(d.body, "Numbness") > strings.Index(d.body, "Tingling") {
			t.Error("of two flags of one level, the newer comes first")
		}
	})
	t.Run("each flag says what raised it, in the clinic's words", func(t *testing.T) {
		first := d.body[strings.Index(d.body, `data-level="urgent"`):strings.Index(d.body, `data-level="consult"`)]
		for _, want := range []string{"Signs:</strong> " + aftercare.Symptoms.Label("calf_swelling"), "Sore:</strong> Calves 6/10", "20 h after the session of", "Deep tissue, firm pressure", "my left calf is swollen and hot", "A suspected blood clot: do not treat"} {
			if !strings.Contains(first, want) {
				t.Errorf("the urgent flag lacks %q: %s", want, first)
			}
		}
	})
}

func TestTheWorkspaceSaysWhetherRemindersAreSent(t *testing.T) {
	s := newStaffSite(t)
	ctx := context.Background()
	silent := &aftercare.Clinic{Name: "No Mail"}
	hooked := &aftercare.Clinic{Name: "Hooked", WebhookURL: "https://hooks.example/aftercare"}
	for _, c := range []*aftercare.Clinic{silent, hooked} {
		if err := s.store.CreateClinic(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	client := &aftercare.Client{ClinicID: silent.ID, Name: "Ana Lima", Email: "ana@example.com"}
	if err := s.store.CreateClient(ctx, client); err != nil {
		t.Fatal(err)
	}
	ended := s.now().Add(-30 * time.Hour)
	sess := &aftercare.Session{ClinicID: silent.ID, ClientID: client.ID, EndedAt: ended, LinkExpiresAt: ended.Add(14 * 24 * time.Hour),
		FollowUps: []aftercare.FollowUp{{Hours: 24, DueAt: ended.Add(24 * time.Hour), Status: "scheduled"}, {Hours: 48, DueAt: ended.Add(48 * time.Hour), Status: "scheduled"}}}
	_, hash := aftercare.NewSecret("c_")
	if err := s.store.CreateSession(ctx, sess, hash); err != nil {
		t.Fatal(err)
	}
	// The worker marks a reminder sent when its time comes, whatever could deliver it.
	if err := s.store.MarkFollowUp(ctx, silent.ID, sess.ID, 24, aftercare.FollowUpSent, ended.Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	t.Run("without a mail server or a webhook, the workspace says reminders are not sent", func(t *testing.T) {
		s.as(owner(silent.ID))
		for _, path := range []string{"/staff", fmt.Sprintf("/staff/clients/%d", client.ID), sessionPath(sess.ID)} {
			if p := s.get(t, path); !strings.Contains(p.body, "Reminders are not being sent") || !strings.Contains(p.body, "--smtp-host") {
				t.Errorf("%s does not say reminders are not sent", path)
			}
		}
		p := s.get(t, sessionPath(sess.ID))
		if !strings.Contains(p.body, "24 hours after: not delivered") || !strings.Contains(p.body, "48 hours after: due") || !strings.Contains(p.body, "will not be sent") {
			t.Errorf("the reminders are not shown as they are: %.3000s", p.body)
		}
	})
	t.Run("with a webhook, nothing is said", func(t *testing.T) {
		s.as(owner(hooked.ID))
		if p := s.get(t, "/staff"); strings.Contains(p.body, "data-reach") {
			t.Error("a clinic with a webhook is told reminders are not sent")
		}
	})
}

func TestTheSessionFormTakesAnyEndTime(t *testing.T) {
	s := newStaffSite(t)
	ctx := context.Background()
	clinic, client := s.clinicWithClient(t, "Ana Lima")
	s.as(owner(clinic.ID))
	twoDaysAgo := s.now().Add(-48 * time.Hour).Truncate(time.Minute)
	tests := []struct {
		name, endedAt string
		status        int
	}{
		{"two days ago at a given time is recorded then", twoDaysAgo.Format("2006-01-02T15:04"), http.StatusSeeOther},
		{"a time in the future is refused", s.now().Add(3 * time.Hour).Format("2006-01-02T15:04"), http.StatusBadRequest},
		{"a time more than a week ago is refused", s.now().Add(-9 * 24 * time.Hour).Format("2006-01-02T15:04"), http.StatusBadRequest},
		{"a time that is not one is refused", "yesterday-ish", http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := s.post(t, "/staff/sessions", url.Values{"client_id": {fmt.Sprint(client.ID)}, "ended_at": {tt.endedAt}, "pressure_neck": {"medium"}})
			if p.status != tt.status {
				t.Fatalf("status %d, want %d", p.status, tt.status)
			}
			if tt.status == http.StatusBadRequest && !strings.Contains(p.body, `<p class="field-error" id="err-ended_at">`) {
				t.Error("the error is not beside the date and time")
			}
		})
	}
	sessions, _ := s.store.ListSessions(ctx, clinic.ID, client.ID)
	if len(sessions) != 1 || !sessions[0].EndedAt.Equal(twoDaysAgo) {
		t.Errorf("sessions %+v, want one that ended at %v", sessions, twoDaysAgo)
	}
}

var (
	qrSVG = regexp.MustCompile(`<figure class="qr"><svg viewBox="0 0 (\d+) \d+"[^>]*><rect[^>]*/><path d="([^"]+)"`)
	qrRun = regexp.MustCompile(`M(\d+) (\d+)h(\d+)v1h-\d+z`)
)

// decodeQR reads the QR code drawn on a page, as a phone's camera would.
func decodeQR(t *testing.T, body string) string {
	t.Helper()
	m := qrSVG.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("the page has no QR code")
	}
	size, _ := strconv.Atoi(m[1])
	const scale = 6
	img := image.NewGray(image.Rect(0, 0, size*scale, size*scale))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	for _, r := range qrRun.FindAllStringSubmatch(m[2], -1) {
		x, _ := strconv.Atoi(r[1])
		y, _ := strconv.Atoi(r[2])
		n, _ := strconv.Atoi(r[3])
		draw.Draw(img, image.Rect(x*scale, y*scale, (x+n)*scale, (y+1)*scale), image.Black, image.Point{}, draw.Src)
	}
	text, err := qr.Decode(img)
	if err != nil {
		t.Fatalf("decoding the QR code: %v", err)
	}
	return text
}

func TestTheClientAndScreeningFormsStoreOnce(t *testing.T) {
	s := newStaffSite(t)
	ctx := context.Background()
	clinic, ana := s.clinicWithClient(t, "Ana Lima")
	s.as(owner(clinic.ID))
	tests := []struct {
		name, page, action string
		form               url.Values
		count              func() int
	}{
		{"a new client", "/staff", "/staff/clients", url.Values{"name": {"Sam Rivers"}}, func() int {
			cs, _ := s.store.ListClients(ctx, clinic.ID)
			return len(cs)
		}},
		{"a screening", fmt.Sprintf("/staff/clients/%d", ana.ID), fmt.Sprintf("/staff/clients/%d/screenings", ana.ID), url.Values{"health": {"pregnant"}}, func() int {
			sc, _ := s.store.ListScreenings(ctx, clinic.ID, ana.ID)
			return len(sc)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name+" sent twice under its key is stored once", func(t *testing.T) {
			before := tt.count()
			tt.form.Set("key", formKeyOf(t, s.get(t, tt.page).body))
			// Both at once, as a double tap sends them.
			var first, again page
			var wg sync.WaitGroup
			wg.Add(2)
			go func() { defer wg.Done(); first = s.post(t, tt.action, tt.form) }()
			go func() { defer wg.Done(); again = s.post(t, tt.action, tt.form) }()
			wg.Wait()
			if first.status != http.StatusSeeOther || again.header.Get("Location") != first.header.Get("Location") {
				t.Errorf("status %d, Location %q then %q", first.status, first.header.Get("Location"), again.header.Get("Location"))
			}
			if n := tt.count() - before; n != 1 {
				t.Errorf("%d stored, want 1", n)
			}
			tt.form.Set("key", formKeyOf(t, s.get(t, tt.page).body))
			if s.post(t, tt.action, tt.form); tt.count()-before != 2 {
				t.Error("the form sent again from a fresh page is not stored")
			}
		})
	}
}

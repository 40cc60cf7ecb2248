package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"aftercare"
	"aftercare/sqlite"
	"aftercare/triage"
	"aftercare/web"
)

var (
	engineOnce sync.Once
	engine     *triage.Engine
	engineErr  error
)

func realEngine(t *testing.T) *triage.Engine {
	engineOnce.Do(func() { engine, engineErr = triage.Default() })
	if engineErr != nil {
		t.Fatal(engineErr)
	}
	return engine
}

// site is the pages over the real engine and a real SQLite store.
type site struct {
	srv   *httptest.Server
	store *sqlite.Store
	mu    sync.Mutex
	at    time.Time
}

func (s *site) now() time.Time { s.mu.Lock(); defer s.mu.Unlock(); return s.at }

func (s *site) advance(d time.Duration) { s.mu.Lock(); s.at = s.at.Add(d); s.mu.Unlock() }

func newSite(t *testing.T, emergency string) *site {
	t.Helper()
	st, err := sqlite.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	s := &site{store: st, at: time.Now().UTC().Truncate(time.Second)}
	h := web.New(web.Deps{Assessor: realEngine(t), Store: st, Now: s.now, EmergencyNumber: emergency})
	s.srv = httptest.NewServer(h)
	t.Cleanup(s.srv.Close)
	return s
}

type page struct {
	status int
	header http.Header
	body   string
}

func (s *site) get(t *testing.T, path string) page {
	t.Helper()
	resp, err := s.srv.Client().Get(s.srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	return read(t, resp)
}

func (s *site) post(t *testing.T, path string, form url.Values) page {
	t.Helper()
	resp, err := s.srv.Client().PostForm(s.srv.URL+path, form)
	if err != nil {
		t.Fatal(err)
	}
	return read(t, resp)
}

func read(t *testing.T, resp *http.Response) page {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return page{resp.StatusCode, resp.Header, string(b)}
}

var dataLevel = regexp.MustCompile(`<section class="answer[^"]*" data-level="([a-z_]+)"`)

func (p page) level() string {
	m := dataLevel.FindStringSubmatch(p.body)
	if m == nil {
		return ""
	}
	return m[1]
}

func TestHomePage(t *testing.T) {
	s := newSite(t, "")
	p := s.get(t, "/")
	if p.status != 200 || !strings.Contains(p.body, "Sore after a massage?") {
		t.Fatalf("status %d: %.500s", p.status, p.body)
	}
	t.Run("the page carries the security headers", func(t *testing.T) {
		want := map[string]string{
			"Content-Security-Policy": "default-src 'self'",
			"X-Content-Type-Options":  "nosniff",
			"X-Frame-Options":         "DENY",
			"Referrer-Policy":         "same-origin",
			"Content-Type":            "text/html; charset=utf-8",
		}
		for k, v := range want {
			if !strings.Contains(p.header.Get(k), v) {
				t.Errorf("%s: %q, want %q", k, p.header.Get(k), v)
			}
		}
	})
	t.Run("the page loads nothing from elsewhere and has no inline script or style", func(t *testing.T) {
		if strings.Contains(p.body, "http://") || strings.Contains(p.body, "https://") {
			t.Error("the page has an outside address")
		}
		if !strings.Contains(p.body, `href="/static/style.css?v=`) {
			t.Error("the page does not link its style sheet")
		}
		checkNoInline(t, p.body)
	})
	fields := []string{`name="style"`, `name="pressure"`, `name="hours_since"`, `name="text"`}
	for _, c := range aftercare.Symptoms.Codes() {
		fields = append(fields, `name="symptoms" value="`+c.Code+`"`)
	}
	for _, c := range aftercare.Health.Codes() {
		fields = append(fields, `name="health" value="`+c.Code+`"`)
	}
	for _, c := range aftercare.Areas.Codes() {
		fields = append(fields, `name="pain_`+c.Code+`" min="0" max="10"`, `name="areas_worked" value="`+c.Code+`"`)
	}
	for _, c := range aftercare.Styles.Codes() {
		fields = append(fields, `<option value="`+c.Code+`">`)
	}
	t.Run("the form has a field for every code of the contract", func(t *testing.T) {
		for _, f := range fields {
			if strings.Count(p.body, f) != 1 {
				t.Errorf("the form has %d of %s, want 1", strings.Count(p.body, f), f)
			}
		}
	})
	t.Run("the red flags are a marked group, the first of their step", func(t *testing.T) {
		i := strings.Index(p.body, `data-red-flag="true"`)
		if i < 0 {
			t.Fatal("no red-flag group")
		}
		group := p.body[i : i+strings.Index(p.body[i:], "</fieldset>")]
		for _, c := range []string{"chest_pain", "facial_droop", "calf_swelling", "dark_urine", "saddle_numbness"} {
			if !strings.Contains(group, `value="`+c+`"`) {
				t.Errorf("%s is not in the red-flag group", c)
			}
		}
		if strings.Contains(group, `value="stiffness"`) {
			t.Error("stiffness is among the red flags")
		}
		if strings.Index(p.body, `id="step-3"`) > i || strings.Index(p.body, `name="symptoms"`) < i {
			t.Error("the red-flag group is not the first symptoms of step 3")
		}
	})
	t.Run("the body map has one link per area to its pain field, and one named target beside the figure", func(t *testing.T) {
		for _, c := range aftercare.Areas.Codes() {
			link := `<a href="#pain_` + c.Code + `" class="region v-unset" data-area="` + c.Code + `"`
			if n := strings.Count(p.body, link); n < 1 {
				t.Errorf("no map region links to pain_%s", c.Code)
			}
			tabbable := regexp.MustCompile(`<a href="#pain_` + c.Code + `" class="area-chip v-unset" data-area="` + c.Code + `"[^>]*><span class="ac-name">[^<]+<span class="sr-only ac-sr">: no rating</span>`)
			if n := len(tabbable.FindAllString(p.body, -1)); n != 1 {
				t.Errorf("%d tabbable targets for %s, want 1", n, c.Code)
			}
			if !strings.Contains(p.body, `<label for="pain_`+c.Code+`">`+c.Label+`</label>`) {
				t.Errorf("the pain field of %s has no label", c.Code)
			}
		}
	})
	t.Run("the page is light", func(t *testing.T) {
		if n := len(p.body) + len(s.get(t, "/static/style.css").body) + len(s.get(t, "/static/app.js").body); n > 100<<10 {
			t.Errorf("the page weighs %d bytes with its style sheet and script", n)
		}
	})
	t.Run("the style sheet is served", func(t *testing.T) {
		css := s.get(t, "/static/style.css")
		if css.status != 200 || !strings.HasPrefix(css.header.Get("Content-Type"), "text/css") || !strings.Contains(css.body, ".emergency-banner") {
			t.Errorf("style sheet: %d %q", css.status, css.header.Get("Content-Type"))
		}
	})
}

func TestCheck(t *testing.T) {
	s := newSite(t, "")
	tests := []struct {
		name  string
		form  url.Values
		level string
	}{
		{"plain soreness a day after deep tissue is expected", url.Values{"style": {"deep_tissue"}, "hours_since": {"24"}, "pain_lower_back": {"4"}}, "self_care"},
		{"soreness four days later needs advice", url.Values{"style": {"deep_tissue"}, "hours_since": {"96"}, "pain_upper_back": {"4"}}, "consult"},
		{"numbness needs advice", url.Values{"hours_since": {"24"}, "symptoms": {"numbness"}}, "consult"},
		{"chest pain is an emergency", url.Values{"hours_since": {"40"}, "symptoms": {"chest_pain"}}, "emergency"},
		{"a sentence alone is assessed", url.Values{"text": {"my calves are a bit sore since yesterday, no swelling"}}, "self_care"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := s.post(t, "/check", tt.form)
			if p.status != 200 {
				t.Fatalf("status %d: %s", p.status, p.body)
			}
			if got := p.level(); got != tt.level {
				t.Errorf("data-level %q, want %q", got, tt.level)
			}
			for _, part := range []string{`class="headline"`, `class="disclaimer"`, `class="reasons"`, "Source:", `class="card"`} {
				if !strings.Contains(p.body, part) {
					t.Errorf("the answer lacks %s", part)
				}
			}
			// The recovery window is shown unless the answer sends the client for care today or now.
			soon := tt.level == "urgent" || tt.level == "emergency"
			if has := strings.Contains(p.body, `class="recovery-chart"`) && strings.Contains(p.body, `class="recovery"`); has == soon {
				t.Errorf("the recovery window is shown: %v", has)
			}
			banner := strings.Contains(p.body, `class="emergency-banner"`)
			if banner != (tt.level == "emergency") {
				t.Errorf("emergency banner shown: %v", banner)
			}
		})
	}
	t.Run("every answer says when to get help before the plan", func(t *testing.T) {
		for _, form := range []url.Values{
			{"style": {"deep_tissue"}, "hours_since": {"24"}, "pain_lower_back": {"4"}},
			{"hours_since": {"24"}, "symptoms": {"numbness"}},
		} {
			p := s.post(t, "/check", form)
			help, plan := strings.Index(p.body, "data-get-help"), strings.Index(p.body, `id="plan-title"`)
			if help < 0 || plan < 0 || help > plan || help > strings.Index(p.body, `id="why-title"`) {
				t.Errorf("%s: get help at %d, the plan at %d", p.level(), help, plan)
			}
		}
	})
	t.Run("an urgent or emergency answer shows only the reasons that matter", func(t *testing.T) {
		for _, form := range []url.Values{
			{"style": {"deep_tissue"}, "hours_since": {"24"}, "pain_calves": {"3"}, "symptoms": {"calf_swelling"}},
			{"style": {"deep_tissue"}, "hours_since": {"24"}, "pain_neck": {"3"}, "symptoms": {"chest_pain"}},
		} {
			p := s.post(t, "/check", form)
			if lv := p.level(); lv != "urgent" && lv != "emergency" {
				t.Fatalf("level %s", lv)
			}
			for _, not := range []string{`data-level="self_care"`, `data-level="monitor"`, "data-get-help", `class="watch-for"`} {
				if strings.Contains(p.body, not) {
					t.Errorf("%s: the answer shows %s", p.level(), not)
				}
			}
			if !strings.Contains(p.body, `<ul class="reasons">`) || !strings.Contains(p.body, "What to do now") {
				t.Errorf("%s: no reason or no first steps", p.level())
			}
		}
	})
	t.Run("the emergency banner comes first, with a tel: link", func(t *testing.T) {
		p := s.post(t, "/check", url.Values{"symptoms": {"facial_droop"}})
		i := strings.Index(p.body, `class="emergency-banner"`)
		if i < 0 || i > strings.Index(p.body, "<header") || !strings.Contains(p.body[i:], `href="tel:999"`) {
			t.Errorf("banner at %d: %.800s", i, p.body)
		}
	})
	t.Run("the entered values are shown again", func(t *testing.T) {
		p := s.post(t, "/check", url.Values{"style": {"thai"}, "hours_since": {"12"}, "pain_neck": {"3"}, "symptoms": {"stiffness"}})
		for _, want := range []string{`<option value="thai" selected>`, `name="hours_since" min="0" max="8760" step="0.5" inputmode="decimal" value="12"`, `name="pain_neck" min="0" max="10" step="1" inputmode="numeric" value="3"`, `value="stiffness" checked`} {
			if !strings.Contains(p.body, want) {
				t.Errorf("the page lacks %s", want)
			}
		}
	})
	t.Run("what the text says is shown, negations included", func(t *testing.T) {
		// asked: past the question screen (how bad is the pain?), to the answer.
		p := s.post(t, "/check", url.Values{"text": {"my lower back aches, no numbness"}, "asked": {"1"}})
		if !strings.Contains(p.body, `data-code="numbness" data-negated="true"`) {
			t.Errorf("the negated finding is not shown: %.3000s", p.body)
		}
	})
	t.Run("typed markup is escaped", func(t *testing.T) {
		p := s.post(t, "/check", url.Values{"text": {`sore <script>alert(1)</script>`}})
		if strings.Contains(p.body, "<script>") {
			t.Error("the page holds the typed script")
		}
	})
	bad := []struct {
		name  string
		form  url.Values
		field string
	}{
		{"a pain of 11", url.Values{"pain_neck": {"11"}}, "pain_neck"},
		{"a pain that is not a number", url.Values{"pain_jaw": {"lots"}}, "pain_jaw"},
		{"negative hours", url.Values{"hours_since": {"-3"}, "pain_neck": {"2"}}, "hours_since"},
		{"hours that are not a number", url.Values{"hours_since": {"soon"}, "pain_neck": {"2"}}, "hours_since"},
		{"an unknown symptom", url.Values{"symptoms": {"gout"}}, "symptoms"},
		{"an unknown style", url.Values{"style": {"shiatsu"}, "pain_neck": {"2"}}, "style"},
		{"nothing to assess", url.Values{"style": {"swedish"}}, "request"},
	}
	for _, tt := range bad {
		t.Run("a form with "+tt.name+" is shown again with the error", func(t *testing.T) {
			p := s.post(t, "/check", tt.form)
			if p.status != 400 || !strings.Contains(p.body, `class="error" role="alert" data-field="`+tt.field+`"`) {
				t.Errorf("status %d: %.3000s", p.status, p.body)
			}
			if p.level() != "" {
				t.Error("an answer is shown for a bad form")
			}
			if strings.HasPrefix(tt.field, "pain_") || tt.field == "hours_since" {
				beside := regexp.MustCompile(`id="` + tt.field + `"[^>]*aria-invalid="true" aria-describedby="err-` + tt.field + `">\s*<p class="field-error" id="err-` + tt.field + `">[^<]+</p>`)
				if !beside.MatchString(p.body) {
					t.Error("the error is not beside its field")
				}
			}
			if area, ok := strings.CutPrefix(tt.field, "pain_"); ok && !strings.Contains(p.body, `invalid" data-area="`+area+`"`) {
				t.Error("the area is not marked on the body map")
			}
		})
	}
}

func TestEmergencyNumber(t *testing.T) {
	tests := []struct{ name, number, tel string }{
		{"the default number is 999", "", "tel:999"},
		{"another number is shown", "112", "tel:112"},
		{"a number is dialable as given", "+1 911", "tel:&#43;1911"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t, tt.number)
			p := s.post(t, "/check", url.Values{"symptoms": {"chest_pain"}})
			if !strings.Contains(p.body, `href="`+tt.tel+`"`) {
				t.Errorf("no link to %s: %.600s", tt.tel, p.body)
			}
		})
	}
}

func TestClientPages(t *testing.T) {
	s := newSite(t, "")
	ctx := context.Background()
	ended := s.now().Add(-26 * time.Hour)
	sess := &aftercare.Session{
		Style: "sports", Pressure: "firm", AreasWorked: []string{"hamstrings"},
		EndedAt: ended, LinkExpiresAt: ended.Add(14 * 24 * time.Hour),
		FollowUps: []aftercare.FollowUp{{Hours: 24, DueAt: ended.Add(24 * time.Hour), Status: "scheduled"}},
	}
	clinic, token := s.clientSession(t, sess)
	t.Run("the client's page is prefilled from the session", func(t *testing.T) {
		p := s.get(t, "/c/"+token)
		for _, want := range []string{"Calm Hands", "about 26 hours ago", "Sports, firm pressure", "Back of thighs (hamstrings)", `action="/c/` + token + `"`, "Step 1 of 2"} {
			if !strings.Contains(p.body, want) {
				t.Errorf("the page lacks %s", want)
			}
		}
		for _, asked := range []string{`name="style"`, `name="pressure"`, `name="hours_since"`, `name="areas_worked"`, "Step 1 of 3"} {
			if strings.Contains(p.body, asked) {
				t.Errorf("the page asks %s, which the session says", asked)
			}
		}
		if strings.Contains(p.body, "Kai") {
			t.Error("the page shows the client's name")
		}
		if strings.Contains(p.body, "Your check-ins") {
			t.Error("the page lists check-ins before any")
		}
	})
	t.Run("a check-in posted on the page is stored and listed", func(t *testing.T) {
		p := s.post(t, "/c/"+token, url.Values{"pain_hamstrings": {"5"}})
		if p.status != 200 || p.level() != "self_care" || !strings.Contains(p.body, "sent to your therapist") {
			t.Fatalf("status %d level %q: %.2000s", p.status, p.level(), p.body)
		}
		got, err := s.store.FindSession(ctx, clinic.ID, sess.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.CheckIns) != 1 || got.CheckIns[0].HoursSince != 26 || got.CheckIns[0].Request.Style != "sports" {
			t.Fatalf("check-ins %+v", got.CheckIns)
		}
		again := s.get(t, "/c/"+token)
		if !strings.Contains(again.body, "Your check-ins") || !strings.Contains(again.body, "worst pain 5/10") || !strings.Contains(again.body, `id="curve"`) {
			t.Errorf("the earlier check-in is not listed: %.3000s", again.body)
		}
		if !strings.Contains(again.body, `name="pain_hamstrings" min="0" max="10" step="1" inputmode="numeric" value="5"`) || !strings.Contains(again.body, "what you rated last time") {
			t.Error("the next check-in is not filled with the areas rated last time")
		}
	})
	t.Run("a check-in form sent twice (a reload, a second tap) is stored once, and the post is answered by a redirect", func(t *testing.T) {
		form := s.get(t, "/c/"+token)
		key := formKeyOf(t, form.body)
		before, _ := s.store.FindSession(ctx, clinic.ID, sess.ID)
		flagsBefore, _ := s.store.ListFlags(ctx, clinic.ID)
		v := url.Values{"key": {key}, "pain_hamstrings": {"6"}, "symptoms": {"numbness"}}
		var locations []string
		for range 2 {
			resp, err := noRedirect(s.srv.Client()).PostForm(s.srv.URL+"/c/"+token, v)
			if err != nil {
				t.Fatal(err)
			}
			p := read(t, resp)
			if p.status != http.StatusSeeOther {
				t.Fatalf("status %d, want 303", p.status)
			}
			locations = append(locations, p.header.Get("Location"))
		}
		if locations[0] != locations[1] || !strings.HasPrefix(locations[0], "/c/"+token+"?answer=") {
			t.Errorf("the two posts lead to %q", locations)
		}
		after, _ := s.store.FindSession(ctx, clinic.ID, sess.ID)
		flagsAfter, _ := s.store.ListFlags(ctx, clinic.ID)
		if len(after.CheckIns) != len(before.CheckIns)+1 || len(flagsAfter) != len(flagsBefore)+1 {
			t.Errorf("%d check-ins and %d flags stored, want one of each", len(after.CheckIns)-len(before.CheckIns), len(flagsAfter)-len(flagsBefore))
		}
		answer := s.get(t, locations[0])
		if answer.status != 200 || answer.level() != "consult" || !strings.Contains(answer.body, "sent to your therapist") {
			t.Errorf("the page the post leads to: status %d, level %q", answer.status, answer.level())
		}
		v.Set("pain_hamstrings", "2")
		if p := s.post(t, "/c/"+token, v); p.status != 200 {
			t.Fatalf("status %d", p.status)
		}
		changed, _ := s.store.FindSession(ctx, clinic.ID, sess.ID)
		if len(changed.CheckIns) != len(after.CheckIns)+1 {
			t.Error("the form changed and sent again under its key is not stored as a new check-in")
		}
		if next := formKeyOf(t, answer.body); next == key {
			t.Error("the page after a check-in offers the same key again")
		}
	})
	t.Run("the clinic's emergency number is shown to its client", func(t *testing.T) {
		p := s.post(t, "/c/"+token, url.Values{"symptoms": {"shortness_of_breath"}})
		if p.level() != "emergency" || !strings.Contains(p.body, `href="tel:112"`) {
			t.Errorf("level %q: %.1000s", p.level(), p.body)
		}
	})
	t.Run("a bad form on the page stores nothing", func(t *testing.T) {
		p := s.post(t, "/c/"+token, url.Values{"pain_hamstrings": {"12"}})
		if p.status != 400 {
			t.Errorf("status %d", p.status)
		}
		got, _ := s.store.FindSession(ctx, clinic.ID, sess.ID)
		if len(got.CheckIns) != 4 {
			t.Errorf("%d check-ins, want 4", len(got.CheckIns))
		}
	})
	bad := []struct{ name, path string }{
		{"an unknown link", "/c/c_" + strings.Repeat("Z", 43)},
		{"a mangled link", "/c/" + token[:len(token)-1]},
	}
	for _, tt := range bad {
		t.Run(tt.name+" shows the not-found page", func(t *testing.T) {
			for _, p := range []page{s.get(t, tt.path), s.post(t, tt.path, url.Values{"pain_neck": {"2"}})} {
				if p.status != 404 || !strings.Contains(p.body, "not valid") {
					t.Errorf("status %d: %.300s", p.status, p.body)
				}
			}
		})
	}
	t.Run("an expired link shows the not-found page", func(t *testing.T) {
		s.advance(15 * 24 * time.Hour)
		defer s.advance(-15 * 24 * time.Hour)
		if p := s.get(t, "/c/"+token); p.status != 404 {
			t.Errorf("status %d", p.status)
		}
	})
}

// clientSession stores sess for a new client Kai of a new clinic, Calm
// Hands (emergency number 112), and returns the clinic and the client's link token.
func (s *site) clientSession(t *testing.T, sess *aftercare.Session) (*aftercare.Clinic, string) {
	t.Helper()
	ctx := context.Background()
	clinic := &aftercare.Clinic{Name: "Calm Hands", EmergencyNumber: "112"}
	if err := s.store.CreateClinic(ctx, clinic); err != nil {
		t.Fatal(err)
	}
	client := &aftercare.Client{ClinicID: clinic.ID, Name: "Kai"}
	if err := s.store.CreateClient(ctx, client); err != nil {
		t.Fatal(err)
	}
	token, hash := aftercare.NewSecret("c_")
	sess.ClinicID, sess.ClientID = clinic.ID, client.ID
	if err := s.store.CreateSession(ctx, sess, hash); err != nil {
		t.Fatal(err)
	}
	return clinic, token
}

var formKeyField = regexp.MustCompile(`<input type="hidden" name="key" value="(k_[A-Za-z0-9_-]{43})">`)

// formKeyOf returns the one-time key of the first form of a page.
func formKeyOf(t *testing.T, body string) string {
	t.Helper()
	m := formKeyField.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("the form has no one-time key")
	}
	return m[1]
}

// noRedirect is c answering redirects as they come.
func noRedirect(c *http.Client) *http.Client {
	n := *c
	n.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &n
}

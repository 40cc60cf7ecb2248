package httpapi_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"aftercare"
	"aftercare/httpapi"
)

// serve runs one request in-process and returns the recorded answer.
func (h *harness) serve(req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.handler.ServeHTTP(rec, req)
	return rec
}

// FuzzLogin posts any body to POST /login: no panic, no 5xx, and a redirect
// never leaves the site. The password check is a plain comparison here: under
// the fuzzer's coverage instrumentation one Argon2id run takes seconds, and
// the hasher has tests of its own (package password); everything else is the
// real handler over a real store.
func FuzzLogin(f *testing.F) {
	h := newHarness(f, "SQLite", func(d *httpapi.Deps) {
		d.VerifyPassword = func(pw, encoded string) (bool, error) {
			return pw == staffPassword && encoded == hashedStaffPassword(f), nil
		}
	})
	email := "fuzz-owner@calm.example"
	h.createUser(f, h.clinic.ID, email, aftercare.RoleOwner)
	for _, seed := range []struct {
		body, contentType string
		json              bool
	}{
		{loginForm(email, staffPassword), "application/x-www-form-urlencoded", false},
		{loginForm(email, staffPassword, "next", "/staff/clients/1"), "application/x-www-form-urlencoded", false},
		{loginForm(email, staffPassword, "next", "//evil.example"), "application/x-www-form-urlencoded", false},
		{loginForm(email, "wrong password"), "application/x-www-form-urlencoded", true},
		{loginForm("nobody@calm.example", "x"), "application/x-www-form-urlencoded", false},
		{"email=&password=", "application/x-www-form-urlencoded", true},
		{"email=%zz&password=%", "application/x-www-form-urlencoded; charset=utf-8", false},
		{`{"email":"a@b.example","password":"x"}`, "application/json", true},
		{"email=a%00@b.example&password=x", "application/x-www-form-urlencoded", false},
		{"", "", false},
	} {
		f.Add(seed.body, seed.contentType, seed.json)
	}
	f.Fuzz(func(t *testing.T, body, contentType string, asJSON bool) {
		// Past any backoff, so that each input reaches the password check.
		h.clock.Advance(httpapi.MaxLoginBackoff + time.Second)
		req := httptest.NewRequest("POST", "/login", strings.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		if asJSON {
			req.Header.Set("Accept", "application/json")
		}
		rec := h.serve(req)
		if rec.Code >= 500 {
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		if loc := rec.Header().Get("Location"); loc != "" && (!strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.ContainsAny(loc, "\\\r\n")) {
			t.Fatalf("redirected off the site: %q", loc)
		}
	})
}

// FuzzCredentials sends any Authorization header and any session cookie to a
// clinic route: no panic, no 5xx, and nothing but the real token admits.
func FuzzCredentials(f *testing.F) {
	h := newHarness(f, "SQLite")
	for _, seed := range []string{
		"Bearer " + h.token, "bearer " + h.token, "Bearer  " + h.token + " ", "Bearer " + randomSecret(httpapi.TokenPrefix),
		"Bearer act_", "Bearer", "Basic dXNlcjpwYXNz", "Bearer c_" + strings.Repeat("A", 43), "Bearer " + h.token + "x",
		"Bearer act_" + strings.Repeat("\xff", 43), "",
	} {
		f.Add(seed, randomSecret(httpapi.SessionPrefix))
	}
	f.Add("", "acs_")
	f.Add("", "acs_"+strings.Repeat("é", 20))
	f.Fuzz(func(t *testing.T, authorization, session string) {
		req := httptest.NewRequest("GET", "/api/v1/clients", nil)
		if authorization != "" {
			req.Header["Authorization"] = []string{authorization}
		}
		req.Header["Cookie"] = []string{httpapi.SessionCookie + "=" + session}
		rec := h.serve(req)
		if rec.Code >= 500 {
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		if rec.Code == http.StatusOK && !strings.Contains(authorization, h.token) {
			t.Fatalf("admitted with Authorization %q and session %q", authorization, session)
		}
	})
}

// FuzzLinkToken opens any link token on the API's and the page's doors: no
// panic, no 5xx, and only the real link opens.
func FuzzLinkToken(f *testing.F) {
	h := newHarness(f, "SQLite")
	c := h.createClient(f, "Fuzz Link")
	sess := h.createSession(f, map[string]any{"client_id": c.ID})
	link := linkToken(sess.CheckInURL)
	for _, seed := range []string{link, link + "x", link[:len(link)-1], "c_", "c_" + strings.Repeat("-", 43), randomSecret("c_"),
		h.token, "c_" + strings.Repeat("é", 22), "..", "c_%2F", "c_\x00"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, token string) {
		for _, prefix := range []string{"/api/v1/checkin/", "/c/"} {
			req := httptest.NewRequest("GET", prefix+url.PathEscape(token), nil)
			rec := h.serve(req)
			if rec.Code >= 500 {
				t.Fatalf("%s: status %d: %s", prefix, rec.Code, rec.Body)
			}
			if rec.Code == http.StatusOK && token != link {
				t.Fatalf("%s%q opened a session", prefix, token)
			}
		}
	})
}

// FuzzClinicJSON posts any body to the JSON decoders of POST /api/v1/clients
// and POST /api/v1/sessions: no panic and no 5xx.
func FuzzClinicJSON(f *testing.F) {
	h := newHarness(f, "SQLite")
	c := h.createClient(f, "Fuzz Json")
	for _, seed := range []string{
		`{"name":"Ana","email":"ana@example.com"}`,
		fmt.Sprintf(`{"client_id":%d,"style":"sports","pressure":"deep","areas_worked":["calves"],"area_pressure":{"calves":"medium"},"ended_at":"2026-01-01T10:00:00Z","notes":"x"}`, c.ID),
		fmt.Sprintf(`{"client_id":%d}`, c.ID),
		`{"client_id":999999}`, `{"client_id":-1}`, `{"client_id":1e400}`, `{"name":null}`, `null`, `[]`, `{"name":"\ud800"}`,
		`{"area_pressure":{"":""}}`, `{"ended_at":"9999-12-31T23:59:59Z","client_id":1}`, `{"name":"a"} {"name":"b"}`, `{`, ``,
	} {
		f.Add(true, seed)
		f.Add(false, seed)
	}
	f.Fuzz(func(t *testing.T, sessions bool, body string) {
		path := "/api/v1/clients"
		if sessions {
			path = "/api/v1/sessions"
		}
		req := httptest.NewRequest("POST", path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+h.token)
		rec := h.serve(req)
		if rec.Code >= 500 {
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	})
}

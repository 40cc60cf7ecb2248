package httpapi_test

import (
	"crypto/tls"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"aftercare"
	"aftercare/httpapi"
)

func TestSecurityHeaders(t *testing.T) {
	h := newHarness(t, "SQLite")
	c := h.createClient(t, "Hedda Headers")
	sess := h.createSession(t, map[string]any{"client_id": c.ID})
	link := linkToken(sess.CheckInURL)
	tests := []struct {
		name, method, path string
		body               any
		opts               []reqOpt
		noStore            bool
	}{
		{"an API answer", "GET", "/api/v1/clients", nil, []reqOpt{bearer(h.token)}, true},
		{"an API error", "GET", "/api/v1/clients", nil, nil, true},
		{"an unknown path", "GET", "/nothing", nil, nil, false},
		{"the public assessment", "POST", "/api/v1/assessments", goodRequest, nil, false},
		{"the home page", "GET", "/", nil, nil, false},
		{"the style sheet", "GET", "/static/style.css", nil, nil, false},
		{"the client's link page", "GET", "/c/" + link, nil, nil, true},
		{"the client's link API", "GET", "/api/v1/checkin/" + link, nil, nil, true},
		{"a bad link", "GET", "/c/c_nothing", nil, nil, true},
		{"the sign-in page", "GET", "/login", nil, nil, true},
		{"a sign-in", "POST", "/login", "email=a@b.example&password=x", []reqOpt{form()}, true},
		{"a staff page refused", "GET", "/staff", nil, nil, true},
		{"a cross-origin refusal", "POST", "/api/v1/clients", `{"name":"x"}`, []reqOpt{bearer(h.token), header("Sec-Fetch-Site", "cross-site")}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name+" carries the security headers", func(t *testing.T) {
			r := h.do(tt.method, tt.path, tt.body, tt.opts...)
			want := map[string]string{
				"Content-Security-Policy": aftercare.ContentSecurityPolicy,
				"X-Content-Type-Options":  "nosniff",
				"X-Frame-Options":         "DENY",
				"Referrer-Policy":         "same-origin",
			}
			for k, v := range want {
				if got := r.header.Get(k); got != v {
					t.Errorf("%s %q, want %q", k, got, v)
				}
			}
			if got := r.header.Get("Strict-Transport-Security"); got != "" {
				t.Errorf("HSTS %q over plain HTTP", got)
			}
			if cc := r.header.Get("Cache-Control"); tt.noStore && cc != "no-store" {
				t.Errorf("Cache-Control %q, want no-store", cc)
			}
		})
	}
	t.Run("the policy allows no inline script", func(t *testing.T) {
		if strings.Contains(aftercare.ContentSecurityPolicy, "unsafe-inline") || !strings.Contains(aftercare.ContentSecurityPolicy, "script-src 'self'") {
			t.Errorf("policy %q", aftercare.ContentSecurityPolicy)
		}
	})
	t.Run("the style sheet may be cached", func(t *testing.T) {
		if cc := h.do("GET", "/static/style.css", nil).header.Get("Cache-Control"); !strings.Contains(cc, "max-age") {
			t.Errorf("Cache-Control %q", cc)
		}
	})
	t.Run("an answer over TLS carries HSTS and a Secure cookie", func(t *testing.T) {
		u := h.createUser(t, h.clinic.ID, fmt.Sprintf("tls-%d@calm.example", time.Now().UnixNano()), aftercare.RoleOwner)
		req := httptest.NewRequest("POST", "https://aftercare.example/login", strings.NewReader(loginForm(u.Email, staffPassword)))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.TLS = &tls.ConnectionState{}
		rec := httptest.NewRecorder()
		h.handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		if got := rec.Header().Get("Strict-Transport-Security"); got != httpapi.StrictTransportSecurity {
			t.Errorf("HSTS %q", got)
		}
		c := rec.Result().Cookies()
		if len(c) != 1 || !c[0].Secure || !c[0].HttpOnly {
			t.Errorf("cookies %+v: want one Secure, HttpOnly cookie", c)
		}
	})
}

func TestAssessmentRateLimit(t *testing.T) {
	h := newHarness(t, "SQLite", behindProxy, func(d *httpapi.Deps) { d.AssessRate = 3 })
	addr := uniqueAddr()
	t.Run("three assessments a minute from one address are answered", func(t *testing.T) {
		h.do("POST", "/api/v1/assessments", goodRequest, from(addr)).want(t, 200)
		h.do("POST", "/check", "hours_since=20&pain_quads=3", form(), from(addr)).want(t, 200)
		h.do("POST", "/cds-services/aftercare-checkin", `{"hookInstance":"x","hook":"patient-view","context":{"aftercare_request":{"text":"sore"}}}`, from(addr)).want(t, 200)
	})
	t.Run("the fourth is refused with 429 and Retry-After, naming the limit", func(t *testing.T) {
		for _, path := range []string{"/api/v1/assessments", "/check"} {
			var r *result
			if path == "/check" {
				r = h.do("POST", path, "hours_since=20&pain_quads=3", form(), from(addr))
			} else {
				r = h.do("POST", path, goodRequest, from(addr))
			}
			e := r.wantError(t, http.StatusTooManyRequests, aftercare.ERATELIMIT, "")
			if ra := r.header.Get("Retry-After"); ra != "20" {
				t.Errorf("Retry-After %q, want 20 (a minute over 3)", ra)
			}
			if !strings.Contains(e.Message, "3 a minute") {
				t.Errorf("message %q does not name the limit", e.Message)
			}
		}
	})
	t.Run("another address is not limited", func(t *testing.T) {
		h.do("POST", "/api/v1/assessments", goodRequest, from(uniqueAddr())).want(t, 200)
	})
	t.Run("the clinic API is not limited", func(t *testing.T) {
		for range 5 {
			h.api("GET", "/api/v1/flags", nil, from(addr)).want(t, 200)
		}
	})
	t.Run("after the wait the address is answered again", func(t *testing.T) {
		h.clock.Advance(20 * time.Second)
		h.do("POST", "/api/v1/assessments", goodRequest, from(addr)).want(t, 200)
		h.do("POST", "/api/v1/assessments", goodRequest, from(addr)).want(t, 429)
	})
}

func TestClientAddress(t *testing.T) {
	next := newRequestIDs("addr")
	tests := []struct {
		name    string
		proxied bool
		xff     string
		want    string
	}{
		{"without a trusted proxy X-Forwarded-For is ignored", false, "203.0.113.7", "127.0.0.1"},
		{"behind a trusted proxy the forwarded address is used", true, "203.0.113.7", "203.0.113.7"},
		{"behind a trusted proxy the nearest untrusted hop is used", true, "198.51.100.1, 203.0.113.7", "203.0.113.7"},
		{"behind a trusted proxy a garbled header falls back to the proxy", true, "not an address", "127.0.0.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var opts []func(*httpapi.Deps)
			if tt.proxied {
				opts = append(opts, behindProxy)
			}
			h := newHarness(t, "SQLite", opts...)
			id := next()
			h.do("GET", "/api/v1/clients", nil, from(tt.xff), requestIDOpt(id)).want(t, 401)
			if e := h.wantAudit(t, id, aftercare.OutcomeDenied, "anonymous"); e != nil && e.Address != tt.want {
				t.Errorf("address %q, want %q", e.Address, tt.want)
			}
		})
	}
}

func TestLogsKeepSecretsAndHealthDataOut(t *testing.T) {
	h := newHarness(t, "SQLite")
	email := fmt.Sprintf("secret-owner-%d@calm.example", time.Now().UnixNano())
	h.createUser(t, h.clinic.ID, email, aftercare.RoleOwner)
	r := h.do("POST", "/login", loginForm(email, staffPassword), form())
	sc := r.wantSignedIn(t)
	h.do("POST", "/login", loginForm(email, "a wrong password"), form()).want(t, http.StatusOK)
	c := h.createClient(t, "Jo Secretname")
	sess := h.createSession(t, map[string]any{"client_id": c.ID})
	link := linkToken(sess.CheckInURL)
	h.do("POST", "/api/v1/checkin/"+link, `{"health":["pregnant"],"text":"my calves ache terribly"}`).want(t, 201)
	h.do("GET", "/c/"+link, nil).want(t, 200)
	h.do("GET", "/api/v1/clients", nil, cookie(sc)).want(t, 200)
	h.do("GET", "/api/v1/clients", nil, bearer(randomSecret(httpapi.TokenPrefix))).want(t, 401)
	h.do("GET", "/api/v1/clients", nil, cookie(randomSecret(httpapi.SessionPrefix))).want(t, 401)
	logs := h.logs.String()
	for _, secret := range []string{h.token, link, sc, email, staffPassword, "a wrong password", "Secretname", "pregnant", "calves ache", "Bearer"} {
		if strings.Contains(logs, secret) {
			t.Errorf("the logs hold %q", secret)
		}
	}
	if !strings.Contains(logs, `"route":"POST /login"`) || !strings.Contains(logs, `"route":"GET /c/{token}"`) {
		t.Errorf("the logs lack the route patterns:\n%s", logs)
	}
	t.Run("the audit log holds route patterns, not paths with links", func(t *testing.T) {
		for _, e := range h.auditEntries(t) {
			if strings.Contains(e.Route, link) || strings.Contains(e.Object, link) {
				t.Errorf("audit entry %+v holds the link", e)
			}
		}
	})
}

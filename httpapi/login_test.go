package httpapi_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"html"
	"net/http"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"aftercare"
	"aftercare/httpapi"
)

// behindProxy puts the server behind a trusted proxy at the loopback
// address, so that a test can send requests from many addresses with X-Forwarded-For.
func behindProxy(d *httpapi.Deps) {
	d.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("::1/128")}
}

// wantSignedIn fails the test unless the answer signed in: 303 to the staff
// pages with a session cookie. It returns the cookie's value.
func (r *result) wantSignedIn(t testing.TB) string {
	t.Helper()
	r.want(t, http.StatusSeeOther)
	c := sessionCookieOf(r)
	if loc := r.header.Get("Location"); c == nil || c.MaxAge < 0 || c.Value == "" || !strings.HasPrefix(loc, "/staff") {
		t.Fatalf("not signed in: Location %q, cookie %+v", loc, c)
	}
	return c.Value
}

// keptEmailRE finds the value of the sign-in form's email field.
var keptEmailRE = regexp.MustCompile(`<input id="email" name="email"[^>]* value="([^"]*)"`)

// wantSignInAgain fails the test unless the answer is the sign-in page shown
// again after a refused sign-in, under status: HTML saying why beside the
// form, the email typed kept in its field (escaped) with the password
// focused, the password nowhere, no session cookie, and no redirect, so that
// no URL carries the email.
func (r *result) wantSignInAgain(t testing.TB, status int, email, pw string) {
	t.Helper()
	r.want(t, status)
	body := string(r.body)
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Fatalf("Content-Type %q, want the sign-in page", ct)
	}
	if !strings.Contains(body, `role="alert" id="login-error"`) || !strings.Contains(body, `aria-describedby="login-error"`) {
		t.Errorf("the page does not say why beside the form: %s", body)
	}
	m := keptEmailRE.FindStringSubmatch(body)
	if m == nil || html.UnescapeString(m[1]) != email {
		t.Errorf("the email field is %q, want %q", m, email)
	}
	if email != "" && !regexp.MustCompile(`<input id="password"[^>]* autofocus`).MatchString(body) {
		t.Error("the password field is not focused")
	}
	if pw != "" && strings.Contains(body, pw) {
		t.Error("the page carries the password")
	}
	if loc := r.header.Get("Location"); loc != "" {
		t.Errorf("Location %q", loc)
	}
	if sessionCookieOf(r) != nil {
		t.Error("a cookie was set")
	}
}

// from sends the request as if from addr, through the trusted proxy.
func from(addr string) reqOpt { return header("X-Forwarded-For", addr) }

// uniqueAddr returns a random documentation address (2001:db8::/32), in a
// /64 of its own, so that each attempt of a test comes from an address (and
// network) of its own.
func uniqueAddr() string {
	var b [16]byte
	_, _ = rand.Read(b[4:])
	b[0], b[1], b[2], b[3] = 0x20, 0x01, 0x0d, 0xb8
	return netip.AddrFrom16(b).String()
}

// login posts the sign-in form.
func (h *harness) login(email, pw string, opts ...reqOpt) *result {
	h.t.Helper()
	return h.do("POST", "/login", loginForm(email, pw), append([]reqOpt{form()}, opts...)...)
}

func TestLogin(t *testing.T) {
	forEachStore(t, func(t *testing.T, h *harness) {
		ctx := context.Background()
		tag := strconv.FormatInt(time.Now().UnixNano(), 36)
		email := "ana-" + tag + "@calm.example"
		owner := h.createUser(t, h.clinic.ID, email, aftercare.RoleOwner)
		addr := uniqueAddr()
		var first *http.Cookie
		t.Run("the right password signs in with a cookie and goes to the staff pages", func(t *testing.T) {
			id := newRequestIDs("login")()
			r := h.login(email, staffPassword, from(addr), requestIDOpt(id)).want(t, http.StatusSeeOther)
			if loc := r.header.Get("Location"); loc != "/staff" {
				t.Errorf("Location %q, want /staff", loc)
			}
			first = sessionCookieOf(r)
			if first == nil {
				t.Fatal("no session cookie")
			}
			if !first.HttpOnly || first.SameSite != http.SameSiteLaxMode || first.Path != "/" || first.Secure {
				t.Errorf("cookie %+v: want HttpOnly, SameSite=Lax, Path=/, not Secure over plain HTTP", first)
			}
			if first.MaxAge != 0 || !first.Expires.IsZero() || !strings.HasPrefix(first.Value, httpapi.SessionPrefix) {
				t.Errorf("cookie %+v: want one that ends with the browser (no Max-Age, no Expires)", first)
			}
			h.do("GET", "/api/v1/clients", nil, cookie(first.Value)).want(t, 200)
			if e := h.wantAudit(t, id, aftercare.OutcomeOK, fmt.Sprintf("user:%d", owner.ID)); e != nil && (e.Action != aftercare.AuditLogin || e.ClinicID != h.clinic.ID || e.Address != addr) {
				t.Errorf("audit entry %+v", e)
			}
		})
		t.Run("keep me signed in makes the cookie last the session's lifetime", func(t *testing.T) {
			r := h.do("POST", "/login", loginForm(email, staffPassword, "remember", "1"), form(), from(addr)).want(t, http.StatusSeeOther)
			c := sessionCookieOf(r)
			if c == nil || c.MaxAge != int(aftercare.SessionLifetime.Seconds()) {
				t.Errorf("cookie %+v: want Max-Age %d", c, int(aftercare.SessionLifetime.Seconds()))
			}
		})
		t.Run("signing in again replaces the session the browser held", func(t *testing.T) {
			r := h.login(email, staffPassword, from(addr), cookie(first.Value)).want(t, http.StatusSeeOther)
			second := sessionCookieOf(r)
			if second == nil || second.Value == first.Value {
				t.Fatalf("cookie %+v was not replaced", second)
			}
			h.do("GET", "/api/v1/clients", nil, cookie(first.Value)).wantError(t, 401, aftercare.EUNAUTHORIZED, httpapi.SessionCookie)
			h.do("GET", "/api/v1/clients", nil, cookie(second.Value)).want(t, 200)
			first = second
		})
		for _, tt := range []struct{ next, want string }{
			{"/staff/clients/7", "/staff/clients/7"},
			{"/staff?tab=flags", "/staff?tab=flags"},
			{"//evil.example/staff", "/staff"},
			{"https://evil.example/", "/staff"},
			{"/\\evil.example", "/staff"},
			{"javascript:alert(1)", "/staff"},
			{"/staff\r\nSet-Cookie: x=1", "/staff"},
		} {
			t.Run(fmt.Sprintf("next %q leads to %s", tt.next, tt.want), func(t *testing.T) {
				r := h.do("POST", "/login", loginForm(email, staffPassword, "next", tt.next), form(), from(addr)).want(t, http.StatusSeeOther)
				if loc := r.header.Get("Location"); loc != tt.want {
					t.Errorf("Location %q, want %q", loc, tt.want)
				}
			})
		}
		t.Run("a caller that asks for JSON gets the user", func(t *testing.T) {
			r := h.login(email, staffPassword, from(addr), header("Accept", "application/json")).want(t, 200)
			got := decode[struct {
				UserID int64  `json:"user_id"`
				Role   string `json:"role"`
			}](t, r)
			if got.UserID != owner.ID || got.Role != aftercare.RoleOwner || sessionCookieOf(r) == nil {
				t.Errorf("answer %s", r.body)
			}
		})
		t.Run("a wrong password shows the sign-in page again with the email and is audited", func(t *testing.T) {
			id := newRequestIDs("login")()
			h.login(email, "wrong password here", from(addr), requestIDOpt(id)).wantSignInAgain(t, http.StatusOK, email, "wrong password here")
			if e := h.wantAudit(t, id, aftercare.OutcomeDenied, "anonymous"); e != nil && (e.Action != aftercare.AuditLoginFailed || e.ClinicID != h.clinic.ID) {
				t.Errorf("audit entry %+v", e)
			}
			h.login(email, "wrong password here", from(addr), header("Accept", "application/json")).wantError(t, 401, aftercare.EUNAUTHORIZED, "password")
		})
		t.Run("an unknown email runs the password hasher too", func(t *testing.T) {
			before := h.verifies.Load()
			id := newRequestIDs("login")()
			h.login("nobody-"+tag+"@calm.example", staffPassword, from(uniqueAddr()), requestIDOpt(id)).wantSignInAgain(t, http.StatusOK, "nobody-"+tag+"@calm.example", staffPassword)
			if got := h.verifies.Load() - before; got != 1 {
				t.Errorf("%d password checks for an unknown email, want 1", got)
			}
			if e := h.wantAudit(t, id, aftercare.OutcomeDenied, "anonymous"); e != nil && e.ClinicID != 0 {
				t.Errorf("audit entry %+v: want no clinic", e)
			}
		})
		t.Run("the right password clears the email's failures", func(t *testing.T) {
			h.login(email, staffPassword, from(addr)).wantSignedIn(t)
			if n, _, err := h.store.LoginFailures(ctx, "email:"+email); err != nil || n != 0 {
				t.Errorf("failures %d, %v", n, err)
			}
		})
		t.Run("logging out ends the session and clears the cookie", func(t *testing.T) {
			id := newRequestIDs("logout")()
			r := h.do("POST", "/logout", nil, cookie(first.Value), requestIDOpt(id)).want(t, http.StatusSeeOther)
			if loc := r.header.Get("Location"); loc != "/login" {
				t.Errorf("Location %q", loc)
			}
			if c := sessionCookieOf(r); c == nil || c.MaxAge >= 0 {
				t.Errorf("cookie %+v is not cleared", c)
			}
			h.do("GET", "/api/v1/clients", nil, cookie(first.Value)).wantError(t, 401, aftercare.EUNAUTHORIZED, httpapi.SessionCookie)
			if e := h.wantAudit(t, id, aftercare.OutcomeOK, fmt.Sprintf("user:%d", owner.ID)); e != nil && e.Action != aftercare.AuditLogout {
				t.Errorf("audit entry %+v", e)
			}
		})
		t.Run("logging out without a session still clears the cookie", func(t *testing.T) {
			r := h.do("POST", "/logout", nil, header("Accept", "application/json")).want(t, http.StatusNoContent)
			if c := sessionCookieOf(r); c == nil || c.MaxAge >= 0 {
				t.Errorf("cookie %+v is not cleared", c)
			}
		})
		t.Run("a cross-origin sign-in is refused", func(t *testing.T) {
			h.login(email, staffPassword, from(addr), header("Sec-Fetch-Site", "cross-site"), header("Origin", "https://evil.example")).wantError(t, 403, aftercare.EFORBIDDEN, "Origin")
		})
		for _, tt := range []struct {
			name, body string
			opts       []reqOpt
			status     int
			code       string
			field      string
			// kept is the email the page shows again.
			kept string
		}{
			{"no email", "password=x", nil, 400, "invalid", "email", ""},
			{"no password", "email=" + email, nil, 400, "invalid", "password", email},
			{"an email that is not one", "email=nobody&password=x", nil, 400, "invalid", "email", "nobody"},
			{"an email with markup", "email=" + url.QueryEscape(`"><script>alert(1)</script>`) + "&password=x", nil, 400, "invalid", "email", `"><script>alert(1)</script>`},
			{"a JSON body", `{"email":"a@b.example","password":"x"}`, []reqOpt{header("Content-Type", "application/json")}, 415, "unsupported_media_type", "Content-Type", ""},
			{"a form of 17 KiB", "email=a@b.example&password=" + strings.Repeat("x", 17<<10), nil, 400, "invalid", "request", ""},
		} {
			t.Run("a sign-in with "+tt.name+" is refused without a password check", func(t *testing.T) {
				before := h.verifies.Load()
				opts := append([]reqOpt{form(), from(addr)}, tt.opts...)
				h.do("POST", "/login", tt.body, append(opts, header("Accept", "application/json"))...).wantError(t, tt.status, tt.code, tt.field)
				r := h.do("POST", "/login", tt.body, opts...)
				r.wantSignInAgain(t, http.StatusOK, tt.kept, "")
				if strings.Contains(string(r.body), "<script>alert") {
					t.Error("the email's markup is in the page unescaped")
				}
				if h.verifies.Load() != before {
					t.Error("the password was checked")
				}
			})
		}
	}, behindProxy)
}

func TestSessionExpiry(t *testing.T) {
	forEachStore(t, func(t *testing.T, h *harness) {
		tag := strconv.FormatInt(time.Now().UnixNano(), 36)
		email := "ben-" + tag + "@calm.example"
		h.createUser(t, h.clinic.ID, email, aftercare.RoleTherapist)
		signIn := func(t *testing.T) string {
			return h.login(email, staffPassword, from(uniqueAddr())).wantSignedIn(t)
		}
		t.Run("a sign-in used every 20 minutes stays live", func(t *testing.T) {
			c := signIn(t)
			for range 3 {
				h.clock.Advance(20 * time.Minute)
				h.do("GET", "/api/v1/flags", nil, cookie(c)).want(t, 200)
			}
		})
		t.Run("a sign-in unused for 30 minutes has ended", func(t *testing.T) {
			c := signIn(t)
			h.clock.Advance(aftercare.IdleTimeout - time.Minute)
			h.do("GET", "/api/v1/flags", nil, cookie(c)).want(t, 200)
			h.clock.Advance(aftercare.IdleTimeout + time.Second)
			r := h.do("GET", "/api/v1/flags", nil, cookie(c))
			r.wantError(t, 401, aftercare.EUNAUTHORIZED, httpapi.SessionCookie)
			if got := sessionCookieOf(r); got == nil || got.MaxAge >= 0 {
				t.Errorf("the ended cookie %+v is not cleared", got)
			}
		})
		t.Run("a sign-in ends 12 hours after it began, however much it is used", func(t *testing.T) {
			c := signIn(t)
			for elapsed := time.Duration(0); elapsed < aftercare.SessionLifetime-20*time.Minute; elapsed += 20 * time.Minute {
				h.clock.Advance(20 * time.Minute)
				h.do("GET", "/api/v1/flags", nil, cookie(c)).want(t, 200)
			}
			h.clock.Advance(20 * time.Minute)
			h.do("GET", "/api/v1/flags", nil, cookie(c)).wantError(t, 401, aftercare.EUNAUTHORIZED, httpapi.SessionCookie)
		})
	}, behindProxy)
}

func TestLoginThrottling(t *testing.T) {
	forEachStore(t, func(t *testing.T, h *harness) {
		tag := strconv.FormatInt(time.Now().UnixNano(), 36)
		newEmail := func(name string) string {
			email := name + "-" + tag + "@calm.example"
			h.createUser(t, h.clinic.ID, email, aftercare.RoleOwner)
			return email
		}
		wrong := "not the password at all"
		retryAfter := func(t *testing.T, r *result) int {
			t.Helper()
			r.want(t, http.StatusTooManyRequests)
			if !strings.Contains(string(r.body), "Too many attempts to sign in") || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
				t.Errorf("a browser's throttled sign-in is not the sign-in page saying so: %s %s", r.header.Get("Content-Type"), r.body)
			}
			n, err := strconv.Atoi(r.header.Get("Retry-After"))
			if err != nil {
				t.Fatalf("Retry-After %q", r.header.Get("Retry-After"))
			}
			return n
		}
		t.Run("an account tried from one address", func(t *testing.T) {
			email, addr := newEmail("cleo"), uniqueAddr()
			t.Run("five wrong passwords are not slowed", func(t *testing.T) {
				for range httpapi.FreeLoginAttempts {
					h.login(email, wrong, from(addr)).want(t, http.StatusOK)
				}
			})
			t.Run("the next attempt within a second is refused with 429 without checking the password", func(t *testing.T) {
				before := h.verifies.Load()
				r := h.login(email, staffPassword, from(addr))
				if n := retryAfter(t, r); n != 2 {
					t.Errorf("Retry-After %d, want 2 (the wait after this attempt)", n)
				}
				r.wantSignInAgain(t, http.StatusTooManyRequests, email, staffPassword)
				if h.verifies.Load() != before {
					t.Error("the password was checked")
				}
			})
			t.Run("the right password from another address signs in meanwhile", func(t *testing.T) {
				h.login(email, staffPassword, from(uniqueAddr())).wantSignedIn(t)
			})
			t.Run("after the wait Retry-After gave an attempt is checked, and the wait doubles", func(t *testing.T) {
				h.clock.Advance(2 * time.Second)
				h.login(email, wrong, from(addr)).want(t, http.StatusOK)
				if n := retryAfter(t, h.login(email, staffPassword, from(addr))); n != 8 {
					t.Errorf("Retry-After %d, want 8", n)
				}
			})
			t.Run("the right password after the wait signs in and clears the account's attempts from the address", func(t *testing.T) {
				h.clock.Advance(8 * time.Second)
				h.login(email, staffPassword, from(addr)).wantSignedIn(t)
				for range httpapi.FreeLoginAttempts {
					h.login(email, wrong, from(addr)).want(t, http.StatusOK)
				}
			})
		})
		t.Run("40 parallel wrong passwords for an account", func(t *testing.T) {
			email, addr := newEmail("dora"), uniqueAddr()
			before := h.verifies.Load()
			statuses := make([]int, 40)
			var wg sync.WaitGroup
			for i := range statuses {
				wg.Go(func() { statuses[i] = h.login(email, wrong, from(addr)).status })
			}
			var signedIn *result
			wg.Go(func() { signedIn = h.login(email, staffPassword, from(uniqueAddr())) })
			wg.Wait()
			t.Run("are at most the free attempts checked", func(t *testing.T) {
				if n := h.verifies.Load() - before - 1; n > httpapi.FreeLoginAttempts {
					t.Errorf("%d wrong passwords checked, want at most %d", n, httpapi.FreeLoginAttempts)
				}
			})
			t.Run("and the rest are refused with 429", func(t *testing.T) {
				checked := 0
				for _, st := range statuses {
					switch st {
					case http.StatusOK:
						checked++
					case http.StatusTooManyRequests:
					default:
						t.Errorf("status %d, want 200 or 429", st)
					}
				}
				if checked > httpapi.FreeLoginAttempts || checked == 0 {
					t.Errorf("%d answered as checked, want 1 to %d", checked, httpapi.FreeLoginAttempts)
				}
			})
			t.Run("while the right password from another address signs in", func(t *testing.T) {
				signedIn.wantSignedIn(t)
			})
		})
		t.Run("a guesser spread over many addresses", func(t *testing.T) {
			email, home := newEmail("edna"), uniqueAddr()
			h.login(email, staffPassword, from(home)).wantSignedIn(t)
			for range httpapi.FreeEmailAttempts {
				h.login(email, wrong, from(uniqueAddr())).want(t, http.StatusOK)
			}
			t.Run("is slowed from yet another address", func(t *testing.T) {
				retryAfter(t, h.login(email, staffPassword, from(uniqueAddr())))
			})
			t.Run("while the user signs in from an address they signed in from before", func(t *testing.T) {
				h.login(email, staffPassword, from(home)).wantSignedIn(t)
			})
		})
		t.Run("no account is ever locked for longer than 15 minutes", func(t *testing.T) {
			email := newEmail("fay")
			for range 40 {
				if _, _, err := h.store.ReserveLogin(context.Background(), aftercare.EmailLoginKey(email), h.clock.Now()); err != nil {
					t.Fatal(err)
				}
			}
			if n := retryAfter(t, h.login(email, staffPassword, from(uniqueAddr()))); n > int(httpapi.MaxLoginBackoff.Seconds()) {
				t.Errorf("Retry-After %d s is over 15 minutes", n)
			}
			h.clock.Advance(httpapi.MaxLoginBackoff)
			h.login(email, staffPassword, from(uniqueAddr())).wantSignedIn(t)
		})
		t.Run("an address with twenty failures is slowed for every account", func(t *testing.T) {
			email, addr := newEmail("gina"), uniqueAddr()
			for i := range httpapi.FreeAddressAttempts {
				h.login(fmt.Sprintf("guess%d-%s@calm.example", i, tag), wrong, from(addr)).want(t, http.StatusOK)
			}
			retryAfter(t, h.login(email, staffPassword, from(addr)))
			t.Run("while another address signs in", func(t *testing.T) {
				h.login(email, staffPassword, from(uniqueAddr())).wantSignedIn(t)
			})
		})
	}, behindProxy)
}

func TestDisabledUser(t *testing.T) {
	forEachStore(t, func(t *testing.T, h *harness) {
		ctx := context.Background()
		email := "hana-" + strconv.FormatInt(time.Now().UnixNano(), 36) + "@calm.example"
		u := h.createUser(t, h.clinic.ID, email, aftercare.RoleTherapist)
		jsonAnswer := header("Accept", "application/json")
		session := h.login(email, staffPassword, from(uniqueAddr())).wantSignedIn(t)
		at := h.clock.Now()
		if err := h.store.DisableUser(ctx, h.clinic.ID, u.ID, &at); err != nil {
			t.Fatal(err)
		}
		t.Run("a disabled user's sign-in has ended at once", func(t *testing.T) {
			h.do("GET", "/api/v1/clients", nil, cookie(session)).wantError(t, 401, aftercare.EUNAUTHORIZED, httpapi.SessionCookie)
		})
		t.Run("the right password is refused just as a wrong one is", func(t *testing.T) {
			wrong := h.login(email, "not the password at all", from(uniqueAddr()), jsonAnswer).wantError(t, 401, aftercare.EUNAUTHORIZED, "password")
			right := h.login(email, staffPassword, from(uniqueAddr()), jsonAnswer).wantError(t, 401, aftercare.EUNAUTHORIZED, "password")
			if right != wrong {
				t.Errorf("a disabled user's answer %+v differs from a wrong password's %+v", right, wrong)
			}
		})
		t.Run("a browser gets the sign-in page again, as for a wrong password", func(t *testing.T) {
			h.login(email, staffPassword, from(uniqueAddr())).wantSignInAgain(t, http.StatusOK, email, staffPassword)
		})
		t.Run("enabled again, the user signs in", func(t *testing.T) {
			if err := h.store.DisableUser(ctx, h.clinic.ID, u.ID, nil); err != nil {
				t.Fatal(err)
			}
			h.login(email, staffPassword, from(uniqueAddr())).wantSignedIn(t)
		})
	}, behindProxy)
}

func TestExpiringToken(t *testing.T) {
	forEachStore(t, func(t *testing.T, h *harness) {
		secret, hash := aftercare.NewSecret(httpapi.TokenPrefix)
		expires := h.clock.Now().Add(time.Hour)
		tok := &aftercare.APIToken{ClinicID: h.clinic.ID, Name: "an hour", Hash: hash, ExpiresAt: &expires}
		if err := h.store.CreateToken(context.Background(), tok); err != nil {
			t.Fatal(err)
		}
		t.Run("a token is accepted until its expiry", func(t *testing.T) {
			h.clock.Advance(time.Hour - time.Second)
			h.do("GET", "/api/v1/clients", nil, bearer(secret)).want(t, 200)
		})
		t.Run("at its expiry it is refused as a revoked one is", func(t *testing.T) {
			h.clock.Advance(time.Second)
			expired := h.do("GET", "/api/v1/clients", nil, bearer(secret)).wantError(t, 401, aftercare.EUNAUTHORIZED, "Authorization")
			if err := h.store.RevokeToken(context.Background(), h.clinic.ID, tok.ID, h.clock.Now()); err != nil {
				t.Fatal(err)
			}
			revoked := h.do("GET", "/api/v1/clients", nil, bearer(secret)).wantError(t, 401, aftercare.EUNAUTHORIZED, "Authorization")
			if expired != revoked {
				t.Errorf("an expired token's answer %+v differs from a revoked one's %+v", expired, revoked)
			}
		})
		t.Run("a token without an expiry is still accepted", func(t *testing.T) {
			h.api("GET", "/api/v1/clients", nil).want(t, 200)
		})
	})
}

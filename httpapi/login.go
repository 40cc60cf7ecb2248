package httpapi

import (
	"context"
	"crypto/sha256"
	"log/slog"
	"math"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"aftercare"
	"aftercare/password"
)

// Sign-in throttling. Each attempt is counted before its password is checked,
// in the statement that tells it whether it may go on, under three keys:
//
//   - the email from this address (network): FreeLoginAttempts free;
//   - the address across emails: FreeAddressAttempts free;
//   - the email across addresses: FreeEmailAttempts free, against a guesser
//     spread over many addresses. It is not applied from a network where the
//     user signed in before (within KnownAddressLifetime), so that a stranger
//     failing a staff member's sign-in does not lock them out.
//
// Past a key's free attempts, each further attempt must come a backoff after
// the one before it, doubling from FirstLoginBackoff up to MaxLoginBackoff:
// no one is locked out for longer than MaxLoginBackoff after the last attempt.
// A success clears the email's count from this address and releases its own
// attempt under the other two keys.
const (
	// FreeLoginAttempts is how many attempts an email may have from one address before they are slowed.
	FreeLoginAttempts = 5
	// FreeAddressAttempts is how many attempts an address may have, across emails, before they are slowed.
	FreeAddressAttempts = 20
	// FreeEmailAttempts is how many attempts an email may have, across addresses not known for it, before they are slowed.
	FreeEmailAttempts = 20
	// FirstLoginBackoff is the wait after the first attempt past the free ones.
	FirstLoginBackoff = time.Second
	// MaxLoginBackoff is the longest wait, however many attempts.
	MaxLoginBackoff = 15 * time.Minute
	// KnownAddressLifetime is how long a network a user signed in from is remembered.
	KnownAddressLifetime = 90 * 24 * time.Hour
)

// loginBackoff is the wait after the last of n attempts, free of them.
func loginBackoff(n, free int) time.Duration {
	if n < free {
		return 0
	}
	shift := n - free
	if shift >= 20 {
		return MaxLoginBackoff
	}
	return min(FirstLoginBackoff<<shift, MaxLoginBackoff)
}

// throttleKey is a key sign-in attempts are counted under, with its free attempts.
type throttleKey struct {
	key  string
	free int
	// clear is true when a success forgets every attempt of the key, not only its own.
	clear bool
}

// loginPlace is the hash under which a network a user signed in from is remembered.
func loginPlace(email, network string) []byte {
	sum := sha256.Sum256([]byte(strings.ToLower(email) + "\x00" + network))
	return sum[:]
}

// reserveLogin counts the attempt under each key in turn, and stops at the
// first key that refuses it: one whose attempts before this one are past its
// free ones and whose last came less than their backoff ago. It returns the
// keys the attempt was counted under and, when refused, the wait before
// another attempt may go on (the backoff after this one; 0 when it may go on).
func (s *server) reserveLogin(ctx context.Context, keys []throttleKey, now time.Time) ([]throttleKey, time.Duration, error) {
	for i, k := range keys {
		n, prev, err := s.store.ReserveLogin(ctx, k.key, aftercare.StoredTime(now))
		if err != nil {
			return keys[:i], 0, err
		}
		if n-1 >= k.free && now.Before(prev.Add(loginBackoff(n-1, k.free))) {
			return keys[:i+1], loginBackoff(n, k.free), nil
		}
	}
	return keys, 0, nil
}

// maxLoginFormBytes bounds the sign-in form.
const maxLoginFormBytes = 16 << 10

// loginInput is the sign-in form.
type loginInput struct {
	email, password, next string
	// remember is "keep me signed in": the cookie outlives the browser.
	remember bool
}

// readLoginForm reads the form fields email, password, next and remember from the
// body; fields in the URL's query are ignored, so a password never travels in one.
func readLoginForm(w http.ResponseWriter, r *http.Request) (loginInput, error) {
	var in loginInput
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/x-www-form-urlencoded" {
		return in, aftercare.Errorf(aftercare.EUNSUPPORTED, "Content-Type", "the sign-in form must be sent as Content-Type: application/x-www-form-urlencoded")
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxLoginFormBytes)
	if err := r.ParseForm(); err != nil {
		return in, aftercare.Errorf(aftercare.EINVALID, "request", "the sign-in form could not be read (at most %d bytes)", maxLoginFormBytes)
	}
	in.email = strings.TrimSpace(r.PostForm.Get("email"))
	in.password = r.PostForm.Get("password")
	in.next = r.PostForm.Get("next")
	in.remember = r.PostForm.Get("remember") != ""
	if in.email == "" {
		return in, aftercare.Errorf(aftercare.EINVALID, "email", "email is required: the address you sign in with")
	}
	if err := aftercare.ValidateEmail("email", in.email); err != nil {
		return in, err
	}
	if in.password == "" {
		return in, aftercare.Errorf(aftercare.EINVALID, "password", "password is required")
	}
	return in, nil
}

// wantsJSON reports whether the caller asked for JSON answers rather than pages.
func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}

// loginResult is the JSON answer to a successful sign-in.
type loginResult struct {
	UserID    int64     `json:"user_id"`
	ClinicID  int64     `json:"clinic_id"`
	Email     string    `json:"email"`
	Role      string    `json:"role"`
	IdleUntil time.Time `json:"idle_until"`
	ExpiresAt time.Time `json:"expires_at"`
}

// login answers POST /login: it counts the attempt under the throttle's keys
// and goes on only when they allow it, then checks the password (against a dummy hash for an unknown email), and
// on success starts a new staff session in place of any the browser held.
// A browser signed in is sent on (303, to next or /staff); one refused gets
// the sign-in page again with the email it typed (see loginAgain). Callers
// that ask for JSON get 200 or 401.
func (s *server) login(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	in, err := readLoginForm(w, r)
	if err != nil {
		if wantsJSON(r) {
			return err
		}
		s.loginAgain(w, r, in)
		return nil
	}
	now := s.now()
	meta := aftercare.RequestMetaFrom(ctx)
	network := addressKey(meta.Address)
	place := loginPlace(in.email, network)
	email, addr := aftercare.EmailLoginKey(in.email), "addr:"+network
	keys := []throttleKey{{key: email + " " + addr, free: FreeLoginAttempts, clear: true}, {key: addr, free: FreeAddressAttempts}}
	known, err := s.store.KnownLoginAddress(ctx, place, now.Add(-KnownAddressLifetime))
	if err != nil {
		return err
	}
	if !known {
		keys = append(keys, throttleKey{key: email, free: FreeEmailAttempts})
	}
	keys, wait, err := s.reserveLogin(ctx, keys, now)
	if err != nil {
		return err
	}
	if wait > 0 {
		secs := max(1, int(math.Ceil(wait.Seconds())))
		s.audit(ctx, &aftercare.AuditEntry{Actor: "anonymous", Action: aftercare.AuditLoginFailed, Object: "throttled", Outcome: aftercare.OutcomeDenied})
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		if !wantsJSON(r) && s.web != nil {
			s.loginPage(w, r, "throttled", in, http.StatusTooManyRequests)
			return nil
		}
		return aftercare.Errorf(aftercare.ERATELIMIT, "", "too many sign-in attempts for this account or from this address; try again in %d s", secs)
	}

	u, err := s.store.FindUserByEmail(ctx, in.email)
	if err != nil && aftercare.ErrorCode(err) != aftercare.ENOTFOUND {
		return err
	}
	hash := password.Dummy()
	if u != nil {
		hash = u.PasswordHash
	}
	ok := false
	if len(in.password) <= password.MaxLength {
		release, err := s.checks.enter(ctx, addressKey(meta.Address))
		if err != nil {
			w.Header().Set("Retry-After", "1")
			if !wantsJSON(r) && s.web != nil {
				s.loginPage(w, r, "busy", in, statusOf[aftercare.ErrorCode(err)])
				return nil
			}
			return err
		}
		ok, err = s.verify(in.password, hash)
		release()
		if err != nil {
			s.logger.LogAttrs(ctx, slog.LevelError, "a stored password hash cannot be read",
				slog.String("request_id", meta.RequestID), slog.String("error", err.Error()))
			ok = false
		}
	}
	// A disabled user is refused as a wrong password is: no hint either way.
	if u == nil || !ok || aftercare.RoleScopes(u.Role) == nil || u.DisabledAt != nil {
		return s.loginFailed(w, r, in, u)
	}

	for _, k := range keys {
		release := s.store.ReleaseLogin
		if k.clear {
			release = s.store.ClearLoginFailures
		}
		if err := release(ctx, k.key); err != nil {
			return err
		}
	}
	if err := s.store.RememberLoginAddress(ctx, place, now, now.Add(-KnownAddressLifetime)); err != nil {
		return err
	}
	if old, err := r.Cookie(SessionCookie); err == nil && parseSecret(old.Value, SessionPrefix) {
		if err := s.store.DeleteStaffSession(ctx, aftercare.HashSecret(old.Value)); err != nil {
			return err
		}
	}
	secret, sum := aftercare.NewSecret(SessionPrefix)
	at := aftercare.StoredTime(now)
	ss := &aftercare.StaffSession{
		ClinicID: u.ClinicID, UserID: u.ID, Hash: sum, Address: meta.Address,
		CreatedAt: at, LastSeenAt: at, IdleUntil: at.Add(aftercare.IdleTimeout), ExpiresAt: at.Add(aftercare.SessionLifetime),
	}
	if err := s.store.CreateStaffSession(ctx, ss); err != nil {
		return err
	}
	if err := s.store.AppendAudit(ctx, s.entry(ctx, &aftercare.AuditEntry{
		ClinicID: u.ClinicID, Actor: (&aftercare.Principal{UserID: u.ID}).Actor(), Action: aftercare.AuditLogin,
		Object: "user/" + strconv.FormatInt(u.ID, 10), Outcome: aftercare.OutcomeOK,
	})); err != nil {
		_ = s.store.DeleteStaffSession(ctx, sum)
		return err
	}
	// Without "keep me signed in" the cookie ends with the browser (on a
	// shared front-desk computer); the session's own limits hold either way.
	maxAge := 0
	if in.remember {
		maxAge = int(aftercare.SessionLifetime.Seconds())
	}
	http.SetCookie(w, s.sessionCookie(r, secret, maxAge))
	if wantsJSON(r) {
		writeJSON(w, http.StatusOK, loginResult{
			UserID: u.ID, ClinicID: u.ClinicID, Email: u.Email, Role: u.Role, IdleUntil: ss.IdleUntil, ExpiresAt: ss.ExpiresAt,
		})
		return nil
	}
	http.Redirect(w, r, safeNext(in.next), http.StatusSeeOther)
	return nil
}

// loginFailed audits a failed sign-in (under the user's clinic when the email
// is a user's) and answers; the attempt stays counted.
func (s *server) loginFailed(w http.ResponseWriter, r *http.Request, in loginInput, u *aftercare.User) error {
	ctx := r.Context()
	e := &aftercare.AuditEntry{Actor: "anonymous", Action: aftercare.AuditLoginFailed, Outcome: aftercare.OutcomeDenied}
	if u != nil {
		e.ClinicID, e.Object = u.ClinicID, "user/"+strconv.FormatInt(u.ID, 10)
	}
	s.audit(ctx, e)
	if wantsJSON(r) {
		return aftercare.Errorf(aftercare.EUNAUTHORIZED, "password", "the email or the password is wrong")
	}
	s.loginAgain(w, r, in)
	return nil
}

// loginAgain answers a browser's refused sign-in with the sign-in page again,
// the email it typed kept in the form (the password focused), under 200: the
// answer is the sign-in page, as GET /login is, and the page and the audit
// log say it was refused. No 4xx fits a form shown again: 401 would need a
// WWW-Authenticate challenge no browser can answer, 422 says the form could
// not be read, and a front proxy may put its own error page in place of a
// 4xx's body, losing the form. The email is never put in a URL (which ends
// in logs and the browser's history). Without the pages, the browser goes
// back to /login?error=1.
func (s *server) loginAgain(w http.ResponseWriter, r *http.Request, in loginInput) {
	if s.web == nil {
		http.Redirect(w, r, loginURL("1", in.next), http.StatusSeeOther)
		return
	}
	s.loginPage(w, r, "1", in, http.StatusOK)
}

// loginURL is the sign-in page showing an error, keeping a safe next.
func loginURL(errorCode, next string) string {
	q := url.Values{"error": {errorCode}}
	if next != "" {
		q.Set("next", safeNext(next))
	}
	return "/login?" + q.Encode()
}

// loginPage answers a browser with the pages' own sign-in page, showing an
// error, under the given status (such as 429 with its Retry-After). The
// email typed is passed to the page as the only form value of the internal
// request (web reads it from PostForm, which a GET's URL never fills); the
// password is not passed on.
func (s *server) loginPage(w http.ResponseWriter, r *http.Request, errorCode string, in loginInput, status int) {
	page := r.Clone(r.Context())
	page.Method, page.Body, page.ContentLength = http.MethodGet, http.NoBody, 0
	page.Form, page.MultipartForm = nil, nil
	page.PostForm = url.Values{"email": {in.email}}
	page.URL = &url.URL{Path: "/login", RawQuery: strings.TrimPrefix(loginURL(errorCode, in.next), "/login?")}
	page.RequestURI = page.URL.RequestURI()
	s.web.ServeHTTP(&statusWriter{ResponseWriter: w, status: status}, page)
}

// statusWriter answers with a set status in place of the one the handler writes.
type statusWriter struct {
	http.ResponseWriter
	status  int
	written bool
}

func (sw *statusWriter) WriteHeader(int) {
	if !sw.written {
		sw.written = true
		sw.ResponseWriter.WriteHeader(sw.status)
	}
}

func (sw *statusWriter) Write(b []byte) (int, error) {
	sw.WriteHeader(sw.status)
	return sw.ResponseWriter.Write(b)
}

// logout answers POST /logout: it ends the browser's staff session, if any,
// and has the browser forget the cookie.
func (s *server) logout(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if c, err := r.Cookie(SessionCookie); err == nil && parseSecret(c.Value, SessionPrefix) {
		if err := s.store.DeleteStaffSession(ctx, aftercare.HashSecret(c.Value)); err != nil {
			return err
		}
	}
	if p := aftercare.PrincipalFrom(ctx); p != nil && p.UserID != 0 {
		s.audit(ctx, &aftercare.AuditEntry{
			ClinicID: p.ClinicID, Actor: p.Actor(), Action: aftercare.AuditLogout,
			Object: "user/" + strconv.FormatInt(p.UserID, 10), Outcome: aftercare.OutcomeOK,
		})
	}
	http.SetCookie(w, s.sessionCookie(r, "", -1))
	if wantsJSON(r) {
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

// safeNext returns next when it is a path on this site, else /staff: never
// another site ("//evil.example", "https://…", "/\evil.example").
func safeNext(next string) string {
	const home = "/staff"
	if next == "" || len(next) > 2000 || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") {
		return home
	}
	for _, c := range next {
		if c == '\\' || c < 0x20 || c == 0x7f {
			return home
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return home
	}
	return next
}

// entry fills an audit entry's time and request details.
func (s *server) entry(ctx context.Context, e *aftercare.AuditEntry) *aftercare.AuditEntry {
	meta := aftercare.RequestMetaFrom(ctx)
	e.At = aftercare.StoredTime(s.now())
	e.Address, e.RequestID, e.Route = meta.Address, meta.RequestID, meta.Route
	return e
}

// audit writes an entry of the request; a failure to write it is logged.
func (s *server) audit(ctx context.Context, e *aftercare.AuditEntry) {
	if err := s.store.AppendAudit(ctx, s.entry(ctx, e)); err != nil {
		s.logger.LogAttrs(ctx, slog.LevelError, "audit entry not written",
			slog.String("request_id", requestID(ctx)), slog.String("error", err.Error()))
	}
}

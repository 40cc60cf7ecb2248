package httpapi_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"aftercare"
	"aftercare/httpapi"
	"aftercare/password"
)

// staffPassword is the password of every staff user the tests make.
const staffPassword = "correct horse battery staple"

var (
	staffHashOnce sync.Once
	staffHash     string
)

// hashedStaffPassword is staffPassword's Argon2id hash, made once.
func hashedStaffPassword(t testing.TB) string {
	staffHashOnce.Do(func() {
		var err error
		if staffHash, err = password.Hash(staffPassword); err != nil {
			t.Fatal(err)
		}
	})
	return staffHash
}

// createUser stores a staff user of the clinic with staffPassword.
func (h *harness) createUser(t testing.TB, clinicID int64, email, role string) *aftercare.User {
	t.Helper()
	u := &aftercare.User{ClinicID: clinicID, Email: email, Role: role, PasswordHash: hashedStaffPassword(t)}
	if err := h.store.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

// signIn stores a live staff session of the user directly, as POST /login
// would, and returns the cookie's value.
func (h *harness) signIn(t testing.TB, u *aftercare.User) string {
	t.Helper()
	return h.storeSession(t, u, h.clock.Now(), aftercare.SessionLifetime)
}

// storeSession stores a staff session of u that began at start and ends
// after lifetime (or after the idle timeout, whichever is first).
func (h *harness) storeSession(t testing.TB, u *aftercare.User, start time.Time, lifetime time.Duration) string {
	t.Helper()
	secret, hash := aftercare.NewSecret(httpapi.SessionPrefix)
	start = aftercare.StoredTime(start)
	ss := &aftercare.StaffSession{
		ClinicID: u.ClinicID, UserID: u.ID, Hash: hash, Address: "127.0.0.1",
		CreatedAt: start, LastSeenAt: start, IdleUntil: start.Add(min(aftercare.IdleTimeout, lifetime)), ExpiresAt: start.Add(lifetime),
	}
	if err := h.store.CreateStaffSession(context.Background(), ss); err != nil {
		t.Fatal(err)
	}
	return secret
}

// cookie sends a staff session cookie.
func cookie(value string) reqOpt {
	return func(r *http.Request) { r.AddCookie(&http.Cookie{Name: httpapi.SessionCookie, Value: value}) }
}

// form sends the body as a form.
func form() reqOpt {
	return header("Content-Type", "application/x-www-form-urlencoded")
}

// requestID tags a request so its audit entry can be found.
func requestIDOpt(id string) reqOpt { return header("X-Request-Id", id) }

// loginForm is the sign-in form's body.
func loginForm(email, pw string, extra ...string) string {
	v := url.Values{"email": {email}, "password": {pw}}
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	return v.Encode()
}

// sessionCookieOf returns the session cookie a response set, or nil.
func sessionCookieOf(r *result) *http.Cookie {
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if c.Name == httpapi.SessionCookie {
			return c
		}
	}
	return nil
}

// auditEntries returns every audit entry of the store: each clinic's, and
// those tied to no clinic, which aftercare.Store does not list, read with SQL.
func (h *harness) auditEntries(t testing.TB) []*aftercare.AuditEntry {
	t.Helper()
	ctx := context.Background()
	var all []*aftercare.AuditEntry
	clinics, err := h.store.ListClinics(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range clinics {
		es, err := h.store.ListAudit(ctx, c.ID, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, es...)
	}
	const q = `SELECT actor, action, object, outcome, address, request_id, route FROM audit_log WHERE clinic_id IS NULL`
	scan := func(actor, action, object, outcome, address, requestID, route string) {
		all = append(all, &aftercare.AuditEntry{Actor: actor, Action: action, Object: object, Outcome: outcome,
			Address: address, RequestID: requestID, Route: route})
	}
	switch h.kind {
	case "SQLite":
		db := h.sqliteDB(t)
		rows, err := db.QueryContext(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var f [7]string
			if err := rows.Scan(&f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6]); err != nil {
				t.Fatal(err)
			}
			scan(f[0], f[1], f[2], f[3], f[4], f[5], f[6])
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	case "PostgreSQL":
		conn := h.postgresConn(t)
		rows, err := conn.Query(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var f [7]string
			if err := rows.Scan(&f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6]); err != nil {
				t.Fatal(err)
			}
			scan(f[0], f[1], f[2], f[3], f[4], f[5], f[6])
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	}
	return all
}

// auditOf returns the audit entries written for one request id.
func (h *harness) auditOf(t testing.TB, requestID string) []*aftercare.AuditEntry {
	t.Helper()
	var out []*aftercare.AuditEntry
	for _, e := range h.auditEntries(t) {
		if e.RequestID == requestID {
			out = append(out, e)
		}
	}
	return out
}

// wantAudit fails the test unless the request left an entry with this outcome
// and, when actor is not empty, this actor.
func (h *harness) wantAudit(t testing.TB, requestID, outcome, actor string) *aftercare.AuditEntry {
	t.Helper()
	es := h.auditOf(t, requestID)
	for _, e := range es {
		if e.Outcome == outcome && (actor == "" || e.Actor == actor) {
			return e
		}
	}
	var got []string
	for _, e := range es {
		got = append(got, fmt.Sprintf("%s %s %s %s", e.Actor, e.Action, e.Object, e.Outcome))
	}
	t.Errorf("request %s left no %q audit entry by %q; it left %v", requestID, outcome, actor, got)
	return nil
}

// sqliteDB opens the SQLite file of the harness's store for reading.
func (h *harness) sqliteDB(t testing.TB) *sql.DB {
	t.Helper()
	p, ok := h.store.(interface{ Path() string })
	if !ok {
		t.Fatal("the SQLite store does not tell its path")
	}
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: p.Path()}).EscapedPath()+"?_query_only=on&_busy_timeout=10000")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// postgresConn connects to the PostgreSQL database of this test run.
func (h *harness) postgresConn(t testing.TB) *pgx.Conn {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, pgURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// hasAny reports whether body holds any of the markers.
func hasAny(body []byte, markers ...string) string {
	for _, m := range markers {
		if m != "" && strings.Contains(string(body), m) {
			return m
		}
	}
	return ""
}

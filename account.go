package aftercare

import (
	"context"
	"slices"
	"strconv"
	"time"
)

// Scopes an API token may carry. A staff session has every scope its role allows.
const (
	// ScopeRead reads clients, screenings, sessions, check-ins and flags.
	ScopeRead = "read"
	// ScopeWrite creates clients, screenings, sessions and check-ins, and acknowledges flags.
	ScopeWrite = "write"
	// ScopeExport downloads exports (CSV, a client's JSON, iCalendar).
	ScopeExport = "export"
	// ScopeErase erases a client and everything held on them.
	ScopeErase = "erase"
)

// Scopes lists every token scope, in the order they are shown.
var Scopes = []string{ScopeRead, ScopeWrite, ScopeExport, ScopeErase}

// DefaultTokenScopes are the scopes of a token created without naming any.
var DefaultTokenScopes = []string{ScopeRead, ScopeWrite}

// Lifetimes of a staff session: it ends after IdleTimeout without a request,
// and after SessionLifetime whatever happens.
const (
	// IdleTimeout ends a staff session left unused this long.
	IdleTimeout = 30 * time.Minute
	// SessionLifetime ends every staff session this long after sign-in.
	SessionLifetime = 12 * time.Hour
)

// StaffSession is a signed-in staff member's session. The cookie holds a
// random secret; only its hash is stored.
type StaffSession struct {
	ID       int64
	ClinicID int64
	UserID   int64
	Hash     []byte
	// Address is the network address the session signed in from.
	Address    string
	CreatedAt  time.Time
	LastSeenAt time.Time
	// IdleUntil is when the session ends unless it is used before; each use moves it on.
	IdleUntil time.Time
	// ExpiresAt is when the session ends, used or not.
	ExpiresAt time.Time
	// User is the session's user, filled by FindStaffSession.
	User *User
}

// Live reports whether the session may still be used at time at.
func (s *StaffSession) Live(at time.Time) bool {
	return at.Before(s.IdleUntil) && at.Before(s.ExpiresAt)
}

// AuditEntry is one line of a clinic's audit log: who did what to which record,
// when, from where and with what outcome. It never holds health data itself.
type AuditEntry struct {
	ID int64 `json:"id"`
	// ClinicID is the clinic whose data was concerned, or 0 when the caller could not be tied to one.
	ClinicID int64     `json:"clinic_id,omitempty"`
	At       time.Time `json:"at"`
	// Actor is who acted: "user:3", "token:5", "link:session/7", "cli" or "anonymous".
	Actor string `json:"actor"`
	// Action is one of the Audit* actions.
	Action string `json:"action"`
	// Object is what was concerned, such as "client/12", "session/3", "flags"; empty when none.
	Object string `json:"object,omitempty"`
	// ClientID is the client whose data was concerned, or 0.
	ClientID int64 `json:"client_id,omitempty"`
	// Outcome is "ok" or "denied".
	Outcome string `json:"outcome"`
	// Address is the caller's network address.
	Address string `json:"address,omitempty"`
	// RequestID ties the entry to the access log.
	RequestID string `json:"request_id,omitempty"`
	// Route is the route pattern, such as "GET /api/v1/clients/{id}".
	Route string `json:"route,omitempty"`
}

// Audit actions.
const (
	AuditRead        = "read"
	AuditCreate      = "create"
	AuditUpdate      = "update"
	AuditExport      = "export"
	AuditErase       = "erase"
	AuditLogin       = "login"
	AuditLoginFailed = "login_failed"
	AuditLogout      = "logout"
	// AuditDenied records a refused attempt (no, wrong, expired or revoked credential, or another clinic's record).
	AuditDenied = "denied"
)

// Audit outcomes.
const (
	OutcomeOK     = "ok"
	OutcomeDenied = "denied"
)

// Principal is who makes a request on the clinic side: a signed-in staff user
// or an API token, always of exactly one clinic.
type Principal struct {
	ClinicID int64
	// UserID is the staff user, or 0 for an API token.
	UserID int64
	// TokenID is the API token, or 0 for a staff user.
	TokenID int64
	// Email is the staff user's address, empty for a token.
	Email string
	// Role is the staff user's role, empty for a token.
	Role string
	// Scopes are what the principal may do.
	Scopes []string
}

// Actor names the principal in the audit log: "user:ID" or "token:ID".
func (p *Principal) Actor() string {
	if p == nil {
		return "anonymous"
	}
	if p.UserID != 0 {
		return "user:" + strconv.FormatInt(p.UserID, 10)
	}
	return "token:" + strconv.FormatInt(p.TokenID, 10)
}

// Can reports whether the principal holds a scope.
func (p *Principal) Can(scope string) bool {
	return p != nil && slices.Contains(p.Scopes, scope)
}

// RoleScopes returns the scopes a staff role holds: an owner may do
// everything, a therapist everything but erasing a client.
func RoleScopes(role string) []string {
	switch role {
	case RoleOwner:
		return Scopes
	case RoleTherapist:
		return []string{ScopeRead, ScopeWrite, ScopeExport}
	}
	return nil
}

type principalKey struct{}

// WithPrincipal returns a context carrying the principal of a request.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the principal a context carries, or nil.
func PrincipalFrom(ctx context.Context) *Principal {
	p, _ := ctx.Value(principalKey{}).(*Principal)
	return p
}

// MaxIdempotencyKeyBytes bounds an Idempotency-Key header.
const MaxIdempotencyKeyBytes = 200

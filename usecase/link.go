package usecase

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"aftercare"
)

// A client's link is BaseURL + "/c/" + token, where the token is TokenPrefix
// and 256 random bits; the store keeps only the token's hash. This file is
// the one place that spells that format: the pages, the API and the
// follow-up jobs make and read links through it.

// TokenPrefix begins every client link token.
const TokenPrefix = "c_"

// DefaultLinkTTL is how long a client's check-in link works after the session ends.
const DefaultLinkTTL = 14 * 24 * time.Hour

// LinkPath is the path of the client's check-in page for a link token.
func LinkPath(token string) string { return "/c/" + token }

// LinkURL is the client's link for a token: base, the public address of the
// service such as https://aftercare.example, and LinkPath.
func LinkURL(base, token string) string { return strings.TrimRight(base, "/") + LinkPath(token) }

// NewLinkToken returns a fresh link token, to be shown once, and the hash to store.
func NewLinkToken() (token string, hash []byte) { return aftercare.NewSecret(TokenPrefix) }

// LinkExpiry is when a fresh link of a session should expire at now: ttl after
// the session ends, or ttl from now when that time has already passed.
func LinkExpiry(s *aftercare.Session, ttl time.Duration, now time.Time) time.Time {
	if at := s.EndedAt.Add(ttl); at.After(now) {
		return at
	}
	return now.Add(ttl)
}

// Links says where the client links of one request point and how long they work.
type Links struct {
	// BaseURL is the public address of the service, such as https://aftercare.example.
	BaseURL string
	// TTL is how long a link works after its session ends; zero means DefaultLinkTTL.
	TTL time.Duration
	// Token, when set, is the link's token: a door that must make the same
	// link again for the same form (a reload) derives it from the form's
	// one-time key. Empty draws a random token.
	Token string
}

func (l Links) ttl() time.Duration {
	if l.TTL <= 0 {
		return DefaultLinkTTL
	}
	return l.TTL
}

// LinkDoor is what a client link is stored through: an *aftercare.Access, or
// a ClinicStore for the follow-up jobs, which act for no principal.
type LinkDoor interface {
	CreateLink(ctx context.Context, sessionID int64, linkHash []byte, expiresAt time.Time) error
}

// ClinicStore is the store itself, for one clinic: the LinkDoor of the
// follow-up jobs, and the SettingsDoor of the command line.
type ClinicStore struct {
	Store    aftercare.Store
	ClinicID int64
}

// CreateLink adds a client link to a session of the clinic.
func (c ClinicStore) CreateLink(ctx context.Context, sessionID int64, linkHash []byte, expiresAt time.Time) error {
	return c.Store.CreateLink(ctx, c.ClinicID, sessionID, linkHash, expiresAt)
}

// AddLink makes another client link of session s, working until expires,
// stores its hash through door and returns its URL under base. A session of
// another clinic, or none, is ENOTFOUND.
func AddLink(ctx context.Context, door LinkDoor, s *aftercare.Session, base string, expires time.Time) (string, error) {
	token, hash := NewLinkToken()
	if err := door.CreateLink(ctx, s.ID, hash, expires); err != nil {
		return "", err
	}
	return LinkURL(base, token), nil
}

// LinkRenewer is a door that can also revoke a session's links: an
// *aftercare.Access.
type LinkRenewer interface {
	LinkDoor
	RevokeLinks(ctx context.Context, sessionID int64) error
}

// NewLink gives session s a fresh client link at now, and retires its
// earlier ones (a link leaked or sent to the wrong address stops working
// when the clinic makes a new one; the client's page tells the holder of a
// retired link to use the newest or ask for one). It works until links' TTL
// after the session ended, or after now when that has passed. It returns the
// link's URL and expiry; a session the door cannot reach is ENOTFOUND naming
// "id". Should the new link fail to be stored after the old were revoked,
// the session has no live link until NewLink is called again.
func NewLink(ctx context.Context, door LinkRenewer, s *aftercare.Session, links Links, now time.Time) (string, time.Time, error) {
	expires := aftercare.StoredTime(LinkExpiry(s, links.ttl(), now))
	err := door.RevokeLinks(ctx, s.ID)
	var u string
	if err == nil && links.Token != "" {
		u = LinkURL(links.BaseURL, links.Token)
		err = door.CreateLink(ctx, s.ID, aftercare.HashSecret(links.Token), expires)
	} else if err == nil {
		u, err = AddLink(ctx, door, s, links.BaseURL, expires)
	}
	if aftercare.ErrorCode(err) == aftercare.ENOTFOUND {
		return "", time.Time{}, aftercare.Errorf(aftercare.ENOTFOUND, "id", "no session %d", s.ID)
	}
	if err != nil {
		return "", time.Time{}, err
	}
	return u, expires, nil
}

// tokenChars is the length of the random part of a link token: 256 bits in
// unpadded base64url.
const tokenChars = 43

// ParseToken checks that a link token has the shape of one this service
// makes ("c_" and 43 base64url characters) before any lookup; any other text
// is ENOTFOUND, as an unknown link is.
func ParseToken(token string) error {
	rest, ok := strings.CutPrefix(token, TokenPrefix)
	if !ok || len(rest) != tokenChars {
		return notFound()
	}
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return notFound()
		}
	}
	return nil
}

// Link is what a client's private link opens: the session with its check-ins,
// oldest first, and the clinic it belongs to. It is also the door through
// which the link's holder checks in, audited as "link:session/N".
type Link struct {
	Session *aftercare.Session
	Clinic  *aftercare.Clinic

	store aftercare.Store
	meta  aftercare.RequestMeta
}

// Actor names the holder of a link in the audit log: "link:session/N".
func (l *Link) Actor() string { return LinkActor(l.Session.ID) }

// LinkActor names the holder of a session's link in the audit log.
func LinkActor(sessionID int64) string { return "link:session/" + strconv.FormatInt(sessionID, 10) }

// OpenLink finds the live session of a client link token at now. A link that is
// malformed, unknown, expired or revoked is ENOTFOUND, with nothing told about
// which. Every opening is written to the audit log with the request's
// aftercare.RequestMeta from ctx: a refused one under no clinic (ClinicID 0)
// as "anonymous", an admitted one as a read of the session by the link's holder.
func OpenLink(ctx context.Context, store aftercare.Store, token string, now time.Time) (*Link, error) {
	meta := aftercare.RequestMetaFrom(ctx)
	deny := func(err error) (*Link, error) {
		if aftercare.ErrorCode(err) == aftercare.ENOTFOUND {
			_ = store.AppendAudit(ctx, &aftercare.AuditEntry{
				At: aftercare.StoredTime(now), Actor: "anonymous", Action: aftercare.AuditDenied, Object: "link",
				Outcome: aftercare.OutcomeDenied, Address: meta.Address, RequestID: meta.RequestID, Route: meta.Route,
			})
		}
		return nil, err
	}
	if err := ParseToken(token); err != nil {
		return deny(err)
	}
	s, err := store.FindSessionByLink(ctx, aftercare.HashSecret(token), now)
	if err != nil {
		if aftercare.ErrorCode(err) == aftercare.ENOTFOUND {
			return deny(notFound())
		}
		return nil, err
	}
	full, err := store.FindSession(ctx, s.ClinicID, s.ID)
	if err != nil {
		if aftercare.ErrorCode(err) == aftercare.ENOTFOUND {
			// Erased between the two reads.
			return deny(notFound())
		}
		return nil, err
	}
	full.LinkExpiresAt = s.LinkExpiresAt
	clinic, err := store.FindClinic(ctx, s.ClinicID)
	if err != nil {
		return nil, err
	}
	l := &Link{Session: full, Clinic: clinic, store: store, meta: meta}
	if err := l.audit(ctx, aftercare.AuditRead, "session/"+strconv.FormatInt(full.ID, 10), now); err != nil {
		return nil, err
	}
	return l, nil
}

// audit writes one admitted action of the link's holder.
func (l *Link) audit(ctx context.Context, action, object string, at time.Time) error {
	return l.store.AppendAudit(ctx, &aftercare.AuditEntry{
		ClinicID: l.Session.ClinicID, At: aftercare.StoredTime(at), Actor: l.Actor(), Action: action, Object: object,
		ClientID: l.Session.ClientID, Outcome: aftercare.OutcomeOK,
		Address: l.meta.Address, RequestID: l.meta.RequestID, Route: l.meta.Route,
	})
}

// CreateCheckIn stores a check-in of the link's own session (whatever session
// c names) and audits it; it makes a Link a Door.
func (l *Link) CreateCheckIn(ctx context.Context, c *aftercare.CheckIn) (*aftercare.Flag, error) {
	c.ClinicID, c.SessionID = l.Session.ClinicID, l.Session.ID
	f, err := l.store.CreateCheckIn(ctx, c)
	if err != nil {
		return nil, err
	}
	at := c.CreatedAt
	if at.IsZero() {
		at = time.Now()
	}
	if err := l.audit(ctx, aftercare.AuditCreate, "check_in/"+strconv.FormatInt(c.ID, 10), at); err != nil {
		return nil, err
	}
	return f, nil
}

func notFound() error {
	return aftercare.Errorf(aftercare.ENOTFOUND, "token", "this check-in link is not valid: it may have expired or been replaced; ask your therapist for a new one")
}

// IsNotFound reports whether err is an application ENOTFOUND error.
func IsNotFound(err error) bool {
	var e *aftercare.Error
	return errors.As(err, &e) && e.Code == aftercare.ENOTFOUND
}

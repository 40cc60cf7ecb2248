// Package checkin records a client's check-in against a session. Both doors
// that take check-ins (the JSON API and the client's pages) use it, so that a
// check-in is completed from its session, assessed and stored the same way.
package checkin

import (
	"context"
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"aftercare"
)

// Prepare completes a check-in request from its session: hours_since from the
// session's end when the request leaves it out, the session's style, pressure
// and areas when the request gives none, and the history from the session's
// earlier check-ins when the request gives none. The result is validated.
func Prepare(s *aftercare.Session, req aftercare.Request, now time.Time) (aftercare.Request, error) {
	if req.HoursSince == nil {
		h := HoursSince(s, now)
		req.HoursSince = &h
	}
	if req.Style == "" {
		req.Style = s.Style
	}
	if req.Pressure == "" {
		req.Pressure = s.Pressure
	}
	if len(req.AreasWorked) == 0 && len(s.AreasWorked) > 0 {
		req.AreasWorked = slices.Clone(s.AreasWorked)
	}
	if len(req.History) == 0 {
		req.History = History(s.CheckIns, *req.HoursSince)
	}
	if err := req.Validate(); err != nil {
		return aftercare.Request{}, err
	}
	return req, nil
}

// HoursSince returns the hours from the session's end to now, rounded to a
// tenth of an hour, and kept within 0 and aftercare.MaxHours.
func HoursSince(s *aftercare.Session, now time.Time) float64 {
	h := now.Sub(s.EndedAt).Hours()
	h = math.Round(h*10) / 10
	return min(max(h, 0), aftercare.MaxHours)
}

// History returns the earlier check-ins that carry a pain rating, as history
// points oldest first, keeping only those no later than hoursSince.
func History(checkIns []aftercare.CheckIn, hoursSince float64) []aftercare.HistoryPoint {
	var out []aftercare.HistoryPoint
	for _, c := range checkIns {
		pain, ok := WorstPain(&c)
		if !ok || c.HoursSince > hoursSince {
			continue
		}
		h := c.HoursSince
		out = append(out, aftercare.HistoryPoint{HoursSince: &h, Pain: pain})
	}
	slices.SortStableFunc(out, func(a, b aftercare.HistoryPoint) int {
		switch {
		case *a.HoursSince < *b.HoursSince:
			return -1
		case *a.HoursSince > *b.HoursSince:
			return 1
		}
		return 0
	})
	if len(out) > aftercare.MaxHistory {
		out = out[len(out)-aftercare.MaxHistory:]
	}
	return out
}

// WorstPain returns the highest pain a check-in reported, from its soreness
// ratings or from a pain score read from its text; ok is false when it gave none.
func WorstPain(c *aftercare.CheckIn) (pain int, ok bool) {
	for _, s := range c.Request.Soreness {
		if !ok || s.Pain > pain {
			pain, ok = s.Pain, true
		}
	}
	for _, f := range c.Assessment.Findings {
		if f.Type != "pain" || f.Negated || f.Value == nil {
			continue
		}
		v := int(math.Round(*f.Value))
		if v < 0 || v > 10 {
			continue
		}
		if !ok || v > pain {
			pain, ok = v, true
		}
	}
	return pain, ok
}

// Door is what a check-in is stored through: an *aftercare.Access on the
// clinic side (scoped to the caller's clinic and audited), or the *Link a
// client opened (audited as the link's holder).
type Door interface {
	CreateCheckIn(ctx context.Context, c *aftercare.CheckIn) (*aftercare.Flag, error)
}

// Record completes req from the session, assesses it at now and stores the
// check-in through door; the flag is non-nil when the check-in was flagged for the clinic.
func Record(ctx context.Context, door Door, assessor aftercare.Assessor, s *aftercare.Session, req aftercare.Request, now time.Time) (*aftercare.CheckIn, *aftercare.Flag, error) {
	req, err := Prepare(s, req, now)
	if err != nil {
		return nil, nil, err
	}
	resp, err := assessor.Assess(req, now)
	if err != nil {
		return nil, nil, err
	}
	c := &aftercare.CheckIn{
		ClinicID:   s.ClinicID,
		SessionID:  s.ID,
		HoursSince: *req.HoursSince,
		Request:    req,
		Assessment: *resp,
		CreatedAt:  now,
	}
	flag, err := door.CreateCheckIn(ctx, c)
	if err != nil {
		return nil, nil, err
	}
	return c, flag, nil
}

// TokenPrefix begins every client link token.
const TokenPrefix = "c_"

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

// Open finds the live session of a client link token at now. A link that is
// malformed, unknown, expired or revoked is ENOTFOUND, with nothing told about
// which. Every opening is written to the audit log with the request's
// aftercare.RequestMeta from ctx: a refused one under no clinic (ClinicID 0)
// as "anonymous", an admitted one as a read of the session by the link's holder.
func Open(ctx context.Context, store aftercare.Store, token string, now time.Time) (*Link, error) {
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

// Record completes req from the link's session, assesses it at now and stores
// it as a check-in of that session, audited as the link's holder.
func (l *Link) Record(ctx context.Context, assessor aftercare.Assessor, req aftercare.Request, now time.Time) (*aftercare.CheckIn, *aftercare.Flag, error) {
	return Record(ctx, l, assessor, l.Session, req, now)
}

func notFound() error {
	return aftercare.Errorf(aftercare.ENOTFOUND, "token", "this check-in link is not valid: it may have expired or been replaced; ask your therapist for a new one")
}

// IsNotFound reports whether err is an application ENOTFOUND error.
func IsNotFound(err error) bool {
	var e *aftercare.Error
	return errors.As(err, &e) && e.Code == aftercare.ENOTFOUND
}

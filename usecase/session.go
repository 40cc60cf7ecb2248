package usecase

import (
	"context"
	"slices"
	"strings"
	"time"

	"aftercare"
)

// How far from the time of recording a session's end may be.
const (
	maxSessionAhead = 24 * time.Hour
	maxSessionAgo   = aftercare.MaxHours * time.Hour
)

// SessionDoor is what a session is recorded through: an *aftercare.Access.
type SessionDoor interface {
	Clinic(ctx context.Context) (*aftercare.Clinic, error)
	CreateSession(ctx context.Context, s *aftercare.Session, linkHash []byte) error
}

// CreateSession records session s of the door's clinic at now: it trims the
// notes, ends the session at now when it names no end, validates it
// (aftercare.Session.Validate, and an end no more than 24 hours ahead or a
// year back), drops repeated areas, schedules its follow-ups at the clinic's
// check-in hours, gives it its client link under links (s.CheckInURL, shown
// this once, and s.LinkExpiresAt) and stores it. A client the door cannot
// reach is ENOTFOUND naming "client_id".
func CreateSession(ctx context.Context, door SessionDoor, s *aftercare.Session, links Links, now time.Time) error {
	s.Notes = strings.TrimSpace(s.Notes)
	if s.EndedAt.IsZero() {
		s.EndedAt = now
	}
	if err := s.Validate(); err != nil {
		return err
	}
	if s.EndedAt.After(now.Add(maxSessionAhead)) {
		return aftercare.Errorf(aftercare.EINVALID, "ended_at", "ended_at is more than 24 hours in the future")
	}
	if s.EndedAt.Before(now.Add(-maxSessionAgo)) {
		return aftercare.Errorf(aftercare.EINVALID, "ended_at", "ended_at is more than a year ago")
	}
	s.EndedAt = s.EndedAt.UTC()
	s.AreasWorked = unique(s.AreasWorked)
	if len(s.AreaPressure) == 0 {
		s.AreaPressure = nil
	}
	clinic, err := door.Clinic(ctx)
	if err != nil {
		return err
	}
	token, hash := Schedule(s, clinic, links.ttl())
	if links.Token != "" {
		token, hash = links.Token, aftercare.HashSecret(links.Token)
	}
	s.CheckInURL = LinkURL(links.BaseURL, token)
	s.CreatedAt = aftercare.StoredTime(now)
	if err := door.CreateSession(ctx, s, hash); err != nil {
		if aftercare.ErrorCode(err) == aftercare.ENOTFOUND {
			return aftercare.Errorf(aftercare.ENOTFOUND, "client_id", "no client %d", s.ClientID)
		}
		return err
	}
	return nil
}

// Schedule completes a new session before it is stored: its follow-ups at the
// clinic's check-in hours (aftercare.DefaultFollowUpHours when it sets none),
// and the expiry of its client link, ttl after the session ends. It returns
// the link's token (shown once, in the check-in URL) and the hash to store.
func Schedule(s *aftercare.Session, clinic *aftercare.Clinic, ttl time.Duration) (token string, hash []byte) {
	hours := clinic.FollowUpHours
	if len(hours) == 0 {
		hours = aftercare.DefaultFollowUpHours
	}
	s.FollowUps = make([]aftercare.FollowUp, 0, len(hours))
	for _, h := range hours {
		s.FollowUps = append(s.FollowUps, aftercare.FollowUp{
			Hours: h, DueAt: s.EndedAt.Add(time.Duration(h) * time.Hour), Status: aftercare.FollowUpScheduled,
		})
	}
	s.LinkExpiresAt = s.EndedAt.Add(ttl)
	return NewLinkToken()
}

// unique returns codes without repeats, in their first order; nil when empty.
func unique(codes []string) []string {
	var out []string
	for _, c := range codes {
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

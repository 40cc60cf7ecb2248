package checkin

import (
	"time"

	"aftercare"
)

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
	return aftercare.NewSecret(TokenPrefix)
}

// LinkExpiry is when a fresh link of a session should expire at now: ttl after
// the session ends, or ttl from now when that time has already passed.
func LinkExpiry(s *aftercare.Session, ttl time.Duration, now time.Time) time.Time {
	if at := s.EndedAt.Add(ttl); at.After(now) {
		return at
	}
	return now.Add(ttl)
}

// LinkPath is the path of the client's check-in page for a link token.
func LinkPath(token string) string { return "/c/" + token }

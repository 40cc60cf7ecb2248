package postgres

// This file is kept identical in packages sqlite and postgres: the checks a
// store makes before it writes, so both stores refuse the same things with the
// same errors.

import (
	"math"
	"net/url"
	"slices"
	"strings"
	"time"

	"aftercare"
)

// Follow-up statuses.
const (
	statusScheduled = "scheduled"
	statusSent      = "sent"
	statusSkipped   = "skipped"
)

// stamp returns t in UTC at microsecond precision (what PostgreSQL keeps), or
// now when t is zero.
func stamp(t, now time.Time) time.Time {
	if t.IsZero() {
		t = now
	}
	return t.UTC().Truncate(time.Microsecond)
}

// utc returns t in UTC at microsecond precision.
func utc(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func invalid(field, format string, args ...any) error {
	return aftercare.Errorf(aftercare.EINVALID, field, format, args...)
}

// noNUL refuses text holding a NUL character, which PostgreSQL cannot store,
// so that both stores take the same text. fields alternates names and values.
func noNUL(fields ...string) error {
	for i := 0; i+1 < len(fields); i += 2 {
		if strings.ContainsRune(fields[i+1], 0) {
			return invalid(fields[i], "text must not contain NUL characters")
		}
	}
	return nil
}

func notFound(what string) error {
	return aftercare.Errorf(aftercare.ENOTFOUND, "", "%s not found", what)
}

func validateClinic(c *aftercare.Clinic) error {
	c.Name = strings.TrimSpace(c.Name)
	if c.Name == "" {
		return invalid("name", "the clinic needs a name")
	}
	if len(c.FollowUpHours) == 0 {
		c.FollowUpHours = slices.Clone(aftercare.DefaultFollowUpHours)
	}
	seen := map[int]bool{}
	for _, h := range c.FollowUpHours {
		if h < 1 || h > aftercare.MaxHours {
			return invalid("follow_up_hours", "follow-up hours must be between 1 and %d, not %d", aftercare.MaxHours, h)
		}
		if seen[h] {
			return invalid("follow_up_hours", "follow-up hour %d is given twice", h)
		}
		seen[h] = true
	}
	if err := noNUL("name", c.Name, "emergency_number", c.EmergencyNumber, "notify_email", c.NotifyEmail,
		"webhook_url", c.WebhookURL, "webhook_secret", c.WebhookSecret); err != nil {
		return err
	}
	if c.WebhookURL != "" {
		u, err := url.Parse(c.WebhookURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return invalid("webhook_url", "the webhook URL must be an absolute http or https URL")
		}
	}
	return nil
}

func validateUser(u *aftercare.User) error {
	u.Email = strings.TrimSpace(u.Email)
	if u.ClinicID == 0 {
		return invalid("clinic_id", "the user needs a clinic")
	}
	if u.Email == "" {
		return invalid("email", "the user needs an email address")
	}
	if !strings.Contains(u.Email, "@") {
		return invalid("email", "%q is not an email address", u.Email)
	}
	if u.Role != aftercare.RoleOwner && u.Role != aftercare.RoleTherapist {
		return invalid("role", "unknown role %q; allowed: %s, %s", u.Role, aftercare.RoleOwner, aftercare.RoleTherapist)
	}
	return noNUL("email", u.Email, "password_hash", u.PasswordHash)
}

func validateToken(t *aftercare.APIToken) error {
	t.Name = strings.TrimSpace(t.Name)
	if t.ClinicID == 0 {
		return invalid("clinic_id", "the token needs a clinic")
	}
	if t.Name == "" {
		return invalid("name", "the token needs a name")
	}
	if len(t.Hash) == 0 {
		return invalid("hash", "the token needs a hash")
	}
	return noNUL("name", t.Name)
}

func validateClient(c *aftercare.Client) error {
	c.Name = strings.TrimSpace(c.Name)
	c.Email = strings.TrimSpace(c.Email)
	if c.ClinicID == 0 {
		return invalid("clinic_id", "the client needs a clinic")
	}
	if c.Name == "" {
		return invalid("name", "the client needs a name")
	}
	return noNUL("name", c.Name, "email", c.Email)
}

func validateScreening(s *aftercare.Screening) error {
	if s.ClinicID == 0 {
		return invalid("clinic_id", "the screening needs a clinic")
	}
	if s.ClientID == 0 {
		return invalid("client_id", "the screening needs a client")
	}
	if s.Health == nil {
		s.Health = []string{}
	}
	if s.Cautions == nil {
		s.Cautions = []aftercare.Caution{}
	}
	return noNUL("notes", s.Notes)
}

func validateSession(s *aftercare.Session, linkHash []byte) error {
	if s.ClinicID == 0 {
		return invalid("clinic_id", "the session needs a clinic")
	}
	if s.ClientID == 0 {
		return invalid("client_id", "the session needs a client")
	}
	if s.EndedAt.IsZero() {
		return invalid("ended_at", "the session needs the time it ended")
	}
	if len(linkHash) == 0 {
		return invalid("check_in_url", "the session needs a client link")
	}
	if s.LinkExpiresAt.IsZero() {
		return invalid("link_expires_at", "the client link needs an expiry")
	}
	seen := map[int]bool{}
	for i := range s.FollowUps {
		f := &s.FollowUps[i]
		if f.Hours < 1 || f.Hours > aftercare.MaxHours {
			return invalid("follow_ups", "follow-up hours must be between 1 and %d, not %d", aftercare.MaxHours, f.Hours)
		}
		if seen[f.Hours] {
			return invalid("follow_ups", "follow-up hour %d is given twice", f.Hours)
		}
		seen[f.Hours] = true
		if f.DueAt.IsZero() {
			return invalid("follow_ups", "the follow-up at %d hours needs a due time", f.Hours)
		}
		if f.Status == "" {
			f.Status = statusScheduled
		}
		if f.Status != statusScheduled && f.Status != statusSent && f.Status != statusSkipped {
			return invalid("follow_ups", "unknown follow-up status %q", f.Status)
		}
		f.DueAt = utc(f.DueAt)
	}
	if s.AreasWorked == nil {
		s.AreasWorked = []string{}
	}
	if s.AreaPressure == nil {
		s.AreaPressure = map[string]string{}
	}
	s.EndedAt = utc(s.EndedAt)
	s.LinkExpiresAt = utc(s.LinkExpiresAt)
	return noNUL("style", s.Style, "pressure", s.Pressure, "notes", s.Notes)
}

func validateCheckIn(c *aftercare.CheckIn) error {
	if c.ClinicID == 0 {
		return invalid("clinic_id", "the check-in needs a clinic")
	}
	if c.SessionID == 0 {
		return invalid("session_id", "the check-in needs a session")
	}
	if c.Assessment.Level <= aftercare.LevelNone || c.Assessment.Level > aftercare.Emergency {
		return invalid("assessment.level", "the check-in needs an assessment with a level")
	}
	if math.IsNaN(c.HoursSince) || math.IsInf(c.HoursSince, 0) {
		return invalid("hours_since", "hours since the session must be a number")
	}
	return noNUL("assessment.headline", c.Assessment.Headline, "assessment.knowledge_version", c.Assessment.KnowledgeVersion)
}

func validateMark(status string) error {
	if status != statusSent && status != statusSkipped {
		return invalid("status", "a follow-up is marked %q or %q, not %q", statusSent, statusSkipped, status)
	}
	return nil
}

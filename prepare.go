package aftercare

// The checks a store makes before it writes, shared by every store so that all
// refuse the same things with the same errors. Prepare also normalises: names
// trimmed, times in UTC at microsecond precision, empty lists made non-nil.

import (
	"math"
	"slices"
	"strings"
	"time"
)

// Follow-up statuses, as kept in FollowUp.Status.
const (
	// FollowUpScheduled is a follow-up whose reminder has not run yet.
	FollowUpScheduled = "scheduled"
	// FollowUpSent is a follow-up whose reminder went out.
	FollowUpSent = "sent"
	// FollowUpSkipped is a follow-up that needed no reminder.
	FollowUpSkipped = "skipped"
)

// Delivery outcomes of a follow-up's reminder, as kept in FollowUp.Delivery.
const (
	// DeliveryDelivered is a reminder the mail server accepted and the
	// webhook answered with a 2xx.
	DeliveryDelivered = "delivered"
	// DeliveryFailed is a reminder the mail server refused or the webhook
	// answered otherwise (or could not be reached).
	DeliveryFailed = "failed"
)

// MaxDeliveryErrorChars bounds what is kept of why a delivery failed.
const MaxDeliveryErrorChars = 300

// StoredTime returns t as stores keep it: in UTC at microsecond precision.
func StoredTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// StoredTimeOr returns t as stores keep it, or now when t is zero.
func StoredTimeOr(t, now time.Time) time.Time {
	if t.IsZero() {
		t = now
	}
	return StoredTime(t)
}

func utc(t time.Time) time.Time { return StoredTime(t) }

func invalid(field, format string, args ...any) error {
	return Errorf(EINVALID, field, format, args...)
}

// CheckNoNUL refuses text holding a NUL character, which PostgreSQL cannot
// store, so that every store takes the same text; fields alternates names and values.
func CheckNoNUL(fields ...string) error {
	for i := 0; i+1 < len(fields); i += 2 {
		if strings.ContainsRune(fields[i+1], 0) {
			return invalid(fields[i], "text must not contain NUL characters")
		}
	}
	return nil
}

// Prepare normalises the clinic and checks it before it is stored.
func (c *Clinic) Prepare() error {
	c.Name = strings.TrimSpace(c.Name)
	if c.Name == "" {
		return invalid("name", "the clinic needs a name")
	}
	if len(c.FollowUpHours) == 0 {
		c.FollowUpHours = slices.Clone(DefaultFollowUpHours)
	}
	if c.TimeZone == "" {
		c.TimeZone = DefaultTimeZone
	}
	if err := ValidateTimeZone("time_zone", c.TimeZone); err != nil {
		return err
	}
	seen := map[int]bool{}
	for _, h := range c.FollowUpHours {
		if h < 1 || h > MaxHours {
			return invalid("follow_up_hours", "follow-up hours must be between 1 and %d, not %d", MaxHours, h)
		}
		if seen[h] {
			return invalid("follow_up_hours", "follow-up hour %d is given twice", h)
		}
		seen[h] = true
	}
	if err := CheckNoNUL("name", c.Name, "emergency_number", c.EmergencyNumber, "notify_email", c.NotifyEmail,
		"webhook_url", c.WebhookURL, "webhook_secret", c.WebhookSecret); err != nil {
		return err
	}
	if c.WebhookURL != "" {
		return CheckWebhookURL(c.WebhookURL)
	}
	return nil
}

// Prepare normalises the user and checks it before it is stored.
func (u *User) Prepare() error {
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
	if u.Role != RoleOwner && u.Role != RoleTherapist {
		return invalid("role", "unknown role %q; allowed: %s, %s", u.Role, RoleOwner, RoleTherapist)
	}
	return CheckNoNUL("email", u.Email, "password_hash", u.PasswordHash)
}

// Prepare checks the token before it is stored.
func (t *APIToken) Prepare() error {
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
	if len(t.Scopes) == 0 {
		t.Scopes = slices.Clone(DefaultTokenScopes)
	}
	for _, sc := range t.Scopes {
		if !slices.Contains(Scopes, sc) {
			return invalid("scopes", "unknown scope %q; allowed: %s", sc, strings.Join(Scopes, ", "))
		}
	}
	return CheckNoNUL("name", t.Name)
}

// Prepare normalises the client and checks it before it is stored.
func (c *Client) Prepare() error {
	c.Name = strings.TrimSpace(c.Name)
	c.Email = strings.TrimSpace(c.Email)
	if c.ClinicID == 0 {
		return invalid("clinic_id", "the client needs a clinic")
	}
	if c.Name == "" {
		return invalid("name", "the client needs a name")
	}
	c.Phone = strings.TrimSpace(c.Phone)
	if c.Phone != "" {
		if err := ValidateClientPhone("phone", c.Phone); err != nil {
			return err
		}
	}
	return CheckNoNUL("name", c.Name, "email", c.Email)
}

// Prepare normalises the screening and checks it before it is stored.
func (s *Screening) Prepare() error {
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
		s.Cautions = []Caution{}
	}
	return CheckNoNUL("notes", s.Notes)
}

// Prepare normalises the session and checks it, with the hash of its client link, before it is stored.
func (s *Session) Prepare(linkHash []byte) error {
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
		if f.Hours < 1 || f.Hours > MaxHours {
			return invalid("follow_ups", "follow-up hours must be between 1 and %d, not %d", MaxHours, f.Hours)
		}
		if seen[f.Hours] {
			return invalid("follow_ups", "follow-up hour %d is given twice", f.Hours)
		}
		seen[f.Hours] = true
		if f.DueAt.IsZero() {
			return invalid("follow_ups", "the follow-up at %d hours needs a due time", f.Hours)
		}
		if f.Status == "" {
			f.Status = FollowUpScheduled
		}
		if f.Status != FollowUpScheduled && f.Status != FollowUpSent && f.Status != FollowUpSkipped {
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
	return CheckNoNUL("style", s.Style, "pressure", s.Pressure, "notes", s.Notes)
}

// Prepare checks the check-in before it is stored.
func (c *CheckIn) Prepare() error {
	if c.ClinicID == 0 {
		return invalid("clinic_id", "the check-in needs a clinic")
	}
	if c.SessionID == 0 {
		return invalid("session_id", "the check-in needs a session")
	}
	if c.Assessment.Level <= LevelNone || c.Assessment.Level > Emergency {
		return invalid("assessment.level", "the check-in needs an assessment with a level")
	}
	if len(c.IdempotencyKey) > MaxIdempotencyKeyBytes {
		return invalid("idempotency_key", "the idempotency key must be at most %d bytes", MaxIdempotencyKeyBytes)
	}
	if err := CheckNoNUL("idempotency_key", c.IdempotencyKey); err != nil {
		return err
	}
	if math.IsNaN(c.HoursSince) || math.IsInf(c.HoursSince, 0) {
		return invalid("hours_since", "hours since the session must be a number")
	}
	return CheckNoNUL("assessment.headline", c.Assessment.Headline, "assessment.knowledge_version", c.Assessment.KnowledgeVersion)
}

// CheckFollowUpMark checks the status a follow-up is marked with.
func CheckFollowUpMark(status string) error {
	if status != FollowUpSent && status != FollowUpSkipped {
		return invalid("status", "a follow-up is marked %q or %q, not %q", FollowUpSent, FollowUpSkipped, status)
	}
	return nil
}

// CheckDelivery checks a delivery outcome and its reason, and returns the
// reason as it is kept: at most MaxDeliveryErrorChars characters, none for
// a delivery that succeeded.
func CheckDelivery(delivery, why string) (string, error) {
	switch delivery {
	case DeliveryDelivered:
		return "", nil
	case DeliveryFailed:
		why = strings.ToValidUTF8(strings.ReplaceAll(strings.TrimSpace(why), "\x00", ""), "?")
		if why == "" {
			return "", invalid("delivery_error", "say why the delivery failed")
		}
		if r := []rune(why); len(r) > MaxDeliveryErrorChars {
			why = string(r[:MaxDeliveryErrorChars-1]) + "…"
		}
		return why, nil
	}
	return "", invalid("delivery", "a delivery is %q or %q, not %q", DeliveryDelivered, DeliveryFailed, delivery)
}

// Prepare checks an acknowledgement before it is stored: the note trimmed,
// the time as stores keep it, and Validate.
func (a *FlagAck) Prepare() error {
	a.By = strings.TrimSpace(a.By)
	a.Note = strings.TrimSpace(a.Note)
	a.At = utc(a.At)
	if err := a.Validate(); err != nil {
		return err
	}
	return CheckNoNUL("acked_by", a.By, "outcome_note", a.Note)
}

// Prepare checks a staff session before it is stored.
func (ss *StaffSession) Prepare() error {
	switch {
	case ss.ClinicID == 0:
		return invalid("clinic_id", "the staff session needs a clinic")
	case ss.UserID == 0:
		return invalid("user_id", "the staff session needs a user")
	case len(ss.Hash) == 0:
		return invalid("hash", "the staff session needs a hash")
	case ss.IdleUntil.IsZero():
		return invalid("idle_until", "the staff session needs an idle end")
	case ss.ExpiresAt.IsZero():
		return invalid("expires_at", "the staff session needs an expiry")
	}
	return CheckNoNUL("address", ss.Address)
}

// EmailLoginKey is the key under which failed sign-ins for an email are counted.
func EmailLoginKey(email string) string { return "email:" + strings.ToLower(email) }

// CheckLoginKey checks a key under which failed sign-ins are counted.
func CheckLoginKey(key string) error {
	if key == "" {
		return invalid("key", "login failures need a key")
	}
	return CheckNoNUL("key", key)
}

// Prepare checks an audit entry before it is stored.
func (e *AuditEntry) Prepare() error {
	switch {
	case strings.TrimSpace(e.Actor) == "":
		return invalid("actor", "the audit entry needs an actor")
	case strings.TrimSpace(e.Action) == "":
		return invalid("action", "the audit entry needs an action")
	case strings.TrimSpace(e.Outcome) == "":
		return invalid("outcome", "the audit entry needs an outcome")
	}
	return CheckNoNUL("actor", e.Actor, "action", e.Action, "object", e.Object, "outcome", e.Outcome,
		"address", e.Address, "request_id", e.RequestID, "route", e.Route)
}

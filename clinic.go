package aftercare

import (
	"context"
	"time"
)

// Assessor grades one assessment request. The triage engine implements it; at
// is the time of the request, against which words like "yesterday" are read.
type Assessor interface {
	Assess(req Request, at time.Time) (*Response, error)
	// KnowledgeVersion identifies the knowledge base in use.
	KnowledgeVersion() string
	// Cautions returns what a therapist must adjust for these screening answers.
	Cautions(health []string) []Caution
	// Guidance returns what a flag raised by these rules means for the
	// client's next session (see CheckIn.FlagRules).
	Guidance(rules []string) []Guidance
}

// Roles of staff users.
const (
	// RoleOwner manages the clinic's staff, tokens and settings.
	RoleOwner = "owner"
	// RoleTherapist treats clients and reads their check-ins.
	RoleTherapist = "therapist"
)

// DefaultFollowUpHours are the check-in times, in hours after a session, that a
// clinic uses unless it sets its own.
var DefaultFollowUpHours = []int{24, 48, 72}

// Clinic is a practice: it owns staff, clients, sessions and everything under them.
type Clinic struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	// EmergencyNumber is the number shown with an emergency answer (999, 911, 112…).
	EmergencyNumber string `json:"emergency_number"`
	// FollowUpHours are the check-in times after each session.
	FollowUpHours []int `json:"follow_up_hours"`
	// NotifyEmail receives flagged check-ins; empty for none.
	NotifyEmail string `json:"notify_email,omitempty"`
	// WebhookURL receives signed follow-up events; empty for none.
	WebhookURL string `json:"webhook_url,omitempty"`
	// WebhookSecret signs webhook bodies (HMAC-SHA256); never shown.
	WebhookSecret string `json:"-"`
	// TimeZone is the clinic's time zone, an IANA name such as Europe/London
	// (DefaultTimeZone when empty): the staff pages, the clinic's notices and
	// the reminder times are shown in it.
	TimeZone  string    `json:"time_zone"`
	CreatedAt time.Time `json:"created_at"`
}

// User is a member of a clinic's staff.
type User struct {
	ID       int64  `json:"id"`
	ClinicID int64  `json:"clinic_id"`
	Email    string `json:"email"`
	Role     string `json:"role"`
	// PasswordHash is the encoded password hash; never shown.
	PasswordHash string    `json:"-"`
	CreatedAt    time.Time `json:"created_at"`
	// DisabledAt is when the user was disabled: a disabled user cannot sign
	// in and has no staff session. Nil while the user is enabled.
	DisabledAt *time.Time `json:"disabled_at,omitempty"`
}

// APIToken is a credential for the clinic API. Only a hash of the secret is kept.
type APIToken struct {
	ID       int64  `json:"id"`
	ClinicID int64  `json:"clinic_id"`
	Name     string `json:"name"`
	Hash     []byte `json:"-"`
	// Scopes are what the token may do (see Scopes).
	Scopes     []string   `json:"scopes"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
	// ExpiresAt is when the token stops being accepted; nil for never.
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
}

// Expired reports whether the token is past its expiry at time at.
func (t *APIToken) Expired(at time.Time) bool {
	return t.ExpiresAt != nil && !at.Before(*t.ExpiresAt)
}

// Client is a person the clinic treats.
type Client struct {
	ID       int64  `json:"id"`
	ClinicID int64  `json:"clinic_id"`
	Name     string `json:"name"`
	Email    string `json:"email,omitempty"`
	// Phone is the client's phone number, for calling back; empty for none.
	Phone     string    `json:"phone,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// Screening is a client's health answers before treatment, with the cautions
// for the therapist that follow from them.
type Screening struct {
	ID        int64     `json:"id"`
	ClinicID  int64     `json:"clinic_id"`
	ClientID  int64     `json:"client_id"`
	Health    []string  `json:"health"`
	Notes     string    `json:"notes,omitempty"`
	Cautions  []Caution `json:"cautions"`
	CreatedAt time.Time `json:"created_at"`
}

// Caution is what a therapist must adjust for one screening answer.
type Caution struct {
	// Health is the screening answer, a code of Health.
	Health string `json:"health"`
	Title  string `json:"title"`
	Advice string `json:"advice"`
	// MaxPressure caps the pressure (a code of Pressures); empty for no cap.
	MaxPressure string `json:"max_pressure,omitempty"`
	// AvoidAreas are areas to leave out or work only lightly.
	AvoidAreas []string `json:"avoid_areas,omitempty"`
	// SeeDoctorFirst is true when the client should see a doctor before massage.
	SeeDoctorFirst bool   `json:"see_doctor_first,omitempty"`
	Source         string `json:"source"`
}

// Guidance is what a flag means for the client's next session, for the
// therapist: the same words the workspace shows.
type Guidance struct {
	// ID names the guidance in the knowledge base, such as "suspected_clot".
	ID    string `json:"id"`
	Title string `json:"title"`
	// Text is the whole of it: what to do, the areas not to treat, and until when.
	Text string `json:"text"`
	// AvoidAreas are the areas not to treat at the next session (codes of Areas).
	AvoidAreas []string `json:"avoid_areas,omitempty"`
	// UntilCleared is true when those areas, or the whole session, wait until
	// a clinician has cleared the client.
	UntilCleared bool `json:"until_cleared"`
	// Source is the short citations of Sources, joined by "; ".
	Source  string           `json:"source"`
	Sources []GuidanceSource `json:"sources"`
}

// GuidanceSource is one source a piece of guidance cites.
type GuidanceSource struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// URL is where the source can be read; empty for one that has no address.
	URL string `json:"url,omitempty"`
}

// Session is one massage treatment of a client.
type Session struct {
	ID          int64    `json:"id"`
	ClinicID    int64    `json:"clinic_id"`
	ClientID    int64    `json:"client_id"`
	Style       string   `json:"style,omitempty"`
	Pressure    string   `json:"pressure,omitempty"`
	AreasWorked []string `json:"areas_worked,omitempty"`
	// AreaPressure is the pressure used per area, where it differed.
	AreaPressure map[string]string `json:"area_pressure,omitempty"`
	EndedAt      time.Time         `json:"ended_at"`
	Notes        string            `json:"notes,omitempty"`
	FollowUps    []FollowUp        `json:"follow_ups"`
	// CheckInURL is the client's private link; it is only known when the session is created.
	CheckInURL string `json:"check_in_url,omitempty"`
	// LinkExpiresAt is when the client's link stops working.
	LinkExpiresAt time.Time `json:"link_expires_at"`
	CheckIns      []CheckIn `json:"check_ins,omitempty"`
	CreatedAt     time.Time `json:"created_at"`
}

// FollowUp is one timed check-in reminder of a session.
type FollowUp struct {
	Hours int       `json:"hours"`
	DueAt time.Time `json:"due_at"`
	// Status is "scheduled", "sent" or "skipped" (the client had already checked in).
	Status string     `json:"status"`
	SentAt *time.Time `json:"sent_at,omitempty"`
	// Delivery is what became of the reminder's last delivery attempt:
	// "delivered" (the mail server accepted the mail, the webhook answered
	// 2xx) or "failed"; empty while none was made.
	Delivery string `json:"delivery,omitempty"`
	// DeliveryError says why the last attempt failed (the mail server's
	// refusal, the webhook's answer); empty unless Delivery is "failed".
	DeliveryError string `json:"delivery_error,omitempty"`
	// DeliveryAt is when the last attempt ended.
	DeliveryAt *time.Time `json:"delivery_at,omitempty"`
}

// CheckIn is what a client reported after a session, with the assessment given.
type CheckIn struct {
	ID         int64     `json:"id"`
	ClinicID   int64     `json:"clinic_id"`
	SessionID  int64     `json:"session_id"`
	HoursSince float64   `json:"hours_since"`
	Request    Request   `json:"request"`
	Assessment Response  `json:"assessment"`
	CreatedAt  time.Time `json:"created_at"`
	// IdempotencyKey is the caller's key for this check-in (the Idempotency-Key
	// header): a retry with the same key for the same session records nothing new.
	IdempotencyKey string `json:"-"`
	// RequestHash identifies the request as the caller sent it under
	// IdempotencyKey (a SHA-256), so that a retry can be told from another
	// check-in sent under the same key; stores keep it only with a key.
	RequestHash []byte `json:"-"`
	// Replayed is set by CreateCheckIn when the key had been used and the stored check-in was returned.
	Replayed bool `json:"-"`
}

// FlagRules returns the rules that raised the check-in's flag: the rules of
// its reasons when it was graded consult or above, and nil otherwise.
func (c *CheckIn) FlagRules() []string {
	if c.Assessment.Level < Consult {
		return nil
	}
	rules := make([]string, 0, len(c.Assessment.Reasons))
	for _, r := range c.Assessment.Reasons {
		rules = append(rules, r.Rule)
	}
	return rules
}

// FlagRules returns the rules that raised the session's flags: those of
// each check-in graded consult or above, in order.
func (s *Session) FlagRules() []string {
	var rules []string
	for i := range s.CheckIns {
		rules = append(rules, s.CheckIns[i].FlagRules()...)
	}
	return rules
}

// KeyedRequestHash returns what a store keeps of RequestHash: the hash of a
// check-in sent under an idempotency key, and nil (NULL) for any other.
func (c *CheckIn) KeyedRequestHash() any {
	if c.IdempotencyKey == "" || len(c.RequestHash) == 0 {
		return nil
	}
	return c.RequestHash
}

// Flag is a check-in at consult or above that a person at the clinic must see.
type Flag struct {
	ID        int64      `json:"id"`
	ClinicID  int64      `json:"clinic_id"`
	CheckInID int64      `json:"check_in_id"`
	SessionID int64      `json:"session_id"`
	ClientID  int64      `json:"client_id"`
	Level     Level      `json:"level"`
	Headline  string     `json:"headline"`
	CreatedAt time.Time  `json:"created_at"`
	AckedAt   *time.Time `json:"acked_at,omitempty"`
	AckedBy   string     `json:"acked_by,omitempty"`
	// Outcome is what came of acknowledging, a code of Outcomes; empty when
	// none was given or the flag is open.
	Outcome string `json:"outcome,omitempty"`
	// OutcomeNote is a short note on the outcome.
	OutcomeNote string `json:"outcome_note,omitempty"`
	// Rules are the rules of the assessment that raised the flag, read with
	// it so that its guidance needs no second read.
	Rules []string `json:"-"`
}

// FlagAck is one acknowledgement of a flag: who, when and what came of it.
type FlagAck struct {
	// By is who acknowledges: a staff user's address or an actor.
	By string
	At time.Time
	// Outcome is a code of Outcomes, or empty.
	Outcome string
	// Note is a short note on the outcome, or empty.
	Note string
}

// Statement is one SQL statement a store runs, with its arguments, named for
// a reader; stores list the statements of their hot reads so that benchmarks
// can show the plans of exactly what runs.
type Statement struct {
	Name string
	SQL  string
	Args []any
}

// Store keeps the clinic side's data. Every method that reads or changes a
// clinic's data takes the clinic's id, and finds nothing of another clinic
// (ENOTFOUND). Implementations: package sqlite and package postgres.
type Store interface {
	CreateClinic(ctx context.Context, c *Clinic) error
	FindClinic(ctx context.Context, id int64) (*Clinic, error)
	ListClinics(ctx context.Context) ([]*Clinic, error)
	// SetClinicTimeZone changes the clinic's time zone: EINVALID naming
	// time_zone for a name that is not an IANA time zone (nothing changes),
	// ENOTFOUND for an unknown clinic.
	SetClinicTimeZone(ctx context.Context, id int64, name string) error

	CreateUser(ctx context.Context, u *User) error
	FindUserByEmail(ctx context.Context, email string) (*User, error)
	// FindUser returns one staff user of the clinic.
	FindUser(ctx context.Context, clinicID, id int64) (*User, error)
	// ListUsers returns the clinic's staff, oldest first.
	ListUsers(ctx context.Context, clinicID int64) ([]*User, error)
	// SetPassword replaces a user's password hash and ends every session of the user.
	SetPassword(ctx context.Context, clinicID, userID int64, hash string) error
	// DisableUser disables a user at time at and ends every session of the
	// user, in one transaction (disabling again keeps the first time); a nil
	// at enables the user again.
	DisableUser(ctx context.Context, clinicID, userID int64, at *time.Time) error

	// CreateStaffSession stores a new signed-in session (its hash, never its secret).
	CreateStaffSession(ctx context.Context, s *StaffSession) error
	// FindStaffSession returns the session with this hash, with its User, when
	// it is live at time at (StaffSession.Live) and its user is not disabled;
	// otherwise ENOTFOUND.
	FindStaffSession(ctx context.Context, hash []byte, at time.Time) (*StaffSession, error)
	// TouchStaffSession records a use of a session and moves its idle end on;
	// ENOTFOUND when the session is unknown or no longer live. Times never move back.
	TouchStaffSession(ctx context.Context, id int64, at, idleUntil time.Time) error
	// DeleteStaffSession ends the session with this hash; ending one already gone is no error.
	DeleteStaffSession(ctx context.Context, hash []byte) error

	// ReserveLogin counts a sign-in attempt under key (such as
	// "email:ana@example.com" or "addr:192.0.2.1") before its password is
	// checked, atomically, so that concurrent attempts each get their own
	// count. It returns the attempts counted under the key since it was last
	// cleared, this one included, and the time of the attempt before this one
	// (the zero time for the first).
	ReserveLogin(ctx context.Context, key string, at time.Time) (int, time.Time, error)
	// LoginFailures returns the attempts counted under key and the time of the last one.
	LoginFailures(ctx context.Context, key string) (int, time.Time, error)
	// ReleaseLogin gives back one attempt counted under key (a success's own
	// reservation), forgetting the key when it was the last.
	ReleaseLogin(ctx context.Context, key string) error
	// ClearLoginFailures forgets the attempts counted under key.
	ClearLoginFailures(ctx context.Context, key string) error
	// RememberLoginAddress records a successful sign-in from the place whose
	// hash is given (a SHA-256 of an email and a network) at time at, and
	// forgets every place last seen before forget.
	RememberLoginAddress(ctx context.Context, hash []byte, at, forget time.Time) error
	// KnownLoginAddress reports whether a sign-in succeeded from the place
	// whose hash is given at or after since.
	KnownLoginAddress(ctx context.Context, hash []byte, since time.Time) (bool, error)

	// AppendAudit adds one entry to the audit log, which is never changed or
	// deleted; a ClinicID or ClientID of 0 is stored as none.
	AppendAudit(ctx context.Context, e *AuditEntry) error
	// ListAudit returns a clinic's audit entries at or after since, oldest first;
	// clinicID 0 lists the entries tied to no clinic (refused anonymous attempts).
	ListAudit(ctx context.Context, clinicID int64, since time.Time) ([]*AuditEntry, error)

	CreateToken(ctx context.Context, t *APIToken) error
	// FindToken returns the token with the given hash that is not revoked,
	// expired or not (APIToken.Expired is the caller's to check).
	FindToken(ctx context.Context, hash []byte) (*APIToken, error)
	TouchToken(ctx context.Context, id int64, at time.Time) error
	RevokeToken(ctx context.Context, clinicID, id int64, at time.Time) error
	// ListTokens returns the clinic's tokens, revoked ones included, oldest first.
	ListTokens(ctx context.Context, clinicID int64) ([]*APIToken, error)

	CreateClient(ctx context.Context, c *Client) error
	// UpdateClient replaces the name, email and phone of client c.ID of
	// c.ClinicID; ENOTFOUND when the clinic has no such client.
	UpdateClient(ctx context.Context, c *Client) error
	FindClient(ctx context.Context, clinicID, id int64) (*Client, error)
	ListClients(ctx context.Context, clinicID int64) ([]*Client, error)
	// EraseClient deletes a client and everything held on them (screenings,
	// sessions, follow-ups and their scheduled reminders, links, check-ins,
	// flags), in one transaction. Scheduled reminders are deleted; a reminder
	// already running finds its session gone and cancels itself. The audit log
	// keeps its entries, which hold no health data.
	EraseClient(ctx context.Context, clinicID, clientID int64) error

	CreateScreening(ctx context.Context, s *Screening) error
	ListScreenings(ctx context.Context, clinicID, clientID int64) ([]*Screening, error)

	// CreateSession stores a session with its follow-ups and the hash of its
	// client link, and schedules the follow-up reminders, in one transaction.
	CreateSession(ctx context.Context, s *Session, linkHash []byte) error
	// FindSession returns a session with its check-ins, oldest first.
	FindSession(ctx context.Context, clinicID, id int64) (*Session, error)
	// ListSessions returns a client's sessions, or every session of the clinic
	// when clientID is 0, oldest first (by end time), each with its follow-ups
	// and check-ins as FindSession returns them. A client not of the clinic
	// is not found (ENOTFOUND).
	ListSessions(ctx context.Context, clinicID, clientID int64) ([]*Session, error)
	// FindSessionByLink returns the session whose client link has this hash,
	// when the link is neither expired (at is past its expiry) nor revoked.
	FindSessionByLink(ctx context.Context, linkHash []byte, at time.Time) (*Session, error)
	// CreateLink adds another client link to a session (each reminder mails a fresh one).
	CreateLink(ctx context.Context, clinicID, sessionID int64, linkHash []byte, expiresAt time.Time) error
	// RevokeLinks revokes every client link of a session.
	RevokeLinks(ctx context.Context, clinicID, sessionID int64, at time.Time) error
	// MarkFollowUp records what became of one follow-up: "sent" or "skipped".
	MarkFollowUp(ctx context.Context, clinicID, sessionID int64, hours int, status string, at time.Time) error
	// MarkDelivery records what became of one delivery attempt of a
	// follow-up's reminder at time at: DeliveryDelivered, or DeliveryFailed
	// with why (EINVALID without a reason). The last attempt's is kept.
	MarkDelivery(ctx context.Context, clinicID, sessionID int64, hours int, delivery, why string, at time.Time) error

	// CreateCheckIn stores a check-in and, at consult or above, its flag and
	// the clinic's notification, in one transaction. The flag is nil below consult.
	// When c.IdempotencyKey is set and a check-in of the same session was already
	// stored under it, nothing is written: c is filled with the stored check-in,
	// c.Replayed is set, and its flag (if any) is returned.
	CreateCheckIn(ctx context.Context, c *CheckIn) (*Flag, error)
	// ListFlags returns the clinic's flags not yet acknowledged, oldest first.
	ListFlags(ctx context.Context, clinicID int64) ([]*Flag, error)
	// ListClientFlags returns every flag of one client, acknowledged or not, oldest first.
	ListClientFlags(ctx context.Context, clinicID, clientID int64) ([]*Flag, error)
	// AckFlag records an acknowledgement of a flag; a flag already
	// acknowledged is returned unchanged.
	AckFlag(ctx context.Context, clinicID, id int64, ack FlagAck) (*Flag, error)
	// UndoAck opens an acknowledged flag again, clearing its acknowledgement
	// and outcome, when it was acknowledged at or after since; ECONFLICT when
	// it is open or was acknowledged before since.
	UndoAck(ctx context.Context, clinicID, id int64, since time.Time) (*Flag, error)
	// FindFlag returns one flag of the clinic.
	FindFlag(ctx context.Context, clinicID, id int64) (*Flag, error)

	// Ping reports whether the database is reachable.
	Ping(ctx context.Context) error
	Close() error
}

package aftercare

import (
	"context"
	"fmt"
	"time"
)

// RequestMeta is what the audit log notes about the request behind an access.
type RequestMeta struct {
	// Address is the caller's network address.
	Address string
	// RequestID ties audit entries to the access log.
	RequestID string
	// Route is the route pattern served.
	Route string
}

// Access is the one door to one clinic's records for one request. It is made
// from the request's principal, so every call is scoped to that principal's
// clinic (no caller passes a clinic id), checks the principal's scope, and
// writes each read or change of client data to the audit log, refusals
// included. Handlers on the clinic side reach the store only through it.
type Access struct {
	store Store
	p     *Principal
	meta  RequestMeta
	now   func() time.Time
}

// NewAccess returns the door to p's clinic; now may be nil for time.Now.
func NewAccess(st Store, p *Principal, meta RequestMeta, now func() time.Time) *Access {
	if now == nil {
		now = time.Now
	}
	return &Access{store: st, p: p, meta: meta, now: now}
}

// Principal returns who is acting.
func (a *Access) Principal() *Principal { return a.p }

// ClinicID returns the clinic the access is scoped to.
func (a *Access) ClinicID() int64 { return a.p.ClinicID }

// Audit writes one entry for this principal. A refused action (err with code
// ENOTFOUND, EFORBIDDEN or EUNAUTHORIZED) is written as denied.
func (a *Access) Audit(ctx context.Context, action, object string, clientID int64, err error) error {
	e := &AuditEntry{
		ClinicID:  a.p.ClinicID,
		At:        StoredTime(a.now()),
		Actor:     a.p.Actor(),
		Action:    action,
		Object:    object,
		ClientID:  clientID,
		Outcome:   OutcomeOK,
		Address:   a.meta.Address,
		RequestID: a.meta.RequestID,
		Route:     a.meta.Route,
	}
	switch ErrorCode(err) {
	case "":
	case ENOTFOUND, EFORBIDDEN, EUNAUTHORIZED:
		e.Outcome = OutcomeDenied
	default:
		// A fault of ours (the database, say) is no access to audit.
		return nil
	}
	return a.store.AppendAudit(ctx, e)
}

// done audits the outcome of a call and returns its error; a failure to audit
// a successful call fails the call, so nothing is read or changed unrecorded.
func (a *Access) done(ctx context.Context, action, object string, clientID int64, err error) error {
	if aerr := a.Audit(ctx, action, object, clientID, err); aerr != nil && err == nil {
		return aerr
	}
	return err
}

// Require checks that the principal holds scope, auditing a refusal.
func (a *Access) Require(ctx context.Context, scope, action, object string) error {
	if a.p.Can(scope) {
		return nil
	}
	err := Errorf(EFORBIDDEN, "", "this needs the %q scope, which this credential does not hold", scope)
	return a.done(ctx, action, object, 0, err)
}

func obj(kind string, id int64) string { return fmt.Sprintf("%s/%d", kind, id) }

// Clinic returns the principal's clinic.
func (a *Access) Clinic(ctx context.Context) (*Clinic, error) {
	return a.store.FindClinic(ctx, a.p.ClinicID)
}

// SetClinicTimeZone changes the clinic's time zone (an IANA name); only an
// owner may change the clinic's settings.
func (a *Access) SetClinicTimeZone(ctx context.Context, name string) error {
	object := obj("clinic", a.p.ClinicID) + "/time_zone"
	if a.p.Role != RoleOwner {
		err := Errorf(EFORBIDDEN, "", "only an owner may change the clinic's settings")
		return a.done(ctx, AuditUpdate, object, 0, err)
	}
	err := a.store.SetClinicTimeZone(ctx, a.p.ClinicID, name)
	return a.done(ctx, AuditUpdate, object, 0, err)
}

// ListClients returns the clinic's clients.
func (a *Access) ListClients(ctx context.Context) ([]*Client, error) {
	if err := a.Require(ctx, ScopeRead, AuditRead, "clients"); err != nil {
		return nil, err
	}
	cs, err := a.store.ListClients(ctx, a.p.ClinicID)
	return cs, a.done(ctx, AuditRead, "clients", 0, err)
}

// CreateClient stores a new client of the clinic.
func (a *Access) CreateClient(ctx context.Context, c *Client) error {
	if err := a.Require(ctx, ScopeWrite, AuditCreate, "client"); err != nil {
		return err
	}
	c.ClinicID = a.p.ClinicID
	err := a.store.CreateClient(ctx, c)
	return a.done(ctx, AuditCreate, obj("client", c.ID), c.ID, err)
}

// UpdateClient changes the name, email and phone of client c.ID of the clinic.
func (a *Access) UpdateClient(ctx context.Context, c *Client) error {
	if err := a.Require(ctx, ScopeWrite, AuditUpdate, obj("client", c.ID)); err != nil {
		return err
	}
	c.ClinicID = a.p.ClinicID
	err := a.store.UpdateClient(ctx, c)
	return a.done(ctx, AuditUpdate, obj("client", c.ID), c.ID, err)
}

// FindClient returns one client of the clinic.
func (a *Access) FindClient(ctx context.Context, id int64) (*Client, error) {
	if err := a.Require(ctx, ScopeRead, AuditRead, obj("client", id)); err != nil {
		return nil, err
	}
	c, err := a.store.FindClient(ctx, a.p.ClinicID, id)
	return c, a.done(ctx, AuditRead, obj("client", id), id, err)
}

// EraseClient deletes a client and everything held on them.
func (a *Access) EraseClient(ctx context.Context, id int64) error {
	if err := a.Require(ctx, ScopeErase, AuditErase, obj("client", id)); err != nil {
		return err
	}
	err := a.store.EraseClient(ctx, a.p.ClinicID, id)
	return a.done(ctx, AuditErase, obj("client", id), id, err)
}

// CreateScreening stores a client's screening.
func (a *Access) CreateScreening(ctx context.Context, s *Screening) error {
	if err := a.Require(ctx, ScopeWrite, AuditCreate, obj("client", s.ClientID)); err != nil {
		return err
	}
	s.ClinicID = a.p.ClinicID
	err := a.store.CreateScreening(ctx, s)
	return a.done(ctx, AuditCreate, obj("screening", s.ID), s.ClientID, err)
}

// ListScreenings returns a client's screenings.
func (a *Access) ListScreenings(ctx context.Context, clientID int64) ([]*Screening, error) {
	if err := a.Require(ctx, ScopeRead, AuditRead, obj("client", clientID)); err != nil {
		return nil, err
	}
	ss, err := a.store.ListScreenings(ctx, a.p.ClinicID, clientID)
	return ss, a.done(ctx, AuditRead, obj("client", clientID)+"/screenings", clientID, err)
}

// CreateSession stores a session with its follow-ups and the hash of its link.
func (a *Access) CreateSession(ctx context.Context, s *Session, linkHash []byte) error {
	if err := a.Require(ctx, ScopeWrite, AuditCreate, obj("client", s.ClientID)); err != nil {
		return err
	}
	s.ClinicID = a.p.ClinicID
	err := a.store.CreateSession(ctx, s, linkHash)
	return a.done(ctx, AuditCreate, obj("session", s.ID), s.ClientID, err)
}

// FindSession returns one session of the clinic with its check-ins.
func (a *Access) FindSession(ctx context.Context, id int64) (*Session, error) {
	if err := a.Require(ctx, ScopeRead, AuditRead, obj("session", id)); err != nil {
		return nil, err
	}
	s, err := a.store.FindSession(ctx, a.p.ClinicID, id)
	var clientID int64
	if s != nil {
		clientID = s.ClientID
	}
	return s, a.done(ctx, AuditRead, obj("session", id), clientID, err)
}

// ListSessions returns a client's sessions, or all the clinic's when clientID is 0.
func (a *Access) ListSessions(ctx context.Context, clientID int64) ([]*Session, error) {
	object := "sessions"
	if clientID != 0 {
		object = obj("client", clientID) + "/sessions"
	}
	if err := a.Require(ctx, ScopeRead, AuditRead, object); err != nil {
		return nil, err
	}
	ss, err := a.store.ListSessions(ctx, a.p.ClinicID, clientID)
	return ss, a.done(ctx, AuditRead, object, clientID, err)
}

// CreateLink adds a client link to a session of the clinic.
func (a *Access) CreateLink(ctx context.Context, sessionID int64, linkHash []byte, expiresAt time.Time) error {
	if err := a.Require(ctx, ScopeWrite, AuditUpdate, obj("session", sessionID)); err != nil {
		return err
	}
	err := a.store.CreateLink(ctx, a.p.ClinicID, sessionID, linkHash, expiresAt)
	return a.done(ctx, AuditUpdate, obj("session", sessionID)+"/links", 0, err)
}

// RevokeLinks revokes every client link of a session of the clinic.
func (a *Access) RevokeLinks(ctx context.Context, sessionID int64) error {
	if err := a.Require(ctx, ScopeWrite, AuditUpdate, obj("session", sessionID)); err != nil {
		return err
	}
	err := a.store.RevokeLinks(ctx, a.p.ClinicID, sessionID, StoredTime(a.now()))
	return a.done(ctx, AuditUpdate, obj("session", sessionID)+"/links", 0, err)
}

// CreateCheckIn stores a check-in for a session of the clinic.
func (a *Access) CreateCheckIn(ctx context.Context, c *CheckIn) (*Flag, error) {
	if err := a.Require(ctx, ScopeWrite, AuditCreate, obj("session", c.SessionID)); err != nil {
		return nil, err
	}
	c.ClinicID = a.p.ClinicID
	f, err := a.store.CreateCheckIn(ctx, c)
	return f, a.done(ctx, AuditCreate, obj("check_in", c.ID), 0, err)
}

// ListFlags returns the clinic's open flags.
func (a *Access) ListFlags(ctx context.Context) ([]*Flag, error) {
	if err := a.Require(ctx, ScopeRead, AuditRead, "flags"); err != nil {
		return nil, err
	}
	fs, err := a.store.ListFlags(ctx, a.p.ClinicID)
	return fs, a.done(ctx, AuditRead, "flags", 0, err)
}

// ListClientFlags returns every flag of one client of the clinic.
func (a *Access) ListClientFlags(ctx context.Context, clientID int64) ([]*Flag, error) {
	if err := a.Require(ctx, ScopeRead, AuditRead, obj("client", clientID)); err != nil {
		return nil, err
	}
	fs, err := a.store.ListClientFlags(ctx, a.p.ClinicID, clientID)
	return fs, a.done(ctx, AuditRead, obj("client", clientID)+"/flags", clientID, err)
}

// FindFlag returns one flag of the clinic.
func (a *Access) FindFlag(ctx context.Context, id int64) (*Flag, error) {
	if err := a.Require(ctx, ScopeRead, AuditRead, obj("flag", id)); err != nil {
		return nil, err
	}
	f, err := a.store.FindFlag(ctx, a.p.ClinicID, id)
	var clientID int64
	if f != nil {
		clientID = f.ClientID
	}
	return f, a.done(ctx, AuditRead, obj("flag", id), clientID, err)
}

// AckFlag acknowledges one flag of the clinic in the principal's name, with
// what came of it (an outcome of Outcomes and a note, both optional).
func (a *Access) AckFlag(ctx context.Context, id int64, outcome, note string) (*Flag, error) {
	if err := a.Require(ctx, ScopeWrite, AuditUpdate, obj("flag", id)); err != nil {
		return nil, err
	}
	by := a.p.Email
	if by == "" {
		by = a.p.Actor()
	}
	f, err := a.store.AckFlag(ctx, a.p.ClinicID, id, FlagAck{By: by, At: StoredTime(a.now()), Outcome: outcome, Note: note})
	return f, a.done(ctx, AuditUpdate, obj("flag", id), flagClient(f), err)
}

// UndoAck opens a flag of the clinic again when it was acknowledged at or
// after since; the audit log notes it as an update of "flag/ID/undo".
func (a *Access) UndoAck(ctx context.Context, id int64, since time.Time) (*Flag, error) {
	object := obj("flag", id) + "/undo"
	if err := a.Require(ctx, ScopeWrite, AuditUpdate, object); err != nil {
		return nil, err
	}
	f, err := a.store.UndoAck(ctx, a.p.ClinicID, id, since)
	return f, a.done(ctx, AuditUpdate, object, flagClient(f), err)
}

func flagClient(f *Flag) int64 {
	if f == nil {
		return 0
	}
	return f.ClientID
}

// Exported records that the principal downloaded an export; it checks the export scope first.
func (a *Access) Exported(ctx context.Context, object string, clientID int64) error {
	if err := a.Require(ctx, ScopeExport, AuditExport, object); err != nil {
		return err
	}
	return a.done(ctx, AuditExport, object, clientID, nil)
}

// ListAudit returns the clinic's audit log since a time; only an owner (or the CLI) may read it.
func (a *Access) ListAudit(ctx context.Context, since time.Time) ([]*AuditEntry, error) {
	if a.p.Role != RoleOwner {
		err := Errorf(EFORBIDDEN, "", "only an owner may read the audit log")
		return nil, a.done(ctx, AuditRead, "audit", 0, err)
	}
	es, err := a.store.ListAudit(ctx, a.p.ClinicID, since)
	return es, a.done(ctx, AuditRead, "audit", 0, err)
}

// ListUsers returns the clinic's staff.
func (a *Access) ListUsers(ctx context.Context) ([]*User, error) {
	if err := a.Require(ctx, ScopeRead, AuditRead, "users"); err != nil {
		return nil, err
	}
	return a.store.ListUsers(ctx, a.p.ClinicID)
}

type metaKey struct{}

// WithRequestMeta returns a context carrying what the audit log notes of a request.
func WithRequestMeta(ctx context.Context, m RequestMeta) context.Context {
	return context.WithValue(ctx, metaKey{}, m)
}

// RequestMetaFrom returns what a context carries of its request, or the zero RequestMeta.
func RequestMetaFrom(ctx context.Context) RequestMeta {
	m, _ := ctx.Value(metaKey{}).(RequestMeta)
	return m
}

// AccessFrom returns the clinic door for the principal a context carries, or
// nil when it carries none.
func AccessFrom(ctx context.Context, st Store, now func() time.Time) *Access {
	p := PrincipalFrom(ctx)
	if p == nil {
		return nil
	}
	return NewAccess(st, p, RequestMetaFrom(ctx), now)
}

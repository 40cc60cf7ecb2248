package httpapi

import (
	"fmt"
	"net/http"
	"time"

	"aftercare"
	"aftercare/usecase"
)

// clientInput is the body of POST /api/v1/clients.
type clientInput struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Phone string `json:"phone"`
}

// clientChange is the body of PATCH /api/v1/clients/{id}: the fields given
// replace the client's, the others stay.
type clientChange struct {
	Name  *string `json:"name"`
	Email *string `json:"email"`
	Phone *string `json:"phone"`
}

func (s *server) createClient(w http.ResponseWriter, r *http.Request, a *aftercare.Access) error {
	var in clientInput
	if err := s.decode(w, r, &in); err != nil {
		return err
	}
	c := &aftercare.Client{Name: in.Name, Email: in.Email, Phone: in.Phone}
	if err := usecase.CreateClient(r.Context(), a, c, s.now()); err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/clients/%d", c.ID))
	writeJSON(w, http.StatusCreated, c)
	return nil
}

func (s *server) updateClient(w http.ResponseWriter, r *http.Request, a *aftercare.Access) error {
	var in clientChange
	if err := s.decode(w, r, &in); err != nil {
		return err
	}
	c, err := findClient(r, a)
	if err != nil {
		return err
	}
	for _, f := range []struct{ to, from *string }{{&c.Name, in.Name}, {&c.Email, in.Email}, {&c.Phone, in.Phone}} {
		if f.from != nil {
			*f.to = *f.from
		}
	}
	if err := usecase.UpdateClient(r.Context(), a, c); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

// clientList is the body of GET /api/v1/clients.
type clientList struct {
	Clients []*aftercare.Client `json:"clients"`
}

func (s *server) listClients(w http.ResponseWriter, r *http.Request, a *aftercare.Access) error {
	cs, err := a.ListClients(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, clientList{Clients: nonNil(cs)})
	return nil
}

// clientView is a client with their screenings, oldest first.
type clientView struct {
	*aftercare.Client
	Screenings []*aftercare.Screening `json:"screenings"`
}

func (s *server) getClient(w http.ResponseWriter, r *http.Request, a *aftercare.Access) error {
	c, err := findClient(r, a)
	if err != nil {
		return err
	}
	sc, err := a.ListScreenings(r.Context(), c.ID)
	if err != nil {
		return err
	}
	for _, x := range sc {
		x.Health, x.Cautions = nonNil(x.Health), nonNil(x.Cautions)
	}
	writeJSON(w, http.StatusOK, clientView{Client: c, Screenings: nonNil(sc)})
	return nil
}

// findClient reads the client the path names, through the caller's door.
func findClient(r *http.Request, a *aftercare.Access) (*aftercare.Client, error) {
	id, err := pathID(r, "id", "client")
	if err != nil {
		return nil, err
	}
	c, err := a.FindClient(r.Context(), id)
	if aftercare.ErrorCode(err) == aftercare.ENOTFOUND {
		return nil, aftercare.Errorf(aftercare.ENOTFOUND, "id", "no client %d", id)
	}
	return c, err
}

// screeningInput is the body of POST /api/v1/clients/{id}/screenings.
type screeningInput struct {
	Health []string `json:"health"`
	Notes  string   `json:"notes"`
}

func (s *server) createScreening(w http.ResponseWriter, r *http.Request, a *aftercare.Access) error {
	c, err := findClient(r, a)
	if err != nil {
		return err
	}
	var in screeningInput
	if err := s.decode(w, r, &in); err != nil {
		return err
	}
	sc := &aftercare.Screening{ClientID: c.ID, Health: in.Health, Notes: in.Notes}
	if err := usecase.CreateScreening(r.Context(), a, s.assessor, sc, s.now()); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, sc)
	return nil
}

// sessionInput is the body of POST /api/v1/sessions.
type sessionInput struct {
	ClientID     int64             `json:"client_id"`
	Style        string            `json:"style"`
	Pressure     string            `json:"pressure"`
	AreasWorked  []string          `json:"areas_worked"`
	AreaPressure map[string]string `json:"area_pressure"`
	EndedAt      *string           `json:"ended_at"`
	Notes        string            `json:"notes"`
}

// session is the session the body describes, of the clinic clinicID; its end
// is left zero (now, for usecase.CreateSession) when the body names none.
func (in *sessionInput) session(clinicID int64) (*aftercare.Session, error) {
	s := &aftercare.Session{
		ClinicID: clinicID, ClientID: in.ClientID, Style: in.Style, Pressure: in.Pressure,
		AreasWorked: in.AreasWorked, AreaPressure: in.AreaPressure, Notes: in.Notes,
	}
	if in.EndedAt != nil {
		t, err := time.Parse(time.RFC3339, *in.EndedAt)
		if err != nil {
			return nil, aftercare.Errorf(aftercare.EINVALID, "ended_at", "ended_at must be an RFC 3339 time such as 2026-05-04T15:30:00Z, not %q", *in.EndedAt)
		}
		s.EndedAt = t
	}
	return s, nil
}

func (s *server) createSession(w http.ResponseWriter, r *http.Request, a *aftercare.Access) error {
	var in sessionInput
	if err := s.decode(w, r, &in); err != nil {
		return err
	}
	sess, err := in.session(a.ClinicID())
	if err != nil {
		return err
	}
	if err := usecase.CreateSession(r.Context(), a, sess, s.links(r), s.now().UTC()); err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/sessions/%d", sess.ID))
	writeJSON(w, http.StatusCreated, sess)
	return nil
}

// links says where the client links made for r point and how long they work.
func (s *server) links(r *http.Request) usecase.Links {
	return usecase.Links{BaseURL: s.base(r), TTL: s.linkTTL}
}

// base is the public address for links: Deps.BaseURL, or the request's own.
func (s *server) base(r *http.Request) string {
	if s.baseURL != "" {
		return s.baseURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// findSession reads the session the path names, through the caller's door.
func findSession(r *http.Request, a *aftercare.Access) (*aftercare.Session, error) {
	id, err := pathID(r, "id", "session")
	if err != nil {
		return nil, err
	}
	sess, err := a.FindSession(r.Context(), id)
	if aftercare.ErrorCode(err) == aftercare.ENOTFOUND {
		return nil, aftercare.Errorf(aftercare.ENOTFOUND, "id", "no session %d", id)
	}
	return sess, err
}

// sessionView is a session with what its flags mean for the next session.
type sessionView struct {
	*aftercare.Session
	Guidance []aftercare.Guidance `json:"guidance"`
}

func (s *server) getSession(w http.ResponseWriter, r *http.Request, a *aftercare.Access) error {
	sess, err := findSession(r, a)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sessionView{Session: sess, Guidance: nonNil(s.assessor.Guidance(sess.FlagRules()))})
	return nil
}

func (s *server) createCheckIn(w http.ResponseWriter, r *http.Request, a *aftercare.Access) error {
	sess, err := findSession(r, a)
	if err != nil {
		return err
	}
	return s.recordClinicCheckIn(w, r, a, sess)
}

// recordCheckIn reads an assessment request and stores it as a check-in of sess through door.
func (s *server) recordCheckIn(w http.ResponseWriter, r *http.Request, door usecase.CheckInDoor, sess *aftercare.Session) error {
	req, err := readRequest(w, r)
	if err != nil {
		return err
	}
	return s.storeCheckIn(w, r, door, sess, req)
}

// storeCheckIn completes, assesses and stores req as a check-in of sess
// through door, and answers with the check-in: the one path every check-in
// door ends in.
func (s *server) storeCheckIn(w http.ResponseWriter, r *http.Request, door usecase.CheckInDoor, sess *aftercare.Session, req aftercare.Request) error {
	door, err := idempotentDoor(r, door, &req) // idempotency.go: a retry under the same Idempotency-Key replays the first
	if err != nil {
		return err
	}
	c, _, err := usecase.RecordCheckIn(r.Context(), door, s.assessor, sess, req, s.now().UTC())
	if err != nil {
		return err
	}
	if markReplayed(w, c); !c.Replayed {
		s.metrics.assessed(c.Assessment.Level)
	}
	writeJSON(w, http.StatusCreated, c)
	return nil
}

// flagView is a flag with what it means for the client's next session.
type flagView struct {
	*aftercare.Flag
	Guidance []aftercare.Guidance `json:"guidance"`
}

// flagList is the body of GET /api/v1/flags.
type flagList struct {
	Flags []flagView `json:"flags"`
}

// flagView gives a flag the guidance of the rules that raised it, which the
// flag carries from its check-in's assessment.
func (s *server) flagView(f *aftercare.Flag) flagView {
	return flagView{Flag: f, Guidance: nonNil(s.assessor.Guidance(f.Rules))}
}

func (s *server) listFlags(w http.ResponseWriter, r *http.Request, a *aftercare.Access) error {
	fs, err := a.ListFlags(r.Context())
	if err != nil {
		return err
	}
	views := make([]flagView, 0, len(fs))
	for _, f := range fs {
		views = append(views, s.flagView(f))
	}
	writeJSON(w, http.StatusOK, flagList{Flags: views})
	return nil
}

func (s *server) ackFlag(w http.ResponseWriter, r *http.Request, a *aftercare.Access) error {
	id, err := pathID(r, "id", "flag")
	if err != nil {
		return err
	}
	// The body, with what came of it, is optional: an empty POST acknowledges.
	var in usecase.Ack
	if r.ContentLength != 0 || r.Header.Get("Content-Type") != "" {
		if err := s.decode(w, r, &in); err != nil {
			return err
		}
	}
	f, err := usecase.AckFlag(r.Context(), a, id, in)
	return s.writeFlag(w, f, err)
}

func (s *server) undoAck(w http.ResponseWriter, r *http.Request, a *aftercare.Access) error {
	id, err := pathID(r, "id", "flag")
	if err != nil {
		return err
	}
	f, err := usecase.UndoAck(r.Context(), a, id, s.now())
	return s.writeFlag(w, f, err)
}

// writeFlag answers with the view of one flag (its guidance included), or err.
func (s *server) writeFlag(w http.ResponseWriter, f *aftercare.Flag, err error) error {
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.flagView(f))
	return nil
}

// decode reads a JSON body into v.
func (s *server) decode(w http.ResponseWriter, r *http.Request, v any) error {
	data, err := readJSONBody(w, r)
	if err != nil {
		return err
	}
	return decodeJSON(data, v)
}

// nonNil returns s, or an empty slice for nil, so lists encode as [] and never null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

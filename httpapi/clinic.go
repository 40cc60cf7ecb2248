package httpapi

import (
	"fmt"
	"maps"
	"net/http"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"aftercare"
	"aftercare/httpapi/checkin"
)

// Limits of the clinic API's text fields.
const (
	maxNameChars  = 200
	maxEmailBytes = 254
	maxNotesBytes = aftercare.MaxTextBytes
)

// clientInput is the body of POST /api/v1/clients.
type clientInput struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

func (in *clientInput) validate() error {
	in.Name = strings.TrimSpace(in.Name)
	in.Email = strings.TrimSpace(in.Email)
	if in.Name == "" {
		return aftercare.Errorf(aftercare.EINVALID, "name", "name is required")
	}
	if n := utf8.RuneCountInString(in.Name); n > maxNameChars {
		return aftercare.Errorf(aftercare.EINVALID, "name", "name is %d characters long; at most %d are allowed", n, maxNameChars)
	}
	if !printable(in.Name) {
		return aftercare.Errorf(aftercare.EINVALID, "name", "name must be printable text")
	}
	if in.Email != "" {
		if err := checkEmail(in.Email); err != nil {
			return aftercare.Errorf(aftercare.EINVALID, "email", "%s", err)
		}
	}
	return nil
}

// checkEmail accepts one bare email address, such as ana@example.com.
func checkEmail(e string) error {
	if len(e) > maxEmailBytes {
		return fmt.Errorf("email is %d bytes long; at most %d are allowed", len(e), maxEmailBytes)
	}
	a, err := mail.ParseAddress(e)
	if err != nil || a.Address != e || !strings.Contains(e[strings.LastIndexByte(e, '@')+1:], ".") {
		return fmt.Errorf("email must be one address such as ana@example.com, not %q", e)
	}
	return nil
}

func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, c := range s {
		if unicode.IsControl(c) {
			return false
		}
	}
	return true
}

func (s *server) createClient(w http.ResponseWriter, r *http.Request, a *aftercare.Access) error {
	var in clientInput
	if err := s.decode(w, r, &in); err != nil {
		return err
	}
	if err := in.validate(); err != nil {
		return err
	}
	c := &aftercare.Client{Name: in.Name, Email: in.Email, CreatedAt: s.now().UTC()}
	if err := a.CreateClient(r.Context(), c); err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/clients/%d", c.ID))
	writeJSON(w, http.StatusCreated, c)
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
	health, err := codeList(aftercare.Health, "health", in.Health)
	if err != nil {
		return err
	}
	if err := checkNotes(in.Notes); err != nil {
		return err
	}
	sc := &aftercare.Screening{
		ClientID:  c.ID,
		Health:    health,
		Notes:     strings.TrimSpace(in.Notes),
		Cautions:  nonNil(s.assessor.Cautions(health)),
		CreatedAt: s.now().UTC(),
	}
	if err := a.CreateScreening(r.Context(), sc); err != nil {
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

// How far from now a session's end may be.
const (
	maxSessionAhead = 24 * time.Hour
	maxSessionAgo   = aftercare.MaxHours * time.Hour
)

func (in *sessionInput) session(clinicID int64, now time.Time) (*aftercare.Session, error) {
	if in.ClientID <= 0 {
		return nil, aftercare.Errorf(aftercare.EINVALID, "client_id", "client_id is required: the id of one of the clinic's clients, a positive number")
	}
	s := &aftercare.Session{ClinicID: clinicID, ClientID: in.ClientID, EndedAt: now, Notes: strings.TrimSpace(in.Notes)}
	if in.Style != "" && !aftercare.Styles.Has(in.Style) {
		return nil, unknownCode(aftercare.Styles, "style", in.Style)
	}
	s.Style = in.Style
	if in.Pressure != "" && !aftercare.Pressures.Has(in.Pressure) {
		return nil, unknownCode(aftercare.Pressures, "pressure", in.Pressure)
	}
	s.Pressure = in.Pressure
	var err error
	if s.AreasWorked, err = codeList(aftercare.Areas, "areas_worked", in.AreasWorked); err != nil {
		return nil, err
	}
	if len(s.AreasWorked) == 0 {
		s.AreasWorked = nil
	}
	for _, area := range slices.Sorted(maps.Keys(in.AreaPressure)) {
		field := "area_pressure." + area
		if !aftercare.Areas.Has(area) {
			return nil, aftercare.Errorf(aftercare.EINVALID, field, "unknown area %q in area_pressure; allowed: %s", area, aftercare.Areas.Allowed())
		}
		if p := in.AreaPressure[area]; !aftercare.Pressures.Has(p) {
			return nil, unknownCode(aftercare.Pressures, field, p)
		}
	}
	if len(in.AreaPressure) > 0 {
		s.AreaPressure = in.AreaPressure
	}
	if in.EndedAt != nil {
		t, err := time.Parse(time.RFC3339, *in.EndedAt)
		if err != nil {
			return nil, aftercare.Errorf(aftercare.EINVALID, "ended_at", "ended_at must be an RFC 3339 time such as 2026-05-04T15:30:00Z, not %q", *in.EndedAt)
		}
		if t.After(now.Add(maxSessionAhead)) {
			return nil, aftercare.Errorf(aftercare.EINVALID, "ended_at", "ended_at is more than 24 hours in the future")
		}
		if t.Before(now.Add(-maxSessionAgo)) {
			return nil, aftercare.Errorf(aftercare.EINVALID, "ended_at", "ended_at is more than a year ago")
		}
		s.EndedAt = t
	}
	s.EndedAt = s.EndedAt.UTC()
	if err := checkNotes(in.Notes); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *server) createSession(w http.ResponseWriter, r *http.Request, a *aftercare.Access) error {
	var in sessionInput
	if err := s.decode(w, r, &in); err != nil {
		return err
	}
	now := s.now().UTC()
	sess, err := in.session(a.ClinicID(), now)
	if err != nil {
		return err
	}
	clinic, err := a.Clinic(r.Context())
	if err != nil {
		return err
	}
	token, hash := checkin.Schedule(sess, clinic, s.linkTTL)
	sess.CheckInURL = s.base(r) + checkin.LinkPath(token)
	sess.CreatedAt = now
	if err := a.CreateSession(r.Context(), sess, hash); err != nil {
		if aftercare.ErrorCode(err) == aftercare.ENOTFOUND {
			return aftercare.Errorf(aftercare.ENOTFOUND, "client_id", "no client %d", sess.ClientID)
		}
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/sessions/%d", sess.ID))
	writeJSON(w, http.StatusCreated, sess)
	return nil
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

func (s *server) getSession(w http.ResponseWriter, r *http.Request, a *aftercare.Access) error {
	sess, err := findSession(r, a)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sess)
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
func (s *server) recordCheckIn(w http.ResponseWriter, r *http.Request, door checkin.Door, sess *aftercare.Session) error {
	req, err := readRequest(w, r)
	if err != nil {
		return err
	}
	return s.storeCheckIn(w, r, door, sess, req)
}

// storeCheckIn completes, assesses and stores req as a check-in of sess
// through door, and answers with the check-in: the one path every check-in
// door ends in.
func (s *server) storeCheckIn(w http.ResponseWriter, r *http.Request, door checkin.Door, sess *aftercare.Session, req aftercare.Request) error {
	door, err := idempotentDoor(r, door, &req) // idempotency.go: a retry under the same Idempotency-Key replays the first
	if err != nil {
		return err
	}
	c, _, err := checkin.Record(r.Context(), door, s.assessor, sess, req, s.now().UTC())
	if err != nil {
		return err
	}
	if markReplayed(w, c); !c.Replayed {
		s.metrics.assessed(c.Assessment.Level)
	}
	writeJSON(w, http.StatusCreated, c)
	return nil
}

// flagList is the body of GET /api/v1/flags.
type flagList struct {
	Flags []*aftercare.Flag `json:"flags"`
}

func (s *server) listFlags(w http.ResponseWriter, r *http.Request, a *aftercare.Access) error {
	fs, err := a.ListFlags(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, flagList{Flags: nonNil(fs)})
	return nil
}

func (s *server) ackFlag(w http.ResponseWriter, r *http.Request, a *aftercare.Access) error {
	id, err := pathID(r, "id", "flag")
	if err != nil {
		return err
	}
	f, err := a.AckFlag(r.Context(), id)
	if aftercare.ErrorCode(err) == aftercare.ENOTFOUND {
		return aftercare.Errorf(aftercare.ENOTFOUND, "id", "no flag %d", id)
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, f)
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

func checkNotes(notes string) error {
	if len(notes) > maxNotesBytes {
		return aftercare.Errorf(aftercare.EINVALID, "notes", "notes are %d bytes long; at most %d are allowed", len(notes), maxNotesBytes)
	}
	return nil
}

// codeList checks each code against v and drops repeats, keeping the order.
func codeList(v *aftercare.Vocabulary, field string, in []string) ([]string, error) {
	out := []string{}
	for i, c := range in {
		if !v.Has(c) {
			return nil, unknownCode(v, fmt.Sprintf("%s[%d]", field, i), c)
		}
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out, nil
}

func unknownCode(v *aftercare.Vocabulary, field, c string) error {
	if c == "" {
		return aftercare.Errorf(aftercare.EINVALID, field, "%s is empty; allowed: %s", field, v.Allowed())
	}
	return aftercare.Errorf(aftercare.EINVALID, field, "unknown %s %q; allowed: %s", v.Name, c, v.Allowed())
}

// nonNil returns s, or an empty slice for nil, so lists encode as [] and never null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

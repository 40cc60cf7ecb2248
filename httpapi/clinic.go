package httpapi

import (
	"fmt"
	"log/slog"
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
	maxTokenBytes = 200
)

// authedFunc is a handler of the clinic API, given the caller's token.
type authedFunc func(w http.ResponseWriter, r *http.Request, tok *aftercare.APIToken) error

// auth admits a request with a live bearer token and hands the token on.
func (s *server) auth(next authedFunc) apiFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		h := r.Header.Get("Authorization")
		scheme, secret, ok := strings.Cut(h, " ")
		secret = strings.TrimSpace(secret)
		if h == "" {
			return aftercare.Errorf(aftercare.EUNAUTHORIZED, "Authorization", "this route needs an API token: send Authorization: Bearer <token>")
		}
		if !ok || !strings.EqualFold(scheme, "Bearer") || secret == "" || len(secret) > maxTokenBytes {
			return aftercare.Errorf(aftercare.EUNAUTHORIZED, "Authorization", "the Authorization header must be Bearer <token>")
		}
		tok, err := s.store.FindToken(r.Context(), aftercare.HashSecret(secret))
		if err != nil {
			if aftercare.ErrorCode(err) == aftercare.ENOTFOUND {
				return aftercare.Errorf(aftercare.EUNAUTHORIZED, "Authorization", "the API token is not valid, or has been revoked")
			}
			return err
		}
		now := s.now()
		if tok.LastUsedAt == nil || now.Sub(*tok.LastUsedAt) > time.Minute {
			if err := s.store.TouchToken(r.Context(), tok.ID, now); err != nil {
				s.logger.LogAttrs(r.Context(), slog.LevelWarn, "token not touched",
					slog.String("request_id", requestID(r.Context())), slog.String("error", err.Error()))
			}
		}
		return next(w, r, tok)
	}
}

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

func (s *server) createClient(w http.ResponseWriter, r *http.Request, tok *aftercare.APIToken) error {
	var in clientInput
	if err := s.decode(w, r, &in); err != nil {
		return err
	}
	if err := in.validate(); err != nil {
		return err
	}
	c := &aftercare.Client{ClinicID: tok.ClinicID, Name: in.Name, Email: in.Email, CreatedAt: s.now().UTC()}
	if err := s.store.CreateClient(r.Context(), c); err != nil {
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

func (s *server) listClients(w http.ResponseWriter, r *http.Request, tok *aftercare.APIToken) error {
	cs, err := s.store.ListClients(r.Context(), tok.ClinicID)
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

func (s *server) getClient(w http.ResponseWriter, r *http.Request, tok *aftercare.APIToken) error {
	c, err := s.findClient(r, tok)
	if err != nil {
		return err
	}
	sc, err := s.store.ListScreenings(r.Context(), tok.ClinicID, c.ID)
	if err != nil {
		return err
	}
	for _, x := range sc {
		x.Health, x.Cautions = nonNil(x.Health), nonNil(x.Cautions)
	}
	writeJSON(w, http.StatusOK, clientView{Client: c, Screenings: nonNil(sc)})
	return nil
}

func (s *server) findClient(r *http.Request, tok *aftercare.APIToken) (*aftercare.Client, error) {
	id, err := pathID(r, "id", "client")
	if err != nil {
		return nil, err
	}
	c, err := s.store.FindClient(r.Context(), tok.ClinicID, id)
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

func (s *server) createScreening(w http.ResponseWriter, r *http.Request, tok *aftercare.APIToken) error {
	c, err := s.findClient(r, tok)
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
		ClinicID:  tok.ClinicID,
		ClientID:  c.ID,
		Health:    health,
		Notes:     strings.TrimSpace(in.Notes),
		Cautions:  nonNil(s.assessor.Cautions(health)),
		CreatedAt: s.now().UTC(),
	}
	if err := s.store.CreateScreening(r.Context(), sc); err != nil {
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

func (s *server) createSession(w http.ResponseWriter, r *http.Request, tok *aftercare.APIToken) error {
	var in sessionInput
	if err := s.decode(w, r, &in); err != nil {
		return err
	}
	now := s.now().UTC()
	sess, err := in.session(tok.ClinicID, now)
	if err != nil {
		return err
	}
	if _, err := s.store.FindClient(r.Context(), tok.ClinicID, sess.ClientID); err != nil {
		if aftercare.ErrorCode(err) == aftercare.ENOTFOUND {
			return aftercare.Errorf(aftercare.ENOTFOUND, "client_id", "no client %d", sess.ClientID)
		}
		return err
	}
	clinic, err := s.store.FindClinic(r.Context(), tok.ClinicID)
	if err != nil {
		return err
	}
	hours := clinic.FollowUpHours
	if len(hours) == 0 {
		hours = aftercare.DefaultFollowUpHours
	}
	sess.FollowUps = make([]aftercare.FollowUp, 0, len(hours))
	for _, h := range hours {
		sess.FollowUps = append(sess.FollowUps, aftercare.FollowUp{
			Hours: h, DueAt: sess.EndedAt.Add(time.Duration(h) * time.Hour), Status: "scheduled",
		})
	}
	token, hash := aftercare.NewSecret("c_")
	sess.CheckInURL = s.base(r) + "/c/" + token
	sess.LinkExpiresAt = sess.EndedAt.Add(s.linkTTL)
	sess.CreatedAt = now
	if err := s.store.CreateSession(r.Context(), sess, hash); err != nil {
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

func (s *server) findSession(r *http.Request, tok *aftercare.APIToken) (*aftercare.Session, error) {
	id, err := pathID(r, "id", "session")
	if err != nil {
		return nil, err
	}
	sess, err := s.store.FindSession(r.Context(), tok.ClinicID, id)
	if aftercare.ErrorCode(err) == aftercare.ENOTFOUND {
		return nil, aftercare.Errorf(aftercare.ENOTFOUND, "id", "no session %d", id)
	}
	return sess, err
}

func (s *server) getSession(w http.ResponseWriter, r *http.Request, tok *aftercare.APIToken) error {
	sess, err := s.findSession(r, tok)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sess)
	return nil
}

func (s *server) createCheckIn(w http.ResponseWriter, r *http.Request, tok *aftercare.APIToken) error {
	sess, err := s.findSession(r, tok)
	if err != nil {
		return err
	}
	return s.recordClinicCheckIn(w, r, sess)
}

// recordCheckIn reads an assessment request and stores it as a check-in of sess.
func (s *server) recordCheckIn(w http.ResponseWriter, r *http.Request, sess *aftercare.Session) error {
	data, err := readJSONBody(w, r)
	if err != nil {
		return err
	}
	req, err := aftercare.DecodeRequest(data)
	if err != nil {
		return err
	}
	return s.storeCheckIn(w, r, sess, req)
}

// storeCheckIn completes, assesses and stores req as a check-in of sess, and
// answers with the check-in: the one path every check-in door ends in.
func (s *server) storeCheckIn(w http.ResponseWriter, r *http.Request, sess *aftercare.Session, req aftercare.Request) error {
	c, _, err := checkin.Record(r.Context(), s.store, s.assessor, sess, req, s.now().UTC())
	if err != nil {
		return err
	}
	s.metrics.assessed(c.Assessment.Level)
	writeJSON(w, http.StatusCreated, c)
	return nil
}

// flagList is the body of GET /api/v1/flags.
type flagList struct {
	Flags []*aftercare.Flag `json:"flags"`
}

func (s *server) listFlags(w http.ResponseWriter, r *http.Request, tok *aftercare.APIToken) error {
	fs, err := s.store.ListFlags(r.Context(), tok.ClinicID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, flagList{Flags: nonNil(fs)})
	return nil
}

func (s *server) ackFlag(w http.ResponseWriter, r *http.Request, tok *aftercare.APIToken) error {
	id, err := pathID(r, "id", "flag")
	if err != nil {
		return err
	}
	f, err := s.store.AckFlag(r.Context(), tok.ClinicID, id, "token:"+tok.Name, s.now().UTC())
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

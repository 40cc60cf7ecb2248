package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"aftercare"
	"aftercare/usecase"
)

// The therapist's workspace. Every page reaches the clinic's data only
// through the aftercare.Access of the request's principal (scoped to its
// clinic and audited); a request without one is sent to sign in.

// staffReq is one request to a staff page.
type staffReq struct {
	acc    *aftercare.Access
	clinic *aftercare.Clinic
	p      *page
}

type staffFunc func(w http.ResponseWriter, r *http.Request, s *staffReq)

// staff admits a request whose context carries a principal, and sends any
// other to the sign-in page, to come back afterwards.
func (h *handler) staff(fn staffFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if h.d.Store == nil {
			h.unknown(w, r)
			return
		}
		acc := aftercare.AccessFrom(r.Context(), h.d.Store, h.d.Now)
		if acc == nil {
			next := "/staff"
			if r.Method == http.MethodGet {
				next = r.URL.RequestURI()
			}
			http.Redirect(w, r, "/login?next="+url.QueryEscape(next), http.StatusSeeOther)
			return
		}
		p := h.basePage("", "staff")
		p.Staff = acc.Principal()
		clinic, err := acc.Clinic(r.Context())
		if err != nil {
			h.fault(w, r, err, p)
			return
		}
		p.ClinicName = clinic.Name
		if clinic.EmergencyNumber != "" {
			p.EmergencyNumber, p.Tel = clinic.EmergencyNumber, telURL(clinic.EmergencyNumber)
		}
		fn(w, r, &staffReq{acc: acc, clinic: clinic, p: p})
	}
}

// refuse shows the page for an error of a staff request.
func (h *handler) refuse(w http.ResponseWriter, r *http.Request, err error, p *page) {
	back := message{Back: "/staff", BackText: "Back to today"}
	switch aftercare.ErrorCode(err) {
	case aftercare.ENOTFOUND:
		back.Heading, back.Text = "Not found", "Your clinic has no such record."
		h.tell(w, http.StatusNotFound, p, back)
	case aftercare.EFORBIDDEN, aftercare.EUNAUTHORIZED:
		back.Heading, back.Text = "Not allowed", "Your account may not do this. Ask the clinic's owner."
		h.tell(w, http.StatusForbidden, p, back)
	case aftercare.EINVALID:
		back.Heading, back.Text = "Please check the form", aftercare.ErrorMessage(err)
		h.tell(w, http.StatusBadRequest, p, back)
	default:
		h.fault(w, r, err, p)
	}
}

// invalid returns err as the application error to show beside a form when it
// is bad input (EINVALID), or nil.
func invalid(err error) *aftercare.Error {
	var e *aftercare.Error
	if aftercare.ErrorCode(err) == aftercare.EINVALID && errors.As(err, &e) {
		return e
	}
	return nil
}

// loginView is the sign-in page.
type loginView struct {
	Next  string
	Error string
}

func (h *handler) loginPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	next := safeNext(q.Get("next"))
	if aftercare.PrincipalFrom(r.Context()) != nil && q.Get("error") == "" {
		if next == "" {
			next = "/staff"
		}
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	p := h.basePage("Sign in", "login")
	p.Login = &loginView{Next: next}
	switch q.Get("error") {
	case "":
	case "throttled", "429":
		p.Login.Error = "Too many attempts to sign in. Wait a few minutes, then try again."
	case "busy":
		p.Login.Error = "The server is busy with other sign-ins. Wait a moment, then try again."
	default:
		p.Login.Error = "That email and password do not match an account. Check them and try again."
	}
	h.render(w, http.StatusOK, "login.html", p)
}

// flagView is a flag with its client's name.
type flagView struct {
	*aftercare.Flag
	ClientName string
}

// clientRow is one client of the list.
type clientRow struct {
	*aftercare.Client
	OpenFlags int
}

// dashboard is the staff's front page: the flags to acknowledge and the clients.
type dashboard struct {
	Today     []flagView
	Earlier   []flagView
	Clients   []clientRow
	Name      string
	Email     string
	FormError *aftercare.Error
}

func (h *handler) dashboard(w http.ResponseWriter, r *http.Request, s *staffReq) {
	h.showDashboard(w, r, s, &dashboard{}, http.StatusOK)
}

func (h *handler) showDashboard(w http.ResponseWriter, r *http.Request, s *staffReq, d *dashboard, status int) {
	ctx := r.Context()
	flags, err := s.acc.ListFlags(ctx)
	if err != nil {
		h.refuse(w, r, err, s.p)
		return
	}
	clients, err := s.acc.ListClients(ctx)
	if err != nil {
		h.refuse(w, r, err, s.p)
		return
	}
	names := map[int64]string{}
	open := map[int64]int{}
	for _, c := range clients {
		names[c.ID] = c.Name
	}
	now := h.d.Now().In(h.d.Location)
	y, m, dd := now.Date()
	midnight := time.Date(y, m, dd, 0, 0, 0, 0, h.d.Location)
	for i := len(flags) - 1; i >= 0; i-- {
		fl := flags[i]
		open[fl.ClientID]++
		v := flagView{Flag: fl, ClientName: names[fl.ClientID]}
		if fl.CreatedAt.Before(midnight) {
			d.Earlier = append(d.Earlier, v)
		} else {
			d.Today = append(d.Today, v)
		}
	}
	for _, c := range clients {
		d.Clients = append(d.Clients, clientRow{Client: c, OpenFlags: open[c.ID]})
	}
	slices.SortStableFunc(d.Clients, func(a, b clientRow) int {
		if a.OpenFlags != b.OpenFlags {
			return b.OpenFlags - a.OpenFlags
		}
		return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	})
	s.p.Title = "Today"
	s.p.Dash = d
	h.render(w, status, "staff.html", s.p)
}

func parseForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		return aftercare.Errorf(aftercare.EINVALID, "", "The form could not be read; please try again.")
	}
	return nil
}

func (h *handler) createClient(w http.ResponseWriter, r *http.Request, s *staffReq) {
	if err := parseForm(w, r); err != nil {
		h.refuse(w, r, err, s.p)
		return
	}
	d := &dashboard{Name: strings.TrimSpace(r.PostForm.Get("name")), Email: strings.TrimSpace(r.PostForm.Get("email"))}
	c := &aftercare.Client{Name: d.Name, Email: d.Email}
	if err := usecase.CreateClient(r.Context(), s.acc, c, h.d.Now()); err != nil {
		if e := invalid(err); e != nil {
			d.FormError = e
			h.showDashboard(w, r, s, d, http.StatusBadRequest)
			return
		}
		h.refuse(w, r, err, s.p)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/staff/clients/%d", c.ID), http.StatusSeeOther)
}

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, aftercare.Errorf(aftercare.ENOTFOUND, "id", "no such record")
	}
	return id, nil
}

func (h *handler) ackFlag(w http.ResponseWriter, r *http.Request, s *staffReq) {
	id, err := pathID(r)
	if err == nil {
		err = parseForm(w, r)
	}
	if err == nil {
		_, err = usecase.AckFlag(r.Context(), s.acc, id)
	}
	if err != nil {
		h.refuse(w, r, err, s.p)
		return
	}
	backToNext(w, r)
}

func (h *handler) createScreening(w http.ResponseWriter, r *http.Request, s *staffReq) {
	id, err := pathID(r)
	if err == nil {
		err = parseForm(w, r)
	}
	if err == nil {
		_, err = s.acc.FindClient(r.Context(), id)
	}
	if err != nil {
		h.refuse(w, r, err, s.p)
		return
	}
	sc := &aftercare.Screening{ClientID: id, Health: r.PostForm["health"], Notes: r.PostForm.Get("notes")}
	if err := usecase.CreateScreening(r.Context(), s.acc, h.d.Assessor, sc, h.d.Now()); err != nil {
		h.refuse(w, r, err, s.p)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/staff/clients/%d#screening", id), http.StatusSeeOther)
}

// createdSession is the page shown when a session is recorded or given a new
// link: the client's link, shown this once.
type createdSession struct {
	Session *aftercare.Session
	Client  *aftercare.Client
	URL     string
	Expires time.Time
	// Fresh is true for a new link of an earlier session.
	Fresh bool
}

// endedChoices are the answers to "when did the session end?", in minutes ago.
var endedChoices = []struct {
	Minutes int
	Label   string
}{
	{0, "Just now"}, {15, "15 minutes ago"}, {30, "30 minutes ago"}, {60, "1 hour ago"}, {120, "2 hours ago"},
	{240, "4 hours ago"}, {480, "8 hours ago"}, {1440, "Yesterday, 24 hours ago"},
}

func (h *handler) createSession(w http.ResponseWriter, r *http.Request, s *staffReq) {
	if err := parseForm(w, r); err != nil {
		h.refuse(w, r, err, s.p)
		return
	}
	ctx := r.Context()
	v := r.PostForm
	clientID, err := strconv.ParseInt(v.Get("client_id"), 10, 64)
	if err != nil || clientID <= 0 {
		h.refuse(w, r, aftercare.Errorf(aftercare.ENOTFOUND, "client_id", "no such client"), s.p)
		return
	}
	client, err := s.acc.FindClient(ctx, clientID)
	if err != nil {
		h.refuse(w, r, err, s.p)
		return
	}
	sf := sessionFormOf(v)
	sess, ferr := sf.session(clientID, h.d.Now())
	if ferr != nil {
		sf.Error = ferr
		h.showClient(w, r, s, client, sf, http.StatusBadRequest)
		return
	}
	if err := usecase.CreateSession(ctx, s.acc, sess, h.links(r), h.d.Now()); err != nil {
		if e := invalid(err); e != nil {
			sf.Error = e
			h.showClient(w, r, s, client, sf, http.StatusBadRequest)
			return
		}
		h.refuse(w, r, err, s.p)
		return
	}
	s.p.Title = "Session recorded"
	s.p.Created = &createdSession{Session: sess, Client: client, URL: sess.CheckInURL, Expires: sess.LinkExpiresAt}
	h.render(w, http.StatusOK, "session.html", s.p)
}

func (h *handler) newLink(w http.ResponseWriter, r *http.Request, s *staffReq) {
	ctx := r.Context()
	id, err := pathID(r)
	var sess *aftercare.Session
	if err == nil {
		sess, err = s.acc.FindSession(ctx, id)
	}
	var client *aftercare.Client
	if err == nil {
		client, err = s.acc.FindClient(ctx, sess.ClientID)
	}
	if err != nil {
		h.refuse(w, r, err, s.p)
		return
	}
	link, expires, err := usecase.NewLink(ctx, s.acc, sess, h.links(r), h.d.Now())
	if err != nil {
		h.refuse(w, r, err, s.p)
		return
	}
	s.p.Title = "A new check-in link"
	s.p.Created = &createdSession{Session: sess, Client: client, URL: link, Expires: expires, Fresh: true}
	h.render(w, http.StatusOK, "session.html", s.p)
}

// backToNext goes to the page a posted form names in next, or the dashboard.
func backToNext(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.PostForm.Get("next"))
	if next == "" {
		next = "/staff"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// revokeLinks stops every client link of a session at once, and goes back to
// the page the form names.
func (h *handler) revokeLinks(w http.ResponseWriter, r *http.Request, s *staffReq) {
	id, err := pathID(r)
	if err == nil {
		err = parseForm(w, r)
	}
	if err == nil {
		err = s.acc.RevokeLinks(r.Context(), id)
	}
	if err != nil {
		h.refuse(w, r, err, s.p)
		return
	}
	backToNext(w, r)
}

// sessionForm is the form that records a session.
type sessionForm struct {
	ClientID  int64
	Styles    []option
	Pressures []option
	Ended     []option
	Rows      []pressureRow
	Map       *bodyMap
	Notes     string
	Error     *aftercare.Error
	// Suggested is true when the per-area pressures come from the suggestion.
	Suggested bool

	raw url.Values
}

// pressureRow is one area's pressure select.
type pressureRow struct {
	Code    string
	Label   string
	Options []option
}

func newSessionForm(clientID int64, style, pressure string, area map[string]string, ended int) *sessionForm {
	sf := &sessionForm{ClientID: clientID, Styles: options(aftercare.Styles), Pressures: options(aftercare.Pressures)}
	check(sf.Styles, []string{style})
	check(sf.Pressures, []string{pressure})
	for _, e := range endedChoices {
		sf.Ended = append(sf.Ended, option{Code: strconv.Itoa(e.Minutes), Label: e.Label, Checked: e.Minutes == ended})
	}
	values := map[string]string{}
	for _, a := range aftercare.Areas.Codes() {
		row := pressureRow{Code: a.Code, Label: a.Label, Options: options(aftercare.Pressures)}
		if p := area[a.Code]; aftercare.Pressures.Has(p) {
			check(row.Options, []string{p})
			values[a.Code] = p
		}
		sf.Rows = append(sf.Rows, row)
	}
	sf.Map = newBodyMap("pressure-map", "pressure", "pressure_", "Body map: pressure per area", values)
	return sf
}

func sessionFormOf(v url.Values) *sessionForm {
	area := map[string]string{}
	for _, a := range aftercare.Areas.Codes() {
		if p := v.Get("pressure_" + a.Code); p != "" {
			area[a.Code] = p
		}
	}
	ended, _ := strconv.Atoi(v.Get("ended"))
	id, _ := strconv.ParseInt(v.Get("client_id"), 10, 64)
	sf := newSessionForm(id, v.Get("style"), v.Get("pressure"), area, ended)
	sf.Notes = v.Get("notes")
	sf.raw = v
	return sf
}

func (sf *sessionForm) session(clientID int64, now time.Time) (*aftercare.Session, *aftercare.Error) {
	v := sf.raw
	s := &aftercare.Session{ClientID: clientID, Style: v.Get("style"), Pressure: v.Get("pressure"), Notes: v.Get("notes")}
	for _, a := range aftercare.Areas.Codes() {
		p := v.Get("pressure_" + a.Code)
		if p == "" {
			continue
		}
		if !aftercare.Pressures.Has(p) {
			return nil, aftercare.Errorf(aftercare.EINVALID, "pressure_"+a.Code, "Choose a pressure for %s from the list.", strings.ToLower(a.Label))
		}
		s.AreasWorked = append(s.AreasWorked, a.Code)
		if p != s.Pressure {
			if s.AreaPressure == nil {
				s.AreaPressure = map[string]string{}
			}
			s.AreaPressure[a.Code] = p
		}
	}
	minutes, err := strconv.Atoi(v.Get("ended"))
	if v.Get("ended") == "" {
		minutes, err = 0, nil
	}
	if err != nil || minutes < 0 || minutes > 7*24*60 {
		return nil, aftercare.Errorf(aftercare.EINVALID, "ended", "Choose when the session ended.")
	}
	s.EndedAt = aftercare.StoredTime(now.Add(-time.Duration(minutes) * time.Minute))
	return s, nil
}

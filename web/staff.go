package web

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"aftercare"
	"aftercare/suggest"
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
		p.zone = clinic.Location()
		if clinic.EmergencyNumber != "" {
			p.EmergencyNumber, p.Tel = clinic.EmergencyNumber, telURL(clinic.EmergencyNumber)
		}
		fn(w, r, &staffReq{acc: acc, clinic: clinic, p: p})
	}
}

// formKey is the one-time key of the posted form, scoped to the caller's
// clinic; "" when the form carries none.
func (s *staffReq) formKey(r *http.Request) string {
	if k := formKey(r.PostForm.Get("key")); k != "" {
		return strconv.FormatInt(s.acc.ClinicID(), 10) + "/" + k
	}
	return ""
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
	case aftercare.ECONFLICT:
		back.Heading, back.Text = "This cannot be done now", aftercare.ErrorMessage(err)
		h.tell(w, http.StatusConflict, p, back)
	default:
		h.fault(w, r, err, p)
	}
}

// loginView is the sign-in page.
type loginView struct {
	Next  string
	Error string
	// Email is the email of a refused sign-in, kept in the form; empty on a
	// plain visit.
	Email string
}

// keptEmail is the email the sign-in handler passes when it shows the page
// again after a refused sign-in: the only form value of its internal GET.
// A GET's own URL never fills PostForm, so no address carries it in.
func keptEmail(r *http.Request) string {
	return r.PostForm.Get("email")
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
	p.Login = &loginView{Next: next, Email: keptEmail(r)}
	switch q.Get("error") {
	case "":
	case "throttled", "429":
		p.Login.Error = "Too many attempts to sign in. Wait a few minutes, then try again."
	default:
		p.Login.Error = "That email and password do not match an account. Check them and try again."
	}
	h.render(w, http.StatusOK, "login.html", p)
}

// flagView is a flag with its client's name and what raised it.
type flagView struct {
	*aftercare.Flag
	ClientName string
	// ClientPhone is the client's phone number, for calling back; empty for none.
	ClientPhone string
	// Signs are the warning signs reported, in words.
	Signs []string
	// Sore lists the rated areas, such as "Calves 6/10".
	Sore []string
	// HoursAfter is when the check-in was sent, in hours after the session.
	HoursAfter float64
	// Session is the session the check-in was about; nil when it is not found.
	Session *aftercare.Session
	// Words is what the client typed, shortened.
	Words string
	// Hold names the areas not to treat and why; empty when none.
	Hold string
}

// clientRow is one client of the list.
type clientRow struct {
	*aftercare.Client
	OpenFlags int
}

// clientFields are a client's name, email and phone in a form, as typed,
// with the error about one of them (or about the whole form).
type clientFields struct {
	// ID prefixes the fields' ids: "client-name" on the dashboard, "edit-name" on the client's page.
	ID                 string
	Name, Email, Phone string
	Error              *aftercare.Error
}

// ErrorOn returns the error's text when it is about field, to show beside it.
func (f clientFields) ErrorOn(field string) string {
	if f.Error != nil && f.Error.Field == field {
		return f.Error.Message
	}
	return ""
}

// Fields are the add-client form's fields as sent.
func (d *dashboard) Fields() clientFields {
	return clientFields{ID: "client", Name: d.Name, Email: d.Email, Phone: d.Phone, Error: d.FormError}
}

// dashboard is the staff's front page: the flags to acknowledge and the clients.
type dashboard struct {
	// Flags are the open flags, most serious first, then oldest.
	Flags     []flagView
	Clients   []clientRow
	Name      string
	Email     string
	FormError *aftercare.Error
	// Reach says whether reminders can reach the clinic's clients.
	Reach reach
	// Key is the one-time key of the form that adds a client.
	Key string
	// Today is the clinic's day, in its time zone, and Zone names that zone.
	Today, Zone string
	// RaisedToday counts the open flags raised on the clinic's today.
	RaisedToday int
	// Phone is the phone number the add-client form was sent with.
	Phone string
	// Acked is the flag just acknowledged on this page, shown with its
	// outcome and the way to undo it; nil for none.
	Acked *flagView
}

// ackForm is the form that acknowledges a flag, going back to Next.
type ackForm struct {
	Flag *aftercare.Flag
	Next string
}

// canUndo reports whether a flag's acknowledgement can still be undone.
func (h *handler) canUndo(f *aftercare.Flag) bool {
	return f.AckedAt != nil && h.d.Now().Sub(*f.AckedAt) < usecase.UndoWindow
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
	byID := map[int64]*aftercare.Client{}
	open := map[int64]int{}
	for _, c := range clients {
		byID[c.ID] = c
	}
	flags = slices.Clone(flags)
	slices.SortStableFunc(flags, func(a, b *aftercare.Flag) int {
		if a.Level != b.Level {
			return int(b.Level) - int(a.Level)
		}
		return a.CreatedAt.Compare(b.CreatedAt)
	})
	sessions := map[int64]*aftercare.Session{}
	now := h.d.Now()
	for i, fl := range flags {
		open[fl.ClientID]++
		if aftercare.DaysBetween(fl.CreatedAt, now, s.p.zone) == 0 {
			d.RaisedToday++
		}
		sess, ok := sessions[fl.SessionID]
		if !ok && i < maxDescribed {
			sess, err = s.acc.FindSession(ctx, fl.SessionID)
			if err != nil && aftercare.ErrorCode(err) != aftercare.ENOTFOUND {
				h.refuse(w, r, err, s.p)
				return
			}
			sessions[fl.SessionID] = sess
		}
		d.Flags = append(d.Flags, describeFlag(fl, byID[fl.ClientID], sess))
	}
	if id, err := strconv.ParseInt(r.URL.Query().Get("acked"), 10, 64); err == nil && id > 0 {
		fl, err := s.acc.FindFlag(ctx, id)
		if err != nil && aftercare.ErrorCode(err) != aftercare.ENOTFOUND {
			h.refuse(w, r, err, s.p)
			return
		}
		if fl != nil && fl.AckedAt != nil {
			v := describeFlag(fl, byID[fl.ClientID], nil)
			d.Acked = &v
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
	d.Reach = h.reachOf(s.clinic, nil)
	d.Key = newFormKey()
	d.Today, d.Zone = aftercare.ShowDay(now, s.p.zone), s.p.zone.String()
	s.p.Title = "Today"
	s.p.Dash = d
	h.render(w, status, "staff.html", s.p)
}

// signsOf lists in words the signs a check-in reported, ticked or read from its text.
func signsOf(c *aftercare.CheckIn) []string {
	signs := slices.Clone(c.Request.Symptoms)
	for _, f := range c.Assessment.Findings {
		if f.Type == "symptom" && !f.Negated && !slices.Contains(signs, f.Code) {
			signs = append(signs, f.Code)
		}
	}
	out := make([]string, 0, len(signs))
	for _, code := range signs {
		out = append(out, aftercare.Symptoms.Label(code))
	}
	return out
}

// maxDescribed is how many flags, the most serious first, the queue
// describes from their check-ins (one read of a session each); the others
// are listed by client, level and time.
const maxDescribed = 40

// maxWords is the most of a client's own words a flag shows.
const maxWords = 160

// describeFlag says what raised a flag, from its check-in in sess, with
// its client's name and phone (client may be nil).
func describeFlag(fl *aftercare.Flag, client *aftercare.Client, sess *aftercare.Session) flagView {
	v := flagView{Flag: fl, Session: sess}
	if client != nil {
		v.ClientName, v.ClientPhone = client.Name, client.Phone
	}
	if sess == nil {
		return v
	}
	i := slices.IndexFunc(sess.CheckIns, func(c aftercare.CheckIn) bool { return c.ID == fl.CheckInID })
	if i < 0 {
		return v
	}
	c := &sess.CheckIns[i]
	v.HoursAfter = c.HoursSince
	v.Signs = signsOf(c)
	for _, so := range c.Request.Soreness {
		v.Sore = append(v.Sore, fmt.Sprintf("%s %d/10", aftercare.Areas.Label(so.Area), so.Pain))
	}
	if words := strings.Join(strings.Fields(c.Request.Text), " "); words != "" {
		if r := []rune(words); len(r) > maxWords {
			words = string(r[:maxWords]) + "…"
		}
		v.Words = words
	}
	if holds := groupHolds(suggest.Holds([]*aftercare.Session{sess}, []*aftercare.Flag{fl})); len(holds) > 0 {
		var parts []string
		for _, g := range holds {
			parts = append(parts, upperFirst(g.Concern)+": do not treat "+strings.Join(g.Areas, ", "))
		}
		v.Hold = strings.Join(parts, ". ") + ", until a clinician has cleared the client."
	}
	return v
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
	d := &dashboard{Name: strings.TrimSpace(r.PostForm.Get("name")), Email: strings.TrimSpace(r.PostForm.Get("email")),
		Phone: strings.TrimSpace(r.PostForm.Get("phone"))}
	to, err := h.recent.once(s.formKey(r), h.d.Now(), func() (string, error) {
		c := &aftercare.Client{Name: d.Name, Email: d.Email, Phone: d.Phone}
		err := usecase.CreateClient(r.Context(), s.acc, c, h.d.Now())
		return fmt.Sprintf("/staff/clients/%d", c.ID), err
	})
	if e := invalid(err); e != nil {
		d.FormError = e
		h.showDashboard(w, r, s, d, http.StatusBadRequest)
		return
	}
	if err != nil {
		h.refuse(w, r, err, s.p)
		return
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// updateClient changes a client's name, email and phone, once per form,
// and goes back to the client's page. A refused field shows the client's
// page again (400), the form open with what was typed and the error beside
// the field; nothing is stored.
func (h *handler) updateClient(w http.ResponseWriter, r *http.Request, s *staffReq) {
	id, err := pathID(r)
	if err == nil {
		err = parseForm(w, r)
	}
	edit := &clientFields{ID: "edit", Name: r.PostForm.Get("name"), Email: r.PostForm.Get("email"), Phone: r.PostForm.Get("phone")}
	to := ""
	if err == nil {
		to, err = h.recent.once(s.formKey(r), h.d.Now(), func() (string, error) {
			c := &aftercare.Client{ID: id, Name: edit.Name, Email: edit.Email, Phone: edit.Phone}
			return fmt.Sprintf("/staff/clients/%d", id), usecase.UpdateClient(r.Context(), s.acc, c)
		})
	}
	if e := invalid(err); e != nil {
		// The refusal comes before the client is looked up: one of another
		// clinic is not found here, as everywhere.
		c, err := s.acc.FindClient(r.Context(), id)
		if err != nil {
			h.refuse(w, r, err, s.p)
			return
		}
		edit.Error = e
		h.showClient(w, r, s, c, nil, edit, http.StatusBadRequest)
		return
	}
	if err != nil {
		h.refuse(w, r, err, s.p)
		return
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// invalid returns err as an *aftercare.Error when it is a refusal of the
// input (shown beside its field), or nil.
func invalid(err error) *aftercare.Error {
	var e *aftercare.Error
	if aftercare.ErrorCode(err) == aftercare.EINVALID && errors.As(err, &e) {
		return e
	}
	return nil
}

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, aftercare.Errorf(aftercare.ENOTFOUND, "id", "no such record")
	}
	return id, nil
}

// ackFlag acknowledges a flag with what came of it, once per form, and goes
// back to the page the form names, which shows the outcome and the way to
// undo it (the dashboard by ?acked=ID).
func (h *handler) ackFlag(w http.ResponseWriter, r *http.Request, s *staffReq) {
	h.flagAction(w, r, s, func(id int64) (string, error) {
		ack := usecase.Ack{Outcome: r.PostForm.Get("outcome"), Note: r.PostForm.Get("outcome_note")}
		if _, err := usecase.AckFlag(r.Context(), s.acc, id, ack); err != nil {
			return "", err
		}
		next := nextOf(r)
		if path, _, _ := strings.Cut(next, "#"); path == "/staff" {
			next = "/staff?acked=" + strconv.FormatInt(id, 10) + "#acked"
		}
		return next, nil
	})
}

// undoAck opens an acknowledged flag again, within usecase.UndoWindow of
// acknowledging, once per form, and goes back to the page the form names.
func (h *handler) undoAck(w http.ResponseWriter, r *http.Request, s *staffReq) {
	h.flagAction(w, r, s, func(id int64) (string, error) {
		if _, err := usecase.UndoAck(r.Context(), s.acc, id, h.d.Now()); err != nil {
			return "", err
		}
		return nextOf(r), nil
	})
}

// flagAction runs act on the flag of the path once per form key, and
// redirects to where act says.
func (h *handler) flagAction(w http.ResponseWriter, r *http.Request, s *staffReq, act func(id int64) (string, error)) {
	id, err := pathID(r)
	if err == nil {
		err = parseForm(w, r)
	}
	to := ""
	if err == nil {
		to, err = h.recent.once(s.formKey(r), h.d.Now(), func() (string, error) { return act(id) })
	}
	if err != nil {
		h.refuse(w, r, err, s.p)
		return
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
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
	to, err := h.recent.once(s.formKey(r), h.d.Now(), func() (string, error) {
		sc := &aftercare.Screening{ClientID: id, Health: r.PostForm["health"], Notes: r.PostForm.Get("notes")}
		return fmt.Sprintf("/staff/clients/%d#screening", id), usecase.CreateScreening(r.Context(), s.acc, h.d.Assessor, sc, h.d.Now())
	})
	if err != nil {
		h.refuse(w, r, err, s.p)
		return
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// createdSession is the page of a recorded session: the client's link, shown
// just after it is made (by recording the session or asking for a new one).
type createdSession struct {
	Session *aftercare.Session
	Client  *aftercare.Client
	// URL is the client's link; empty when it is no longer shown.
	URL string
	// QR is the link as a QR code, to show the client.
	QR      *qrCode
	Expires time.Time
	// Fresh is true for a new link of an earlier session.
	Fresh bool
	// Key is the one-time key of the form that makes a new link.
	Key string
	// Reach says whether reminders reach the client; FollowUps say each as it is.
	Reach     reach
	FollowUps []followUpView
	// Course charts the soreness since the session; nil before any rating.
	Course *sessionCourse
	// Mail offers to email the link shown to the client.
	Mail mailOffer
}

// mailOffer is the form that emails the client their link, or why it cannot.
type mailOffer struct {
	// Available is true when a mail server is set up.
	Available bool
	// To is the client's address; empty when there is none.
	To string
	// Key is the form's one-time key.
	Key string
	// Sent is true on the page the form leads to.
	Sent bool
	// Error says why the link was not emailed.
	Error string
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
	holds, err := h.holdsOf(r, s, clientID)
	if err != nil {
		h.refuse(w, r, err, s.p)
		return
	}
	h.linkOnce(w, r, s, func(token string) (*aftercare.Session, error) {
		sf := sessionFormOf(v, holds)
		sess, ferr := sf.session(clientID, h.d.Now(), s.p.zone)
		if ferr == nil {
			links := h.links(r)
			links.Token = token
			err := usecase.CreateSession(ctx, s.acc, sess, links, h.d.Now())
			if ferr = invalid(err); ferr == nil {
				return sess, err
			}
		}
		sf.Error = ferr
		h.showClient(w, r, s, client, sf, nil, http.StatusBadRequest)
		return nil, nil
	})
}

// linkOnce makes a form's client link once, then sends the browser to the
// session's page, which shows the link. The link's token comes from the
// form's key, so the same form posted again (a reload, a second tap) finds
// the session its link was stored with, and store is not called; two posts
// at once both try, and the link being unique, one store fails and finds the
// other's. store stores the link's hash and returns its session, or nil and
// no error when it has answered the request itself (a form shown again).
// A fresh link of an earlier session is said so by the query "link=new".
func (h *handler) linkOnce(w http.ResponseWriter, r *http.Request, s *staffReq, store func(token string) (*aftercare.Session, error)) {
	ctx := r.Context()
	key := formKey(r.PostForm.Get("key"))
	if key == "" {
		key = newFormKey()
	}
	token := linkToken(key)
	sess, err := h.linkOf(ctx, s.acc.ClinicID(), token)
	if err == nil && sess == nil {
		sess, err = store(token)
		if err != nil {
			if done, err2 := h.linkOf(ctx, s.acc.ClinicID(), token); err2 == nil && done != nil {
				sess, err = done, nil
			}
		} else if sess == nil {
			return
		}
	}
	if err != nil {
		h.refuse(w, r, err, s.p)
		return
	}
	h.setLinkCookie(w, r, sess.ID, token)
	to := sessionPath(sess.ID)
	if r.PathValue("id") != "" {
		to += "?link=new"
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

func (h *handler) newLink(w http.ResponseWriter, r *http.Request, s *staffReq) {
	ctx := r.Context()
	id, err := pathID(r)
	if err == nil {
		err = parseForm(w, r)
	}
	var sess *aftercare.Session
	if err == nil {
		sess, err = s.acc.FindSession(ctx, id)
	}
	if err != nil {
		h.refuse(w, r, err, s.p)
		return
	}
	h.linkOnce(w, r, s, func(token string) (*aftercare.Session, error) {
		links := h.links(r)
		links.Token = token
		_, _, err := usecase.NewLink(ctx, s.acc, sess, links, h.d.Now())
		return sess, err
	})
}

// sessionPage shows a recorded session with the client link the form that
// recorded it (or made it a new link) has just made; the link is shown for
// linkCookieAge after, then only a new one can be made.
func (h *handler) sessionPage(w http.ResponseWriter, r *http.Request, s *staffReq) {
	sess, client, err := h.sessionOf(r, s)
	if err != nil {
		h.refuse(w, r, err, s.p)
		return
	}
	h.showSession(w, r, s, sess, client, http.StatusOK, "")
}

// sessionOf finds the session named in the path, and its client.
func (h *handler) sessionOf(r *http.Request, s *staffReq) (*aftercare.Session, *aftercare.Client, error) {
	id, err := pathID(r)
	var sess *aftercare.Session
	if err == nil {
		sess, err = s.acc.FindSession(r.Context(), id)
	}
	var client *aftercare.Client
	if err == nil {
		client, err = s.acc.FindClient(r.Context(), sess.ClientID)
	}
	return sess, client, err
}

// shownLink returns the client link that the session's page may show: the
// one in the page's cookie, while it is live and of this session; "" when
// there is none.
func (h *handler) shownLink(r *http.Request, s *staffReq, sess *aftercare.Session) (string, *aftercare.Session, error) {
	c, err := r.Cookie(linkCookie)
	if err != nil {
		return "", nil, nil
	}
	live, err := h.linkOf(r.Context(), s.acc.ClinicID(), c.Value)
	if err != nil || live == nil || live.ID != sess.ID {
		return "", nil, err
	}
	return c.Value, live, nil
}

// showSession renders a session's page; mailErr says why the link was not emailed.
func (h *handler) showSession(w http.ResponseWriter, r *http.Request, s *staffReq, sess *aftercare.Session, client *aftercare.Client, status int, mailErr string) {
	cs := &createdSession{Session: sess, Client: client, Key: newFormKey(), Reach: h.reachOf(s.clinic, client)}
	cs.FollowUps = h.followUps(sess, cs.Reach, s.p.zone)
	cs.Course = newSessionCourse("course", sess.CheckIns, usecase.WorstPain)
	token, live, err := h.shownLink(r, s, sess)
	if err != nil {
		h.refuse(w, r, err, s.p)
		return
	}
	if live != nil {
		cs.URL, cs.Expires = h.base(r)+usecase.LinkPath(token), live.LinkExpiresAt
		cs.QR = newQRCode(cs.URL)
		cs.Fresh = r.URL.Query().Get("link") == "new" || r.PostForm.Get("fresh") == "1"
		cs.Mail = mailOffer{Available: h.d.Mailer != nil, To: client.Email, Key: newFormKey(),
			Sent: r.Method == http.MethodGet && r.URL.Query().Get("mailed") == "1"}
	}
	cs.Mail.Error = mailErr
	s.p.Title = "Session of " + client.Name
	s.p.Created = cs
	h.render(w, status, "session.html", s.p)
}

// emailLink mails the client the link the session's page shows, once per
// form: a second post of the same form (a reload, a double tap) is sent
// where the first was, and mails nothing more.
func (h *handler) emailLink(w http.ResponseWriter, r *http.Request, s *staffReq) {
	err := parseForm(w, r)
	var sess *aftercare.Session
	var client *aftercare.Client
	if err == nil {
		sess, client, err = h.sessionOf(r, s)
	}
	if err != nil {
		h.refuse(w, r, err, s.p)
		return
	}
	to := sessionPath(sess.ID) + "?mailed=1"
	if r.PostForm.Get("fresh") == "1" {
		to = sessionPath(sess.ID) + "?link=new&mailed=1"
	}
	to, err = h.recent.once(s.formKey(r), h.d.Now(), func() (string, error) {
		token, live, err := h.shownLink(r, s, sess)
		if err == nil && live == nil {
			err = aftercare.Errorf(aftercare.ECONFLICT, "link", "the link is no longer shown here, so it cannot be emailed: make a new one")
		}
		if err != nil {
			return "", err
		}
		return to, usecase.EmailLink(r.Context(), h.d.Mailer, s.clinic, client, h.base(r)+usecase.LinkPath(token), live.LinkExpiresAt)
	})
	switch aftercare.ErrorCode(err) {
	case "":
		http.Redirect(w, r, to, http.StatusSeeOther)
	case aftercare.EUNAVAILABLE, aftercare.EINVALID, aftercare.ECONFLICT:
		status := http.StatusConflict
		if aftercare.ErrorCode(err) == aftercare.EUNAVAILABLE {
			// The cause is the mail server's; the other refusals name the client.
			status = http.StatusServiceUnavailable
			h.d.Logger.LogAttrs(r.Context(), slog.LevelWarn, "the check-in link was not emailed", slog.Int64("session_id", sess.ID), slog.String("error", err.Error()))
		}
		h.showSession(w, r, s, sess, client, status, upperFirst(aftercare.ErrorMessage(err))+".")
	default:
		h.refuse(w, r, err, s.p)
	}
}

// backToNext goes to the page a posted form names in next, or the dashboard.
func backToNext(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, nextOf(r), http.StatusSeeOther)
}

// nextOf is the page on this site a form names to go back to, or /staff.
func nextOf(r *http.Request) string {
	if next := safeNext(r.PostForm.Get("next")); next != "" {
		return next
	}
	return "/staff"
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
	// Key is the form's one-time key; the form posted again keeps it.
	Key string
	// EndedAt is the date and time the session ended, when picked (a datetime-local value).
	EndedAt string
	// Zone names the time zone of EndedAt.
	Zone string
	// Held lists the areas on hold; Cleared is true when the therapist
	// confirms a clinician has cleared the client, to work them.
	Held    []string
	Cleared bool
	// Suggested is true when the per-area pressures come from the suggestion.
	Suggested bool

	raw url.Values
}

// pressureRow is one area's pressure select.
type pressureRow struct {
	Code    string
	Label   string
	Options []option
	// Held names the concern for which the area is not to be treated; empty when it may be.
	Held string
}

// newSessionForm returns the session form with these values; the areas
// held are marked, and must be confirmed cleared to be worked.
func newSessionForm(clientID int64, style, pressure string, area map[string]string, ended int, holds []suggest.Hold) *sessionForm {
	sf := &sessionForm{ClientID: clientID, Styles: options(aftercare.Styles), Pressures: options(aftercare.Pressures), Key: newFormKey()}
	check(sf.Styles, []string{style})
	check(sf.Pressures, []string{pressure})
	for _, e := range endedChoices {
		sf.Ended = append(sf.Ended, option{Code: strconv.Itoa(e.Minutes), Label: e.Label, Checked: e.Minutes == ended})
	}
	values := map[string]string{}
	for _, a := range aftercare.Areas.Codes() {
		row := pressureRow{Code: a.Code, Label: a.Label, Options: options(aftercare.Pressures)}
		if i := slices.IndexFunc(holds, func(h suggest.Hold) bool { return h.Area == a.Code }); i >= 0 {
			row.Held = suggest.ConcernText[holds[i].Concern]
			sf.Held = append(sf.Held, a.Label)
		}
		if p := area[a.Code]; aftercare.Pressures.Has(p) {
			check(row.Options, []string{p})
			values[a.Code] = p
		}
		sf.Rows = append(sf.Rows, row)
	}
	sf.Map = newBodyMap("pressure-map", "pressure", "pressure_", "Body map: pressure per area", values)
	return sf
}

// Invalid reports whether the form's error is about field.
func (sf *sessionForm) Invalid(field string) bool { return sf.Error != nil && sf.Error.Field == field }

func sessionFormOf(v url.Values, holds []suggest.Hold) *sessionForm {
	area := map[string]string{}
	for _, a := range aftercare.Areas.Codes() {
		if p := v.Get("pressure_" + a.Code); p != "" {
			area[a.Code] = p
		}
	}
	ended, _ := strconv.Atoi(v.Get("ended"))
	id, _ := strconv.ParseInt(v.Get("client_id"), 10, 64)
	sf := newSessionForm(id, v.Get("style"), v.Get("pressure"), area, ended, holds)
	sf.Notes = v.Get("notes")
	sf.EndedAt = v.Get("ended_at")
	sf.Cleared = v.Get("cleared") == "yes"
	if k := formKey(v.Get("key")); k != "" {
		sf.Key = k
	}
	sf.raw = v
	return sf
}

// endedAtLayout is the layout of a datetime-local field.
const endedAtLayout = "2006-01-02T15:04"

// maxEndedAgo is the longest before now a recorded session may have ended.
const maxEndedAgo = 7 * 24 * time.Hour

func (sf *sessionForm) session(clientID int64, now time.Time, loc *time.Location) (*aftercare.Session, *aftercare.Error) {
	v := sf.raw
	s := &aftercare.Session{ClientID: clientID, Notes: strings.TrimSpace(v.Get("notes"))}
	if st := v.Get("style"); st != "" {
		if !aftercare.Styles.Has(st) {
			return nil, aftercare.Errorf(aftercare.EINVALID, "style", "Choose a style from the list.")
		}
		s.Style = st
	}
	if p := v.Get("pressure"); p != "" {
		if !aftercare.Pressures.Has(p) {
			return nil, aftercare.Errorf(aftercare.EINVALID, "pressure", "Choose a pressure from the list.")
		}
		s.Pressure = p
	}
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
	var heldWorked []string
	for _, row := range sf.Rows {
		if row.Held != "" && slices.Contains(s.AreasWorked, row.Code) {
			heldWorked = append(heldWorked, strings.ToLower(row.Label)+" ("+row.Held+")")
		}
	}
	if len(heldWorked) > 0 {
		if !sf.Cleared {
			return nil, aftercare.Errorf(aftercare.EINVALID, "cleared",
				"Not to be treated until a clinician has cleared the client: %s. Set them to Not worked, or confirm below that the client has been cleared.", strings.Join(heldWorked, ", "))
		}
		note := "Worked after a clinician cleared the client (confirmed by the therapist): " + strings.Join(heldWorked, ", ") + "."
		s.Notes = strings.TrimSpace(s.Notes + "\n" + note)
	}
	if len(s.Notes) > aftercare.MaxTextBytes {
		return nil, aftercare.Errorf(aftercare.EINVALID, "notes", "The notes are too long: at most %d bytes.", aftercare.MaxTextBytes)
	}
	s.EndedAt = aftercare.StoredTime(now.Add(-time.Duration(minutes) * time.Minute))
	if at := strings.TrimSpace(v.Get("ended_at")); at != "" {
		t, err := time.ParseInLocation(endedAtLayout, at, loc)
		switch {
		case err != nil:
			return nil, aftercare.Errorf(aftercare.EINVALID, "ended_at", "Give the date and time the session ended, such as %s.", now.In(loc).Add(-2*time.Hour).Format(endedAtLayout))
		case t.After(now.Add(5 * time.Minute)):
			return nil, aftercare.Errorf(aftercare.EINVALID, "ended_at", "The session cannot end in the future: give the time it ended.")
		case now.Sub(t) > maxEndedAgo:
			return nil, aftercare.Errorf(aftercare.EINVALID, "ended_at", "The session ended more than 7 days ago: its reminders and the client's link would already be over.")
		}
		s.EndedAt = aftercare.StoredTime(t)
	}
	return s, nil
}

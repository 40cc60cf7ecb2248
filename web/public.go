package web

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"aftercare"
	"aftercare/usecase"
)

// answerView is an answer as the pages show it.
type answerView struct {
	*aftercare.Response
	// Chart is the picture of the recovery window with the client's point.
	Chart *recoveryChart
	// Map shows where it hurts; nil when no area was rated.
	Map *bodyMap
	// Saved is true when the answer is of a check-in sent to the clinic.
	Saved bool
	// Next is when to check in again, on a client's page.
	Next *nextCheckIn
	// At is when the answer was made (printed on the aftercare sheet).
	At time.Time
	// Soon is true when the answer sends the client for care today or now:
	// it then shows what to do first, and leaves out the recovery window,
	// the general watch list and the reasons below consult.
	Soon bool
	// Shown are the reasons shown: every one, or those at consult and above
	// when the answer is Soon (no "normal soreness" line beside a red flag).
	Shown []aftercare.Reason
	// Entered sums up what the check-in said, for the printed sheet.
	Entered []entered
	// Sheet names who the printed sheet is from: the clinic's name on a
	// client's page, the service's on the public check.
	Sheet string
}

// entered is one line of what a check-in said: a label and its value in words.
type entered struct {
	Label, Value string
}

// maxEnteredText is how much of the client's own words the printed sheet repeats.
const maxEnteredText = 300

// summarize says in words what a check-in's request held, for the printed sheet.
func summarize(req *aftercare.Request) []entered {
	var out []entered
	add := func(label, value string) {
		if value != "" {
			out = append(out, entered{label, value})
		}
	}
	labels := func(v *aftercare.Vocabulary, codes []string) string {
		var ls []string
		for _, c := range codes {
			ls = append(ls, v.Label(c))
		}
		return strings.Join(ls, ", ")
	}
	massage := "Not said"
	if req.Style != "" {
		massage = aftercare.Styles.Label(req.Style)
	}
	if req.Pressure != "" {
		massage += ", " + strings.ToLower(aftercare.Pressures.Label(req.Pressure)) + " pressure"
	}
	add("Massage", massage)
	add("Areas worked", labels(aftercare.Areas, req.AreasWorked))
	if req.HoursSince != nil {
		add("Since the massage", hoursText(*req.HoursSince)+" hours")
	}
	var pain []string
	for _, so := range req.Soreness {
		pain = append(pain, fmt.Sprintf("%s %d/10", aftercare.Areas.Label(so.Area), so.Pain))
	}
	add("Pain now", strings.Join(pain, ", "))
	symptoms := labels(aftercare.Symptoms, req.Symptoms)
	if symptoms == "" {
		symptoms = "None ticked"
	}
	add("Symptoms", symptoms)
	add("Health", labels(aftercare.Health, req.Health))
	if text := strings.TrimSpace(req.Text); text != "" {
		if r := []rune(text); len(r) > maxEnteredText {
			text = string(r[:maxEnteredText]) + "…"
		}
		add("In your words", "“"+text+"”")
	}
	return out
}

func (h *handler) answer(resp *aftercare.Response, req *aftercare.Request, at time.Time) *answerView {
	a := &answerView{Response: resp, Chart: newRecoveryChart(resp.Recovery), At: at, Soon: resp.Level >= aftercare.Urgent, Shown: resp.Reasons,
		Entered: summarize(req), Sheet: "Aftercare"}
	soreness := req.Soreness
	if a.Soon {
		a.Shown = nil
		for _, r := range resp.Reasons {
			if r.Level >= aftercare.Consult {
				a.Shown = append(a.Shown, r)
			}
		}
	}
	if len(soreness) > 0 {
		a.Map = newBodyMap("answer-map", "pain", "", "Where it hurts", painValues(soreness))
	}
	return a
}

func (h *handler) home(w http.ResponseWriter, r *http.Request) {
	p := h.publicPage(newForm())
	p.Public = true
	h.render(w, http.StatusOK, "check.html", p)
}

func (h *handler) publicPage(f *form) *page {
	p := h.basePage("Sore after a massage?", "check")
	p.Action = "/check"
	p.Form = f
	return p
}

func (h *handler) check(w http.ResponseWriter, r *http.Request) {
	f, req, ferr := readForm(w, r)
	p := h.publicPage(f)
	now := h.d.Now()
	assess := func(req aftercare.Request) (*aftercare.Response, error) { return h.d.Assessor.Assess(req, now) }
	if ferr != nil {
		p.Error = ferr
		if isAnswerError(ferr) {
			p.Questions = askAgain(r.PostForm, ferr, assess)
		}
		h.render(w, http.StatusBadRequest, "check.html", p)
		return
	}
	resp, err := assess(req)
	if err != nil {
		var e *aftercare.Error
		if aftercare.ErrorCode(err) == aftercare.EINVALID && errors.As(err, &e) {
			p.Error = e
			h.render(w, http.StatusBadRequest, "check.html", p)
			return
		}
		h.fault(w, r, err, p)
		return
	}
	if holdsBack(r.PostForm, resp) {
		p.Title = "A quick question"
		p.Questions = newQuestionScreen(r.PostForm, resp.Questions, nil)
		h.render(w, http.StatusOK, "check.html", p)
		return
	}
	p.Title = levels[resp.Level].Title
	p.Answer = h.answer(resp, &req, now)
	p.Emergency = resp.Level == aftercare.Emergency
	if len(resp.Questions) > 0 && !asked(r.PostForm) {
		p.Questions = newQuestionScreen(r.PostForm, resp.Questions, nil)
		p.Questions.Below = true
	}
	h.render(w, http.StatusOK, "check.html", p)
}

// linkInfo is what a client's page shows about their session.
type linkInfo struct {
	ClinicName string
	Style      string
	Pressure   string
	Areas      []string
	// HoursAgo is the time since the session ended, as the page says it.
	HoursAgo string
	// EndedAt is when the session ended.
	EndedAt  time.Time
	CheckIns []pastCheckIn
	// Curve is the client's soreness so far; nil before any check-in with a pain rating.
	Curve *lineChart
	// Last is the answer to the latest check-in, shown on a later visit.
	Last *aftercare.CheckIn
	// Next is when to check in again; nil when there is no next time.
	Next *nextCheckIn
}

// pastCheckIn is one earlier check-in as its client sees it.
type pastCheckIn struct {
	HoursSince float64
	Level      aftercare.Level
	Pain       *int
	When       time.Time
}

// nextCheckIn is when a client should check in again.
type nextCheckIn struct {
	At time.Time
	// Hours is the time after the massage.
	Hours float64
}

func (h *handler) openLink(w http.ResponseWriter, r *http.Request) (*usecase.Link, bool) {
	if h.d.Store == nil {
		h.linkNotFound(w)
		return nil, false
	}
	l, err := usecase.OpenLink(r.Context(), h.d.Store, r.PathValue("token"), h.d.Now().UTC())
	if err != nil {
		if usecase.IsNotFound(err) {
			h.linkNotFound(w)
		} else {
			h.fault(w, r, err, nil)
		}
		return nil, false
	}
	return l, true
}

func (h *handler) linkNotFound(w http.ResponseWriter) {
	h.tell(w, http.StatusNotFound, nil, message{
		Heading:  "This check-in link is not valid",
		Text:     "It may have expired or been replaced by a newer one: a new link stops the earlier ones working. Use the newest link your therapist sent you, or ask them for a new one; meanwhile you can use the general soreness check.",
		Back:     "/",
		BackText: "Go to the soreness check",
	})
}

func (h *handler) linkPage(w http.ResponseWriter, r *http.Request) {
	l, ok := h.openLink(w, r)
	if !ok {
		return
	}
	f := newForm()
	f.prefill(l.Session)
	p := h.clientPage(r, l, f)
	if c := sentCheckIn(l.Session, r.URL.Query().Get("answer")); c != nil {
		p.Title = levels[c.Assessment.Level].Title
		p.Answer = h.answer(&c.Assessment, &c.Request, c.CreatedAt)
		p.Answer.Sheet = l.Clinic.Name
		p.Answer.Saved = true
		p.Answer.Next = p.Link.Next
		p.Emergency = c.Assessment.Level == aftercare.Emergency
		if qs := c.Assessment.Questions; len(qs) > 0 && len(c.Request.Answers) == 0 {
			v := valuesOf(&c.Request)
			v.Set("key", newFormKey())
			p.Questions = newQuestionScreen(v, qs, nil)
			p.Questions.Below = true
		}
	}
	h.render(w, http.StatusOK, "check.html", p)
}

// sentCheckIn is the check-in of the session whose id is given (the page a
// check-in form redirects to shows it); nil when there is none.
func sentCheckIn(s *aftercare.Session, id string) *aftercare.CheckIn {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return nil
	}
	for i := range s.CheckIns {
		if s.CheckIns[i].ID == n {
			return &s.CheckIns[i]
		}
	}
	return nil
}

func (h *handler) clientPage(r *http.Request, l *usecase.Link, f *form) *page {
	number := l.Clinic.EmergencyNumber
	if number == "" {
		number = h.d.EmergencyNumber
	}
	s := l.Session
	now := h.d.Now()
	info := &linkInfo{
		ClinicName: l.Clinic.Name,
		Style:      s.Style,
		Pressure:   s.Pressure,
		Areas:      s.AreasWorked,
		HoursAgo:   hoursWords(usecase.HoursSince(s, now)),
		EndedAt:    s.EndedAt,
		Next:       nextTime(s, now),
	}
	var points []painPoint
	for i := range s.CheckIns {
		c := &s.CheckIns[i]
		pc := pastCheckIn{HoursSince: c.HoursSince, Level: c.Assessment.Level, When: c.CreatedAt}
		if p, ok := usecase.WorstPain(c); ok {
			pc.Pain = &p
			points = append(points, painPoint{Hours: c.HoursSince, Pain: p, Level: c.Assessment.Level})
		}
		info.CheckIns = append(info.CheckIns, pc)
		info.Last = c
	}
	if len(points) > 0 {
		info.Curve = newCurve(points, h.window(s, info.Last))
	}
	p := h.basePage("Your check-in", "check")
	p.EmergencyNumber, p.Tel = number, telURL(number)
	p.zone = l.Clinic.Location()
	p.Action = "/c/" + r.PathValue("token")
	p.Form = f
	p.Link = info
	return p
}

// window is the usual recovery window of a session: the latest answer's, or
// the knowledge base's for its style and pressure.
func (h *handler) window(s *aftercare.Session, last *aftercare.CheckIn) [2]int {
	if last != nil {
		return last.Assessment.Recovery.TypicalHours
	}
	if h.kb != nil {
		if st := h.kb.Style(s.Style); st != nil {
			if w, ok := st.Hours[s.Pressure]; ok {
				return w
			}
			return st.Hours["default"]
		}
	}
	return [2]int{24, 48}
}

// nextTime is when the client should next check in: the earlier of the next
// scheduled follow-up and the time the latest answer asked for; nil when
// neither is ahead or the latest answer sent the client for care.
func nextTime(s *aftercare.Session, now time.Time) *nextCheckIn {
	var at time.Time
	for _, fu := range s.FollowUps {
		if fu.Status == aftercare.FollowUpScheduled && fu.DueAt.After(now) && (at.IsZero() || fu.DueAt.Before(at)) {
			at = fu.DueAt
		}
	}
	if n := len(s.CheckIns); n > 0 {
		last := s.CheckIns[n-1]
		if last.Assessment.Level >= aftercare.Urgent {
			return nil
		}
		if hrs := last.Assessment.Recovery.CheckAgainInHours; hrs > 0 {
			t := last.CreatedAt.Add(time.Duration(hrs) * time.Hour)
			if t.After(now) && (at.IsZero() || t.Before(at)) {
				at = t
			}
		}
	}
	if at.IsZero() {
		return nil
	}
	return &nextCheckIn{At: at, Hours: math.Round(at.Sub(s.EndedAt).Hours())}
}

func (h *handler) linkPost(w http.ResponseWriter, r *http.Request) {
	l, ok := h.openLink(w, r)
	if !ok {
		return
	}
	now := h.d.Now().UTC()
	assess := func(req aftercare.Request) (*aftercare.Response, error) {
		req, err := usecase.Prepare(l.Session, req, now)
		if err != nil {
			return nil, err
		}
		return h.d.Assessor.Assess(req, now)
	}
	f, req, ferr := readForm(w, r)
	if ferr != nil {
		p := h.clientPage(r, l, f)
		p.Error = ferr
		if isAnswerError(ferr) {
			p.Questions = askAgain(r.PostForm, ferr, assess)
		}
		h.render(w, http.StatusBadRequest, "check.html", p)
		return
	}
	// The questions come before anything is stored: the check-in is stored
	// once, with its answers, under the form's one-time key, which the
	// question screen carries.
	if !asked(r.PostForm) {
		if resp, err := assess(req); err == nil && holdsBack(r.PostForm, resp) {
			p := h.clientPage(r, l, f)
			p.Title = "A quick question"
			p.Questions = newQuestionScreen(r.PostForm, resp.Questions, nil)
			h.render(w, http.StatusOK, "check.html", p)
			return
		}
	}
	var door usecase.CheckInDoor = l
	if key := formKey(r.PostForm.Get("key")); key != "" {
		k, hash := checkInKey(key, &req)
		door = keyedDoor{door: l, key: k, hash: hash}
	}
	c, _, err := usecase.RecordCheckIn(r.Context(), door, h.d.Assessor, l.Session, req, now)
	if err != nil {
		var e *aftercare.Error
		if aftercare.ErrorCode(err) == aftercare.EINVALID && errors.As(err, &e) {
			p := h.clientPage(r, l, f)
			p.Error = e
			h.render(w, http.StatusBadRequest, "check.html", p)
			return
		}
		h.fault(w, r, err, h.clientPage(r, l, f))
		return
	}
	http.Redirect(w, r, "/c/"+r.PathValue("token")+"?answer="+strconv.FormatInt(c.ID, 10), http.StatusSeeOther)
}

package web

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"aftercare"
	"aftercare/suggest"
	"aftercare/usecase"
)

// clientView is a client's page in the therapist's workspace.
type clientView struct {
	Client *aftercare.Client
	// Screening is the latest screening; nil before any.
	Screening *aftercare.Screening
	// Health is the screening form, ticked as the latest screening was.
	Health []option
	// SeeDoctorFirst names the cautions that ask for a doctor's clearance first.
	SeeDoctorFirst []string
	// Sessions are the client's sessions, newest first.
	Sessions []sessionView
	// Chart shows the worst pain per area after each session; nil before any rating.
	Chart *lineChart
	// Table holds the chart's numbers.
	Table *chartTable
	// Heat is the body map of the worst pain per area after the latest rated session.
	Heat        *bodyMap
	HeatCaption string
	// Holds are the areas not to be treated until a clinician has cleared the
	// client, one group per flag and concern.
	Holds []holdGroup
	// Suggest is the pressure proposed per area for the next session.
	Suggest    []suggest.Area
	SuggestMap *bodyMap
	Form       *sessionForm
	OpenFlags  int
	// Hidden counts the older sessions left out of the timeline and the chart.
	Hidden int
	// Reach says whether reminders reach the client.
	Reach reach
	// ScreenKey is the one-time key of the screening form.
	ScreenKey string
	// Edit is the form that changes the client's name, email and phone.
	Edit *clientFields
}

// maxTimeline is the most sessions a client's page shows, newest first, so that it stays light.
const maxTimeline = 12

// sessionView is one session of the client's timeline.
type sessionView struct {
	*aftercare.Session
	// Key is the one-time key of the form that makes the session a new link.
	Key string
	// Reminders are its follow-ups as they are.
	Reminders []followUpView
	CheckIns  []checkInView
	Flags     []*aftercare.Flag
	// Guidance says what the session's flags mean for the next session.
	Guidance []aftercare.Guidance
	Areas    []areaPressure
	// Course charts the soreness over the hours after the session, for the
	// newest sessions with check-ins (maxCourses); nil for the others.
	Course *sessionCourse
}

// maxCourses is how many sessions of a client's page chart their own
// course, the newest first, so that the page stays light.
const maxCourses = 3

// areaPressure is one area worked, with its pressure.
type areaPressure struct {
	Label    string
	Pressure string
}

// checkInView is one check-in of the timeline.
type checkInView struct {
	C    *aftercare.CheckIn
	Pain string
	// Sore lists the rated areas, such as "Neck 4, Lower back 6".
	Sore string
	// Signs lists the signs reported, in words.
	Signs string
}

func (h *handler) staffClient(w http.ResponseWriter, r *http.Request, s *staffReq) {
	id, err := pathID(r)
	var c *aftercare.Client
	if err == nil {
		c, err = s.acc.FindClient(r.Context(), id)
	}
	if err != nil {
		h.refuse(w, r, err, s.p)
		return
	}
	h.showClient(w, r, s, c, nil, nil, http.StatusOK)
}

// expect gives the suggestion the knowledge base's figures.
func (h *handler) expect() suggest.Expect {
	kb := h.kb
	if kb == nil {
		return suggest.Expect{}
	}
	intensity := func(p string) (pain int, to int, ok bool) {
		if pr := kb.Pressure(p); pr != nil {
			if in := kb.Intensity(pr.Intensity); in != nil {
				return in.ExpectedPain, in.Hours[1], true
			}
		}
		return 0, 0, false
	}
	return suggest.Expect{
		MaxPain: func(p string) int {
			if pain, _, ok := intensity(p); ok {
				return pain
			}
			return suggest.DefaultExpect.MaxPain(p)
		},
		WindowTo: func(style, p string) int {
			if st := kb.Style(style); st != nil {
				if w, ok := st.Hours[p]; ok {
					return w[1]
				}
				if w, ok := st.Hours["default"]; ok {
					return w[1]
				}
			}
			if _, to, ok := intensity(p); ok {
				return to
			}
			return suggest.DefaultExpect.WindowTo(style, p)
		},
	}
}

// showClient renders a client's page; form is the session form to show
// again (with its error), or nil for one prefilled from the suggestion; edit
// is the name, email and phone form to show again, or nil for the stored ones.
func (h *handler) showClient(w http.ResponseWriter, r *http.Request, s *staffReq, c *aftercare.Client, form *sessionForm, edit *clientFields, status int) {
	ctx := r.Context()
	sessions, err := s.acc.ListSessions(ctx, c.ID)
	if err != nil {
		h.refuse(w, r, err, s.p)
		return
	}
	flags, err := s.acc.ListClientFlags(ctx, c.ID)
	if err != nil {
		h.refuse(w, r, err, s.p)
		return
	}
	screenings, err := s.acc.ListScreenings(ctx, c.ID)
	if err != nil {
		h.refuse(w, r, err, s.p)
		return
	}
	v := &clientView{Client: c, Health: options(aftercare.Health), Reach: h.reachOf(s.clinic, c), ScreenKey: newFormKey()}
	var cautions []aftercare.Caution
	if n := len(screenings); n > 0 {
		v.Screening = screenings[n-1]
		cautions = v.Screening.Cautions
		check(v.Health, v.Screening.Health)
		for _, ca := range cautions {
			if ca.SeeDoctorFirst {
				v.SeeDoctorFirst = append(v.SeeDoctorFirst, ca.Title)
			}
		}
	}

	var cols []sessionColumn
	shown := sessions
	if len(shown) > maxTimeline {
		shown = shown[len(shown)-maxTimeline:]
		v.Hidden = len(sessions) - maxTimeline
	}
	courses := 0
	for i := len(shown) - 1; i >= 0; i-- {
		sv := sessionView{Session: shown[i], Key: newFormKey(), Reminders: h.followUps(shown[i], v.Reach, s.p.zone)}
		for _, a := range aftercare.Areas.Codes() {
			if !slices.Contains(sv.AreasWorked, a.Code) {
				continue
			}
			p := sv.AreaPressure[a.Code]
			if p == "" {
				p = sv.Pressure
			}
			sv.Areas = append(sv.Areas, areaPressure{Label: a.Label, Pressure: p})
		}
		for j := range sv.Session.CheckIns {
			ci := &sv.Session.CheckIns[j]
			cv := checkInView{C: ci}
			if p, ok := usecase.WorstPain(ci); ok {
				cv.Pain = fmt.Sprint(p)
			}
			var sore []string
			for _, so := range ci.Request.Soreness {
				sore = append(sore, fmt.Sprintf("%s %d", aftercare.Areas.Label(so.Area), so.Pain))
			}
			cv.Sore = strings.Join(sore, ", ")
			cv.Signs = strings.Join(signsOf(ci), ", ")
			sv.CheckIns = append(sv.CheckIns, cv)
		}
		if courses < maxCourses {
			if sv.Course = newSessionCourse(fmt.Sprintf("course-%d", sv.ID), sv.Session.CheckIns, usecase.WorstPain); sv.Course != nil {
				courses++
			}
		}
		if h.kb != nil {
			sv.Guidance = h.kb.GuidanceFor(sv.Session.FlagRules())
		}
		for _, fl := range flags {
			if fl.SessionID == sv.ID {
				sv.Flags = append(sv.Flags, fl)
				if fl.AckedAt == nil {
					v.OpenFlags++
				}
			}
		}
		v.Sessions = append(v.Sessions, sv)
	}
	for _, sess := range shown {
		col := sessionColumn{Label: sess.EndedAt.In(s.p.zone).Format("2 Jan"), Pain: map[string]int{}}
		for _, ci := range sess.CheckIns {
			for _, so := range ci.Request.Soreness {
				if p, ok := col.Pain[so.Area]; !ok || so.Pain > p {
					col.Pain[so.Area] = so.Pain
				}
			}
		}
		if len(col.Pain) > 0 {
			cols = append(cols, col)
		}
	}
	if len(cols) > 0 {
		v.Chart = newAreaChart(cols)
		v.Table = newChartTable(cols)
		last := cols[len(cols)-1]
		values := map[string]string{}
		for a, p := range last.Pain {
			values[a] = fmt.Sprint(p)
		}
		v.Heat = newBodyMap("heat-map", "pain", "", "Worst soreness per area after the session of "+last.Label, values)
		v.HeatCaption = "Worst soreness per area after the session of " + last.Label + "."
	}

	holds := suggest.Holds(sessions, flags)
	v.Holds = groupHolds(holds)
	v.Suggest = suggest.Next(sessions, cautions, holds, h.expect())
	proposed := map[string]string{}
	for _, a := range v.Suggest {
		if a.Suggested != "" {
			proposed[a.Area] = a.Suggested
		}
	}
	if len(v.Suggest) > 0 {
		v.SuggestMap = newBodyMap("suggest-map", "pressure", "", "Suggested pressure per area", proposed)
	}
	if form == nil {
		style, pressure := "", ""
		if n := len(sessions); n > 0 {
			style, pressure = sessions[n-1].Style, sessions[n-1].Pressure
		}
		form = newSessionForm(c.ID, style, pressure, proposed, 0, holds)
		form.Suggested = len(proposed) > 0
	}
	form.Zone = s.clinic.Location().String()
	v.Form = form
	if edit == nil {
		edit = &clientFields{ID: "edit", Name: c.Name, Email: c.Email, Phone: c.Phone}
	}
	v.Edit = edit
	s.p.Title = c.Name
	s.p.Client = v
	h.render(w, status, "client.html", s.p)
}

// chartTable is the per-area chart as a table: a row per session, a column per area.
type chartTable struct {
	Areas []string
	Rows  []chartRow
}

// chartRow is one session of the table.
type chartRow struct {
	Label string
	Cells []string
}

func newChartTable(cols []sessionColumn) *chartTable {
	t := &chartTable{}
	var codes []string
	for _, a := range aftercare.Areas.Codes() {
		for _, c := range cols {
			if _, ok := c.Pain[a.Code]; ok {
				codes = append(codes, a.Code)
				t.Areas = append(t.Areas, a.Label)
				break
			}
		}
	}
	for _, c := range cols {
		row := chartRow{Label: c.Label}
		for _, code := range codes {
			cell := "–"
			if p, ok := c.Pain[code]; ok {
				cell = fmt.Sprint(p)
			}
			row.Cells = append(row.Cells, cell)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// holdGroup is the areas one flag holds for one concern.
type holdGroup struct {
	Concern string
	Areas   []string
	Flag    *aftercare.Flag
	Session *aftercare.Session
	// HoursAfter is when the flagged check-in was sent, in hours after the session.
	HoursAfter float64
}

// groupHolds gathers holds by flag and concern, in the order of the first area of each.
func groupHolds(holds []suggest.Hold) []holdGroup {
	var out []holdGroup
	for _, h := range holds {
		i := slices.IndexFunc(out, func(g holdGroup) bool { return g.Flag == h.Flag && g.Concern == suggest.ConcernText[h.Concern] })
		if i < 0 {
			out = append(out, holdGroup{Concern: suggest.ConcernText[h.Concern], Flag: h.Flag, Session: h.Session, HoursAfter: h.HoursAfter})
			i = len(out) - 1
		}
		out[i].Areas = append(out[i].Areas, aftercare.Areas.Label(h.Area))
	}
	return out
}

// holdsOf returns the holds of a client, for the session form.
func (h *handler) holdsOf(r *http.Request, s *staffReq, clientID int64) ([]suggest.Hold, error) {
	sessions, err := s.acc.ListSessions(r.Context(), clientID)
	if err != nil {
		return nil, err
	}
	flags, err := s.acc.ListClientFlags(r.Context(), clientID)
	if err != nil {
		return nil, err
	}
	return suggest.Holds(sessions, flags), nil
}

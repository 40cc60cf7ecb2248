package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"aftercare"
)

// option is one choice of a select or checkbox list.
type option struct {
	Code    string
	Label   string
	Checked bool
}

// symptomGroup is a titled group of symptom checkboxes.
type symptomGroup struct {
	ID      string
	Title   string
	Note    string
	RedFlag bool
	Items   []option
}

// painRow is one area's 0–10 pain input.
type painRow struct {
	Code    string
	Label   string
	Value   string
	Invalid bool
}

// quickHours is a one-tap answer to "when was your massage?".
type quickHours struct {
	Hours string
	Label string
}

// form is the check-in form with what the client chose.
type form struct {
	Styles        []option
	Pressures     []option
	AreasWorked   []option
	Pain          []painRow
	SymptomGroups []symptomGroup
	Health        []option
	HoursSince    string
	// Known is set on a client's page: the session is known, so the form
	// asks nothing about the massage (style, pressure, time, areas).
	Known bool
	// LastSore is true when the pain fields are filled from the client's last check-in.
	LastSore bool
	Quick    []quickHours
	Text     string
	// Invalid is the form field an error is about.
	Invalid string
	// Map is the body map of the pain entered so far.
	Map *bodyMap
	// Open shows the areas-worked list unfolded.
	Open bool
	// Key is the form's one-time key (see once.go).
	Key string
	// Message is the error's text, shown beside the field it is about (Invalid).
	Message string
}

// ErrorOn returns the error's text when it is about field, to show beside it.
func (f *form) ErrorOn(field string) string {
	if f.Invalid == field {
		return f.Message
	}
	return ""
}

// symptomGroups sorts the symptoms for the form, the warning signs first so
// that they are seen. It only groups them for the reader; the triage engine
// alone decides what they mean.
var symptomGroups = []struct {
	id, title, note string
	redFlag         bool
	codes           []string
}{
	{"warning", "Warning signs", "Tick any you have now. If you feel very unwell, call the emergency number straight away.", true, []string{
		"chest_pain", "shortness_of_breath", "coughing_blood", "fainting", "facial_droop", "one_sided_weakness",
		"speech_difficulty", "vision_changes", "sudden_severe_headache", "confusion", "stiff_neck", "unsteadiness",
		"calf_swelling", "calf_pain_one_side", "dark_urine", "severe_weakness", "saddle_numbness", "bladder_bowel_change", "leg_weakness",
		"vaginal_bleeding",
	}},
	{"unusual", "Less usual after a massage", "", false, []string{
		"bruising_dark", "swelling", "tingling", "numbness", "joint_instability", "pain_on_movement",
		"sharp_pain", "warmth_redness", "fever", "vomiting", "burn",
	}},
	{"common", "Common after a massage", "", false, []string{
		"stiffness", "fatigue", "headache", "bruising_light", "nausea", "dizziness",
	}},
}

var quick = []quickHours{
	{"3", "Earlier today"}, {"24", "Yesterday"}, {"48", "2 days ago"}, {"72", "3 days ago"}, {"96", "4 or more days ago"},
}

func options(v *aftercare.Vocabulary) []option {
	var out []option
	for _, c := range v.Codes() {
		out = append(out, option{Code: c.Code, Label: c.Label})
	}
	return out
}

func newForm() *form {
	f := &form{
		Styles:      options(aftercare.Styles),
		Pressures:   options(aftercare.Pressures),
		AreasWorked: options(aftercare.Areas),
		Health:      options(aftercare.Health),
		Quick:       quick,
		Key:         newFormKey(),
	}
	for _, a := range aftercare.Areas.Codes() {
		f.Pain = append(f.Pain, painRow{Code: a.Code, Label: a.Label})
	}
	for _, g := range symptomGroups {
		sg := symptomGroup{ID: g.id, Title: g.title, Note: g.note, RedFlag: g.redFlag}
		for _, c := range g.codes {
			sg.Items = append(sg.Items, option{Code: c, Label: aftercare.Symptoms.Label(c)})
		}
		f.SymptomGroups = append(f.SymptomGroups, sg)
	}
	f.finish()
	return f
}

func check(opts []option, chosen []string) {
	for i := range opts {
		opts[i].Checked = slices.Contains(chosen, opts[i].Code)
	}
}

// finish draws the body map of the values in the form.
func (f *form) finish() {
	values := map[string]string{}
	for i := range f.Pain {
		if v := f.Pain[i].Value; v != "" {
			values[f.Pain[i].Code] = v
		}
		f.Pain[i].Invalid = f.Invalid == "pain_"+f.Pain[i].Code
	}
	for k, v := range values {
		if n, err := strconv.Atoi(v); err != nil || n < 0 || n > 10 {
			delete(values, k)
		}
	}
	f.Map = newBodyMap("pain-map", "pain", "pain_", "Body map: where it hurts", values)
	for _, side := range [][]mapRegion{f.Map.Front, f.Map.Back} {
		for i := range side {
			side[i].Invalid = f.Invalid == "pain_"+side[i].Area
		}
	}
}

// fill marks the form with the posted values, to show them again.
func (f *form) fill(v url.Values) {
	check(f.Styles, []string{v.Get("style")})
	check(f.Pressures, []string{v.Get("pressure")})
	check(f.AreasWorked, v["areas_worked"])
	check(f.Health, v["health"])
	for i := range f.SymptomGroups {
		check(f.SymptomGroups[i].Items, v["symptoms"])
	}
	for i := range f.Pain {
		f.Pain[i].Value = strings.TrimSpace(v.Get("pain_" + f.Pain[i].Code))
	}
	f.HoursSince = v.Get("hours_since")
	f.Text = v.Get("text")
	f.Open = len(v["areas_worked"]) > 0
	f.finish()
}

// prefill makes the form of a client's page: the session is known, and
// the pain fields hold what the client rated at their last check-in.
func (f *form) prefill(s *aftercare.Session) {
	f.Known = true
	if n := len(s.CheckIns); n > 0 {
		last := painValues(s.CheckIns[n-1].Request.Soreness)
		for i := range f.Pain {
			if v, ok := last[f.Pain[i].Code]; ok {
				f.Pain[i].Value, f.LastSore = v, true
			}
		}
	}
	f.finish()
}

// Step is the number of step n (1–3) of the check form as shown: a form
// that asks nothing about the massage starts at "Where it hurts".
func (f *form) Step(n int) int {
	if f.Known {
		return n - 1
	}
	return n
}

// Steps is how many steps the form has.
func (f *form) Steps() int { return f.Step(3) }

// readForm reads the posted form into the form view (to show it again) and
// into an assessment request, checked by the same decoder as the JSON API.
func readForm(w http.ResponseWriter, r *http.Request) (*form, aftercare.Request, *aftercare.Error) {
	f := newForm()
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		return f, aftercare.Request{}, &aftercare.Error{Code: aftercare.EINVALID, Message: "The form could not be read; please try again."}
	}
	f.fill(r.PostForm)
	req, e := requestOf(r.PostForm)
	if e != nil {
		f.Invalid, f.Message = e.Field, e.Message
		f.finish()
	}
	return f, req, e
}

// requestOf turns the posted fields into an assessment request.
func requestOf(v url.Values) (aftercare.Request, *aftercare.Error) {
	wire := map[string]any{}
	if s := v.Get("style"); s != "" {
		wire["style"] = s
	}
	if s := v.Get("pressure"); s != "" {
		wire["pressure"] = s
	}
	if s := v["areas_worked"]; len(s) > 0 {
		wire["areas_worked"] = s
	}
	if s := strings.TrimSpace(v.Get("hours_since")); s != "" {
		n, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return aftercare.Request{}, formError("hours_since", "Hours since your massage must be a number, such as 24.")
		}
		wire["hours_since"] = n
	}
	var soreAreas []string
	var soreness []map[string]any
	for _, a := range aftercare.Areas.Codes() {
		s := strings.TrimSpace(v.Get("pain_" + a.Code))
		if s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			return aftercare.Request{}, formError("pain_"+a.Code, fmt.Sprintf("Pain in %s must be a whole number from 0 to 10.", strings.ToLower(a.Label)))
		}
		soreAreas = append(soreAreas, a.Code)
		soreness = append(soreness, map[string]any{"area": a.Code, "pain": n})
	}
	if len(soreness) > 0 {
		wire["soreness"] = soreness
	}
	if s := v["symptoms"]; len(s) > 0 {
		wire["symptoms"] = s
	}
	if s := v["health"]; len(s) > 0 {
		wire["health"] = s
	}
	if s := v.Get("text"); strings.TrimSpace(s) != "" {
		wire["text"] = s
	}
	answers, ae := answersOf(v)
	if ae != nil {
		return aftercare.Request{}, ae
	}
	if answers != nil {
		wire["answers"] = answers
	}
	data, _ := json.Marshal(wire)
	req, err := aftercare.DecodeRequest(data)
	if err != nil {
		e := &aftercare.Error{Code: aftercare.ErrorCode(err), Message: aftercare.ErrorMessage(err), Field: formField(aftercare.ErrorField(err), soreAreas)}
		if e.Field == "request" {
			e.Message = "Tell us something to check: rate your soreness in an area, tick a symptom, or describe how you feel."
		}
		return aftercare.Request{}, e
	}
	return req, nil
}

func formError(field, msg string) *aftercare.Error {
	return &aftercare.Error{Code: aftercare.EINVALID, Field: field, Message: msg}
}

var indexed = regexp.MustCompile(`^([a-z_]+)\[(\d+)\]`)

// formField maps a field of the JSON request to the form field that holds it.
func formField(field string, soreAreas []string) string {
	if id, ok := strings.CutPrefix(field, "answers."); ok {
		return answerPrefix + id
	}
	m := indexed.FindStringSubmatch(field)
	if m == nil {
		return field
	}
	if m[1] == "soreness" {
		if i, err := strconv.Atoi(m[2]); err == nil && i < len(soreAreas) {
			return "pain_" + soreAreas[i]
		}
	}
	return m[1]
}

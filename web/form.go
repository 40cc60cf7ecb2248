package web

import (
	"fmt"
	"html/template"
	"net/url"
	"slices"
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
	Title   string
	Note    string
	RedFlag bool
	Items   []option
}

// painRow is one area's 0–10 pain input.
type painRow struct {
	Code  string
	Label string
	Value string
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
	Text          string
}

// symptomGroups sorts the symptoms for the form. It only groups them for the
// reader; the triage engine alone decides what they mean.
var symptomGroups = []struct {
	title, note string
	redFlag     bool
	codes       []string
}{
	{"Common after a massage", "", false, []string{
		"stiffness", "fatigue", "headache", "bruising_light", "nausea", "dizziness",
	}},
	{"Less usual", "Tell us if you have any of these.", false, []string{
		"bruising_dark", "swelling", "tingling", "numbness", "joint_instability", "pain_on_movement",
		"sharp_pain", "warmth_redness", "fever", "vomiting",
	}},
	{"Red flags", "Any of these needs medical help. If you feel very unwell, call the emergency number now.", true, []string{
		"calf_swelling", "dark_urine", "severe_weakness", "chest_pain", "shortness_of_breath",
		"coughing_blood", "fainting", "sudden_severe_headache", "stiff_neck", "confusion",
		"vision_changes", "speech_difficulty", "facial_droop", "one_sided_weakness", "unsteadiness",
		"saddle_numbness", "bladder_bowel_change", "leg_weakness",
	}},
}

func options(v *aftercare.Vocabulary) []option {
	var out []option
	for _, c := range v.Codes() {
		out = append(out, option{Code: c.Code, Label: c.Label})
	}
	return out
}

func newForm() form {
	f := form{
		Styles:      options(aftercare.Styles),
		Pressures:   options(aftercare.Pressures),
		AreasWorked: options(aftercare.Areas),
		Health:      options(aftercare.Health),
	}
	for _, a := range aftercare.Areas.Codes() {
		f.Pain = append(f.Pain, painRow{Code: a.Code, Label: a.Label})
	}
	for _, g := range symptomGroups {
		sg := symptomGroup{Title: g.title, Note: g.note, RedFlag: g.redFlag}
		for _, c := range g.codes {
			sg.Items = append(sg.Items, option{Code: c, Label: aftercare.Symptoms.Label(c)})
		}
		f.SymptomGroups = append(f.SymptomGroups, sg)
	}
	return f
}

func check(opts []option, chosen []string) {
	for i := range opts {
		opts[i].Checked = slices.Contains(chosen, opts[i].Code)
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
}

// prefill marks the form with what the session says.
func (f *form) prefill(s *aftercare.Session) {
	check(f.Styles, []string{s.Style})
	check(f.Pressures, []string{s.Pressure})
	check(f.AreasWorked, s.AreasWorked)
}

var levelTitles = map[aftercare.Level]string{
	aftercare.SelfCare:  "Expected soreness",
	aftercare.Monitor:   "Keep an eye on it",
	aftercare.Consult:   "Get medical advice soon",
	aftercare.Urgent:    "Get medical attention today",
	aftercare.Emergency: "Call the emergency number now",
}

var funcs = template.FuncMap{
	"levelTitle": func(l aftercare.Level) string { return levelTitles[l] },
	"areaLabel":  func(c string) string { return aftercare.Areas.Label(c) },
	"styleLabel": func(c string) string { return aftercare.Styles.Label(c) },
	"pressureLabel": func(c string) string {
		return aftercare.Pressures.Label(c)
	},
	"findingLabel": findingLabel,
	"hours": func(h float64) string {
		if h == float64(int(h)) {
			return fmt.Sprintf("%d", int(h))
		}
		return fmt.Sprintf("%.1f", h)
	},
	"isEmergency": func(l aftercare.Level) bool { return l == aftercare.Emergency },
	"atLeastConsult": func(l aftercare.Level) bool {
		return l >= aftercare.Consult
	},
}

// findingLabel says in words what a finding read from the text is.
func findingLabel(f aftercare.Finding) string {
	var what string
	switch f.Type {
	case "pain":
		if f.Value != nil {
			what = fmt.Sprintf("pain %g out of 10", *f.Value)
		} else {
			what = "a pain score"
		}
	case "time":
		if f.Value != nil {
			what = fmt.Sprintf("about %g hours since the massage", *f.Value)
		} else {
			what = "a time"
		}
	default:
		if v := aftercare.VocabularyOf(f.Type); v != nil {
			what = strings.ToLower(aftercare.FindingTypes.Label(f.Type)) + ": " + v.Label(f.Code)
		} else {
			what = f.Type
		}
	}
	if f.Negated {
		ctx := f.Context
		if ctx == "" {
			ctx = "negated"
		}
		switch ctx {
		case "hypothetical":
			what += " (mentioned as a possibility, not counted)"
		case "historical":
			what += " (in the past, not counted)"
		default:
			what += " (you said you don't have this)"
		}
	}
	return what
}

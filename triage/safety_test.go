package triage

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"aftercare"
)

// generate returns n varied, valid requests, the same every run.
func generate(n int) []aftercare.Request {
	r := rand.New(rand.NewPCG(2026, 11))
	pick := func(v *aftercare.Vocabulary) string { c := v.Codes(); return c[r.IntN(len(c))].Code }
	some := func(v *aftercare.Vocabulary, max int) []string {
		var out []string
		for range r.IntN(max + 1) {
			if c := pick(v); !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
		return out
	}
	out := make([]aftercare.Request, 0, n)
	for len(out) < n {
		var q aftercare.Request
		if r.IntN(5) > 0 {
			q.Style = pick(aftercare.Styles)
		}
		if r.IntN(3) > 0 {
			q.Pressure = pick(aftercare.Pressures)
		}
		q.AreasWorked = some(aftercare.Areas, 3)
		if r.IntN(6) > 0 {
			h := float64(r.IntN(120))
			q.HoursSince = &h
			for i := range r.IntN(3) {
				at := h * float64(i+1) / 4
				q.History = append(q.History, aftercare.HistoryPoint{HoursSince: &at, Pain: r.IntN(11)})
			}
		}
		for _, a := range some(aftercare.Areas, 2) {
			q.Soreness = append(q.Soreness, aftercare.Soreness{Area: a, Pain: r.IntN(11)})
		}
		if r.IntN(2) == 0 {
			q.Symptoms = some(aftercare.Symptoms, 3)
		}
		if r.IntN(3) == 0 {
			q.Health = some(aftercare.Health, 2)
		}
		if q.Validate() == nil {
			out = append(out, q)
		}
	}
	return out
}

func level(t *testing.T, e *Engine, q aftercare.Request) aftercare.Level {
	t.Helper()
	resp, err := e.Assess(q, requestTime)
	if err != nil {
		t.Fatalf("%+v: %v", q, err)
	}
	return resp.Level
}

func describe(q aftercare.Request) string {
	h := "?"
	if q.HoursSince != nil {
		h = fmt.Sprint(*q.HoursSince)
	}
	return fmt.Sprintf("style=%q pressure=%q worked=%v hours=%s soreness=%v symptoms=%v health=%v history=%d",
		q.Style, q.Pressure, q.AreasWorked, h, q.Soreness, q.Symptoms, q.Health, len(q.History))
}

func TestMoreNeverLowersTheLevel(t *testing.T) {
	e := testEngine(t)
	reqs := generate(1500)
	t.Run("adding a symptom never lowers the level", func(t *testing.T) {
		for _, q := range reqs {
			base := level(t, e, q)
			for _, c := range aftercare.Symptoms.Codes() {
				if slices.Contains(q.Symptoms, c.Code) {
					continue
				}
				more := q
				more.Symptoms = append(slices.Clone(q.Symptoms), c.Code)
				if got := level(t, e, more); got < base {
					t.Fatalf("adding %s lowered %s to %s for %s", c.Code, base, got, describe(q))
				}
			}
		}
	})
	t.Run("raising a pain never lowers the level", func(t *testing.T) {
		for _, q := range reqs {
			base := level(t, e, q)
			for i, s := range q.Soreness {
				for p := s.Pain + 1; p <= 10; p++ {
					more := q
					more.Soreness = slices.Clone(q.Soreness)
					more.Soreness[i].Pain = p
					if got := level(t, e, more); got < base {
						t.Fatalf("raising %s from %d to %d lowered %s to %s for %s", s.Area, s.Pain, p, base, got, describe(q))
					}
				}
			}
		}
	})
	t.Run("moving past 72 hours never lowers the level", func(t *testing.T) {
		for _, q := range reqs {
			base := level(t, e, q)
			for _, h := range []float64{73, 96, 168} {
				if q.HoursSince != nil && *q.HoursSince >= h {
					continue
				}
				later := q
				later.HoursSince = &h
				if got := level(t, e, later); got < base {
					t.Fatalf("moving to %v hours lowered %s to %s for %s", h, base, got, describe(q))
				}
			}
		}
	})
}

// emergencySigns are the signs that, alone, need care today or at once.
var emergencySigns = []string{
	"chest_pain", "shortness_of_breath", "coughing_blood", "fainting", "sudden_severe_headache", "confusion",
	"vision_changes", "speech_difficulty", "facial_droop", "one_sided_weakness", "unsteadiness",
	"saddle_numbness", "bladder_bowel_change", "leg_weakness", "calf_swelling", "calf_pain_one_side",
}

func TestEveryEmergencySignGetsCareTodayWhateverElseIsPresent(t *testing.T) {
	e := testEngine(t)
	reqs := generate(400)
	for _, sign := range emergencySigns {
		t.Run(sign+" alone is urgent or an emergency", func(t *testing.T) {
			if got := level(t, e, aftercare.Request{Symptoms: []string{sign}}); got < aftercare.Urgent {
				t.Errorf("%s alone gave %s", sign, got)
			}
		})
		t.Run(sign+" with anything else is urgent or an emergency", func(t *testing.T) {
			for _, q := range reqs {
				if !slices.Contains(q.Symptoms, sign) {
					q.Symptoms = append(slices.Clone(q.Symptoms), sign)
				}
				if got := level(t, e, q); got < aftercare.Urgent {
					t.Fatalf("%s gave %s for %s", sign, got, describe(q))
				}
			}
		})
	}
}

func TestExpectedSorenessIsSelfCareForEveryStyleAndArea(t *testing.T) {
	e := testEngine(t)
	styles := append([]string{""}, codesOf(aftercare.Styles)...)
	pressures := append([]string{""}, codesOf(aftercare.Pressures)...)
	n := 0
	for _, style := range styles {
		for _, pressure := range pressures {
			for _, area := range codesOf(aftercare.Areas) {
				for pain := 0; pain <= 3; pain++ {
					for _, h := range []float64{0, 2, 6, 12, 18, 24, 30, 36, 42, 48} {
						q := aftercare.Request{Style: style, Pressure: pressure, AreasWorked: []string{area}, HoursSince: &h,
							Soreness: []aftercare.Soreness{{Area: area, Pain: pain}}}
						n++
						if got := level(t, e, q); got != aftercare.SelfCare {
							t.Fatalf("pain %d in %s, %v hours after style %q pressure %q gave %s", pain, area, h, style, pressure, got)
						}
					}
				}
			}
		}
	}
	t.Logf("%d requests of expected soreness, all self_care", n)
}

func codesOf(v *aftercare.Vocabulary) []string {
	var out []string
	for _, c := range v.Codes() {
		out = append(out, c.Code)
	}
	return out
}

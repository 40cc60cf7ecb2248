// Package triagetest generates assessment requests for tests and benchmarks:
// the same seed gives the same requests, so that the rule-engine comparison
// (bench/rules), the compiled-condition checks (triage) and the load
// generators (bench/cmd) all work on one reproducible population.
package triagetest

import (
	"math/rand/v2"
	"slices"

	"aftercare"
)

// Seed is the seed of the benchmark's requests; the same seed gives the same requests.
const Seed = 20261101

// mild are the common, harmless reactions, drawn more often than red flags.
var mild = []string{"headache", "fatigue", "stiffness", "nausea", "dizziness", "bruising_light", "warmth_redness", "stiff_neck"}

// vignettes are combinations too rare to be drawn at random, one for each
// rule that needs them, so that every rule fires on the benchmark's requests.
var vignettes = []struct {
	worked, symptoms, health []string
}{
	{[]string{"neck", "shoulders"}, []string{"headache", "dizziness"}, nil},                  // neck_work_headache_dizziness
	{[]string{"lower_back"}, []string{"headache", "swelling"}, []string{"pregnant"}},         // pregnancy_warning_signs
	{nil, []string{"headache", "vision_changes"}, []string{"pregnant"}},                      // pregnancy_warning_signs
	{[]string{"upper_back"}, []string{"fever", "stiff_neck"}, nil},                           // fever_stiff_neck
	{[]string{"calves"}, []string{"swelling", "warmth_redness"}, []string{"varicose_veins"}}, // clot_signs_leg, leg_swelling_with_clot_risk
	{nil, []string{"numbness", "severe_weakness"}, nil},                                      // spreading_nerve_signs
	{[]string{"lower_back"}, []string{"bladder_bowel_change"}, nil},                          // cauda_equina
	{nil, []string{"calf_swelling", "shortness_of_breath"}, []string{"dvt_history"}},         // clot_reaching_lung
	{nil, []string{"bruising_dark"}, []string{"blood_thinners"}},                             // bleeding_on_thinners
	{nil, []string{"headache", "vomiting"}, nil},                                             // headache_with_vomiting
	{[]string{"abdomen"}, []string{"fever"}, []string{"recent_surgery"}},                     // infection_after_surgery
}

// Requests returns n valid, structured assessment requests drawn from seed
// (each one the service's JSON door accepts: no area is rated twice):
// every style and pressure (or none), times from just after the session to
// five days on (or none), one to three sore areas with pains 0–10, none to
// three symptoms (common reactions more often than red flags), screening
// answers and earlier check-ins. Every 50th request (from the first) takes
// its areas, symptoms and screening answers from a vignette instead, so that
// the rarest rules fire too.
func Requests(n int, seed uint64) []aftercare.Request {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	pick := func(codes []aftercare.Code) string { return codes[rng.IntN(len(codes))].Code }
	styles, pressures := aftercare.Styles.Codes(), aftercare.Pressures.Codes()
	areas, symptoms, health := aftercare.Areas.Codes(), aftercare.Symptoms.Codes(), aftercare.Health.Codes()

	out := make([]aftercare.Request, n)
	for i := range out {
		r := &out[i]
		if rng.IntN(10) > 0 {
			r.Style = pick(styles)
		}
		if rng.IntN(5) > 0 {
			r.Pressure = pick(pressures)
		}
		var hours float64
		if rng.IntN(7) > 0 {
			hours = float64(rng.IntN(145)) / 2 // 0 to 72 h in half hours
			if rng.IntN(7) == 0 {
				hours += float64(rng.IntN(97)) / 2 // up to 120 h
			}
			r.HoursSince = &hours
		}
		for range rng.IntN(5) {
			r.AreasWorked = appendNew(r.AreasWorked, pick(areas))
		}
		if rng.IntN(8) > 0 {
			for range 1 + rng.IntN(3) {
				// Pains lean low: the smaller of two draws from 0–10 three
				// times in four, the larger the fourth.
				a, b := rng.IntN(11), rng.IntN(11)
				p := min(a, b)
				if rng.IntN(4) == 0 {
					p = max(a, b)
				}
				area := pick(areas)
				if !slices.ContainsFunc(r.Soreness, func(s aftercare.Soreness) bool { return s.Area == area }) {
					r.Soreness = append(r.Soreness, aftercare.Soreness{Area: area, Pain: p})
				}
			}
		}
		k := 0
		switch d := rng.IntN(20); {
		case d < 9:
			k = 0
		case d < 15:
			k = 1
		case d < 18:
			k = 2
		default:
			k = 3
		}
		if len(r.Soreness) == 0 {
			k = max(k, 1)
		}
		for range k {
			s := mild[rng.IntN(len(mild))]
			if rng.IntN(4) == 0 {
				s = pick(symptoms)
			}
			r.Symptoms = appendNew(r.Symptoms, s)
		}
		if rng.IntN(10) >= 7 {
			for range 1 + rng.IntN(2) {
				r.Health = appendNew(r.Health, pick(health))
			}
		}
		if rng.IntN(2) == 0 {
			at := 0.0
			for range 1 + rng.IntN(3) {
				p := aftercare.HistoryPoint{Pain: rng.IntN(11)}
				if r.HoursSince != nil {
					at += float64(rng.IntN(25))
					if at > hours {
						at = hours
					}
					h := at
					p.HoursSince = &h
				}
				r.History = append(r.History, p)
			}
		}
		if i%50 == 0 {
			v := vignettes[i/50%len(vignettes)]
			r.AreasWorked, r.Symptoms, r.Health = v.worked, v.symptoms, v.health
		}
	}
	return out
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

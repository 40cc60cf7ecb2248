package fhir

import (
	"time"

	"aftercare"
)

const testBase = "https://aftercare.example"

var (
	testClinic = aftercare.Clinic{ID: 3, Name: "Kneads & Needs, \"Studio\"", EmergencyNumber: "999", FollowUpHours: []int{24, 48, 72}}
	testClient = aftercare.Client{ID: 12, ClinicID: 3, Name: "Zoë O'Brien", Email: "zoe@example.org"}
	sessionEnd = time.Date(2026, 3, 1, 17, 30, 0, 0, time.UTC)
)

func hours(h float64) *float64 { return &h }

// scenario is one check-in that the tests turn into FHIR and back.
type scenario struct {
	name    string
	request aftercare.Request
	level   aftercare.Level
}

// everyArea is soreness in all 18 areas, with pains 0…10 and round again.
func everyArea() []aftercare.Soreness {
	var out []aftercare.Soreness
	for i, a := range aftercare.Areas.Codes() {
		out = append(out, aftercare.Soreness{Area: a.Code, Pain: i % 11})
	}
	return out
}

func allCodes(v *aftercare.Vocabulary) []string {
	var out []string
	for _, c := range v.Codes() {
		out = append(out, c.Code)
	}
	return out
}

// scenarios covers the edge cases: no soreness, every area, every level,
// text only, history, and the largest values allowed.
func scenarios() []scenario {
	return []scenario{
		{"a self-care check-in with one sore area", aftercare.Request{
			Style: "deep_tissue", Pressure: "firm", AreasWorked: []string{"neck", "lower_back"},
			HoursSince: hours(30), Soreness: []aftercare.Soreness{{Area: "lower_back", Pain: 4}},
			Symptoms: []string{"headache"}, Health: []string{"blood_thinners"},
			History: []aftercare.HistoryPoint{{HoursSince: hours(20), Pain: 3}},
			Text:    "my lower back aches, no numbness",
		}, aftercare.SelfCare},
		{"a monitor check-in with symptoms and no soreness", aftercare.Request{
			Style: "swedish", Pressure: "light", HoursSince: hours(80.5),
			Symptoms: []string{"bruising_light", "stiffness"},
		}, aftercare.Monitor},
		{"a consult check-in with every area sore", aftercare.Request{
			Style: "sports", Pressure: "deep", AreasWorked: allCodes(aftercare.Areas),
			HoursSince: hours(96), Soreness: everyArea(), Symptoms: []string{"numbness", "tingling"},
		}, aftercare.Consult},
		{"an urgent check-in with a swollen calf", aftercare.Request{
			AreasWorked: []string{"calves"}, Soreness: []aftercare.Soreness{{Area: "calves", Pain: 10}},
			Symptoms: []string{"calf_swelling", "warmth_redness"}, Health: []string{"dvt_history"},
		}, aftercare.Urgent},
		{"an emergency check-in with every symptom and every health answer", aftercare.Request{
			Style: "thai", Pressure: "medium", HoursSince: hours(0),
			Soreness: []aftercare.Soreness{{Area: "neck", Pain: 0}}, Symptoms: allCodes(aftercare.Symptoms),
			Health: allCodes(aftercare.Health),
		}, aftercare.Emergency},
		{"a text-only check-in", aftercare.Request{
			Text: "Sore everywhere; \"can't\" lift my arms, 7/10 — is that normal?\nAlso: ünïcödé, commas, tabs\there.",
		}, aftercare.SelfCare},
		{"a check-in with a long history and no times in it", aftercare.Request{
			HoursSince: hours(aftercare.MaxHours), Soreness: []aftercare.Soreness{{Area: "feet", Pain: 2}, {Area: "head", Pain: 9}},
			History: []aftercare.HistoryPoint{{Pain: 1}, {HoursSince: hours(1e-7), Pain: 10}, {Pain: 0}, {HoursSince: hours(0.25), Pain: 5}},
		}, aftercare.Monitor},
	}
}

func testSession() aftercare.Session {
	return aftercare.Session{
		ID: 40, ClinicID: 3, ClientID: 12, Style: "deep_tissue", Pressure: "firm",
		AreasWorked:  allCodes(aftercare.Areas),
		AreaPressure: map[string]string{"neck": "medium", "calves": "light"},
		EndedAt:      sessionEnd,
		CheckInURL:   "https://aftercare.example/c/secret-token",
	}
}

// checkIn makes a stored check-in of a scenario, with a hand-made assessment.
func checkIn(id int64, sc scenario) aftercare.CheckIn {
	return aftercare.CheckIn{
		ID: id, ClinicID: 3, SessionID: 40, HoursSince: 30,
		Request:    sc.request,
		Assessment: response(sc.level),
		CreatedAt:  sessionEnd.Add(time.Duration(id) * time.Hour),
	}
}

func response(l aftercare.Level) aftercare.Response {
	return aftercare.Response{
		Level:    l,
		Headline: "Headline for " + l.String() + ": " + l.Meaning(),
		Reasons: []aftercare.Reason{
			{Rule: "rule_" + l.String(), Level: l, Text: "Why this level, with <markup> & *stars*.", Source: "NHS; Serlin 1995, Pain 61:277–84"},
			{Rule: "expected_doms_window", Level: aftercare.SelfCare, Text: "Soreness 24–72 h after deep work is common.", Source: ""},
		},
		Recovery:         aftercare.Recovery{TypicalHours: [2]int{24, 72}, CheckAgainInHours: 24},
		Plan:             []aftercare.PlanItem{{ID: "hydrate", Title: "Drink water", Why: "It helps."}, {ID: "move", Title: "Move gently", Why: "It helps too."}},
		KnowledgeVersion: "kb-2026.03",
		Disclaimer:       aftercare.Disclaimer,
	}
}

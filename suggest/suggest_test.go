package suggest_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"aftercare"
	"aftercare/suggest"
)

var t0 = time.Date(2026, 11, 2, 17, 0, 0, 0, time.UTC)

func session(days int, pressure string, areaPressure map[string]string, areas []string, checkIns ...aftercare.CheckIn) *aftercare.Session {
	return &aftercare.Session{
		Style: "deep_tissue", Pressure: pressure, AreaPressure: areaPressure, AreasWorked: areas,
		EndedAt: t0.AddDate(0, 0, days), CheckIns: checkIns,
	}
}

func checkIn(hours float64, level aftercare.Level, sore ...aftercare.Soreness) aftercare.CheckIn {
	return aftercare.CheckIn{HoursSince: hours, Request: aftercare.Request{Soreness: sore}, Assessment: aftercare.Response{Level: level}}
}

func sore(area string, pain int) aftercare.Soreness {
	return aftercare.Soreness{Area: area, Pain: pain}
}

func find(t *testing.T, got []suggest.Area, area string) suggest.Area {
	t.Helper()
	for _, a := range got {
		if a.Area == area {
			return a
		}
	}
	t.Fatalf("no suggestion for %s in %+v", area, got)
	return suggest.Area{}
}

func TestNext(t *testing.T) {
	tests := []struct {
		name      string
		sessions  []*aftercare.Session
		cautions  []aftercare.Caution
		area      string
		suggested string
		steps     int
	}{
		{"expected soreness keeps the pressure",
			[]*aftercare.Session{session(0, "firm", nil, []string{"neck"}, checkIn(24, aftercare.SelfCare, sore("neck", 4)))},
			nil, "neck", "firm", 0},
		{"soreness above what the pressure leaves goes one grade lighter",
			[]*aftercare.Session{session(0, "medium", nil, []string{"neck"}, checkIn(24, aftercare.Monitor, sore("neck", 5)))},
			nil, "neck", "light", 1},
		{"soreness past the usual window goes one grade lighter",
			[]*aftercare.Session{session(0, "deep", nil, []string{"calves"}, checkIn(24, aftercare.SelfCare, sore("calves", 4)), checkIn(60, aftercare.Monitor, sore("calves", 4)))},
			nil, "calves", "firm", 1},
		{"severe soreness goes two grades lighter",
			[]*aftercare.Session{session(0, "deep", nil, []string{"lower_back"}, checkIn(24, aftercare.Consult, sore("lower_back", 8)))},
			nil, "lower_back", "medium", 2},
		{"soreness lasting past 72 hours goes two grades lighter",
			[]*aftercare.Session{session(0, "firm", nil, []string{"glutes"}, checkIn(80, aftercare.Consult, sore("glutes", 3)))},
			nil, "glutes", "light", 2},
		{"the pressure used on the area, not the session's, is the base",
			[]*aftercare.Session{session(0, "firm", map[string]string{"neck": "medium"}, []string{"neck"}, checkIn(24, aftercare.Monitor, sore("neck", 5)))},
			nil, "neck", "light", 1},
		{"the latest session that worked the area decides",
			[]*aftercare.Session{
				session(7, "medium", nil, []string{"neck"}, checkIn(24, aftercare.SelfCare, sore("neck", 2))),
				session(0, "deep", nil, []string{"neck"}, checkIn(24, aftercare.Consult, sore("neck", 9))),
			},
			nil, "neck", "medium", 0},
		{"an area the client did not report keeps its pressure",
			[]*aftercare.Session{session(0, "firm", nil, []string{"neck", "shoulders"}, checkIn(24, aftercare.SelfCare, sore("neck", 3)))},
			nil, "shoulders", "firm", 0},
		{"a screening cap lowers the suggestion",
			[]*aftercare.Session{session(0, "deep", nil, []string{"neck"}, checkIn(24, aftercare.SelfCare, sore("neck", 2)))},
			[]aftercare.Caution{{Health: "blood_thinners", MaxPressure: "medium"}}, "neck", "medium", 0},
		{"an area a caution says to avoid is light",
			[]*aftercare.Session{session(0, "firm", nil, []string{"neck"})},
			[]aftercare.Caution{{Health: "dvt_history", MaxPressure: "medium", AvoidAreas: []string{"calves"}}}, "calves", "light", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := find(t, suggest.Next(tt.sessions, tt.cautions, nil, suggest.Expect{}), tt.area)
			if a.Suggested != tt.suggested || a.Steps != tt.steps || a.Reason == "" {
				t.Errorf("got %+v, want %s (%d steps lighter)", a, tt.suggested, tt.steps)
			}
		})
	}
}

func TestNextNeverSuggestsHeavierWork(t *testing.T) {
	for _, p := range aftercare.Pressures.Codes() {
		for pain := 0; pain <= 10; pain++ {
			s := session(0, p.Code, nil, []string{"neck"}, checkIn(24, aftercare.SelfCare, sore("neck", pain)))
			a := find(t, suggest.Next([]*aftercare.Session{s}, nil, nil, suggest.Expect{}), "neck")
			if aftercare.Pressures.Index(a.Suggested) > aftercare.Pressures.Index(p.Code) {
				t.Errorf("after %s pressure and pain %d: %s", p.Code, pain, a.Suggested)
			}
		}
	}
}

func TestNextLeavesOutAreasNeverWorked(t *testing.T) {
	got := suggest.Next([]*aftercare.Session{session(0, "firm", nil, []string{"neck"})}, nil, nil, suggest.Expect{})
	if len(got) != 1 || got[0].Area != "neck" || got[0].Suggested != "firm" {
		t.Errorf("got %+v", got)
	}
	if got := suggest.Next(nil, nil, nil, suggest.Expect{}); len(got) != 0 {
		t.Errorf("no sessions: got %+v", got)
	}
}

func TestNextUsesTheKnowledgeBaseFigures(t *testing.T) {
	s := session(0, "light", nil, []string{"feet"}, checkIn(24, aftercare.SelfCare, sore("feet", 3)))
	strict := suggest.Expect{MaxPain: func(string) int { return 2 }}
	if a := find(t, suggest.Next([]*aftercare.Session{s}, nil, nil, strict), "feet"); a.Steps != 0 || a.Suggested != "light" || !strings.Contains(a.Reason, "already light") {
		t.Errorf("got %+v", a)
	}
}

func TestANewerSessionWithoutCheckInsDoesNotForgetTheOneBefore(t *testing.T) {
	sessions := []*aftercare.Session{
		session(0, "deep", nil, []string{"calves"}, checkIn(24, aftercare.Consult, sore("calves", 8))),
		session(7, "deep", nil, []string{"calves"}),
	}
	a := find(t, suggest.Next(sessions, nil, nil, suggest.Expect{}), "calves")
	if a.Suggested != "medium" || a.Steps != 2 || !a.Flagged {
		t.Errorf("got %+v, want medium, two grades lighter, flagged", a)
	}
}

// flaggedSession is a session with one check-in flagged, and its flag.
func flaggedSession(id int64, areas []string, c aftercare.CheckIn) (*aftercare.Session, *aftercare.Flag) {
	c.ID = id * 10
	s := session(0, "firm", nil, areas, c)
	s.ID, s.CreatedAt = id, s.EndedAt
	return s, &aftercare.Flag{ID: id, SessionID: id, CheckInID: c.ID, Level: c.Assessment.Level, CreatedAt: s.EndedAt.Add(time.Duration(c.HoursSince) * time.Hour)}
}

func flaggedCheckIn(level aftercare.Level, rule string, symptoms []string, sore ...aftercare.Soreness) aftercare.CheckIn {
	c := checkIn(20, level, sore...)
	c.Request.Symptoms = symptoms
	if rule != "" {
		c.Assessment.Reasons = []aftercare.Reason{{Rule: rule, Level: level}}
	}
	return c
}

func TestHolds(t *testing.T) {
	tests := []struct {
		name    string
		checkIn aftercare.CheckIn
		areas   []string
		concern string
		held    []string
		free    []string
	}{
		{"a suspected clot holds the legs", flaggedCheckIn(aftercare.Urgent, "possible_clot", []string{"calf_swelling"}, sore("calves", 6)),
			[]string{"calves", "neck"}, suggest.ConcernClot, []string{"calves", "shins", "quads", "hamstrings", "feet"}, []string{"neck"}},
		{"a swollen calf holds the legs under a clinic's own rule", flaggedCheckIn(aftercare.Urgent, "our_clot_rule", []string{"calf_swelling"}),
			nil, suggest.ConcernClot, []string{"calves"}, []string{"neck"}},
		{"suspected muscle breakdown holds every area", flaggedCheckIn(aftercare.Urgent, "possible_rhabdomyolysis", []string{"dark_urine", "severe_weakness"}),
			[]string{"quads"}, suggest.ConcernRhabdo, []string{"quads", "neck", "feet"}, nil},
		{"stroke signs hold the head and neck", flaggedCheckIn(aftercare.Emergency, "stroke_signs", []string{"facial_droop"}),
			[]string{"neck"}, suggest.ConcernNerve, []string{"neck", "head", "shoulders"}, []string{"calves"}},
		{"numbness holds the area it is felt in", flaggedCheckIn(aftercare.Consult, "tingling_numbness", []string{"numbness"}, sore("forearms", 3)),
			[]string{"neck", "forearms"}, suggest.ConcernNerve, []string{"forearms"}, []string{"neck"}},
		{"a flag of plain severe pain holds nothing", flaggedCheckIn(aftercare.Consult, "severe_pain", nil, sore("neck", 8)),
			[]string{"neck"}, "", nil, []string{"neck"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, fl := flaggedSession(1, tt.areas, tt.checkIn)
			holds := suggest.Holds([]*aftercare.Session{s}, []*aftercare.Flag{fl})
			next := suggest.Next([]*aftercare.Session{s}, nil, holds, suggest.Expect{})
			for _, area := range tt.held {
				i := slices.IndexFunc(holds, func(h suggest.Hold) bool { return h.Area == area })
				if i < 0 || holds[i].Concern != tt.concern || holds[i].Flag != fl {
					t.Errorf("%s is not held for %s: %+v", area, tt.concern, holds)
				}
				if a := find(t, next, area); a.Suggested != "" || a.Hold == nil || !strings.Contains(a.Reason, "cleared") {
					t.Errorf("the suggestion for a held %s: %+v", area, a)
				}
			}
			for _, area := range tt.free {
				if slices.ContainsFunc(holds, func(h suggest.Hold) bool { return h.Area == area }) {
					t.Errorf("%s is held", area)
				}
			}
		})
	}
	t.Run("acknowledging the flag does not lift the hold", func(t *testing.T) {
		s, fl := flaggedSession(1, []string{"calves"}, flaggedCheckIn(aftercare.Urgent, "possible_clot", []string{"calf_swelling"}))
		at := fl.CreatedAt.Add(time.Hour)
		fl.AckedAt = &at
		if holds := suggest.Holds([]*aftercare.Session{s}, []*aftercare.Flag{fl}); len(holds) == 0 {
			t.Error("no hold after the flag was acknowledged")
		}
	})
	t.Run("a later session that worked the area lifts its hold, and only its", func(t *testing.T) {
		s, fl := flaggedSession(1, []string{"calves"}, flaggedCheckIn(aftercare.Urgent, "possible_clot", []string{"calf_swelling"}))
		later := session(10, "light", nil, []string{"calves"})
		later.ID, later.CreatedAt = 2, later.EndedAt
		holds := suggest.Holds([]*aftercare.Session{s, later}, []*aftercare.Flag{fl})
		if slices.ContainsFunc(holds, func(h suggest.Hold) bool { return h.Area == "calves" }) || !slices.ContainsFunc(holds, func(h suggest.Hold) bool { return h.Area == "shins" }) {
			t.Errorf("holds %+v", holds)
		}
	})
	t.Run("a newer session with no check-in yet does not lift a hold", func(t *testing.T) {
		s, fl := flaggedSession(1, []string{"calves"}, flaggedCheckIn(aftercare.Urgent, "possible_clot", []string{"calf_swelling"}))
		later := session(10, "light", nil, []string{"neck"})
		later.ID, later.CreatedAt = 2, later.EndedAt
		holds := suggest.Holds([]*aftercare.Session{s, later}, []*aftercare.Flag{fl})
		if a := find(t, suggest.Next([]*aftercare.Session{s, later}, nil, holds, suggest.Expect{}), "calves"); a.Hold == nil {
			t.Errorf("the calves are not held: %+v", a)
		}
	})
}

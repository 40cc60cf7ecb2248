package web

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"aftercare"
)

var pathData = regexp.MustCompile(`^M[-0-9. ]+([hvaqzHVAQZ][-0-9. ]*)+$`)

func TestBodyMapDrawsEveryAreaOnce(t *testing.T) {
	m := newBodyMap("m", "pain", "pain_", "map", map[string]string{"neck": "3", "calves": "8"})
	primary := map[string]int{}
	for _, r := range append(append([]mapRegion{}, m.Front...), m.Back...) {
		if r.Primary {
			primary[r.Area]++
		}
		if len(r.Geom.Shapes) == 0 {
			t.Errorf("%s has no shape", r.Area)
		}
		for _, s := range r.Geom.Shapes {
			if !pathData.MatchString(s.D) {
				t.Errorf("%s: bad path %q", r.Area, s.D)
			}
		}
		if r.Geom.LX < 0 || r.Geom.LX > mapWidth || r.Geom.LY < 0 || r.Geom.LY > mapHeight {
			t.Errorf("%s: its value is drawn outside the map", r.Area)
		}
	}
	for _, a := range aftercare.Areas.Codes() {
		if primary[a.Code] != 1 {
			t.Errorf("%s is drawn as the first of its area %d times, want 1", a.Code, primary[a.Code])
		}
	}
	if len(primary) != len(aftercare.Areas.Codes()) {
		t.Errorf("the map draws areas outside the contract: %v", primary)
	}
	for _, r := range m.Back {
		if r.Area == "calves" && (r.Class != "v-8" || r.Short != "8" || r.Name != "Calves: pain 8 out of 10") {
			t.Errorf("calves: %+v", r)
		}
	}
	if got := m.Summary(); got != "Neck: pain 3 out of 10; Calves: pain 8 out of 10." {
		t.Errorf("summary %q", got)
	}
}

func TestDescribe(t *testing.T) {
	tests := []struct{ kind, v, short, class, name string }{
		{"pain", "", "", "v-unset", "Neck: no rating"},
		{"pain", "0", "0", "v-0", "Neck: pain 0 out of 10"},
		{"pressure", "", "", "v-unset", "Neck: not worked"},
		{"pressure", "firm", "F", "v-firm", "Neck: firm pressure"},
	}
	for _, tt := range tests {
		short, class, name := describe(tt.kind, "Neck", tt.v)
		if short != tt.short || class != tt.class || name != tt.name {
			t.Errorf("%s %q: %q %q %q", tt.kind, tt.v, short, class, name)
		}
	}
}

func hoursPtr(h float64) *float64 { return &h }

func TestRecoveryChart(t *testing.T) {
	tests := []struct {
		name  string
		rec   aftercare.Recovery
		label string
	}{
		{"inside the window", aftercare.Recovery{TypicalHours: [2]int{24, 48}, HoursSince: hoursPtr(30)}, "You: 30 h"},
		{"just after the massage", aftercare.Recovery{TypicalHours: [2]int{0, 24}, HoursSince: hoursPtr(1)}, "You: 1 h"},
		{"days later", aftercare.Recovery{TypicalHours: [2]int{24, 48}, HoursSince: hoursPtr(130)}, "You: 130 h"},
		{"weeks later", aftercare.Recovery{TypicalHours: [2]int{24, 48}, HoursSince: hoursPtr(500)}, "You: 20 days"},
		{"time not known", aftercare.Recovery{TypicalHours: [2]int{12, 36}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newRecoveryChart(tt.rec)
			if c.BandX < c.Left || c.BandX+c.BandW > c.Right+0.01 || c.LateX+c.LateW > c.Right+0.01 {
				t.Errorf("the window is drawn outside the axis: %+v", c)
			}
			if tt.label == "" {
				if c.You != nil {
					t.Error("a point is drawn for an unknown time")
				}
				return
			}
			if c.You == nil || c.You.Label != tt.label || c.You.X < c.Left || c.You.X > c.Right {
				t.Fatalf("point %+v", c.You)
			}
			if !strings.Contains(c.Desc, "You are at") {
				t.Errorf("desc %q", c.Desc)
			}
		})
	}
	inside := newRecoveryChart(aftercare.Recovery{TypicalHours: [2]int{24, 48}, HoursSince: hoursPtr(30)})
	if inside.You.X < inside.BandX || inside.You.X > inside.BandX+inside.BandW {
		t.Error("30 hours is not drawn inside a 24–48 hour window")
	}
}

func TestCurve(t *testing.T) {
	c := newCurve([]painPoint{{Hours: 20, Pain: 5, Level: aftercare.SelfCare}, {Hours: 50, Pain: 3, Level: aftercare.SelfCare}}, [2]int{24, 48})
	if len(c.Series) != 1 || len(c.Series[0].Dots) != 2 || c.Band == nil {
		t.Fatalf("%+v", c)
	}
	a, b := c.Series[0].Dots[0], c.Series[0].Dots[1]
	if !(a.X < b.X && a.Y < b.Y) {
		t.Errorf("falling pain is not drawn falling: %+v %+v", a, b)
	}
	if !strings.Contains(c.Desc, "20 h: pain 5/10") {
		t.Errorf("desc %q", c.Desc)
	}
}

func TestAreaChart(t *testing.T) {
	c := newAreaChart([]sessionColumn{{Label: "2 Nov", Pain: map[string]int{"neck": 6, "calves": 2}}, {Label: "9 Nov", Pain: map[string]int{"neck": 3}}})
	if len(c.Series) != 2 || c.Series[0].Name != "Neck" || len(c.Series[0].Dots) != 2 || len(c.Series[1].Dots) != 1 {
		t.Fatalf("%+v", c.Series)
	}
	if c.Series[0].Class == c.Series[1].Class {
		t.Error("two areas share a colour")
	}
}

func TestNextTime(t *testing.T) {
	ended := time.Date(2026, 11, 2, 17, 0, 0, 0, time.UTC)
	s := &aftercare.Session{EndedAt: ended, FollowUps: []aftercare.FollowUp{
		{Hours: 24, DueAt: ended.Add(24 * time.Hour), Status: "sent"},
		{Hours: 48, DueAt: ended.Add(48 * time.Hour), Status: "scheduled"},
	}}
	if n := nextTime(s, ended.Add(30*time.Hour)); n == nil || n.Hours != 48 {
		t.Errorf("the next follow-up: %+v", n)
	}
	s.CheckIns = []aftercare.CheckIn{{CreatedAt: ended.Add(30 * time.Hour), Assessment: aftercare.Response{Level: aftercare.Monitor, Recovery: aftercare.Recovery{CheckAgainInHours: 12}}}}
	if n := nextTime(s, ended.Add(31*time.Hour)); n == nil || n.Hours != 42 {
		t.Errorf("an answer asking to check again sooner: %+v", n)
	}
	s.CheckIns[0].Assessment.Level = aftercare.Urgent
	if n := nextTime(s, ended.Add(31*time.Hour)); n != nil {
		t.Errorf("a client sent for care is given a next check-in: %+v", n)
	}
	if n := nextTime(&aftercare.Session{EndedAt: ended}, ended.Add(100*time.Hour)); n != nil {
		t.Errorf("nothing ahead: %+v", n)
	}
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"/staff/clients/3": "/staff/clients/3", "": "", "//evil.example": "", "https://evil.example/": "",
		"/\\evil.example": "", "staff": "", "/staff?x=1": "/staff?x=1",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestUntilAndAgo(t *testing.T) {
	for d, want := range map[time.Duration]string{-time.Minute: "now", 20 * time.Minute: "in 20 minutes", 5 * time.Hour: "in about 5 hours", 72 * time.Hour: "in about 3 days"} {
		if got := until(d); got != want {
			t.Errorf("until(%v) = %q, want %q", d, got, want)
		}
	}
	for d, want := range map[time.Duration]string{10 * time.Second: "just now", time.Minute: "1 minute ago", 3 * time.Hour: "3 hours ago", 96 * time.Hour: "4 days ago"} {
		if got := ago(d); got != want {
			t.Errorf("ago(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestEverySymptomIsOfferedOnTheFormOnce(t *testing.T) {
	seen := map[string]int{}
	for _, g := range symptomGroups {
		for _, c := range g.codes {
			seen[c]++
		}
	}
	for _, c := range aftercare.Symptoms.Codes() {
		t.Run(c.Code+" is in one group of the form", func(t *testing.T) {
			if seen[c.Code] != 1 {
				t.Errorf("in %d groups", seen[c.Code])
			}
		})
	}
	for code := range seen {
		if !aftercare.Symptoms.Has(code) {
			t.Errorf("the form offers %q, which is not a symptom code", code)
		}
	}
}

func TestTheFigureNamesEachAreaOnce(t *testing.T) {
	m := newBodyMap("m", "pain", "pain_", "map", nil)
	named := map[string]int{}
	lastY := map[string]float64{}
	for _, l := range m.Labels {
		named[l.Area]++
		if l.Text == "" || l.Y < 0 || l.Y > mapHeight {
			t.Errorf("%s: label %q at y %v", l.Area, l.Text, l.Y)
		}
		if y, ok := lastY[l.Anchor]; ok && l.Y-y < labelGap {
			t.Errorf("%s: %.1f units below the label above it, want at least %v", l.Area, l.Y-y, labelGap)
		}
		lastY[l.Anchor] = l.Y
		switch l.Anchor {
		case "end": // the left column points right, at the front figure
			if l.X > labelColumn || l.X2 <= l.X1 || l.X2 > frontX {
				t.Errorf("%s: the label or its line is not left of the front figure: %+v", l.Area, l)
			}
		case "start":
			if l.X < mapWidth-labelColumn || l.X2 >= l.X1 || l.X2 < backX {
				t.Errorf("%s: the label or its line is not right of the back figure: %+v", l.Area, l)
			}
		default:
			t.Errorf("%s: anchor %q", l.Area, l.Anchor)
		}
	}
	for _, a := range aftercare.Areas.Codes() {
		if named[a.Code] != 1 {
			t.Errorf("%s is named %d times on the figure, want once", a.Code, named[a.Code])
		}
	}
}

package web_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"aftercare"
)

// recordedSession stores a session of the client that ended hoursAgo, with
// a check-in graded by the real engine at each of the hours given.
func (s *staffSite) recordedSession(t *testing.T, clinic *aftercare.Clinic, client *aftercare.Client, hoursAgo float64, checkIns map[float64]aftercare.Request) *aftercare.Session {
	t.Helper()
	ctx := context.Background()
	ended := s.now().Add(-time.Duration(hoursAgo * float64(time.Hour)))
	sess := &aftercare.Session{ClinicID: clinic.ID, ClientID: client.ID, Style: "deep_tissue", Pressure: "firm", AreasWorked: []string{"neck", "calves"},
		EndedAt: ended, LinkExpiresAt: ended.Add(14 * 24 * time.Hour), CreatedAt: ended}
	_, hash := aftercare.NewSecret("c_")
	if err := s.store.CreateSession(ctx, sess, hash); err != nil {
		t.Fatal(err)
	}
	for _, hours := range sortedHours(checkIns) {
		req := checkIns[hours]
		req.HoursSince = &hours
		at := ended.Add(time.Duration(hours * float64(time.Hour)))
		resp, err := realEngine(t).Assess(req, at)
		if err != nil {
			t.Fatal(err)
		}
		c := &aftercare.CheckIn{ClinicID: clinic.ID, SessionID: sess.ID, HoursSince: hours, Request: req, Assessment: *resp, CreatedAt: at}
		if _, err := s.store.CreateCheckIn(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	return sess
}

func sortedHours(m map[float64]aftercare.Request) []float64 {
	var out []float64
	for h := range m {
		out = append(out, h)
	}
	slices.Sort(out)
	return out
}

func sore(area string, pain int) []aftercare.Soreness {
	return []aftercare.Soreness{{Area: area, Pain: pain}}
}

func TestTheCourseWithinASession(t *testing.T) {
	s := newStaffSite(t)
	clinic, client := s.clinicWithClient(t, "Cora Course")
	s.as(owner(clinic.ID))
	sess := s.recordedSession(t, clinic, client, 80, map[float64]aftercare.Request{
		6:  {Soreness: []aftercare.Soreness{{Area: "neck", Pain: 6}, {Area: "calves", Pain: 4}}},
		30: {Soreness: []aftercare.Soreness{{Area: "neck", Pain: 4}, {Area: "calves", Pain: 2}}},
		54: {Soreness: sore("neck", 2)},
		76: {Text: "still a little stiff, about a 1 out of 10"},
	})
	empty := s.recordedSession(t, clinic, client, 2, nil)

	svg := regexp.MustCompile(`(?s)<svg class="linechart" id="course"[^>]*>.*?</svg>`)
	page := s.get(t, sessionPath(sess.ID))
	chart := svg.FindString(page.body)
	t.Run("the session page draws the course since the session as an SVG with a title and a description", func(t *testing.T) {
		if page.status != 200 || chart == "" {
			t.Fatalf("status %d, no course chart: %.3000s", page.status, page.body)
		}
		for _, want := range []string{`role="img"`, `aria-labelledby="course-title course-desc"`, `<title id="course-title">`, `<desc id="course-desc">`,
			"Neck: 6 at 6 h, 4 at 30 h, 2 at 54 h", "Calves: 4 at 6 h, 2 at 30 h"} {
			if !strings.Contains(chart, want) {
				t.Errorf("the chart lacks %q", want)
			}
		}
	})
	t.Run("one line per sore area, with a dot per rating", func(t *testing.T) {
		series := regexp.MustCompile(`<g class="lc-series ([a-z0-9-]+)"><polyline points="([^"]*)"/>`).FindAllStringSubmatch(chart, -1)
		if len(series) != 3 {
			t.Fatalf("%d lines, want neck, calves and the worst pain of the check-in that named no area", len(series))
		}
		for i, want := range []int{3, 2, 1} {
			if n := len(strings.Fields(series[i][2])); n != want {
				t.Errorf("line %d has %d points, want %d", i, n, want)
			}
		}
		if series[0][1] == series[1][1] {
			t.Error("two areas share a colour")
		}
		// The neck eases: each point lower on the chart (a larger y) than the one before.
		var lastX, lastY float64
		for i, p := range strings.Fields(series[0][2]) {
			var x, y float64
			fmt.Sscanf(p, "%g,%g", &x, &y)
			if i > 0 && (x <= lastX || y <= lastY) {
				t.Errorf("the easing neck is not drawn falling: %s", series[0][2])
			}
			lastX, lastY = x, y
		}
	})
	t.Run("the chart marks 24, 48 and 72 hours", func(t *testing.T) {
		marks := regexp.MustCompile(`<line class="lc-mark" x1="([0-9.]+)"`).FindAllStringSubmatch(chart, -1)
		labels := regexp.MustCompile(`<text class="lc-mark-label"[^>]*>([^<]+)</text>`).FindAllStringSubmatch(chart, -1)
		if len(marks) != 3 || len(labels) != 3 {
			t.Fatalf("%d marks, %d labels", len(marks), len(labels))
		}
		var xs []float64
		for i, m := range marks {
			var x float64
			fmt.Sscanf(m[1], "%g", &x)
			xs = append(xs, x)
			if want := []string{"24 h", "48 h", "72 h"}[i]; labels[i][1] != want {
				t.Errorf("mark %d says %q, want %q", i, labels[i][1], want)
			}
		}
		if !(xs[0] < xs[1] && xs[1] < xs[2]) || xs[1]-xs[0] < xs[2]-xs[1]-0.2 || xs[1]-xs[0] > xs[2]-xs[1]+0.2 {
			t.Errorf("marks at %v are not a day apart in order", xs)
		}
	})
	t.Run("the numbers are also given as a table", func(t *testing.T) {
		for _, want := range []string{"<caption>Pain (0–10) at each check-in, by hours after the session</caption>", `<th scope="col">Neck</th><th scope="col">Calves</th><th scope="col">Worst</th>`,
			`<tr><th scope="row">6 h</th><td>6</td><td>4</td><td>6</td>`, `<tr><th scope="row">54 h</th><td>2</td><td>–</td><td>2</td>`} {
			if !strings.Contains(page.body, want) {
				t.Errorf("the table lacks %s", want)
			}
		}
	})
	t.Run("a session with no check-in says the course is to come", func(t *testing.T) {
		p := s.get(t, sessionPath(empty.ID))
		if svg.MatchString(p.body) || !strings.Contains(p.body, "No soreness ratings yet: the course appears here once Cora Course checks in.") {
			t.Errorf("%.2000s", p.body)
		}
	})
	t.Run("the client's page draws the course of the session in its timeline", func(t *testing.T) {
		p := s.get(t, fmt.Sprintf("/staff/clients/%d", client.ID))
		id := fmt.Sprintf("course-%d", sess.ID)
		if !strings.Contains(p.body, `<svg class="linechart" id="`+id+`"`) || !strings.Contains(p.body, `aria-labelledby="`+id+`-title `+id+`-desc"`) {
			t.Errorf("the client's page lacks the course of session %d", sess.ID)
		}
		if strings.Contains(p.body, fmt.Sprintf(`id="course-%d"`, empty.ID)) {
			t.Error("a session with no check-in has a course chart")
		}
		if !strings.Contains(p.body, `id="areas"`) {
			t.Error("the chart across sessions is gone")
		}
	})
}

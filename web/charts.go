package web

import (
	"fmt"
	"math"
	"strings"

	"aftercare"
)

// The charts are drawn on the server as SVG, from numbers worked out here; the
// templates only place them. Colours come from classes in the style sheet.

// tick is a labelled mark on an axis.
type tick struct {
	Pos   float64
	Label string
	// Anchor aligns the label: "start", "middle" (the default) or "end".
	Anchor string
}

// recoveryChart is the picture of the expected recovery window with the
// client's own point on it.
type recoveryChart struct {
	W, H float64
	// Left and Right bound the time axis; TrackW is the distance between them.
	Left, Right, TrackW float64
	// BandX, BandW place the usual window; LateX, LateW the time past 72 hours.
	BandX, BandW, LateX, LateW float64
	BandLabel, LateLabel       string
	BandLabelX, LateLabelX     float64
	// BandAnchor aligns the window's label.
	BandAnchor string
	Ticks      []tick
	// You is the client's point; nil when the time since the massage is not known.
	You *marker
	// Title and Desc say what the picture shows, for assistive technology.
	Title, Desc string
}

// marker is a labelled point on a time axis.
type marker struct {
	X      float64
	Label  string
	LabelX float64
	Anchor string
}

// lateHours is when soreness becomes a reason for advice (the seed: more than 72 hours).
const lateHours = 72

func newRecoveryChart(rec aftercare.Recovery) *recoveryChart {
	c := &recoveryChart{W: 340, H: 96, Left: 14, Right: 326, TrackW: 312}
	from, to := float64(rec.TypicalHours[0]), float64(rec.TypicalHours[1])
	span := 96.0
	if rec.HoursSince != nil && *rec.HoursSince+12 > span {
		span = math.Min(168, math.Ceil((*rec.HoursSince+12)/24)*24)
	}
	x := func(h float64) float64 {
		return c.Left + (c.Right-c.Left)*math.Min(math.Max(h, 0), span)/span
	}
	c.BandX, c.BandW = x(from), math.Max(x(to)-x(from), 2)
	c.LateX, c.LateW = x(lateHours), x(span)-x(lateHours)
	c.BandLabel = fmt.Sprintf("usual: %d–%d h", rec.TypicalHours[0], rec.TypicalHours[1])
	c.BandLabelX, c.BandAnchor = c.BandX+c.BandW/2, "middle"
	if c.BandLabelX < c.Left+44 {
		c.BandLabelX, c.BandAnchor = c.Left, "start"
	}
	c.LateLabel = "over 72 h: get advice"
	c.LateLabelX = c.LateX + c.LateW/2
	for h := 0.0; h <= span; h += 24 {
		label := "0 h"
		switch {
		case h == 24:
			label = "1 day"
		case h > 24:
			label = fmt.Sprintf("%d days", int(h/24))
		}
		c.Ticks = append(c.Ticks, tick{Pos: x(h), Label: label, Anchor: "middle"})
	}
	c.Ticks[0].Anchor = "start"
	c.Ticks[len(c.Ticks)-1].Anchor = "end"
	c.Title = "Your recovery window"
	c.Desc = fmt.Sprintf("Soreness like this usually eases between %d and %d hours after the massage; after 72 hours it is a reason to get advice.", rec.TypicalHours[0], rec.TypicalHours[1])
	if rec.HoursSince != nil {
		h := *rec.HoursSince
		m := &marker{X: x(h), Label: "You: " + hoursText(math.Round(h)) + " h", Anchor: "middle"}
		if h > span {
			m.Label = fmt.Sprintf("You: %d days", int(h/24))
		}
		m.LabelX = m.X
		switch {
		case m.X < c.Left+40:
			m.Anchor, m.LabelX = "start", c.Left
		case m.X > c.Right-40:
			m.Anchor, m.LabelX = "end", c.Right
		}
		c.You = m
		c.Desc += fmt.Sprintf(" You are at %s hours.", hoursText(math.Round(h)))
	}
	return c
}

// lineChart is a chart of pain (0–10) against time or sessions.
type lineChart struct {
	ID string
	W  float64
	H  float64
	// The plot area.
	X0, X1, Y0, Y1 float64
	// PlotH is Y1-Y0; the others place the axis texts.
	PlotH, YTextX, XTextY, XLabelY, BandLabelY float64
	Title, Desc                                string
	XLabel, YLabel                             string
	XTicks                                     []tick
	YTicks                                     []tick
	// Band shades a span of the time axis (the usual window); nil for none.
	Band      *tick
	BandW     float64
	BandLabel string
	// Marks are dashed lines across the plot at times worth seeing (24, 48 and 72 hours).
	Marks  []tick
	Series []series
}

// series is one line of a chart.
type series struct {
	Name   string
	Class  string
	Points string
	Dots   []dot
}

// dot is one point of a series.
type dot struct {
	X, Y  float64
	Class string
	Title string
}

func newLineChart(id, title string) *lineChart {
	c := &lineChart{ID: id, Title: title, W: 340, H: 186, X0: 30, X1: 330, Y0: 14, Y1: 150, YLabel: "pain (0–10)"}
	c.PlotH, c.YTextX, c.XTextY, c.XLabelY, c.BandLabelY = c.Y1-c.Y0, c.X0-6, c.Y1+15, c.Y1+32, c.Y0-4
	for v := 0; v <= 10; v += 2 {
		c.YTicks = append(c.YTicks, tick{Pos: c.y(float64(v)), Label: fmt.Sprint(v)})
	}
	return c
}

// Grid is the path of the chart's horizontal lines, one at each tick of pain.
func (c *lineChart) Grid() string {
	var b strings.Builder
	for _, t := range c.YTicks {
		b.WriteString("M" + f(c.X0) + " " + f(t.Pos) + "H" + f(c.X1))
	}
	return b.String()
}

func (c *lineChart) y(pain float64) float64 { return c.Y1 - (c.Y1-c.Y0)*pain/10 }

// painPoint is one check-in on the client's own curve.
type painPoint struct {
	Hours float64
	Pain  int
	Level aftercare.Level
}

// newCurve draws a client's worst pain at each check-in against the hours
// since the massage, over the usual window.
func newCurve(points []painPoint, window [2]int) *lineChart {
	c := newLineChart("curve", "Your soreness so far")
	c.XLabel = "hours after the massage"
	var last float64
	for _, p := range points {
		last = math.Max(last, p.Hours)
	}
	x := c.hourAxis(last)
	if window[1] > 0 {
		c.Band = &tick{Pos: x(float64(window[0]))}
		c.BandW = x(float64(window[1])) - c.Band.Pos
		c.BandLabel = fmt.Sprintf("usual: %d–%d h", window[0], window[1])
	}
	s := series{Name: "worst pain", Class: "s-you"}
	var pts []string
	var desc []string
	for _, p := range points {
		px, py := x(p.Hours), c.y(float64(p.Pain))
		pts = append(pts, f(round1(px))+","+f(round1(py)))
		t := fmt.Sprintf("%s h: pain %d/10, %s", hoursText(p.Hours), p.Pain, strings.ToLower(levels[p.Level].Title))
		s.Dots = append(s.Dots, dot{X: round1(px), Y: round1(py), Class: "lvl-" + p.Level.String(), Title: t})
		desc = append(desc, t)
	}
	s.Points = strings.Join(pts, " ")
	c.Series = []series{s}
	c.Desc = "Worst pain at each check-in: " + strings.Join(desc, "; ") + "."
	return c
}

// hourAxis lays the time axis of a chart over hours since the session: at
// least four days, or a whole day past the last point, with a tick a day
// (fewer over long spans). It returns where an hour falls.
func (c *lineChart) hourAxis(last float64) func(h float64) float64 {
	span := 96.0
	if last+12 > span {
		span = math.Ceil((last+12)/24) * 24
	}
	x := func(h float64) float64 { return c.X0 + (c.X1-c.X0)*math.Min(math.Max(h, 0), span)/span }
	step := 24.0
	if span > 168 {
		step = math.Ceil(span/7/24) * 24
	}
	for h := 0.0; h <= span; h += step {
		c.XTicks = append(c.XTicks, tick{Pos: x(h), Label: hoursText(h) + " h", Anchor: "middle"})
	}
	c.XTicks[len(c.XTicks)-1].Anchor = "end"
	return x
}

// courseMarks are the hours marked on the course of one session: a day, two
// days, and the 72 hours after which soreness is a reason for advice.
var courseMarks = []float64{24, 48, lateHours}

// sessionCourse is the course of one session's soreness: the chart and its numbers.
type sessionCourse struct {
	Chart *lineChart
	Table *courseTable
}

// courseTable is the course as a table: a row per check-in, a column per area.
type courseTable struct {
	Caption string
	Areas   []string
	Rows    []courseRow
}

// courseRow is one check-in of the table.
type courseRow struct {
	Hours string
	Cells []string
	Worst string
	Level aftercare.Level
}

// newSessionCourse draws the pain of each sore area at each check-in of a
// session against the hours since it ended, with the 24, 48 and 72 hour
// marks; a check-in with no area rated counts by its worst pain, drawn as a
// line of its own. nil when no check-in has a pain.
func newSessionCourse(id string, checkIns []aftercare.CheckIn, worst func(*aftercare.CheckIn) (int, bool)) *sessionCourse {
	var last float64
	byArea := map[string]bool{}
	rated := false
	for i := range checkIns {
		ci := &checkIns[i]
		last = math.Max(last, ci.HoursSince)
		for _, so := range ci.Request.Soreness {
			byArea[so.Area] = true
		}
		if _, ok := worst(ci); ok {
			rated = true
		}
	}
	if !rated {
		return nil
	}
	c := newLineChart(id, "Soreness over the hours after the session")
	c.XLabel = "hours after the session"
	x := c.hourAxis(last)
	for _, h := range courseMarks {
		c.Marks = append(c.Marks, tick{Pos: round1(x(h)), Label: hoursText(h) + " h"})
	}
	t := &courseTable{Caption: "Pain (0–10) at each check-in, by hours after the session"}
	var desc []string
	k := 0
	for _, a := range aftercare.Areas.Codes() {
		if !byArea[a.Code] {
			continue
		}
		t.Areas = append(t.Areas, a.Label)
		s := series{Name: a.Label, Class: fmt.Sprintf("s%d", k%seriesClasses)}
		var pts, said []string
		for i := range checkIns {
			ci := &checkIns[i]
			for _, so := range ci.Request.Soreness {
				if so.Area != a.Code {
					continue
				}
				px, py := round1(x(ci.HoursSince)), round1(c.y(float64(so.Pain)))
				pts = append(pts, f(px)+","+f(py))
				s.Dots = append(s.Dots, dot{X: px, Y: py, Title: fmt.Sprintf("%s, %s h: %d/10", a.Label, hoursText(ci.HoursSince), so.Pain)})
				said = append(said, fmt.Sprintf("%d at %s h", so.Pain, hoursText(ci.HoursSince)))
			}
		}
		s.Points = strings.Join(pts, " ")
		c.Series = append(c.Series, s)
		desc = append(desc, a.Label+": "+strings.Join(said, ", "))
		k++
	}
	// Check-ins that rate no area (said in words only) are drawn by their worst pain.
	unrated := series{Name: "worst pain (no area named)", Class: "s-you"}
	var pts, said []string
	for i := range checkIns {
		ci := &checkIns[i]
		p, ok := worst(ci)
		row := courseRow{Hours: hoursText(ci.HoursSince), Worst: "–", Level: ci.Assessment.Level}
		if ok {
			row.Worst = fmt.Sprint(p)
		}
		for _, a := range aftercare.Areas.Codes() {
			if !byArea[a.Code] {
				continue
			}
			cell := "–"
			for _, so := range ci.Request.Soreness {
				if so.Area == a.Code {
					cell = fmt.Sprint(so.Pain)
				}
			}
			row.Cells = append(row.Cells, cell)
		}
		t.Rows = append(t.Rows, row)
		if ok && len(ci.Request.Soreness) == 0 {
			px, py := round1(x(ci.HoursSince)), round1(c.y(float64(p)))
			pts = append(pts, f(px)+","+f(py))
			unrated.Dots = append(unrated.Dots, dot{X: px, Y: py, Class: "lvl-" + ci.Assessment.Level.String(), Title: fmt.Sprintf("%s h: worst pain %d/10", hoursText(ci.HoursSince), p)})
			said = append(said, fmt.Sprintf("%d at %s h", p, hoursText(ci.HoursSince)))
		}
	}
	if len(pts) > 0 {
		unrated.Points = strings.Join(pts, " ")
		c.Series = append(c.Series, unrated)
		desc = append(desc, "worst pain where no area was named: "+strings.Join(said, ", "))
	}
	c.Desc = fmt.Sprintf("Pain by area at each of %s, by hours after the session, with marks at 24, 48 and 72 hours. %s.",
		plural(len(checkIns), "check-in"), upperFirst(strings.Join(desc, "; ")))
	return &sessionCourse{Chart: c, Table: t}
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }

// sessionColumn is one session of the per-area chart: its label and the worst pain per area after it.
type sessionColumn struct {
	Label string
	Pain  map[string]int
}

// seriesClasses are the colour classes of the per-area chart's lines, in turn.
const seriesClasses = 8

// newAreaChart draws the worst pain per area after each session.
func newAreaChart(cols []sessionColumn) *lineChart {
	c := newLineChart("areas", "Soreness per area across sessions")
	c.XLabel = "session"
	n := len(cols)
	x := func(i int) float64 {
		if n == 1 {
			return (c.X0 + c.X1) / 2
		}
		return c.X0 + 12 + (c.X1-c.X0-24)*float64(i)/float64(n-1)
	}
	for i, col := range cols {
		c.XTicks = append(c.XTicks, tick{Pos: round1(x(i)), Label: col.Label, Anchor: "middle"})
	}
	var desc []string
	k := 0
	for _, a := range aftercare.Areas.Codes() {
		var pts []string
		s := series{Name: a.Label, Class: fmt.Sprintf("s%d", k%seriesClasses)}
		var said []string
		for i, col := range cols {
			p, ok := col.Pain[a.Code]
			if !ok {
				continue
			}
			px, py := round1(x(i)), round1(c.y(float64(p)))
			pts = append(pts, f(px)+","+f(py))
			t := fmt.Sprintf("%s, %s: %d/10", a.Label, col.Label, p)
			s.Dots = append(s.Dots, dot{X: px, Y: py, Title: t})
			said = append(said, fmt.Sprintf("%s %d", col.Label, p))
		}
		if len(pts) == 0 {
			continue
		}
		s.Points = strings.Join(pts, " ")
		c.Series = append(c.Series, s)
		desc = append(desc, a.Label+": "+strings.Join(said, ", "))
		k++
	}
	c.Desc = "Worst pain per area after each session. " + strings.Join(desc, "; ") + "."
	return c
}

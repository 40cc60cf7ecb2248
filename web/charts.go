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
	Series    []series
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
	span := 96.0
	for _, p := range points {
		if p.Hours+12 > span {
			span = math.Ceil((p.Hours+12)/24) * 24
		}
	}
	x := func(h float64) float64 { return c.X0 + (c.X1-c.X0)*math.Min(h, span)/span }
	step := 24.0
	if span > 168 {
		step = math.Ceil(span/7/24) * 24
	}
	for h := 0.0; h <= span; h += step {
		c.XTicks = append(c.XTicks, tick{Pos: x(h), Label: hoursText(h) + " h", Anchor: "middle"})
	}
	c.XTicks[len(c.XTicks)-1].Anchor = "end"
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

package web

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"aftercare"
)

// The body map is drawn on the server as inline SVG: a front and a back
// figure whose regions are the areas of the public contract. Every area is
// drawn at least once; an area seen from both sides (head, neck, shoulders,
// arms, hands, feet) is drawn in both figures and both shapes show its value.

// The body map's viewBox: a column of labels on the left (the front
// figure's areas), the front figure, the back figure, and a column of labels
// on the right (the areas seen only from the back).
const (
	labelColumn = 72.0
	frontX      = labelColumn + 42
	backX       = frontX + 88
	mapWidth    = backX + 42 + labelColumn
	mapHeight   = 276
	topY        = 8.0
	// labelGap is the least distance between two labels in a column, in
	// viewBox units: the labels are 11.5 units high, their boxes 14.
	labelGap = 14.5
)

// shape is one drawn part of a region; MinX and MaxX bound it across.
type shape struct {
	D          string
	MinX, MaxX float64
}

// regionGeom is where one area is drawn in one figure.
type regionGeom struct {
	Area   string
	Shapes []shape
	// LX, LY place the area's value.
	LX, LY float64
}

func f(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// rr is the path of a rounded rectangle. The paths are written short, as
// SVG allows: the arcs' flags run into the next number ("0 01"), and a minus
// sign needs no space before it; a side of no length is left out.
func rr(x, y, w, h, r float64) shape {
	r = min(r, w/2, h/2)
	side := func(dir string, n float64) string {
		if n == 0 {
			return ""
		}
		return dir + f(n)
	}
	arc := func(dx, dy float64) string { return "a" + f(r) + " " + f(r) + " 0 01" + f(dx) + sep(dy) + f(dy) }
	return shape{MinX: x, MaxX: x + w, D: "M" + f(x+r) + " " + f(y) +
		side("h", w-2*r) + arc(r, r) + side("v", h-2*r) + arc(-r, r) +
		side("h", -(w-2*r)) + arc(-r, -r) + side("v", -(h-2*r)) + arc(r, -r) + "z"}
}

// sep is what goes between a number and the next one, v: nothing when v's minus sign parts them.
func sep(v float64) string {
	if v < 0 {
		return ""
	}
	return " "
}

// ellipse is the path of an ellipse.
func ellipse(cx, cy, rx, ry float64) shape {
	arc := func(dx float64) string { return "a" + f(rx) + " " + f(ry) + " 0 10" + f(dx) + " 0" }
	return shape{MinX: cx - rx, MaxX: cx + rx, D: "M" + f(cx-rx) + " " + f(cy) + arc(2*rx) + arc(-2*rx) + "z"}
}

// pair is a shape and its mirror image about the figure's middle c.
func pair(c float64, mk func(x float64) shape, dx float64) []shape {
	return []shape{mk(c - dx), mk(c + dx)}
}

func geom(area string, lx, ly float64, shapes ...shape) regionGeom {
	return regionGeom{Area: area, Shapes: shapes, LX: lx, LY: ly}
}

func figure(c float64, back bool) (regions []regionGeom, neutral []shape) {
	y := func(v float64) float64 { return topY + v }
	regions = append(regions, geom("head", c, y(26), ellipse(c, y(22), 12, 15)))
	if !back {
		regions = append(regions, geom("jaw", c, y(38.5), shape{MinX: c - 10, MaxX: c + 10, D: fmt.Sprintf("M%s %sQ%s %s %s %sQ%s %s %s %sQ%s %s %s %sz",
			f(c-10), f(y(28)), f(c-9), f(y(40)), f(c), f(y(42)), f(c+9), f(y(40)), f(c+10), f(y(28)), f(c), f(y(33)), f(c-10), f(y(28)))}))
	}
	regions = append(regions,
		geom("neck", c, y(47), rr(c-6, y(38), 12, 13, 3)),
		geom("shoulders", c-24, y(58), pair(c, func(x float64) shape { return rr(x-10, y(50), 20, 15, 7) }, 24)...),
	)
	if back {
		regions = append(regions,
			geom("upper_back", c, y(74), rr(c-21, y(57), 42, 34, 6)),
			geom("lower_back", c, y(106), rr(c-19, y(92), 38, 26, 5)),
			geom("glutes", c-10.5, y(133), pair(c, func(x float64) shape { return rr(x-10, y(120), 20, 24, 9) }, 10.5)...),
		)
	} else {
		regions = append(regions,
			geom("chest", c, y(75), rr(c-21, y(57), 42, 31, 6)),
			geom("abdomen", c, y(104), rr(c-19, y(89), 38, 29, 5)),
			geom("hips", c, y(130), rr(c-22, y(119), 44, 17, 6)),
		)
	}
	regions = append(regions,
		geom("upper_arms", c-28, y(86), pair(c, func(x float64) shape { return rr(x-6.5, y(66), 13, 38, 6) }, 28)...),
		geom("forearms", c-30.5, y(124), pair(c, func(x float64) shape { return rr(x-6, y(107), 12, 36, 5) }, 30.5)...),
		geom("hands", c-31, y(156), pair(c, func(x float64) shape { return ellipse(x, y(153), 7.5, 10) }, 31)...),
	)
	thigh, lower := "quads", "shins"
	thighTop := y(138)
	if back {
		thigh, lower = "hamstrings", "calves"
		thighTop = y(146)
	}
	regions = append(regions,
		geom(thigh, c-11, thighTop+(y(192)-thighTop)/2+4, pair(c, func(x float64) shape { return rr(x-9.5, thighTop, 19, y(192)-thighTop, 8) }, 11)...),
		geom(lower, c-11, y(226), pair(c, func(x float64) shape { return rr(x-7.5, y(205), 15, 42, 6) }, 11)...),
		geom("feet", c-12, y(255), pair(c, func(x float64) shape { return rr(x-9, y(249), 18, 10, 5) }, 12)...),
	)
	neutral = append(neutral, pair(c, func(x float64) shape { return ellipse(x, y(198.5), 7, 5.5) }, 11)...)
	return regions, neutral
}

var (
	frontRegions, frontNeutral = figure(frontX, false)
	backRegions, backNeutral   = figure(backX, true)
	// mapLabels name the areas on the figure, each once: the trunk and legs
	// seen from the front in the left column; the arms, and what is seen only
	// from the back, in the right one, so that the columns are about even.
	mapLabels = append(
		labelColumnOf(frontRegions, func(a string) bool { return !labelledFromBehind[a] }, false),
		labelColumnOf(backRegions, func(a string) bool { return labelledFromBehind[a] || !drawnIn(frontRegions, a) }, true)...)
)

// labelledFromBehind are the areas drawn on both figures that are named on the back one.
var labelledFromBehind = map[string]bool{"shoulders": true, "upper_arms": true, "forearms": true, "hands": true}

func drawnIn(regions []regionGeom, area string) bool {
	return slices.ContainsFunc(regions, func(g regionGeom) bool { return g.Area == area })
}

// mapLabel is an area's name beside the figure, with a line to its region.
type mapLabel struct {
	Area, Text string
	X, Y       float64
	Anchor     string
	// The line from the label to the region's edge.
	X1, Y1, X2, Y2 float64
}

// shortLabels are the names on the figure where the area's label is too long for its column.
var shortLabels = map[string]string{"quads": "Quads", "hamstrings": "Hamstrings"}

// labelColumnOf places the labels of the regions of a figure whose areas
// it names (the others are named on the other figure), in a column on the
// left or (right) the right of the map: each at its region's height, moved
// down as little as needed to keep labelGap between labels, and up from the
// bottom.
func labelColumnOf(regions []regionGeom, names func(area string) bool, right bool) []mapLabel {
	var out []mapLabel
	for _, g := range regions {
		if !names(g.Area) {
			continue
		}
		text := shortLabels[g.Area]
		if text == "" {
			text = aftercare.Areas.Label(g.Area)
		}
		edge := g.Shapes[0].MinX
		l := mapLabel{Area: g.Area, Text: text, X: labelColumn - 4, Anchor: "end", Y1: g.LY, X2: edge, Y2: g.LY}
		for _, sh := range g.Shapes {
			l.X2 = min(l.X2, sh.MinX)
		}
		if right {
			l.X, l.Anchor = mapWidth-labelColumn+4, "start"
			for _, sh := range g.Shapes {
				l.X2 = max(l.X2, sh.MaxX)
			}
		}
		out = append(out, l)
	}
	slices.SortStableFunc(out, func(a, b mapLabel) int { return cmpFloat(a.Y1, b.Y1) })
	for i := range out {
		out[i].Y = out[i].Y1
		if i > 0 {
			out[i].Y = max(out[i].Y, out[i-1].Y+labelGap)
		}
	}
	for i := len(out) - 1; i >= 0; i-- {
		bottom := float64(mapHeight) - 4
		if i < len(out)-1 {
			bottom = out[i+1].Y - labelGap
		}
		out[i].Y = min(out[i].Y, bottom)
	}
	for i := range out {
		l := &out[i]
		l.Y, l.Y1, l.Y2 = round1(l.Y), round1(l.Y), round1(l.Y2)
		l.X1 = labelColumn - 2
		if right {
			l.X1 = mapWidth - labelColumn + 2
		}
	}
	return out
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// mapRegion is one drawn region of a body map, with its area's value.
type mapRegion struct {
	Area  string
	Label string
	Geom  regionGeom
	// Primary is true for the first drawing of an area; only it is focusable.
	Primary bool
	// Value is the area's value ("" for none): a pain 0–10, or a pressure code.
	Value string
	// Short is the value as shown on the map.
	Short string
	// Class is the value's colour class.
	Class string
	// Name is the region's accessible name, value included.
	Name string
	// Field is the prefix of the form field the region sets; empty on a map that only shows.
	Field string
	// Invalid is true when the form's error is about the area's field.
	Invalid bool
}

// bodyMap is a body map ready to draw.
type bodyMap struct {
	// ID is the map's element id, unique on its page.
	ID string
	// Kind is "pain" (0–10 per area) or "pressure" (a pressure per area).
	Kind string
	// Field is the prefix of the form field of each area ("pain_", "pressure_"); empty for a map that only shows.
	Field string
	// Title names the map for assistive technology.
	Title   string
	Front   []mapRegion
	Back    []mapRegion
	Neutral []shape
	// Labels name the areas beside the figure.
	Labels []mapLabel
	// W, H, FrontX and BackX place the figure.
	W, H, FrontX, BackX float64
}

// LabelLines is the path of the lines from the labels to their regions, all in one.
func (m *bodyMap) LabelLines() string {
	var b strings.Builder
	for _, l := range m.Labels {
		b.WriteString("M" + f(l.X1) + " " + f(l.Y))
		if l.Y2 == l.Y {
			b.WriteString("H" + f(l.X2))
		} else {
			b.WriteString("L" + f(l.X2) + " " + f(l.Y2))
		}
	}
	return b.String()
}

// Joints is the path of the knees, drawn as neither area, all in one.
func (m *bodyMap) Joints() string {
	var b strings.Builder
	for _, s := range m.Neutral {
		b.WriteString(s.D)
	}
	return b.String()
}

// Interactive reports whether the map's regions are links to form fields.
func (m *bodyMap) Interactive() bool { return m.Field != "" }

// Summary lists the areas that have a value, for readers of a map that only shows.
func (m *bodyMap) Summary() string {
	var parts []string
	for _, r := range m.Front {
		if r.Primary && r.Value != "" {
			parts = append(parts, r.Name)
		}
	}
	for _, r := range m.Back {
		if r.Primary && r.Value != "" {
			parts = append(parts, r.Name)
		}
	}
	if len(parts) == 0 {
		return "No area has a value."
	}
	return strings.Join(parts, "; ") + "."
}

// NameRest is the accessible name of the region after its label, such as ": pain 4 out of 10".
func (r mapRegion) NameRest() string { return strings.TrimPrefix(r.Name, r.Label) }

// Chips are the map's areas as a list beside the figure, one per area in
// the order of aftercare.Areas: the targets to tap or tab to (at least 44 px
// each, which the drawn shapes of a phone-sized figure are not).
func (m *bodyMap) Chips() []mapRegion {
	var out []mapRegion
	for _, a := range aftercare.Areas.Codes() {
		for _, side := range [][]mapRegion{m.Front, m.Back} {
			if i := slices.IndexFunc(side, func(r mapRegion) bool { return r.Primary && r.Area == a.Code }); i >= 0 {
				out = append(out, side[i])
			}
		}
	}
	return out
}

// newBodyMap builds a map of values per area; kind is "pain" or "pressure".
func newBodyMap(id, kind, field, title string, values map[string]string) *bodyMap {
	m := &bodyMap{ID: id, Kind: kind, Field: field, Title: title, Labels: mapLabels, W: mapWidth, H: mapHeight, FrontX: frontX, BackX: backX}
	seen := map[string]bool{}
	build := func(geoms []regionGeom) []mapRegion {
		out := make([]mapRegion, 0, len(geoms))
		for _, g := range geoms {
			v := values[g.Area]
			r := mapRegion{Area: g.Area, Label: aftercare.Areas.Label(g.Area), Geom: g, Primary: !seen[g.Area], Value: v, Field: field}
			seen[g.Area] = true
			r.Short, r.Class, r.Name = describe(kind, r.Label, v)
			out = append(out, r)
		}
		return out
	}
	m.Front = build(frontRegions)
	m.Back = build(backRegions)
	m.Neutral = append(append([]shape{}, frontNeutral...), backNeutral...)
	return m
}

// describe returns how a value is shown on the map: its short text, its
// colour class and the region's accessible name.
func describe(kind, label, v string) (short, class, name string) {
	if v == "" {
		if kind == "pressure" {
			return "", "v-unset", label + ": not worked"
		}
		return "", "v-unset", label + ": no rating"
	}
	if kind == "pressure" {
		return strings.ToUpper(v[:1]), "v-" + v, label + ": " + strings.ToLower(aftercare.Pressures.Label(v)) + " pressure"
	}
	return v, "v-" + v, label + ": pain " + v + " out of 10"
}

// painValues returns the pain per area of a request's soreness, as map values.
func painValues(soreness []aftercare.Soreness) map[string]string {
	out := map[string]string{}
	for _, s := range soreness {
		out[s.Area] = strconv.Itoa(s.Pain)
	}
	return out
}

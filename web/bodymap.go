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

// mapWidth and mapHeight are the body map's viewBox.
const (
	mapWidth  = 250
	mapHeight = 276
	frontX    = 62.0
	backX     = 188.0
	topY      = 8.0
)

// shape is one drawn part of a region.
type shape struct {
	D string
}

// regionGeom is where one area is drawn in one figure.
type regionGeom struct {
	Area   string
	Shapes []shape
	// LX, LY place the area's value.
	LX, LY float64
}

func f(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// rr is the path of a rounded rectangle.
func rr(x, y, w, h, r float64) shape {
	r = min(r, w/2, h/2)
	return shape{D: fmt.Sprintf("M%s %sh%sa%s %s 0 0 1 %s %sv%sa%s %s 0 0 1 -%s %sh-%sa%s %s 0 0 1 -%s -%sv-%sa%s %s 0 0 1 %s -%sz",
		f(x+r), f(y), f(w-2*r), f(r), f(r), f(r), f(r), f(h-2*r), f(r), f(r), f(r), f(r), f(w-2*r), f(r), f(r), f(r), f(r), f(h-2*r), f(r), f(r), f(r), f(r))}
}

// ellipse is the path of an ellipse.
func ellipse(cx, cy, rx, ry float64) shape {
	return shape{D: fmt.Sprintf("M%s %sa%s %s 0 1 0 %s 0a%s %s 0 1 0 -%s 0z", f(cx-rx), f(cy), f(rx), f(ry), f(2*rx), f(rx), f(ry), f(2*rx))}
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
		regions = append(regions, geom("jaw", c, y(38.5), shape{D: fmt.Sprintf("M%s %sQ%s %s %s %sQ%s %s %s %sQ%s %s %s %sz",
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
)

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
	m := &bodyMap{ID: id, Kind: kind, Field: field, Title: title}
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

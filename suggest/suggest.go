// Package suggest proposes the pressure of a client's next session, area by
// area, from how the client responded to the sessions before: lighter where
// soreness was high, lasted past its usual window, or was flagged, as the
// knowledge base's consumer guide advises ("request lighter pressure in areas
// that are extra sensitive"), and never above what the client's screening allows. It never
// proposes heavier work: that stays the therapist's call. Pure: no I/O, no clock.
package suggest

import (
	"slices"

	"aftercare"
)

// Expect is what the knowledge base says a pressure usually leaves behind.
type Expect struct {
	// MaxPain is the most pain still expected after work at a pressure (a code of aftercare.Pressures).
	MaxPain func(pressure string) int
	// WindowTo is the hour, after the session, by which soreness after a style at a pressure usually eases.
	WindowTo func(style, pressure string) int
}

// DefaultExpect is used where a field of Expect is nil: the built-in knowledge
// base's figures (gentle work 3, medium 4, firm and deep 6; eased by 48 hours).
var DefaultExpect = Expect{
	MaxPain: func(p string) int {
		switch p {
		case "light":
			return 3
		case "medium", "":
			return 4
		}
		return 6
	},
	WindowTo: func(string, string) int { return 48 },
}

// Thresholds of the suggestion.
const (
	// SeverePain is the pain (0–10) from which an area is worked much lighter.
	SeverePain = 7
	// LingeringPain is the pain (0–10) that still counts as sore past the usual window.
	LingeringPain = 3
	// LongHours is the time after which soreness is a red flag (the seed: more than 72 hours).
	LongHours = 72
)

// Area is the suggestion for one area.
type Area struct {
	// Area is a code of aftercare.Areas.
	Area string
	// Last is the pressure used on the area last time it was worked; empty when not known.
	Last string
	// Suggested is the pressure proposed for the next session.
	Suggested string
	// Steps is how many grades lighter than Last the suggestion is (0, 1 or 2).
	Steps int
	// Pain is the worst pain the client reported in the area after that session; Reported is false when none was.
	Pain     int
	Reported bool
	// SoreAtHours is the latest check-in, in hours after that session, at which the area was still sore (pain ≥ LingeringPain).
	SoreAtHours float64
	// Flagged is true when a check-in with pain in the area was graded consult or above.
	Flagged bool
	// Capped names the screening answer (a code of aftercare.Health) that caps the pressure, if any.
	Capped string
	// Avoid is true when the screening says to leave the area out or work it only lightly.
	Avoid bool
	// Hold is set when the area is not to be treated until a clinician has
	// cleared the client (Suggested is then empty).
	Hold *Hold
	// Reason says in one sentence why.
	Reason string
}

// Source is the citation of the advice the suggestion follows.
const Source = "Sore after a massage? (consumer guide, 2025): request lighter pressure in areas that are extra sensitive"

// rank orders the pressures, lightest first.
func rank(p string) int { return aftercare.Pressures.Index(p) }

func lighter(p string, steps int) string {
	codes := aftercare.Pressures.Codes()
	i := max(rank(p)-steps, 0)
	return codes[i].Code
}

// Next returns the suggestion for every area worked in any session, every
// area a caution says to avoid and every area on hold, in the order of
// aftercare.Areas. Sessions are the client's, in any order, each with its
// check-ins; cautions are those of the client's latest screening; holds are
// Holds of the client. A held area is suggested as not to be treated
// (Suggested empty), whatever else is known of it.
func Next(sessions []*aftercare.Session, cautions []aftercare.Caution, holds []Hold, exp Expect) []Area {
	if exp.MaxPain == nil {
		exp.MaxPain = DefaultExpect.MaxPain
	}
	if exp.WindowTo == nil {
		exp.WindowTo = DefaultExpect.WindowTo
	}
	ordered := slices.Clone(sessions)
	slices.SortStableFunc(ordered, func(a, b *aftercare.Session) int { return a.EndedAt.Compare(b.EndedAt) })

	var out []Area
	for _, code := range aftercare.Areas.Codes() {
		a, ok := forArea(code.Code, ordered, exp)
		avoid, capBy, capTo := screening(code.Code, cautions)
		i := slices.IndexFunc(holds, func(h Hold) bool { return h.Area == code.Code })
		if !ok && !avoid && i < 0 {
			continue
		}
		if !ok {
			a = Area{Area: code.Code, Suggested: "light", Reason: "No earlier session worked this area."}
		}
		if capTo != "" && rank(a.Suggested) > rank(capTo) {
			a.Suggested, a.Capped = capTo, capBy
			a.Reason += " Capped at " + aftercare.Pressures.Label(capTo) + " for the screening answer " + aftercare.Health.Label(capBy) + "."
		}
		if avoid {
			a.Avoid, a.Suggested = true, "light"
			a.Reason += " The screening says to leave this area out or work it only lightly."
		}
		if i >= 0 {
			h := holds[i]
			a.Hold, a.Suggested, a.Steps = &h, "", 0
			a.Reason = "Do not treat until a clinician has cleared the client: " + ConcernText[h.Concern] + " was flagged."
		}
		out = append(out, a)
	}
	return out
}

// worked reports whether a session worked an area; reported, whether a check-in of it rated the area.
func worked(s *aftercare.Session, area string) bool {
	return slices.Contains(s.AreasWorked, area) || s.AreaPressure[area] != ""
}

func reported(s *aftercare.Session, area string) bool {
	for _, c := range s.CheckIns {
		if slices.ContainsFunc(c.Request.Soreness, func(so aftercare.Soreness) bool { return so.Area == area }) {
			return true
		}
	}
	return false
}

// pressureOf is the pressure a session used on an area.
func pressureOf(s *aftercare.Session, area string) string {
	if p := s.AreaPressure[area]; p != "" {
		return p
	}
	return s.Pressure
}

// forArea judges one area from the last session that worked it (or in which
// the client reported soreness there). When that session has no check-in
// yet, what the client reported after the one before that worked the area
// still counts: a newer session does not make an area's soreness, or its
// flag, forgotten.
func forArea(area string, sessions []*aftercare.Session, exp Expect) (Area, bool) {
	last := len(sessions) - 1
	for last >= 0 && !worked(sessions[last], area) && !reported(sessions[last], area) {
		last--
	}
	if last < 0 {
		return Area{}, false
	}
	s := sessions[last]
	a := Area{Area: area, Last: pressureOf(s, area)}
	ev := s
	if len(s.CheckIns) == 0 {
		for i := last - 1; i >= 0; i-- {
			if len(sessions[i].CheckIns) > 0 && (worked(sessions[i], area) || reported(sessions[i], area)) {
				ev = sessions[i]
				break
			}
		}
	}
	for _, c := range ev.CheckIns {
		for _, so := range c.Request.Soreness {
			if so.Area != area {
				continue
			}
			if !a.Reported || so.Pain > a.Pain {
				a.Pain = so.Pain
			}
			a.Reported = true
			if so.Pain >= LingeringPain && c.HoursSince > a.SoreAtHours {
				a.SoreAtHours = c.HoursSince
			}
			if so.Pain > 0 && c.Assessment.Level >= aftercare.Consult {
				a.Flagged = true
			}
		}
	}
	judge(&a, ev, pressureOf(ev, area), len(ev.CheckIns) > 0, exp)
	if ev != s && len(ev.CheckIns) > 0 {
		a.Reason += " (After the session before: the last one has no check-in yet.)"
	}
	return a, true
}

// judge sets the suggestion of an area from what the client reported after
// session s, in which the area was worked at pressure judged (or none).
func judge(a *Area, s *aftercare.Session, judged string, checkedIn bool, exp Expect) {
	base := a.Last
	if base == "" {
		base = "medium"
	}
	if judged == "" {
		judged = base
	}
	window := exp.WindowTo(s.Style, judged)
	switch {
	case a.Flagged:
		a.Steps, a.Reason = 2, "A check-in with soreness here was flagged for medical advice: work it much lighter, and only once the client has been cleared."
	case a.Reported && a.Pain >= SeverePain:
		a.Steps, a.Reason = 2, "Soreness here was severe: work it much lighter."
	case a.SoreAtHours > LongHours:
		a.Steps, a.Reason = 2, "Soreness here lasted more than 72 hours: work it much lighter."
	case a.Reported && a.Pain > exp.MaxPain(judged):
		a.Steps, a.Reason = 1, "Soreness here was more than this pressure usually leaves: go one grade lighter."
	case a.SoreAtHours > float64(window):
		a.Steps, a.Reason = 1, "Soreness here lasted past the usual window for this work: go one grade lighter."
	case a.Reported:
		a.Reason = "Soreness here was within what this pressure usually leaves: keep it."
	case checkedIn:
		a.Reason = "The client reported no soreness here: keep it."
	default:
		a.Reason = "No check-in yet after the last session: keep it, and ask how it felt."
	}
	a.Suggested = lighter(base, a.Steps)
	if a.Steps > 0 {
		a.Steps = rank(base) - rank(a.Suggested)
		if a.Steps == 0 {
			a.Reason += " It is already light: spend less time on it."
		}
	}
}

// screening returns whether a caution says to avoid the area, and the
// strictest pressure cap with the screening answer that sets it.
func screening(area string, cautions []aftercare.Caution) (avoid bool, by, to string) {
	for _, c := range cautions {
		if slices.Contains(c.AvoidAreas, area) {
			avoid = true
		}
		if c.MaxPressure != "" && aftercare.Pressures.Has(c.MaxPressure) && (to == "" || rank(c.MaxPressure) < rank(to)) {
			by, to = c.Health, c.MaxPressure
		}
	}
	return avoid, by, to
}

package suggest

import (
	"slices"
	"time"

	"aftercare"
)

// Concerns that stop treatment of an area until a clinician has cleared the client.
const (
	// ConcernClot is a suspected blood clot (deep vein thrombosis): massage
	// of the leg could move it.
	ConcernClot = "clot"
	// ConcernRhabdo is suspected muscle breakdown (rhabdomyolysis): no
	// massage at all until the client has been seen.
	ConcernRhabdo = "rhabdomyolysis"
	// ConcernNerve is a sign of a nerve or artery injury (numbness, stroke
	// signs after neck work, pressure on the nerves at the base of the spine).
	ConcernNerve = "neurological"
)

// ConcernText names a concern in a therapist's words.
var ConcernText = map[string]string{
	ConcernClot:   "a suspected blood clot",
	ConcernRhabdo: "suspected muscle breakdown (rhabdomyolysis)",
	ConcernNerve:  "signs of a nerve or artery injury",
}

// Hold is an area not to be treated until a clinician has cleared the client.
type Hold struct {
	// Area is a code of aftercare.Areas.
	Area string
	// Concern is one of ConcernClot, ConcernRhabdo and ConcernNerve.
	Concern string
	// Flag is the flag of the check-in that raised it; it may be acknowledged.
	Flag *aftercare.Flag
	// Session is the session the flagged check-in was about.
	Session *aftercare.Session
	// HoursAfter is when the check-in was sent, in hours after that session.
	HoursAfter float64
}

// The areas a concern holds.
var (
	legAreas      = []string{"quads", "hamstrings", "calves", "shins", "feet"}
	headNeckAreas = []string{"head", "jaw", "neck", "shoulders"}
	lowBackAreas  = []string{"lower_back", "glutes", "hips"}
)

// scope says which areas a sign holds: a fixed list, every area (all), or
// the areas the check-in was sore in, else the areas worked (local).
type scope struct {
	concern string
	areas   []string
	all     bool
	local   bool
}

var (
	clotScope     = scope{concern: ConcernClot, areas: legAreas}
	rhabdoScope   = scope{concern: ConcernRhabdo, all: true}
	headNeckScope = scope{concern: ConcernNerve, areas: headNeckAreas}
	lowBackScope  = scope{concern: ConcernNerve, areas: lowBackAreas}
	localScope    = scope{concern: ConcernNerve, local: true}
)

// ruleScopes are the rules of the built-in knowledge base whose firing holds
// areas; symptomScopes do the same for the signs reported, so that a
// clinic's own rules, named otherwise, still hold them.
var (
	ruleScopes = map[string]scope{
		"possible_clot": clotScope, "clot_signs_leg": clotScope, "leg_swelling_with_clot_risk": clotScope,
		"clot_reaching_lung":      clotScope,
		"possible_rhabdomyolysis": rhabdoScope, "weakness_with_severe_pain": rhabdoScope,
		"stroke_signs": headNeckScope, "neck_artery_signs": headNeckScope, "neck_work_headache_dizziness": headNeckScope,
		"dizziness_after_neck_work": headNeckScope, "late_headache_after_neck_work": headNeckScope,
		"vision_with_neuro_signs": headNeckScope, "thunderclap_headache": headNeckScope, "unsteadiness": headNeckScope,
		"vision_changes": headNeckScope, "confusion": headNeckScope,
		"cauda_equina": lowBackScope, "bladder_or_leg_signs": lowBackScope,
		"tingling_numbness": localScope, "spreading_nerve_signs": localScope,
	}
	symptomScopes = map[string]scope{
		"calf_swelling": clotScope, "calf_pain_one_side": clotScope,
		"facial_droop": headNeckScope, "speech_difficulty": headNeckScope, "one_sided_weakness": headNeckScope,
		"saddle_numbness": lowBackScope, "bladder_bowel_change": lowBackScope, "leg_weakness": lowBackScope,
		"numbness": localScope, "tingling": localScope,
	}
)

// concernRank orders concerns, gravest first, for an area held by several.
func concernRank(c string) int {
	return slices.Index([]string{ConcernClot, ConcernRhabdo, ConcernNerve}, c)
}

// Holds returns the areas not to be treated, in the order of aftercare.Areas:
// every area a flagged check-in of a suspected clot, rhabdomyolysis or nerve
// or artery injury points to. Acknowledging the flag does not lift a hold
// (it says the clinic has seen it, not that a clinician has cleared the
// client); a session recorded after the flag that worked the area does,
// which the session form allows only once the therapist has confirmed the
// clearance. Sessions are the client's with their check-ins; flags are the
// client's, acknowledged or not.
func Holds(sessions []*aftercare.Session, flags []*aftercare.Flag) []Hold {
	byArea := map[string]Hold{}
	for _, fl := range flags {
		s, c := flagged(sessions, fl)
		if c == nil {
			continue
		}
		for _, sc := range scopes(c) {
			for _, area := range sc.held(s, c) {
				if released(sessions, area, fl.CreatedAt) {
					continue
				}
				h := Hold{Area: area, Concern: sc.concern, Flag: fl, Session: s, HoursAfter: c.HoursSince}
				if was, ok := byArea[area]; !ok || concernRank(h.Concern) < concernRank(was.Concern) ||
					h.Concern == was.Concern && h.Flag.CreatedAt.After(was.Flag.CreatedAt) {
					byArea[area] = h
				}
			}
		}
	}
	var out []Hold
	for _, a := range aftercare.Areas.Codes() {
		if h, ok := byArea[a.Code]; ok {
			out = append(out, h)
		}
	}
	return out
}

// flagged finds a flag's check-in and its session.
func flagged(sessions []*aftercare.Session, fl *aftercare.Flag) (*aftercare.Session, *aftercare.CheckIn) {
	for _, s := range sessions {
		if s.ID != fl.SessionID {
			continue
		}
		for i := range s.CheckIns {
			if s.CheckIns[i].ID == fl.CheckInID {
				return s, &s.CheckIns[i]
			}
		}
	}
	return nil, nil
}

// scopes are the scopes of the rules that fired for a check-in and of the signs it reported.
func scopes(c *aftercare.CheckIn) []scope {
	var out []scope
	for _, r := range c.Assessment.Reasons {
		if sc, ok := ruleScopes[r.Rule]; ok {
			out = append(out, sc)
		}
	}
	signs := slices.Clone(c.Request.Symptoms)
	for _, f := range c.Assessment.Findings {
		if f.Type == "symptom" && !f.Negated {
			signs = append(signs, f.Code)
		}
	}
	for _, code := range signs {
		if sc, ok := symptomScopes[code]; ok {
			out = append(out, sc)
		}
	}
	if c.Assessment.Level >= aftercare.Urgent && slices.Contains(signs, "dark_urine") {
		out = append(out, rhabdoScope)
	}
	return out
}

// held returns the areas a scope holds for a check-in of session s.
func (sc scope) held(s *aftercare.Session, c *aftercare.CheckIn) []string {
	switch {
	case sc.all:
		var all []string
		for _, a := range aftercare.Areas.Codes() {
			all = append(all, a.Code)
		}
		return all
	case sc.local:
		var sore []string
		for _, so := range c.Request.Soreness {
			if so.Pain > 0 {
				sore = append(sore, so.Area)
			}
		}
		for _, f := range c.Assessment.Findings {
			if f.Type == "area" && !f.Negated {
				sore = append(sore, f.Code)
			}
		}
		if len(sore) == 0 {
			return s.AreasWorked
		}
		return sore
	}
	return sc.areas
}

// released reports whether a session recorded after a flag raised at
// flaggedAt worked the area.
func released(sessions []*aftercare.Session, area string, flaggedAt time.Time) bool {
	for _, s := range sessions {
		recorded := s.CreatedAt
		if recorded.IsZero() {
			recorded = s.EndedAt
		}
		if recorded.After(flaggedAt) && slices.Contains(s.AreasWorked, area) {
			return true
		}
	}
	return false
}

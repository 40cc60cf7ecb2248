package rules

import (
	"aftercare"
	"aftercare/knowledge"
)

// Derive fills the facts of a structured request (one without text) the way
// the triage engine does: the window for the style and pressure, the pain
// band, the trend against the history and the flags the rules use.
// TestDeriveMatchesTriage checks it against the engine itself.
func Derive(kb *knowledge.Base, req *aftercare.Request) knowledge.Facts {
	var f knowledge.Facts
	f.Style, f.Pressure = req.Style, req.Pressure
	if req.HoursSince != nil {
		f.Hours, f.HoursKnown = *req.HoursSince, true
	}
	for _, s := range req.Symptoms {
		f.Symptom.Set(s)
	}
	for _, h := range req.Health {
		f.Health.Set(h)
	}
	for _, a := range req.AreasWorked {
		f.Worked.Set(a)
	}
	for _, s := range req.Soreness {
		f.AreaPain.Raise(s.Area, s.Pain)
		if s.Pain > 0 {
			f.SoreIn.Set(s.Area)
			f.Sore = true
		}
		f.Pain = max(f.Pain, s.Pain)
		f.PainKnown = true
	}

	// The window: the style's for the pressure, else the intensity's; the
	// pressure raises the intensity, and with neither the work counts as deep.
	rank := map[string]int{"gentle": 0, "moderate": 1, "deep": 2}
	style := kb.Style(f.Style)
	intensity, soreness := "deep", "possible"
	if style != nil {
		intensity, soreness = style.Intensity, style.Soreness
	}
	if p := kb.Pressure(f.Pressure); p != nil && (style == nil || rank[p.Intensity] > rank[intensity]) {
		intensity = p.Intensity
	}
	f.Intensity, f.Soreness = intensity, soreness
	in := kb.Intensity(intensity)
	f.ExpectedPain = in.ExpectedPain
	w := in.Hours
	if style != nil {
		w = style.Hours["default"]
		if pw, ok := style.Hours[f.Pressure]; ok {
			w = pw
		}
	}
	f.WindowFrom, f.WindowTo = float64(w[0]), float64(w[1])

	switch {
	case f.Pain >= kb.Bands.Severe[0]:
		f.Band = "severe"
	case f.Pain >= kb.Bands.Moderate[0]:
		f.Band = "moderate"
	case f.Pain >= kb.Bands.Mild[0]:
		f.Band = "mild"
	default:
		f.Band = "none"
	}

	// The trend: a change of 2 points or 30% since the last check-in.
	f.Trend, f.Checkins = "none", len(req.History)
	for _, h := range req.History {
		f.PeakPain = max(f.PeakPain, h.Pain)
	}
	if len(req.History) > 0 && f.PainKnown {
		last := req.History[len(req.History)-1].Pain
		f.Rise = f.Pain - last
		switch {
		case last > 0:
			f.RisePercent = float64(f.Rise) * 100 / float64(last)
		case f.Rise > 0:
			f.RisePercent = 100
		}
		switch {
		case f.Rise >= 2 || (f.Rise >= 1 && f.RisePercent >= 30):
			f.Trend = "rising"
		case f.Rise <= -2 || (f.Rise <= -1 && f.RisePercent <= -30):
			f.Trend = "falling"
		default:
			f.Trend = "steady"
		}
	}

	f.NeckWork = f.Worked.Neck || f.Worked.Head || f.SoreIn.Neck
	f.LegWork = f.Worked.Quads || f.Worked.Hamstrings || f.Worked.Calves || f.Worked.Shins || f.Worked.Feet ||
		f.SoreIn.Quads || f.SoreIn.Hamstrings || f.SoreIn.Calves || f.SoreIn.Shins || f.SoreIn.Feet
	f.Anticoagulated = f.Health.BloodThinners || f.Health.BleedingDisorder
	for _, c := range aftercare.Symptoms.Codes() {
		if f.Symptom.Has(c.Code) {
			f.Symptoms++
		}
	}
	return f
}

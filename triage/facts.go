package triage

import (
	"aftercare"
	"aftercare/knowledge"
	"aftercare/textread"
)

// derive fills the facts from the request merged with what its text says.
// Structured fields win where both speak; text adds what they leave out.
func (e *Engine) derive(f *knowledge.Facts, req *aftercare.Request, rd *textread.Reading) {
	findings := rd.Findings
	f.Style, f.Pressure = req.Style, req.Pressure
	if req.HoursSince != nil {
		f.Hours, f.HoursKnown = *req.HoursSince, true
	}
	// An answer "no" drops the symptom, wherever it was said.
	denied := func(code string) bool {
		yes, ok := answered(req, code)
		return ok && !yes
	}
	for _, s := range req.Symptoms {
		if !denied(s) {
			f.Symptom.Set(s)
		}
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

	// What the text adds.
	textPain, textPainKnown := 0, false
	var textAreas []string
	for i := range findings {
		fd := &findings[i]
		if fd.Negated {
			continue
		}
		switch fd.Type {
		case "symptom":
			if !denied(fd.Code) {
				f.Symptom.Set(fd.Code)
			}
		case "health":
			f.Health.Set(fd.Code)
		case "style":
			if f.Style == "" {
				f.Style = fd.Code
			}
		case "pressure":
			if f.Pressure == "" {
				f.Pressure = fd.Code
			}
		case "time":
			if !f.HoursKnown && fd.Value != nil {
				f.Hours, f.HoursKnown = *fd.Value, true
			}
		case "pain":
			if fd.Value != nil && (!textPainKnown || int(*fd.Value) > textPain) {
				textPain, textPainKnown = int(*fd.Value), true
			}
		case "area":
			textAreas = append(textAreas, fd.Code)
		}
	}
	if textPainKnown {
		f.TextPain = textPain
	}
	f.SignHours = rd.SignHours
	f.Cupping = rd.Cupping
	if len(req.Soreness) == 0 {
		// Areas named in the text are where it hurts; a pain read from the
		// text belongs to them (or to no area in particular).
		// Unless the text says all is well now and nothing hurts ("my neck
		// moves so much better, no problems since").
		// Nor, days after the session, when it names places but says nothing
		// hurts now: "last week he spent the whole hour on my legs".
		well := !rd.Sore && !textPainKnown && (rd.Well || f.HoursKnown && f.Hours > 72)
		for _, a := range textAreas {
			if !well && (!textPainKnown || textPain > 0) {
				f.SoreIn.Set(a)
				f.Sore = true
			}
			if textPainKnown {
				f.AreaPain.Raise(a, textPain)
			}
		}
		if textPainKnown {
			f.Pain, f.PainKnown = textPain, true
			if textPain > 0 {
				f.Sore = true
			}
		}
		if rd.Sore && (!textPainKnown || textPain > 0) {
			f.Sore = true // "still sore after four days": soreness with no place named
		}
	}

	if len(req.Answers) > 0 {
		e.settle(f, req, rd, textAreas, denied)
	}

	e.window(f)
	f.Band = band(e.kb, f.Pain)
	history := req.History
	if len(history) == 0 && len(req.Soreness) == 0 {
		// The course the text tells: "was 2, then 4, now 7".
		for _, v := range rd.Earlier {
			history = append(history, aftercare.HistoryPoint{Pain: int(v)})
		}
	}
	e.trend(f, history)
	if len(history) == 0 && f.PainKnown && rd.Trend != "" {
		// Words alone ("getting worse", "not easing", "better every day") say which
		// way the pain goes, not by how much: they count as the smallest change
		// that matters (2 points, Farrar et al. 2001), from one earlier check.
		f.Trend, f.Checkins = rd.Trend, 1
		f.Rise, f.RisePercent = 2, 100
		if rd.Trend == "falling" {
			f.Rise, f.RisePercent = -2, -100
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
}

// settle lays the answers to questions over the facts: they settle what the
// text left unsure or did not say.
func (e *Engine) settle(f *knowledge.Facts, req *aftercare.Request, rd *textread.Reading, textAreas []string, denied func(string) bool) {
	for _, u := range rd.Unsure {
		if u.Else != "" && denied(u.Code) && !denied(u.Else) {
			f.Symptom.Set(u.Else) // "can't lift my arm": not weak, so too sore
		}
	}
	for id, a := range req.Answers {
		_, code, ok := aftercare.ParseQuestionID(id)
		if !ok {
			continue
		}
		v, isNumber := a.Number()
		yes, isYesNo := a.YesNo()
		switch {
		case isYesNo && yes && code != "":
			f.Symptom.Set(code)
		case isNumber && id == aftercare.QuestionHoursSince:
			f.Hours, f.HoursKnown = v, true
		case isNumber && id == aftercare.QuestionPain:
			p := int(v)
			f.Pain, f.PainKnown = p, true
			for _, area := range textAreas {
				f.AreaPain.Raise(area, p)
			}
			if p > 0 {
				f.Sore = true
			}
		case isNumber && code != "":
			p := int(v)
			f.AreaPain.Raise(code, p)
			if p > 0 {
				f.SoreIn.Set(code)
				f.Sore = true
			}
			f.Pain, f.PainKnown = max(f.Pain, p), true
		}
	}
}

// intensityRank orders the intensities, gentlest first.
var intensityRank = map[string]int{"gentle": 0, "moderate": 1, "deep": 2}

// window sets the intensity, the expected pain and the typical window from the
// style and the pressure. Without either, the work is taken as deep: the
// widest window, so that plain soreness is not called unusual for want of detail.
func (e *Engine) window(f *knowledge.Facts) {
	style := e.kb.Style(f.Style)
	intensity, soreness := "deep", "possible"
	if style != nil {
		intensity, soreness = style.Intensity, style.Soreness
	}
	if p := e.kb.Pressure(f.Pressure); p != nil {
		if style == nil || intensityRank[p.Intensity] > intensityRank[intensity] {
			intensity = p.Intensity
		}
	}
	f.Intensity, f.Soreness = intensity, soreness
	in := e.kb.Intensity(intensity)
	f.ExpectedPain = in.ExpectedPain
	w := in.Hours
	if style != nil {
		w = style.Hours["default"]
		if pw, ok := style.Hours[f.Pressure]; ok {
			w = pw
		}
	}
	f.WindowFrom, f.WindowTo = float64(w[0]), float64(w[1])
}

// band names the band of a pain score.
func band(kb *knowledge.Base, pain int) string {
	switch {
	case pain >= kb.Bands.Severe[0]:
		return "severe"
	case pain >= kb.Bands.Moderate[0]:
		return "moderate"
	case pain >= kb.Bands.Mild[0]:
		return "mild"
	}
	return "none"
}

// trend compares the pain now with the last check-in. A change of 2 points or
// 30% is clinically meaningful (Farrar et al. 2001).
func (e *Engine) trend(f *knowledge.Facts, history []aftercare.HistoryPoint) {
	f.Trend = "none"
	f.Checkins = len(history)
	if len(history) == 0 {
		return
	}
	for _, h := range history {
		f.PeakPain = max(f.PeakPain, h.Pain)
	}
	if !f.PainKnown {
		return
	}
	last := history[len(history)-1].Pain
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

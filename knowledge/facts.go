package knowledge

// Facts is what a rule condition can see of one request: the request itself,
// reduced to plain values, and what the engine derives from it (the expected
// window for this style and pressure, the pain band, the trend). Conditions
// are compiled against this type, so a misspelt name or code is refused at load.
type Facts struct {
	// Style is the massage style code, or "" when not given.
	Style string `expr:"style"`
	// Pressure is the pressure code, or "" when not given.
	Pressure string `expr:"pressure"`
	// Intensity is how hard the work was: "gentle", "moderate" or "deep",
	// from the style and the pressure.
	Intensity string `expr:"intensity"`
	// Soreness is how likely the style is to leave soreness: "unlikely", "possible" or "likely".
	Soreness string `expr:"soreness"`

	// Hours is the time since the session in hours; 0 when not known.
	Hours float64 `expr:"hours"`
	// HoursKnown is true when the time since the session was given or read.
	HoursKnown bool `expr:"hours_known"`
	// WindowFrom and WindowTo are the typical soreness window for this style
	// and pressure, in hours after the session.
	WindowFrom float64 `expr:"window_from"`
	WindowTo   float64 `expr:"window_to"`

	// Sore is true when any soreness is reported (a pain of 1 or more, or an
	// area named as sore in the text).
	Sore bool `expr:"sore"`
	// Pain is the worst pain now (0–10); 0 when none was rated.
	Pain int `expr:"pain"`
	// PainKnown is true when a pain rating was given or read.
	PainKnown bool `expr:"pain_known"`
	// TextPain is the worst pain read from the text (0–10, a word such as
	// "splitting" included), whatever area it belongs to; 0 when none.
	TextPain int `expr:"text_pain"`
	// SignHours is how long the text says a headache, dizziness, nausea,
	// numbness or tingling has lasted, in hours, whatever the time since the
	// session; 0 when it does not say.
	SignHours float64 `expr:"sign_hours"`
	// Cupping is true when the text speaks of cupping, gua sha or a scraping
	// tool, whose round marks or streaks are the expected result.
	Cupping bool `expr:"cupping"`
	// Band is the band of Pain: "none", "mild", "moderate" or "severe".
	Band string `expr:"band"`
	// ExpectedPain is the most pain that is still expected after work of this intensity.
	ExpectedPain int `expr:"expected_pain"`

	// Trend compares the pain now with the last check-in: "rising",
	// "falling", "steady", or "none" without history.
	Trend string `expr:"trend"`
	// Rise is the pain now minus the pain at the last check-in (negative when falling).
	Rise int `expr:"rise"`
	// RisePercent is Rise as a percentage of the last check-in's pain (100 when it was 0 and rose).
	RisePercent float64 `expr:"rise_percent"`
	// PeakPain is the worst pain at any earlier check-in.
	PeakPain int `expr:"peak_pain"`
	// Checkins is the number of earlier check-ins.
	Checkins int `expr:"checkins"`

	// Symptom, Health, Worked (areas worked), SoreIn (areas sore now) and
	// AreaPain hold one field per code, e.g. symptom.numbness or area_pain.calves.
	Symptom  SymptomSet `expr:"symptom"`
	Health   HealthSet  `expr:"health"`
	Worked   AreaSet    `expr:"worked"`
	SoreIn   AreaSet    `expr:"sore_in"`
	AreaPain AreaPain   `expr:"area_pain"`

	// NeckWork is true when the neck or head was worked on (or the neck is
	// sore): it lowers the threshold for signs of an artery injury.
	NeckWork bool `expr:"neck_work"`
	// LegWork is true when the legs were worked on or are sore.
	LegWork bool `expr:"leg_work"`
	// Symptoms is the number of symptoms present.
	Symptoms int `expr:"symptoms"`
	// Anticoagulated is true with blood thinners or a bleeding disorder.
	Anticoagulated bool `expr:"anticoagulated"`

	// Level is the level the rules gave; it is set before the plan and the
	// watch list are chosen (1 self_care … 5 emergency) and 0 while rules run.
	Level int `expr:"level"`
}

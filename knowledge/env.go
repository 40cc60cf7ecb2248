package knowledge

import (
	"unsafe"

	"aftercare"
)

// Env is the run-time form of Facts: the same fields in the same order, each
// boxed in an interface. Conditions are compiled and type-checked against
// Facts and run against Env, so that reading a field needs no reflective copy
// (and no allocation). TestEnvMirrorsFacts keeps the two in step.
type Env struct {
	Style          any           `expr:"style"`
	Pressure       any           `expr:"pressure"`
	Intensity      any           `expr:"intensity"`
	Soreness       any           `expr:"soreness"`
	Hours          any           `expr:"hours"`
	HoursKnown     any           `expr:"hours_known"`
	WindowFrom     any           `expr:"window_from"`
	WindowTo       any           `expr:"window_to"`
	Sore           any           `expr:"sore"`
	Pain           any           `expr:"pain"`
	PainKnown      any           `expr:"pain_known"`
	Band           any           `expr:"band"`
	ExpectedPain   any           `expr:"expected_pain"`
	Trend          any           `expr:"trend"`
	Rise           any           `expr:"rise"`
	RisePercent    any           `expr:"rise_percent"`
	PeakPain       any           `expr:"peak_pain"`
	Checkins       any           `expr:"checkins"`
	Symptom        symptomValues `expr:"symptom"`
	Health         healthValues  `expr:"health"`
	Worked         areaValues    `expr:"worked"`
	SoreIn         areaValues    `expr:"sore_in"`
	AreaPain       areaValues    `expr:"area_pain"`
	NeckWork       any           `expr:"neck_work"`
	LegWork        any           `expr:"leg_work"`
	Symptoms       any           `expr:"symptoms"`
	Anticoagulated any           `expr:"anticoagulated"`
	Level          any           `expr:"level"`
}

var (
	nSymptoms = len(aftercare.Symptoms.Codes())
	nHealth   = len(aftercare.Health.Codes())
	nAreas    = len(aftercare.Areas.Codes())
)

// The sets are structs of n fields of one type, laid out as arrays of n; these
// views index them by the position of the code in its vocabulary.
func bools(p unsafe.Pointer, n int) []bool { return unsafe.Slice((*bool)(p), n) }
func ints(p unsafe.Pointer, n int) []int   { return unsafe.Slice((*int)(p), n) }
func boxes(p unsafe.Pointer, n int) []any  { return unsafe.Slice((*any)(p), n) }

// Set marks the symptom with this code as present; unknown codes are ignored.
func (s *SymptomSet) Set(code string) {
	if i := aftercare.Symptoms.Index(code); i >= 0 {
		bools(unsafe.Pointer(s), nSymptoms)[i] = true
	}
}

// Has reports whether the symptom with this code is present.
func (s *SymptomSet) Has(code string) bool {
	i := aftercare.Symptoms.Index(code)
	return i >= 0 && bools(unsafe.Pointer(s), nSymptoms)[i]
}

// Set marks the screening answer with this code; unknown codes are ignored.
func (h *HealthSet) Set(code string) {
	if i := aftercare.Health.Index(code); i >= 0 {
		bools(unsafe.Pointer(h), nHealth)[i] = true
	}
}

// Set marks the area with this code; unknown codes are ignored.
func (a *AreaSet) Set(code string) {
	if i := aftercare.Areas.Index(code); i >= 0 {
		bools(unsafe.Pointer(a), nAreas)[i] = true
	}
}

// Has reports whether the area with this code is marked.
func (a *AreaSet) Has(code string) bool {
	i := aftercare.Areas.Index(code)
	return i >= 0 && bools(unsafe.Pointer(a), nAreas)[i]
}

// Raise sets the pain of the area with this code to pain when that is higher.
func (p *AreaPain) Raise(code string, pain int) {
	if i := aftercare.Areas.Index(code); i >= 0 {
		v := ints(unsafe.Pointer(p), nAreas)
		v[i] = max(v[i], pain)
	}
}

// boxed holds the interface forms of the strings a fact can take, made once,
// so that loading the facts does not allocate for them.
var boxed = func() map[string]any {
	m := map[string]any{}
	for _, v := range []*aftercare.Vocabulary{aftercare.Styles, aftercare.Pressures} {
		for _, c := range v.Codes() {
			m[c.Code] = c.Code
		}
	}
	for _, s := range []string{"", "gentle", "moderate", "deep", "likely", "possible", "unlikely",
		"none", "mild", "severe", "rising", "falling", "steady"} {
		m[s] = s
	}
	return m
}()

func box(s string) any {
	if b, ok := boxed[s]; ok {
		return b
	}
	return s
}

// Load copies the facts into their run-time form.
func (e *Env) Load(f *Facts) {
	e.Style, e.Pressure, e.Intensity, e.Soreness = box(f.Style), box(f.Pressure), box(f.Intensity), box(f.Soreness)
	e.Hours, e.HoursKnown, e.WindowFrom, e.WindowTo = f.Hours, f.HoursKnown, f.WindowFrom, f.WindowTo
	e.Sore, e.Pain, e.PainKnown, e.Band, e.ExpectedPain = f.Sore, f.Pain, f.PainKnown, box(f.Band), f.ExpectedPain
	e.Trend, e.Rise, e.RisePercent, e.PeakPain, e.Checkins = box(f.Trend), f.Rise, f.RisePercent, f.PeakPain, f.Checkins
	copyBools(boxes(unsafe.Pointer(&e.Symptom), nSymptoms), bools(unsafe.Pointer(&f.Symptom), nSymptoms))
	copyBools(boxes(unsafe.Pointer(&e.Health), nHealth), bools(unsafe.Pointer(&f.Health), nHealth))
	copyBools(boxes(unsafe.Pointer(&e.Worked), nAreas), bools(unsafe.Pointer(&f.Worked), nAreas))
	copyBools(boxes(unsafe.Pointer(&e.SoreIn), nAreas), bools(unsafe.Pointer(&f.SoreIn), nAreas))
	pain := boxes(unsafe.Pointer(&e.AreaPain), nAreas)
	for i, v := range ints(unsafe.Pointer(&f.AreaPain), nAreas) {
		pain[i] = v
	}
	e.NeckWork, e.LegWork, e.Symptoms, e.Anticoagulated, e.Level = f.NeckWork, f.LegWork, f.Symptoms, f.Anticoagulated, f.Level
}

func copyBools(dst []any, src []bool) {
	for i, v := range src {
		dst[i] = v
	}
}

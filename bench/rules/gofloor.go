package rules

import "aftercare/knowledge"

// The levels, as the knowledge base numbers them.
const (
	selfCare  = 1
	monitor   = 2
	consult   = 3
	urgent    = 4
	emergency = 5
)

// Go is the floor: the same rules hand-written as if-statements on the facts
// struct, compiled by the Go compiler. No rule engine can beat it.
type Go struct{}

// NewGo returns the hand-written engine.
func NewGo() *Go { return &Go{} }

// Eval runs the hand-written rules; it never fails.
func (*Go) Eval(f *knowledge.Facts) (Result, error) {
	var r Result
	s, h := &f.Symptom, &f.Health

	// self_care and monitor: the window and the expected pain.
	if f.Sore && f.Band != "severe" && f.Pain <= f.ExpectedPain && (!f.HoursKnown || f.Hours <= f.WindowTo) {
		r.fire(1<<0, selfCare) // expected_doms_window
	}
	if f.Sore && f.PainKnown && f.HoursKnown && f.Hours > f.WindowTo && f.Hours <= 72 &&
		(f.Pain <= 2 || f.Band == "mild" && f.Hours <= 48 || f.Trend == "falling") {
		r.fire(1<<1, selfCare) // fading_soreness
	}
	if f.Sore && f.HoursKnown && f.Hours > f.WindowTo && f.Hours <= 72 && f.Trend != "falling" &&
		(!f.PainKnown || f.Band == "moderate" || f.Band == "severe" || f.Pain >= 3 && f.Hours > 48) {
		r.fire(1<<2, monitor) // past_expected_window
	}
	if f.Sore && f.Band != "severe" && f.Pain > f.ExpectedPain {
		r.fire(1<<3, monitor) // more_than_expected
	}
	if f.Checkins > 0 && f.HoursKnown && f.Hours > 48 && (f.Rise >= 2 || f.Rise >= 1 && f.RisePercent >= 30) {
		r.fire(1<<4, monitor) // rising_after_48h
	}

	// consult: the seed's red flags.
	if f.HoursKnown && f.Hours > 72 && f.Sore {
		r.fire(1<<5, consult) // pain_over_72h
	}
	if f.HoursKnown && f.Hours > 72 && (s.Headache || s.Nausea || s.Dizziness || s.Stiffness || s.PainOnMovement) {
		r.fire(1<<6, consult) // symptoms_over_72h
	}
	if f.Band == "severe" {
		r.fire(1<<7, consult) // severe_pain
	}
	if s.Swelling {
		r.fire(1<<8, consult) // significant_swelling
	}
	if s.BruisingDark {
		r.fire(1<<9, consult) // dark_bruising
	}
	if s.Tingling || s.Numbness {
		r.fire(1<<10, consult) // tingling_numbness
	}
	if s.JointInstability {
		r.fire(1<<11, consult) // unstable_joint
	}
	if s.PainOnMovement {
		r.fire(1<<12, consult) // pain_on_simple_movement
	}
	if s.SharpPain {
		r.fire(1<<13, consult) // sharp_pain
	}

	// urgent.
	if s.CalfSwelling {
		r.fire(1<<14, urgent) // possible_clot
	}
	if s.WarmthRedness && (f.SoreIn.Calves || f.SoreIn.Shins || f.SoreIn.Hamstrings || f.SoreIn.Quads || f.SoreIn.Feet ||
		s.Swelling && f.LegWork) {
		r.fire(1<<15, urgent) // clot_signs_leg
	}
	if (s.Swelling || s.WarmthRedness) && f.LegWork && (h.DvtHistory || h.VaricoseVeins || h.Pregnant || h.RecentSurgery || h.Cancer || h.CirculatoryCondition) {
		r.fire(1<<16, urgent) // leg_swelling_with_clot_risk
	}
	if s.DarkUrine && (f.Pain >= 5 || s.SevereWeakness || s.LegWeakness) {
		r.fire(1<<17, urgent) // possible_rhabdomyolysis
	}
	if s.SevereWeakness && f.Band == "severe" {
		r.fire(1<<18, urgent) // weakness_with_severe_pain
	}
	if s.WarmthRedness && (s.Fever || h.FeverIllness) {
		r.fire(1<<19, urgent) // spreading_redness_fever
	}
	if f.Anticoagulated && (s.BruisingDark || s.Swelling) {
		r.fire(1<<20, urgent) // bleeding_on_thinners
	}
	if s.Fainting {
		r.fire(1<<21, urgent) // fainting
	}
	if s.Unsteadiness {
		r.fire(1<<22, urgent) // unsteadiness
	}
	if s.VisionChanges {
		r.fire(1<<23, urgent) // vision_changes
	}
	if s.Headache && s.Vomiting {
		r.fire(1<<24, urgent) // headache_with_vomiting
	}
	if f.NeckWork && s.Headache && s.Dizziness {
		r.fire(1<<25, urgent) // neck_work_headache_dizziness
	}
	if (s.Numbness || s.Tingling) && s.SevereWeakness {
		r.fire(1<<26, urgent) // spreading_nerve_signs
	}
	if h.Pregnant && s.Headache && (s.Swelling || s.VisionChanges) {
		r.fire(1<<27, urgent) // pregnancy_warning_signs
	}
	if h.RecentSurgery && (s.Fever || s.WarmthRedness && s.Swelling) {
		r.fire(1<<28, urgent) // infection_after_surgery
	}
	if s.BladderBowelChange || s.LegWeakness {
		r.fire(1<<29, urgent) // bladder_or_leg_signs
	}

	// emergency.
	if s.ChestPain {
		r.fire(1<<30, emergency) // chest_pain
	}
	if s.ShortnessOfBreath {
		r.fire(1<<31, emergency) // breathlessness
	}
	if s.CoughingBlood {
		r.fire(1<<32, emergency) // coughing_blood
	}
	if (s.CalfSwelling || h.DvtHistory) && (s.Fainting || s.ChestPain || s.ShortnessOfBreath || s.CoughingBlood) {
		r.fire(1<<33, emergency) // clot_reaching_lung
	}
	if s.FacialDroop || s.SpeechDifficulty || s.OneSidedWeakness {
		r.fire(1<<34, emergency) // stroke_signs
	}
	if s.SuddenSevereHeadache {
		r.fire(1<<35, emergency) // thunderclap_headache
	}
	if s.Confusion {
		r.fire(1<<36, emergency) // confusion
	}
	if s.StiffNeck && (s.Fever || h.FeverIllness && s.Headache) {
		r.fire(1<<37, emergency) // fever_stiff_neck
	}
	if f.NeckWork && (s.VisionChanges || s.Unsteadiness || s.Headache && s.Vomiting) {
		r.fire(1<<38, emergency) // neck_artery_signs
	}
	if s.VisionChanges && (s.Headache || s.Unsteadiness || s.Dizziness || s.Confusion) {
		r.fire(1<<39, emergency) // vision_with_neuro_signs
	}
	if s.SaddleNumbness || (s.BladderBowelChange || s.LegWeakness) &&
		(f.Worked.LowerBack || f.SoreIn.LowerBack || f.Worked.Glutes || s.BladderBowelChange && s.LegWeakness) {
		r.fire(1<<40, emergency) // cauda_equina
	}
	return r, nil
}

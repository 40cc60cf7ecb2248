package rules

import (
	"fmt"
	"math/bits"
	"slices"
	"strings"

	"aftercare/knowledge"
)

// IDs are the knowledge base's rules that every engine here expresses, in the
// order of knowledge.yaml: the self_care and monitor rules about the expected
// window and the expected pain, the seed's consult red flags, and every urgent
// and emergency rule. Bit i of a Result's Fired stands for IDs[i].
var IDs = []string{
	// self_care and monitor: the window and the expected pain.
	"expected_doms_window", "fading_soreness",
	"past_expected_window", "more_than_expected", "rising_after_48h",
	// consult: the seed's red flags.
	"pain_over_72h", "symptoms_over_72h", "severe_pain", "significant_swelling", "dark_bruising",
	"tingling_numbness", "unstable_joint", "pain_on_simple_movement", "sharp_pain",
	// urgent.
	"possible_clot", "clot_signs_leg", "leg_swelling_with_clot_risk", "possible_rhabdomyolysis",
	"weakness_with_severe_pain", "spreading_redness_fever", "bleeding_on_thinners", "fainting",
	"unsteadiness", "vision_changes", "headache_with_vomiting", "neck_work_headache_dizziness",
	"spreading_nerve_signs", "pregnancy_warning_signs", "infection_after_surgery", "bladder_or_leg_signs",
	// emergency.
	"chest_pain", "breathlessness", "coughing_blood", "clot_reaching_lung", "stroke_signs",
	"thunderclap_headache", "confusion", "fever_stiff_neck", "neck_artery_signs",
	"vision_with_neuro_signs", "cauda_equina",
}

// Bit indexes of IDs, for the engines that report fired rules by name.
var bit = func() map[string]uint64 {
	m := make(map[string]uint64, len(IDs))
	for i, id := range IDs {
		m[id] = 1 << i
	}
	return m
}()

// Levels are the levels of IDs (1 self_care … 5 emergency), taken from the knowledge base.
var Levels []int

// Result is what every engine answers for one request: the highest level of
// the rules that fired (0 when none did) and the set of rules that fired.
type Result struct {
	// Level is the highest level asked for by a fired rule, 0 when none fired.
	Level int
	// Fired has bit i set when the rule IDs[i] fired.
	Fired uint64
}

// fire records that the rule with bit b and level lv fired.
func (r *Result) fire(b uint64, lv int) {
	r.Fired |= b
	r.Level = max(r.Level, lv)
}

// fireID records that the rule with this id fired; an unknown id is an error.
func (r *Result) fireID(id string) error {
	b, ok := bit[id]
	if !ok {
		return fmt.Errorf("rules: unknown rule id %q", id)
	}
	r.fire(b, Levels[bits.TrailingZeros64(b)])
	return nil
}

// String lists the level and the fired rules, for test failures.
func (r Result) String() string {
	var ids []string
	for i, id := range IDs {
		if r.Fired&(1<<i) != 0 {
			ids = append(ids, id)
		}
	}
	return fmt.Sprintf("level %d [%s]", r.Level, strings.Join(ids, " "))
}

// Selected returns the knowledge base's rules named in IDs, in the order of
// IDs; it fails when one is missing, so that a renamed rule is noticed.
func Selected(kb *knowledge.Base) ([]*knowledge.Rule, error) {
	out := make([]*knowledge.Rule, len(IDs))
	for i := range kb.Rules {
		r := &kb.Rules[i]
		if j := slices.Index(IDs, r.ID); j >= 0 {
			out[j] = r
		}
	}
	for j, r := range out {
		if r == nil {
			return nil, fmt.Errorf("rules: rule %s is not in the knowledge base", IDs[j])
		}
	}
	return out, nil
}

func init() {
	if len(IDs) > 64 {
		panic("rules: more than 64 rules do not fit a Result")
	}
	kb, err := knowledge.Default()
	if err != nil {
		panic(err)
	}
	sel, err := Selected(kb)
	if err != nil {
		panic(err)
	}
	Levels = make([]int, len(sel))
	for i, r := range sel {
		Levels[i] = r.LevelValue()
	}
}

# The benchmark's triage rules for Open Policy Agent (see ruleset.go for the
# list and knowledge/knowledge.yaml for their texts), in Rego v1 syntax.
# input holds the request's facts, named as in the expr conditions; the sets
# (symptom, health, worked, sore_in) hold only the codes that are true.
# A disjunction is written as one rule body per alternative.
package aftercare.triage

# result is what the engine is asked for: the level and the rules that fired.
result := {"level": level, "fired": fired}

default level := 0

level := max({levels[id] | some id in fired}) if count(fired) > 0

levels := {
	"expected_doms_window": 1, "fading_soreness": 1,
	"past_expected_window": 2, "more_than_expected": 2, "rising_after_48h": 2,
	"pain_over_72h": 3, "symptoms_over_72h": 3, "severe_pain": 3, "significant_swelling": 3,
	"dark_bruising": 3, "tingling_numbness": 3, "unstable_joint": 3, "pain_on_simple_movement": 3,
	"sharp_pain": 3,
	"possible_clot": 4, "clot_signs_leg": 4, "leg_swelling_with_clot_risk": 4,
	"possible_rhabdomyolysis": 4, "weakness_with_severe_pain": 4, "spreading_redness_fever": 4,
	"bleeding_on_thinners": 4, "fainting": 4, "unsteadiness": 4, "vision_changes": 4,
	"headache_with_vomiting": 4, "neck_work_headache_dizziness": 4, "spreading_nerve_signs": 4,
	"pregnancy_warning_signs": 4, "infection_after_surgery": 4, "bladder_or_leg_signs": 4,
	"chest_pain": 5, "breathlessness": 5, "coughing_blood": 5, "clot_reaching_lung": 5,
	"stroke_signs": 5, "thunderclap_headache": 5, "confusion": 5, "fever_stiff_neck": 5,
	"neck_artery_signs": 5, "vision_with_neuro_signs": 5, "cauda_equina": 5,
}

# ---- self_care and monitor: the window and the expected pain ----

within_window if not input.hours_known

within_window if input.hours <= input.window_to

fired contains "expected_doms_window" if {
	input.sore
	input.band != "severe"
	input.pain <= input.expected_pain
	within_window
}

mild_or_easing if input.pain <= 2

mild_or_easing if {
	input.band == "mild"
	input.hours <= 48
}

mild_or_easing if input.trend == "falling"

fired contains "fading_soreness" if {
	input.sore
	input.pain_known
	input.hours_known
	input.hours > input.window_to
	input.hours <= 72
	mild_or_easing
}

not_easing if not input.pain_known

not_easing if input.band == "moderate"

not_easing if input.band == "severe"

not_easing if {
	input.pain >= 3
	input.hours > 48
}

fired contains "past_expected_window" if {
	input.sore
	input.hours_known
	input.hours > input.window_to
	input.hours <= 72
	input.trend != "falling"
	not_easing
}

fired contains "more_than_expected" if {
	input.sore
	input.band != "severe"
	input.pain > input.expected_pain
}

meaningful_rise if input.rise >= 2

meaningful_rise if {
	input.rise >= 1
	input.rise_percent >= 30
}

fired contains "rising_after_48h" if {
	input.checkins > 0
	input.hours_known
	input.hours > 48
	meaningful_rise
}

# ---- consult: the seed's red flags ----

fired contains "pain_over_72h" if {
	input.hours_known
	input.hours > 72
	input.sore
}

lingering_symptom if input.symptom.headache

lingering_symptom if input.symptom.nausea

lingering_symptom if input.symptom.dizziness

lingering_symptom if input.symptom.stiffness

lingering_symptom if input.symptom.pain_on_movement

fired contains "symptoms_over_72h" if {
	input.hours_known
	input.hours > 72
	lingering_symptom
}

fired contains "severe_pain" if input.band == "severe"

fired contains "significant_swelling" if input.symptom.swelling

fired contains "dark_bruising" if input.symptom.bruising_dark

fired contains "tingling_numbness" if input.symptom.tingling

fired contains "tingling_numbness" if input.symptom.numbness

fired contains "unstable_joint" if input.symptom.joint_instability

fired contains "pain_on_simple_movement" if input.symptom.pain_on_movement

fired contains "sharp_pain" if input.symptom.sharp_pain

# ---- urgent ----

fired contains "possible_clot" if input.symptom.calf_swelling

leg_sign if input.sore_in.calves

leg_sign if input.sore_in.shins

leg_sign if input.sore_in.hamstrings

leg_sign if input.sore_in.quads

leg_sign if input.sore_in.feet

leg_sign if {
	input.symptom.swelling
	input.leg_work
}

fired contains "clot_signs_leg" if {
	input.symptom.warmth_redness
	leg_sign
}

clot_risk if input.health.dvt_history

clot_risk if input.health.varicose_veins

clot_risk if input.health.pregnant

clot_risk if input.health.recent_surgery

clot_risk if input.health.cancer

clot_risk if input.health.circulatory_condition

fired contains "leg_swelling_with_clot_risk" if {
	input.symptom.swelling
	input.leg_work
	clot_risk
}

fired contains "leg_swelling_with_clot_risk" if {
	input.symptom.warmth_redness
	input.leg_work
	clot_risk
}

fired contains "possible_rhabdomyolysis" if {
	input.symptom.dark_urine
	input.pain >= 5
}

fired contains "possible_rhabdomyolysis" if {
	input.symptom.dark_urine
	input.symptom.severe_weakness
}

fired contains "possible_rhabdomyolysis" if {
	input.symptom.dark_urine
	input.symptom.leg_weakness
}

fired contains "weakness_with_severe_pain" if {
	input.symptom.severe_weakness
	input.band == "severe"
}

fired contains "spreading_redness_fever" if {
	input.symptom.warmth_redness
	input.symptom.fever
}

fired contains "spreading_redness_fever" if {
	input.symptom.warmth_redness
	input.health.fever_illness
}

fired contains "bleeding_on_thinners" if {
	input.anticoagulated
	input.symptom.bruising_dark
}

fired contains "bleeding_on_thinners" if {
	input.anticoagulated
	input.symptom.swelling
}

fired contains "fainting" if input.symptom.fainting

fired contains "unsteadiness" if input.symptom.unsteadiness

fired contains "vision_changes" if input.symptom.vision_changes

fired contains "headache_with_vomiting" if {
	input.symptom.headache
	input.symptom.vomiting
}

fired contains "neck_work_headache_dizziness" if {
	input.neck_work
	input.symptom.headache
	input.symptom.dizziness
}

nerve_sign if input.symptom.numbness

nerve_sign if input.symptom.tingling

fired contains "spreading_nerve_signs" if {
	nerve_sign
	input.symptom.severe_weakness
}

fired contains "pregnancy_warning_signs" if {
	input.health.pregnant
	input.symptom.headache
	input.symptom.swelling
}

fired contains "pregnancy_warning_signs" if {
	input.health.pregnant
	input.symptom.headache
	input.symptom.vision_changes
}

fired contains "infection_after_surgery" if {
	input.health.recent_surgery
	input.symptom.fever
}

fired contains "infection_after_surgery" if {
	input.health.recent_surgery
	input.symptom.warmth_redness
	input.symptom.swelling
}

fired contains "bladder_or_leg_signs" if input.symptom.bladder_bowel_change

fired contains "bladder_or_leg_signs" if input.symptom.leg_weakness

# ---- emergency ----

fired contains "chest_pain" if input.symptom.chest_pain

fired contains "breathlessness" if input.symptom.shortness_of_breath

fired contains "coughing_blood" if input.symptom.coughing_blood

clot_source if input.symptom.calf_swelling

clot_source if input.health.dvt_history

lung_sign if input.symptom.fainting

lung_sign if input.symptom.chest_pain

lung_sign if input.symptom.shortness_of_breath

lung_sign if input.symptom.coughing_blood

fired contains "clot_reaching_lung" if {
	clot_source
	lung_sign
}

fired contains "stroke_signs" if input.symptom.facial_droop

fired contains "stroke_signs" if input.symptom.speech_difficulty

fired contains "stroke_signs" if input.symptom.one_sided_weakness

fired contains "thunderclap_headache" if input.symptom.sudden_severe_headache

fired contains "confusion" if input.symptom.confusion

fired contains "fever_stiff_neck" if {
	input.symptom.fever
	input.symptom.stiff_neck
}

fired contains "fever_stiff_neck" if {
	input.symptom.stiff_neck
	input.health.fever_illness
	input.symptom.headache
}

fired contains "neck_artery_signs" if {
	input.neck_work
	input.symptom.vision_changes
}

fired contains "neck_artery_signs" if {
	input.neck_work
	input.symptom.unsteadiness
}

fired contains "neck_artery_signs" if {
	input.neck_work
	input.symptom.headache
	input.symptom.vomiting
}

neuro_sign if input.symptom.headache

neuro_sign if input.symptom.unsteadiness

neuro_sign if input.symptom.dizziness

neuro_sign if input.symptom.confusion

fired contains "vision_with_neuro_signs" if {
	input.symptom.vision_changes
	neuro_sign
}

fired contains "cauda_equina" if input.symptom.saddle_numbness

cauda_sign if input.symptom.bladder_bowel_change

cauda_sign if input.symptom.leg_weakness

back_involved if input.worked.lower_back

back_involved if input.sore_in.lower_back

back_involved if input.worked.glutes

back_involved if {
	input.symptom.bladder_bowel_change
	input.symptom.leg_weakness
}

fired contains "cauda_equina" if {
	cauda_sign
	back_involved
}

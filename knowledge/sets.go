package knowledge

import (
	"reflect"

	"aftercare"
)

// The types below mirror the vocabularies of codes.go field by field, in the same
// order; TestSetsMatchVocabularies keeps them in step.

// SymptomSet holds whether the client has each symptom now, one field per code; conditions are type-checked against it.
type SymptomSet struct {
	BruisingLight        bool `expr:"bruising_light"`
	BruisingDark         bool `expr:"bruising_dark"`
	Swelling             bool `expr:"swelling"`
	Tingling             bool `expr:"tingling"`
	Numbness             bool `expr:"numbness"`
	JointInstability     bool `expr:"joint_instability"`
	PainOnMovement       bool `expr:"pain_on_movement"`
	SharpPain            bool `expr:"sharp_pain"`
	Headache             bool `expr:"headache"`
	Nausea               bool `expr:"nausea"`
	Dizziness            bool `expr:"dizziness"`
	Fatigue              bool `expr:"fatigue"`
	Stiffness            bool `expr:"stiffness"`
	WarmthRedness        bool `expr:"warmth_redness"`
	Fever                bool `expr:"fever"`
	CalfSwelling         bool `expr:"calf_swelling"`
	DarkUrine            bool `expr:"dark_urine"`
	SevereWeakness       bool `expr:"severe_weakness"`
	ChestPain            bool `expr:"chest_pain"`
	ShortnessOfBreath    bool `expr:"shortness_of_breath"`
	CoughingBlood        bool `expr:"coughing_blood"`
	Fainting             bool `expr:"fainting"`
	SuddenSevereHeadache bool `expr:"sudden_severe_headache"`
	StiffNeck            bool `expr:"stiff_neck"`
	Confusion            bool `expr:"confusion"`
	Vomiting             bool `expr:"vomiting"`
	VisionChanges        bool `expr:"vision_changes"`
	SpeechDifficulty     bool `expr:"speech_difficulty"`
	FacialDroop          bool `expr:"facial_droop"`
	OneSidedWeakness     bool `expr:"one_sided_weakness"`
	Unsteadiness         bool `expr:"unsteadiness"`
	SaddleNumbness       bool `expr:"saddle_numbness"`
	BladderBowelChange   bool `expr:"bladder_bowel_change"`
	LegWeakness          bool `expr:"leg_weakness"`
	CalfPainOneSide      bool `expr:"calf_pain_one_side"`
	VaginalBleeding      bool `expr:"vaginal_bleeding"`
	Burn                 bool `expr:"burn"`
}

// HealthSet holds the client's screening answers, one field per code; conditions are type-checked against it.
type HealthSet struct {
	BloodThinners        bool `expr:"blood_thinners"`
	BleedingDisorder     bool `expr:"bleeding_disorder"`
	DvtHistory           bool `expr:"dvt_history"`
	CirculatoryCondition bool `expr:"circulatory_condition"`
	VaricoseVeins        bool `expr:"varicose_veins"`
	RecentInjury         bool `expr:"recent_injury"`
	RecentSurgery        bool `expr:"recent_surgery"`
	Pregnant             bool `expr:"pregnant"`
	Osteoporosis         bool `expr:"osteoporosis"`
	Diabetes             bool `expr:"diabetes"`
	Cancer               bool `expr:"cancer"`
	SkinCondition        bool `expr:"skin_condition"`
	FeverIllness         bool `expr:"fever_illness"`
}

// AreaSet holds one flag per body area, one field per code; conditions are type-checked against it.
type AreaSet struct {
	Head       bool `expr:"head"`
	Jaw        bool `expr:"jaw"`
	Neck       bool `expr:"neck"`
	Shoulders  bool `expr:"shoulders"`
	UpperBack  bool `expr:"upper_back"`
	LowerBack  bool `expr:"lower_back"`
	Chest      bool `expr:"chest"`
	Abdomen    bool `expr:"abdomen"`
	UpperArms  bool `expr:"upper_arms"`
	Forearms   bool `expr:"forearms"`
	Hands      bool `expr:"hands"`
	Glutes     bool `expr:"glutes"`
	Hips       bool `expr:"hips"`
	Quads      bool `expr:"quads"`
	Hamstrings bool `expr:"hamstrings"`
	Calves     bool `expr:"calves"`
	Shins      bool `expr:"shins"`
	Feet       bool `expr:"feet"`
}

// AreaPain holds the pain (0–10) per body area, one field per code; conditions are type-checked against it.
type AreaPain struct {
	Head       int `expr:"head"`
	Jaw        int `expr:"jaw"`
	Neck       int `expr:"neck"`
	Shoulders  int `expr:"shoulders"`
	UpperBack  int `expr:"upper_back"`
	LowerBack  int `expr:"lower_back"`
	Chest      int `expr:"chest"`
	Abdomen    int `expr:"abdomen"`
	UpperArms  int `expr:"upper_arms"`
	Forearms   int `expr:"forearms"`
	Hands      int `expr:"hands"`
	Glutes     int `expr:"glutes"`
	Hips       int `expr:"hips"`
	Quads      int `expr:"quads"`
	Hamstrings int `expr:"hamstrings"`
	Calves     int `expr:"calves"`
	Shins      int `expr:"shins"`
	Feet       int `expr:"feet"`
}

// The sets are structs of fields of one type, in the order of their
// vocabulary: field i is code i.

// field returns the field of the set (a pointer to a set struct) for the
// code of the vocabulary, and whether the code is known.
func field(set any, v *aftercare.Vocabulary, code string) (reflect.Value, bool) {
	i := v.Index(code)
	if i < 0 {
		return reflect.Value{}, false
	}
	return reflect.ValueOf(set).Elem().Field(i), true
}

// mark sets the bool field of the set for the code; unknown codes are ignored.
func mark(set any, v *aftercare.Vocabulary, code string) {
	if f, ok := field(set, v, code); ok {
		f.SetBool(true)
	}
}

// marked reports whether the bool field of the set for the code is set.
func marked(set any, v *aftercare.Vocabulary, code string) bool {
	f, ok := field(set, v, code)
	return ok && f.Bool()
}

// Set marks the symptom with this code as present; unknown codes are ignored.
func (s *SymptomSet) Set(code string) { mark(s, aftercare.Symptoms, code) }

// Has reports whether the symptom with this code is present.
func (s *SymptomSet) Has(code string) bool { return marked(s, aftercare.Symptoms, code) }

// Set marks the screening answer with this code; unknown codes are ignored.
func (h *HealthSet) Set(code string) { mark(h, aftercare.Health, code) }

// Set marks the area with this code; unknown codes are ignored.
func (a *AreaSet) Set(code string) { mark(a, aftercare.Areas, code) }

// Has reports whether the area with this code is marked.
func (a *AreaSet) Has(code string) bool { return marked(a, aftercare.Areas, code) }

// Raise sets the pain of the area with this code to pain when that is higher.
func (p *AreaPain) Raise(code string, pain int) {
	if f, ok := field(p, aftercare.Areas, code); ok && int(f.Int()) < pain {
		f.SetInt(int64(pain))
	}
}

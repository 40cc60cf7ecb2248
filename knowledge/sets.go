package knowledge

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

// symptomValues is the run-time twin of SymptomSet: the same fields, boxed.
type symptomValues struct {
	BruisingLight        any `expr:"bruising_light"`
	BruisingDark         any `expr:"bruising_dark"`
	Swelling             any `expr:"swelling"`
	Tingling             any `expr:"tingling"`
	Numbness             any `expr:"numbness"`
	JointInstability     any `expr:"joint_instability"`
	PainOnMovement       any `expr:"pain_on_movement"`
	SharpPain            any `expr:"sharp_pain"`
	Headache             any `expr:"headache"`
	Nausea               any `expr:"nausea"`
	Dizziness            any `expr:"dizziness"`
	Fatigue              any `expr:"fatigue"`
	Stiffness            any `expr:"stiffness"`
	WarmthRedness        any `expr:"warmth_redness"`
	Fever                any `expr:"fever"`
	CalfSwelling         any `expr:"calf_swelling"`
	DarkUrine            any `expr:"dark_urine"`
	SevereWeakness       any `expr:"severe_weakness"`
	ChestPain            any `expr:"chest_pain"`
	ShortnessOfBreath    any `expr:"shortness_of_breath"`
	CoughingBlood        any `expr:"coughing_blood"`
	Fainting             any `expr:"fainting"`
	SuddenSevereHeadache any `expr:"sudden_severe_headache"`
	StiffNeck            any `expr:"stiff_neck"`
	Confusion            any `expr:"confusion"`
	Vomiting             any `expr:"vomiting"`
	VisionChanges        any `expr:"vision_changes"`
	SpeechDifficulty     any `expr:"speech_difficulty"`
	FacialDroop          any `expr:"facial_droop"`
	OneSidedWeakness     any `expr:"one_sided_weakness"`
	Unsteadiness         any `expr:"unsteadiness"`
	SaddleNumbness       any `expr:"saddle_numbness"`
	BladderBowelChange   any `expr:"bladder_bowel_change"`
	LegWeakness          any `expr:"leg_weakness"`
	CalfPainOneSide      any `expr:"calf_pain_one_side"`
}

// healthValues is the run-time twin of HealthSet: the same fields, boxed.
type healthValues struct {
	BloodThinners        any `expr:"blood_thinners"`
	BleedingDisorder     any `expr:"bleeding_disorder"`
	DvtHistory           any `expr:"dvt_history"`
	CirculatoryCondition any `expr:"circulatory_condition"`
	VaricoseVeins        any `expr:"varicose_veins"`
	RecentInjury         any `expr:"recent_injury"`
	RecentSurgery        any `expr:"recent_surgery"`
	Pregnant             any `expr:"pregnant"`
	Osteoporosis         any `expr:"osteoporosis"`
	Diabetes             any `expr:"diabetes"`
	Cancer               any `expr:"cancer"`
	SkinCondition        any `expr:"skin_condition"`
	FeverIllness         any `expr:"fever_illness"`
}

// areaValues is the run-time twin of AreaSet and AreaPain: the same fields, boxed.
type areaValues struct {
	Head       any `expr:"head"`
	Jaw        any `expr:"jaw"`
	Neck       any `expr:"neck"`
	Shoulders  any `expr:"shoulders"`
	UpperBack  any `expr:"upper_back"`
	LowerBack  any `expr:"lower_back"`
	Chest      any `expr:"chest"`
	Abdomen    any `expr:"abdomen"`
	UpperArms  any `expr:"upper_arms"`
	Forearms   any `expr:"forearms"`
	Hands      any `expr:"hands"`
	Glutes     any `expr:"glutes"`
	Hips       any `expr:"hips"`
	Quads      any `expr:"quads"`
	Hamstrings any `expr:"hamstrings"`
	Calves     any `expr:"calves"`
	Shins      any `expr:"shins"`
	Feet       any `expr:"feet"`
}

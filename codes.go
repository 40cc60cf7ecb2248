package aftercare

// Code is one value of a closed vocabulary of the public contract, with the words
// a person reads for it.
type Code struct {
	// Code is the public code, such as "deep_tissue".
	Code string `json:"code"`
	// Label is what a person reads, such as "Deep tissue".
	Label string `json:"label"`
}

// Vocabulary is an ordered, closed list of codes for one field.
type Vocabulary struct {
	// Name is the field the vocabulary belongs to, such as "style".
	Name  string
	codes []Code
	index map[string]int
}

func newVocabulary(name string, codes ...Code) *Vocabulary {
	v := &Vocabulary{Name: name, codes: codes, index: make(map[string]int, len(codes))}
	for i, c := range codes {
		v.index[c.Code] = i
	}
	return v
}

// Codes returns the vocabulary's codes in their order.
func (v *Vocabulary) Codes() []Code { return v.codes }

// Has reports whether code belongs to the vocabulary.
func (v *Vocabulary) Has(code string) bool { _, ok := v.index[code]; return ok }

// Index returns the position of code in the vocabulary, or -1.
func (v *Vocabulary) Index(code string) int {
	if i, ok := v.index[code]; ok {
		return i
	}
	return -1
}

// Label returns the readable label of code, or the code itself when unknown.
func (v *Vocabulary) Label(code string) string {
	if i, ok := v.index[code]; ok {
		return v.codes[i].Label
	}
	return code
}

// Allowed returns the codes joined by ", ", for error messages.
func (v *Vocabulary) Allowed() string {
	s := ""
	for i, c := range v.codes {
		if i > 0 {
			s += ", "
		}
		s += c.Code
	}
	return s
}

// Styles is the vocabulary of massage styles.
var Styles = newVocabulary("style",
	Code{"swedish", "Swedish / relaxation"},
	Code{"deep_tissue", "Deep tissue"},
	Code{"sports", "Sports"},
	Code{"trigger_point", "Trigger point"},
	Code{"thai", "Thai"},
	Code{"prenatal", "Prenatal"},
	Code{"lymphatic", "Lymphatic drainage"},
	Code{"hot_stone", "Hot stone"},
	Code{"myofascial", "Myofascial release"},
	Code{"reflexology", "Reflexology"},
	Code{"other", "Other"},
)

// Pressures is the vocabulary of pressures, lightest first.
var Pressures = newVocabulary("pressure",
	Code{"light", "Light"},
	Code{"medium", "Medium"},
	Code{"firm", "Firm"},
	Code{"deep", "Deep"},
)

// Areas is the vocabulary of body areas, head to feet.
var Areas = newVocabulary("area",
	Code{"head", "Head"},
	Code{"jaw", "Jaw"},
	Code{"neck", "Neck"},
	Code{"shoulders", "Shoulders"},
	Code{"upper_back", "Upper back"},
	Code{"lower_back", "Lower back"},
	Code{"chest", "Chest"},
	Code{"abdomen", "Abdomen"},
	Code{"upper_arms", "Upper arms"},
	Code{"forearms", "Forearms"},
	Code{"hands", "Hands"},
	Code{"glutes", "Glutes"},
	Code{"hips", "Hips"},
	Code{"quads", "Front of thighs (quads)"},
	Code{"hamstrings", "Back of thighs (hamstrings)"},
	Code{"calves", "Calves"},
	Code{"shins", "Shins"},
	Code{"feet", "Feet"},
)

// Symptoms is the vocabulary of symptoms.
var Symptoms = newVocabulary("symptom",
	Code{"bruising_light", "Light bruising"},
	Code{"bruising_dark", "Dark or large bruising"},
	Code{"swelling", "Significant swelling"},
	Code{"tingling", "Tingling or pins and needles"},
	Code{"numbness", "Numbness"},
	Code{"joint_instability", "A joint that feels unstable or wrong"},
	Code{"pain_on_movement", "Intense discomfort during simple movements"},
	Code{"sharp_pain", "Sharp or stabbing pain"},
	Code{"headache", "Headache"},
	Code{"nausea", "Nausea"},
	Code{"dizziness", "Dizziness or light-headedness"},
	Code{"fatigue", "Tiredness"},
	Code{"stiffness", "Stiffness"},
	Code{"warmth_redness", "Warm, red skin"},
	Code{"fever", "Fever"},
	Code{"calf_swelling", "Swelling of one calf or leg"},
	Code{"dark_urine", "Dark (tea or cola coloured) urine"},
	Code{"severe_weakness", "Severe muscle weakness"},
	Code{"chest_pain", "Chest pain"},
	Code{"shortness_of_breath", "Sudden shortness of breath"},
	Code{"coughing_blood", "Coughing up blood"},
	Code{"fainting", "Fainting"},
	Code{"sudden_severe_headache", "Sudden, severe (worst ever) headache"},
	Code{"stiff_neck", "Stiff neck (with fever or headache)"},
	Code{"confusion", "Confusion"},
	Code{"vomiting", "Vomiting"},
	Code{"vision_changes", "Blurred, double or lost vision"},
	Code{"speech_difficulty", "Slurred or difficult speech"},
	Code{"facial_droop", "Face drooping on one side"},
	Code{"one_sided_weakness", "Weakness of one arm or side"},
	Code{"unsteadiness", "Unsteadiness or loss of balance"},
	Code{"saddle_numbness", "Numbness around the buttocks or genitals"},
	Code{"bladder_bowel_change", "New bladder or bowel trouble"},
	Code{"leg_weakness", "Weakness in both legs"},
	Code{"calf_pain_one_side", "Pain or tenderness in one calf or leg"},
	Code{"vaginal_bleeding", "Bleeding or fluid loss from the vagina"},
	Code{"burn", "A burn or blisters on the skin"},
)

// Health is the vocabulary of screening answers.
var Health = newVocabulary("health",
	Code{"blood_thinners", "Takes blood thinners"},
	Code{"bleeding_disorder", "Bleeding disorder or low platelets"},
	Code{"dvt_history", "Previous blood clot (DVT)"},
	Code{"circulatory_condition", "Circulatory condition"},
	Code{"varicose_veins", "Varicose veins"},
	Code{"recent_injury", "Recent injury"},
	Code{"recent_surgery", "Recent surgery"},
	Code{"pregnant", "Pregnant"},
	Code{"osteoporosis", "Osteoporosis"},
	Code{"diabetes", "Diabetes"},
	Code{"cancer", "Cancer"},
	Code{"skin_condition", "Skin condition, wound or infection"},
	Code{"fever_illness", "Fever or acute illness"},
)

// Outcomes is the vocabulary of what came of acknowledging a flag.
var Outcomes = newVocabulary("outcome",
	Code{"called", "Called the client"},
	Code{"advised_doctor", "Advised to see a doctor"},
	Code{"advised_emergency", "Advised emergency care"},
	Code{"no_answer", "No answer"},
	Code{"left_message", "Left a message"},
	Code{"other", "Other"},
)

// FindingTypes is the vocabulary of finding types read from free text.
var FindingTypes = newVocabulary("type",
	Code{"symptom", "Symptom"},
	Code{"area", "Body area"},
	Code{"style", "Massage style"},
	Code{"pressure", "Pressure"},
	Code{"pain", "Pain score"},
	Code{"time", "Time since the session"},
	Code{"health", "Health condition"},
)

// VocabularyOf returns the vocabulary of coded findings of type t, or nil for
// the types that carry a value instead of a code.
func VocabularyOf(t string) *Vocabulary {
	switch t {
	case "symptom":
		return Symptoms
	case "area":
		return Areas
	case "style":
		return Styles
	case "pressure":
		return Pressures
	case "health":
		return Health
	}
	return nil
}

package knowledge

import (
	"slices"
	"testing"
)

// TestTheSeedArticleIsCoveredInFull checks that every piece of advice in the
// article the product was created from has its entry, citing the article.
func TestTheSeedArticleIsCoveredInFull(t *testing.T) {
	b, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	cites := map[string][]string{}
	for _, a := range b.Causes {
		cites["cause "+a.ID] = a.Sources
	}
	for _, s := range b.Styles {
		cites["style "+s.Code] = s.Sources
	}
	for _, r := range b.Relief {
		cites["relief "+r.ID] = r.Sources
	}
	for _, r := range b.Rules {
		cites["rule "+r.ID] = r.Sources
	}
	for _, c := range b.Cautions {
		cites["caution "+c.Health] = c.Sources
	}
	for _, a := range b.Prevention {
		cites["prevention "+a.ID] = a.Sources
	}
	for _, f := range b.FAQ {
		cites["faq "+f.ID] = f.Sources
	}
	for _, a := range b.Topics {
		cites["topic "+a.ID] = a.Sources
	}
	for _, want := range []string{
		// Why am I sore: the four causes.
		"cause micro_stress", "cause circulation", "cause releasing_tension", "cause sensitivity",
		// Which styles cause soreness.
		"style deep_tissue", "style sports", "style trigger_point", "style thai", "style prenatal", "style lymphatic",
		// How to relieve it.
		"relief hydrate", "relief gentle_movement", "relief epsom_bath", "relief heat", "relief ice", "relief topical_relief",
		"relief sleep", "relief magnesium_supplement", "relief compression", "relief avoid_hard_training",
		// When it is a red flag.
		"rule sharp_pain", "rule pain_over_72h", "rule significant_swelling", "rule dark_bruising", "rule tingling_numbness",
		"rule unstable_joint", "rule pain_on_simple_movement", "rule light_bruising",
		// Who must tell the therapist.
		"caution blood_thinners", "caution circulatory_condition", "caution recent_injury", "caution pregnant",
		// Prevention.
		"prevention speak_up", "prevention hydrate_before_after", "prevention no_hard_workout", "prevention regular_treatment",
		"prevention warm_up", "prevention lighter_where_sensitive", "prevention tell_before_treatment",
		// FAQ.
		"faq is_it_normal", "faq does_sore_mean_effective", "faq is_bruising_normal", "faq can_therapist_feel_knots",
		"faq can_therapist_feel_inflammation", "faq can_i_exercise", "faq deep_tissue_worked", "faq how_long",
		// The companion topics it points to.
		"topic headache_after_massage", "topic feeling_sick_after_massage", "topic massage_when_unwell",
	} {
		t.Run(want+" is in the knowledge base citing the seed", func(t *testing.T) {
			src, ok := cites[want]
			if !ok {
				t.Fatal("missing")
			}
			if !slices.Contains(src, "seed") {
				t.Errorf("cites %v, not the seed", src)
			}
		})
	}
}

// TestEveryRareSeriousEventHasARule checks that the serious events of the
// clinical notes each lead to care today or at once.
func TestEveryRareSeriousEventHasARule(t *testing.T) {
	b, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for id, min := range map[string]int{
		"possible_clot": 4, "clot_reaching_lung": 5, "chest_pain": 5, "breathlessness": 5, "coughing_blood": 5,
		"stroke_signs": 5, "neck_artery_signs": 5, "thunderclap_headache": 5, "possible_rhabdomyolysis": 4,
		"cauda_equina": 5, "spreading_redness_fever": 4, "fever_stiff_neck": 5, "bleeding_on_thinners": 4,
	} {
		t.Run(id+" asks for care today or at once", func(t *testing.T) {
			i := slices.IndexFunc(b.Rules, func(r Rule) bool { return r.ID == id })
			if i < 0 {
				t.Fatal("missing")
			}
			if b.Rules[i].LevelValue() < min {
				t.Errorf("level %s", b.Rules[i].Level)
			}
		})
	}
}

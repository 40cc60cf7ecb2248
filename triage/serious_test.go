package triage

import (
	"slices"
	"strings"
	"testing"

	"aftercare"
)

// hours returns a pointer to h, for requests.
func hours(h float64) *float64 { return &h }

// fired lists the rules of an answer.
func fired(resp *aftercare.Response) []string {
	var out []string
	for _, r := range resp.Reasons {
		out = append(out, r.Rule)
	}
	return out
}

// plan lists the relief measures of an answer.
func plan(resp *aftercare.Response) []string {
	var out []string
	for _, p := range resp.Plan {
		out = append(out, p.ID)
	}
	return out
}

// legWork is a sports massage on the calves, a day ago, that left them a little sore.
func legWork(symptoms, health []string) aftercare.Request {
	return aftercare.Request{Style: "sports", Pressure: "firm", AreasWorked: []string{"calves", "hamstrings"}, HoursSince: hours(24),
		Soreness: []aftercare.Soreness{{Area: "calves", Pain: 3}}, Symptoms: symptoms, Health: health}
}

func TestSeriousEventsAreGradedAsTheirSourcesSay(t *testing.T) {
	e := testEngine(t)
	backWork := aftercare.Request{Style: "deep_tissue", Pressure: "deep", AreasWorked: []string{"upper_back", "chest"}, HoursSince: hours(20)}
	sharpChest := backWork
	sharpChest.Soreness = []aftercare.Soreness{{Area: "chest", Pain: 6}}
	sharpChest.Symptoms = []string{"sharp_pain"}
	sharpChestBreathless := sharpChest
	sharpChestBreathless.Symptoms = []string{"sharp_pain", "shortness_of_breath"}
	thinBones := aftercare.Request{Style: "swedish", Pressure: "medium", AreasWorked: []string{"upper_back"}, HoursSince: hours(20),
		Soreness: []aftercare.Soreness{{Area: "upper_back", Pain: 5}}, Symptoms: []string{"sharp_pain"}, Health: []string{"osteoporosis"}}
	pregnantTummy := aftercare.Request{Style: "prenatal", AreasWorked: []string{"lower_back", "hips"}, HoursSince: hours(6),
		Soreness: []aftercare.Soreness{{Area: "abdomen", Pain: 4}}, Health: []string{"pregnant"}}
	pregnantSharp := pregnantTummy
	pregnantSharp.Symptoms = []string{"sharp_pain"}
	darkUrine := func(symptoms []string, pain int) aftercare.Request {
		return aftercare.Request{Style: "other", Pressure: "deep", AreasWorked: []string{"quads"}, HoursSince: hours(48),
			Soreness: []aftercare.Soreness{{Area: "quads", Pain: pain}}, Symptoms: symptoms}
	}
	thighSwelling := aftercare.Request{Style: "sports", AreasWorked: []string{"quads"}, HoursSince: hours(30),
		Soreness: []aftercare.Soreness{{Area: "quads", Pain: 4}}, Symptoms: []string{"calf_swelling"}}

	for _, tc := range []struct {
		name string
		req  aftercare.Request
		want aftercare.Level
		rule string
	}{
		{"pain in one calf alone is urgent, a possible clot", aftercare.Request{Symptoms: []string{"calf_pain_one_side"}}, aftercare.Urgent, "calf_pain_one_side"},
		{"pain in one calf after leg work is urgent", legWork([]string{"calf_pain_one_side"}, nil), aftercare.Urgent, "calf_pain_one_side"},
		{"pain in one calf with chest pain is an emergency, a clot in the lung", legWork([]string{"calf_pain_one_side", "chest_pain"}, nil), aftercare.Emergency, "clot_reaching_lung"},
		{"pain in one calf with breathlessness is an emergency", legWork([]string{"calf_pain_one_side", "shortness_of_breath"}, nil), aftercare.Emergency, "clot_reaching_lung"},
		{"swelling of one leg at the thigh is urgent, not only at the calf", thighSwelling, aftercare.Urgent, "possible_clot"},
		{"dark urine alone is checked soon", darkUrine([]string{"dark_urine"}, 3), aftercare.Consult, "dark_urine"},
		{"dark urine with swelling of the worked muscles is urgent", darkUrine([]string{"dark_urine", "swelling"}, 3), aftercare.Urgent, "possible_rhabdomyolysis"},
		{"dark urine with severe pain is urgent", darkUrine([]string{"dark_urine"}, 8), aftercare.Urgent, "possible_rhabdomyolysis"},
		{"dark urine with marked weakness is urgent", darkUrine([]string{"dark_urine", "severe_weakness"}, 3), aftercare.Urgent, "possible_rhabdomyolysis"},
		{"dark urine with moderately sore worked muscles is urgent", darkUrine([]string{"dark_urine"}, 4), aftercare.Urgent, "possible_rhabdomyolysis"},
		{"sharp tummy pain after back work is urgent, not massage soreness", aftercare.Request{Style: "deep_tissue", AreasWorked: []string{"lower_back"}, HoursSince: hours(4),
			Soreness: []aftercare.Soreness{{Area: "abdomen", Pain: 5}}, Symptoms: []string{"sharp_pain"}}, aftercare.Urgent, "sudden_abdominal_pain"},
		{"severe tummy pain is urgent", aftercare.Request{Style: "swedish", HoursSince: hours(10),
			Soreness: []aftercare.Soreness{{Area: "abdomen", Pain: 8}}}, aftercare.Urgent, "sudden_abdominal_pain"},
		{"swelling with numbness after leg work is urgent, possible pressure inside the muscle", legWork([]string{"swelling", "numbness"}, nil), aftercare.Urgent, "swelling_with_numbness"},
		{"swelling with pins and needles is urgent", aftercare.Request{Symptoms: []string{"swelling", "tingling"}}, aftercare.Urgent, "swelling_with_numbness"},
		{"a severe headache after neck work is urgent, a possible torn neck artery", aftercare.Request{Style: "swedish", AreasWorked: []string{"neck"}, HoursSince: hours(20),
			Soreness: []aftercare.Soreness{{Area: "neck", Pain: 7}}, Symptoms: []string{"headache"}}, aftercare.Urgent, "severe_headache_after_neck_work"},
		{"a spinning dizziness with vomiting after neck work is an emergency, a possible torn neck artery", aftercare.Request{Style: "swedish", AreasWorked: []string{"neck", "shoulders"}, HoursSince: hours(5),
			Symptoms: []string{"dizziness", "vomiting"}}, aftercare.Emergency, "neck_artery_signs"},
		{"sharp pain at one spot of the chest after firm back and chest work is urgent, a possible rib injury", sharpChest, aftercare.Urgent, "possible_rib_injury"},
		{"sharp pain in the upper back with osteoporosis is urgent, a possible rib injury", thinBones, aftercare.Urgent, "possible_rib_injury"},
		{"a possible rib injury with breathlessness is an emergency", sharpChestBreathless, aftercare.Emergency, "breathlessness"},
		{"tummy pain or cramping in pregnancy is urgent", pregnantTummy, aftercare.Urgent, "pregnancy_abdominal_pain"},
		{"sharp tummy pain in pregnancy is an emergency", pregnantSharp, aftercare.Emergency, "pregnancy_severe_abdominal_pain"},
		{"a headache with vision changes in pregnancy is an emergency", aftercare.Request{Symptoms: []string{"headache", "vision_changes"}, Health: []string{"pregnant"}}, aftercare.Emergency, "pregnancy_warning_signs"},
		{"bleeding or fluid loss from the vagina in pregnancy is urgent, the maternity unit now", aftercare.Request{Symptoms: []string{"vaginal_bleeding"}, Health: []string{"pregnant"}}, aftercare.Urgent, "pregnancy_bleeding"},
		{"bleeding after a prenatal massage is urgent even without the screening", aftercare.Request{Style: "prenatal", HoursSince: hours(5), Symptoms: []string{"vaginal_bleeding"}}, aftercare.Urgent, "pregnancy_bleeding"},
		{"bleeding with tummy cramping in pregnancy is urgent", func() aftercare.Request {
			r := pregnantTummy
			r.Symptoms = []string{"vaginal_bleeding"}
			return r
		}(), aftercare.Urgent, "pregnancy_bleeding"},
		{"bleeding with sharp tummy pain in pregnancy is an emergency", func() aftercare.Request {
			r := pregnantSharp
			r.Symptoms = []string{"vaginal_bleeding", "sharp_pain"}
			return r
		}(), aftercare.Emergency, "pregnancy_severe_abdominal_pain"},
		{"unusual bleeding from the vagina without pregnancy is checked soon", aftercare.Request{Symptoms: []string{"vaginal_bleeding"}}, aftercare.Consult, "unusual_vaginal_bleeding"},
		{"unusual bleeding from the vagina with tummy pain is urgent, a possible ectopic pregnancy", aftercare.Request{HoursSince: hours(6),
			Soreness: []aftercare.Soreness{{Area: "abdomen", Pain: 4}}, Symptoms: []string{"vaginal_bleeding"}}, aftercare.Urgent, "vaginal_bleeding_with_tummy_pain"},
		{"a burn or blisters from hot stones is checked soon", aftercare.Request{Style: "hot_stone", AreasWorked: []string{"upper_back"}, HoursSince: hours(3),
			Symptoms: []string{"burn"}}, aftercare.Consult, "burn"},
		{"a burn with diabetes is urgent", aftercare.Request{Style: "hot_stone", HoursSince: hours(3), Symptoms: []string{"burn"}, Health: []string{"diabetes"}}, aftercare.Urgent, "burn_with_risk"},
		{"a burn in pregnancy is urgent", aftercare.Request{Symptoms: []string{"burn"}, Health: []string{"pregnant"}}, aftercare.Urgent, "burn_with_risk"},
		{"fainting alone is urgent", aftercare.Request{Symptoms: []string{"fainting"}}, aftercare.Urgent, "fainting"},
		{"fainting after leg work is an emergency, a possible clot in the lung", legWork([]string{"fainting"}, nil), aftercare.Emergency, "fainting_with_clot_risk"},
		{"fainting with a past clot is an emergency", aftercare.Request{Symptoms: []string{"fainting"}, Health: []string{"dvt_history"}}, aftercare.Emergency, "fainting_with_clot_risk"},
		{"fainting with breathlessness is an emergency", aftercare.Request{Symptoms: []string{"fainting", "shortness_of_breath"}}, aftercare.Emergency, "fainting_with_clot_risk"},
		{"significant swelling is checked soon", aftercare.Request{Symptoms: []string{"swelling"}}, aftercare.Consult, "significant_swelling"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := e.Assess(tc.req, requestTime)
			if err != nil {
				t.Fatal(err)
			}
			if resp.Level != tc.want || !slices.Contains(fired(resp), tc.rule) {
				t.Errorf("level %s, rules %v; want %s with %s", resp.Level, fired(resp), tc.want, tc.rule)
			}
		})
	}
}

func TestLegSorenessAfterAScreeningThatRaisesARiskIsWatched(t *testing.T) {
	e := testEngine(t)
	t.Run("plain leg soreness without a risk is self care", func(t *testing.T) {
		if got := level(t, e, legWork(nil, nil)); got != aftercare.SelfCare {
			t.Errorf("got %s", got)
		}
	})
	for _, h := range []string{"varicose_veins", "dvt_history", "blood_thinners", "pregnant", "recent_surgery"} {
		t.Run("leg soreness with "+h+" is monitored, with the signs to watch named", func(t *testing.T) {
			resp, err := e.Assess(legWork(nil, []string{h}), requestTime)
			if err != nil {
				t.Fatal(err)
			}
			if resp.Level < aftercare.Monitor || !slices.Contains(fired(resp), "leg_soreness_with_clot_risk") {
				t.Fatalf("level %s, rules %v", resp.Level, fired(resp))
			}
			for _, r := range resp.Reasons {
				if r.Rule == "leg_soreness_with_clot_risk" {
					for _, sign := range []string{"swells", "throbs or cramps", "warm, red or tender", "bruise or swelling that grows"} {
						if !strings.Contains(r.Text, sign) {
							t.Errorf("the reason does not name %q: %s", sign, r.Text)
						}
					}
				}
			}
		})
	}
}

func TestHeatIsLeftOutWhereFeelingOrCirculationIsImpairedAndTheAnswerSaysWhy(t *testing.T) {
	e := testEngine(t)
	backSore := func(health []string) aftercare.Request {
		return aftercare.Request{Style: "deep_tissue", AreasWorked: []string{"lower_back"}, HoursSince: hours(20),
			Soreness: []aftercare.Soreness{{Area: "lower_back", Pain: 3}}, Health: health}
	}
	for _, tc := range []struct {
		name    string
		req     aftercare.Request
		without []string
		with    string
	}{
		{"plain soreness gets heat and a warm bath", backSore(nil), nil, "heat"},
		{"with diabetes, no heat or hot bath, and the plan says why", backSore([]string{"diabetes"}), []string{"heat", "epsom_bath"}, "no_heat_reduced_feeling"},
		{"with a circulatory condition, no heat or hot bath, and the plan says why", backSore([]string{"circulatory_condition"}), []string{"heat", "epsom_bath"}, "no_heat_poor_circulation"},
		{"with varicose veins, no heat or hot bath, and the plan says why", legWork(nil, []string{"varicose_veins"}), []string{"heat", "epsom_bath"}, "no_heat_poor_circulation"},
		{"over a possibly clotted leg, no heat, and the leg is left alone", legWork([]string{"calf_pain_one_side"}, nil), []string{"heat", "epsom_bath", "compression", "gentle_movement"}, "leave_the_leg_alone"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := e.Assess(tc.req, requestTime)
			if err != nil {
				t.Fatal(err)
			}
			got := plan(resp)
			for _, id := range tc.without {
				if slices.Contains(got, id) {
					t.Errorf("the plan %v offers %s", got, id)
				}
			}
			if !slices.Contains(got, tc.with) {
				t.Errorf("the plan %v lacks %s", got, tc.with)
			}
		})
	}
}

func TestASevereHeadacheIsTheHeadachesSeverity(t *testing.T) {
	e := testEngine(t)
	neckAndBack := aftercare.Request{Style: "deep_tissue", Pressure: "firm", AreasWorked: []string{"neck", "lower_back"}, HoursSince: hours(30),
		Soreness: []aftercare.Soreness{{Area: "lower_back", Pain: 8}}, Symptoms: []string{"headache"}}
	t.Run("severe back pain with a headache after neck work is not a severe headache", func(t *testing.T) {
		resp, err := e.Assess(neckAndBack, requestTime)
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(fired(resp), "severe_headache_after_neck_work") || resp.Level != aftercare.Consult {
			t.Errorf("level %s, rules %v; want consult for severe back pain, without the severe-headache rule", resp.Level, fired(resp))
		}
	})
	t.Run("a headache the text calls splitting after neck work is urgent", func(t *testing.T) {
		req := aftercare.Request{Text: "splitting headache since the neck massage yesterday"}
		resp, err := e.Assess(req, requestTime)
		if err != nil {
			t.Fatal(err)
		}
		if resp.Level != aftercare.Urgent || !slices.Contains(fired(resp), "severe_headache_after_neck_work") {
			t.Errorf("level %s, rules %v", resp.Level, fired(resp))
		}
	})
}

func TestBurnsAndBleedingInPregnancyAreGradedFromTheClientsWords(t *testing.T) {
	e := testEngine(t)
	for _, tc := range []struct {
		name, text string
		health     []string
		want       aftercare.Level
		rule       string
		fires      bool
	}{
		{"blisters from the hot stones are a burn, checked soon", "the hot stones burnt my back and now there are blisters", nil, aftercare.Consult, "burn", true},
		{"a burning feeling down the arm is not a burn", "a burning sensation down my arm since the massage", nil, aftercare.SelfCare, "burn", false},
		{"spotting in pregnancy after a massage is urgent", "I'm 20 weeks pregnant and there's some spotting since the massage", nil, aftercare.Urgent, "pregnancy_bleeding", true},
		{"waters leaking with pregnancy in the screening is urgent", "I think my waters are leaking", []string{"pregnant"}, aftercare.Urgent, "pregnancy_bleeding", true},
		{"a severe headache with blurred vision in pregnancy is an emergency", "30 weeks pregnant, a severe headache since the massage and my vision is blurry", nil, aftercare.Emergency, "pregnancy_warning_signs", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := e.Assess(aftercare.Request{Text: tc.text, Health: tc.health}, requestTime)
			if err != nil {
				t.Fatal(err)
			}
			if resp.Level != tc.want || slices.Contains(fired(resp), tc.rule) != tc.fires {
				t.Errorf("level %s, rules %v; want %s, %s firing %v", resp.Level, fired(resp), tc.want, tc.rule, tc.fires)
			}
		})
	}
}

package textread

import (
	"testing"
	"time"

	"aftercare"
)

func TestPainInOneCalfIsReadAsAPossibleClot(t *testing.T) {
	if !aftercare.Symptoms.Has(calfPainCode) {
		t.Skip("the vocabulary has no " + calfPainCode)
	}
	at := time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)
	cases := []struct {
		text string
		want bool
	}{
		{"Pain in my right calf started on a run a few days after the massage.", true},
		{"my left calf is hurting more than my right since the massage, kind of throbbing", true},
		{"calf feels tight and sore only on the right side since the massage", true},
		{"it's been two days and now only the right calf is sore", true},
		{"both calves are sore, the left calf a bit more", false},
		{"no pain in my left calf", false},
		{"my left calf is swollen and sore", false}, // calf_swelling says it
		{"a huge knot in my left calf. It feels better now", false},
		{"my calves are sore after the sports massage", false},
	}
	for _, c := range cases {
		t.Run(c.text, func(t *testing.T) {
			got := false
			for _, f := range Default().Read(c.text, at) {
				got = got || f.Code == calfPainCode && !f.Negated
			}
			if got != c.want {
				t.Errorf("calf_pain_one_side read %v, want %v", got, c.want)
			}
		})
	}
}

func TestWhatTheReaderIsUnsureOf(t *testing.T) {
	at := time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)
	cases := []struct {
		name, text, code, why string
		counted               bool
	}{
		{"a hedge counts and is unsure", "my foot is maybe a bit numb?", "numbness", "hedge", true},
		{"a comparison counts and is unsure", "it felt like being stabbed in my shoulder", "sharp_pain", "figure", true},
		{"relaxation is a figure, not a sign", "legs like jelly, I floated home, so relaxed", "leg_weakness", "figure", false},
		{"a sign that passed is unsure", "my hand went numb during the massage but it's fine now", "numbness", "passed", false},
		{"an arm too sore to lift may be weak", "I can't lift my arm, it's too sore", "one_sided_weakness", "ambiguous", false},
		{"an arm that cannot be lifted counts as weak", "since this morning I can't lift my arm", "one_sided_weakness", "ambiguous", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rd := Default().ReadAll(c.text, at)
			for _, u := range rd.Unsure {
				if u.Code == c.code {
					if u.Why != c.why || u.Counted != c.counted || c.text[u.Start:u.End] == "" {
						t.Errorf("unsure %+v, want why %s counted %v", u, c.why, c.counted)
					}
					return
				}
			}
			t.Errorf("not unsure of %s: %+v", c.code, rd.Unsure)
		})
	}
}

func TestTheCourseOfThePain(t *testing.T) {
	at := time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)
	cases := []struct {
		text    string
		now     float64
		earlier []float64
		trend   string
	}{
		{"2, then 4, now 7", 7, []float64{2, 4}, ""},
		{"was 3 yday, 5 today. getting worse not better", 5, []float64{3}, "rising"},
		{"pain was 8, now a 3, better every day", 3, []float64{8}, "falling"},
		{"neck still hurts, 5 out of 10, and it's not easing", 5, nil, "rising"},
	}
	for _, c := range cases {
		t.Run(c.text, func(t *testing.T) {
			rd := Default().ReadAll(c.text, at)
			var now *float64
			for _, f := range rd.Findings {
				if f.Type == "pain" && !f.Negated {
					now = f.Value
				}
			}
			if now == nil || *now != c.now || len(rd.Earlier) != len(c.earlier) || rd.Trend != c.trend {
				t.Fatalf("now %v earlier %v trend %q; want %v %v %q", now, rd.Earlier, rd.Trend, c.now, c.earlier, c.trend)
			}
			for i := range c.earlier {
				if rd.Earlier[i] != c.earlier[i] {
					t.Errorf("earlier %v, want %v", rd.Earlier, c.earlier)
				}
			}
		})
	}
}

func TestTimeAsTheMessageTellsIt(t *testing.T) {
	at := time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC) // a Wednesday afternoon
	cases := []struct {
		text     string
		from, to float64 // hours since the session; 0, 0 for none
	}{
		{"It's Friday morning, massage was Tuesday evening, calves still sore at 4.", 60, 64},
		{"I had a hot stone massage on Monday. It is now Wednesday evening; my back is loose.", 52, 58},
		{"Saturday's massage was painful. Two days later my back is still covered in marks.", 48, 48},
		{"Massage was Friday afternoon. Friday night fine. Saturday morning stiff. Sunday morning now, maybe a 1.", 24, 48},
		{"tbh its like 1/10 now, was 5 on saturday. massage was friday", 24, 24},
		{"Hello, two weeks I am feeling pain in the neck after the massage, not better.", 336, 336},
		{"My hip has hurt for a week, so I had a massage this morning.", 1, 8},
		{"2 weeks out from the race, had a sports massage yesterday", 24, 24},
		{"After two days on the bike my coach used a massage gun on my thighs. That was 3 days ago.", 72, 72},
		{"The massage was on the 3rd and today is the 10th.", 168, 168},
		{"I got a migraine this evening after the spa, otherwise ok", 0, 0},
		{"Since I got home I feel strange and dizzy", 0.5, 2},
	}
	for _, c := range cases {
		t.Run(c.text, func(t *testing.T) {
			var got *float64
			for _, f := range Default().Read(c.text, at) {
				if f.Type == "time" {
					got = f.Value
				}
			}
			switch {
			case c.to == 0 && got != nil && c.from == 0:
				// "this evening" is read as a fallback: any small value
				if *got > 12 {
					t.Errorf("time %v, want at most 12", *got)
				}
			case c.to > 0 && (got == nil || *got < c.from || *got > c.to):
				t.Errorf("time %v, want %v–%v", got, c.from, c.to)
			}
		})
	}
}

func TestTheStoryAroundASignDecidesWhetherItCountsNow(t *testing.T) {
	cases := []struct {
		name, text, code string
		present          bool
	}{
		{"the complaint a massage fixed is past", "Woke up with a pounding headache. Your 30 minute massage fixed it, I got up pain free!", "headache", false},
		{"a complaint the massage did not fix still counts", "Woke up with a pounding headache. The massage was at noon and it is still pounding.", "headache", true},
		{"a warning sign is never read away by feeling well", "My face drooped on one side this morning. The massage was yesterday and I feel fine now.", "facial_droop", true},
		{"swelling that went down is past", "the puffiness went down within an hour and the bruises are fading", "swelling", false},
		{"swelling that is still there counts", "the puffiness is still there a day later", "swelling", true},
		{"pain down a leg from the back is not a calf's", "sharp back pain going into my buttock and down my right leg", calfPainCode, false},
		{"a limb that will not move and is numb is weak", "I couldn't move my left shoulder. It's numb all the way down to my forearm.", "one_sided_weakness", true},
		{"a moment of injury is read", "I felt something crack in the middle of my back and it's aching tonight", "sharp_pain", true},
		{"pain that is not the usual soreness is read", "my back still hurts this morning, and not the good kind of sore", "sharp_pain", true},
		{"nearly throwing up is nausea", "the pressure was awful, I nearly threw up", "vomiting", false},
		{"plain words for a stroke sign", "he can't get his words out and both his legs have gone weak", "speech_difficulty", true},
		{"what came before 'afterwards' was the session", "I yelped, it hurt a lot until it went numb. Afterwards my feet felt brand new, no pain now.", "numbness", false},
		{"a sign after 'afterwards' counts", "The massage was fine. Afterwards my left hand went numb and it still is.", "numbness", true},
		{"a past comparison about what the therapist did is the session's", "They scraped my soles with what felt like a blunt knife, and she laughed.", "sharp_pain", false},
		{"a present comparison counts", "My shoulder feels like a knife is in it.", "sharp_pain", true},
		{"drifting in and out is fainting", "she can't get her breath and keeps drifting in and out", "fainting", true},
		{"someone else's breath is read", "she can't get her breath and keeps drifting in and out", "shortness_of_breath", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := symptomRead(c.text, c.code); got != c.present {
				t.Errorf("%s present %v, want %v", c.code, got, c.present)
			}
		})
	}
}

func TestAMessageThatSaysAllIsWellNamesNoSorePlace(t *testing.T) {
	cases := []struct {
		text       string
		well, sore bool
	}{
		{"My neck moves so much better now and the shoulders feel relaxed. No problems since.", true, false},
		{"Parts were painful but the back feels good now.", true, false},
		{"The back feels better but it still aches.", true, true},
		{"My back doesn't feel better and it is sore.", false, true},
		{"It was really sore yesterday and is still sore today.", false, true},
	}
	for _, c := range cases {
		t.Run(c.text, func(t *testing.T) {
			rd := Default().ReadAll(c.text, readAt)
			if rd.Well != c.well || rd.Sore != c.sore {
				t.Errorf("well %v sore %v, want well %v sore %v", rd.Well, rd.Sore, c.well, c.sore)
			}
		})
	}
}

func TestATimeAheadOfAnotherEventIsNotTheTimeSinceTheSession(t *testing.T) {
	for _, text := range []string{
		"Just over 2 weeks before my marathon, had the deepest sports massage she does.",
		"3 days to go until the race, had a sports massage.",
		"Knots that I'd been carrying for almost 6 weeks, worked out in the massage.",
	} {
		t.Run(text, func(t *testing.T) {
			for _, f := range Default().Read(text, readAt) {
				if f.Type == "time" && f.Value != nil && *f.Value > 72 {
					t.Errorf("time read %v hours from %q", *f.Value, f.Text)
				}
			}
		})
	}
}

func TestHowLongASignHasLastedIsRead(t *testing.T) {
	cases := []struct {
		text  string
		hours float64
	}{
		{"Had a headache for five days, the massage was yesterday and the headache is still there.", 120},
		{"after a course of massage the headaches started and they haven't gone away in a month", 730},
		{"My neck was sore for two days after the massage.", 0},
		{"I have had a headache since this morning.", 0},
	}
	for _, c := range cases {
		t.Run(c.text, func(t *testing.T) {
			if got := Default().ReadAll(c.text, readAt).SignHours; got != c.hours {
				t.Errorf("sign hours %v, want %v", got, c.hours)
			}
		})
	}
}

func TestAMeasuredTemperatureSaysWhetherThereIsAFever(t *testing.T) {
	cases := []struct {
		text  string
		fever bool
	}{
		{"Temperature of 38.5 and sore.", true},
		{"he has a fever of 103.5 tonight", true},
		{"Could the massage have given me a fever? I'm 37.2 and feel fine.", false},
		{"temp is 37 so no fever I think", false},
		{"thermometer says 101 degrees", true},
		{"I'm 38 and had a massage yesterday", false},
		{"I'm 37 weeks pregnant", false},
	}
	for _, c := range cases {
		t.Run(c.text, func(t *testing.T) {
			if got := symptomRead(c.text, "fever"); got != c.fever {
				t.Errorf("fever %v, want %v", got, c.fever)
			}
		})
	}
}

func TestPainWordsAboutTheSessionDoNotSetThePainNow(t *testing.T) {
	cases := []struct {
		text   string
		severe bool
	}{
		{"I went for a proper excruciating Balinese one yesterday, a bit sore today.", false},
		{"It was torture, she was so heavy-handed.", false},
		{"At my massage yesterday, when she worked my hips, it hurt so bad.", false},
		{"splitting headache after the massage, they did a lot on my neck", true},
		{"My back has been in serious pain since the massage.", true},
		{"The massage was yesterday and my back is excruciating now.", true},
	}
	for _, c := range cases {
		t.Run(c.text, func(t *testing.T) {
			severe := false
			for _, f := range Default().Read(c.text, readAt) {
				severe = severe || f.Type == "pain" && !f.Negated && f.Value != nil && *f.Value >= 7
			}
			if severe != c.severe {
				t.Errorf("severe pain now %v, want %v", severe, c.severe)
			}
		})
	}
}

func TestTheLeftOrRightOfTwoCalvesIsOneCalf(t *testing.T) {
	cases := []struct {
		text string
		want bool
	}{
		{"Both calves tightened on Monday, the right eased but the left still hurts.", true},
		{"Both calves are sore, the left one a bit more than the right, nothing else.", false},
		{"My calves are fine, the right is a bit tight.", false},
	}
	for _, c := range cases {
		t.Run(c.text, func(t *testing.T) {
			if got := symptomRead(c.text, calfPainCode); got != c.want {
				t.Errorf("calf_pain_one_side %v, want %v", got, c.want)
			}
		})
	}
}

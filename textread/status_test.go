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

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

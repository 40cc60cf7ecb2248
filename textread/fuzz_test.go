package textread

import (
	"fmt"
	"math"
	"testing"
	"time"

	"aftercare"
)

// checkFindings returns what is wrong with findings read from text, or "".
func checkFindings(text string, fs []aftercare.Finding) string {
	pains, times := 0, 0
	for i, f := range fs {
		if f.Start < 0 || f.End < f.Start || f.End > len(text) {
			return fmt.Sprintf("finding %d: offsets [%d,%d] outside a text of %d bytes", i, f.Start, f.End, len(text))
		}
		if text[f.Start:f.End] != f.Text {
			return fmt.Sprintf("finding %d: text[%d:%d] is %q, Text is %q", i, f.Start, f.End, text[f.Start:f.End], f.Text)
		}
		if i > 0 && f.Start < fs[i-1].Start {
			return fmt.Sprintf("finding %d starts at %d, before finding %d at %d", i, f.Start, i-1, fs[i-1].Start)
		}
		if !aftercare.FindingTypes.Has(f.Type) {
			return fmt.Sprintf("finding %d: unknown type %q", i, f.Type)
		}
		if f.Negated != (f.Context != "") {
			return fmt.Sprintf("finding %d: negated %v with context %q", i, f.Negated, f.Context)
		}
		switch f.Context {
		case "", "negated", "hypothetical", "historical":
		default:
			return fmt.Sprintf("finding %d: unknown context %q", i, f.Context)
		}
		switch f.Type {
		case "pain", "time":
			if f.Code != "" || f.Value == nil || math.IsNaN(*f.Value) {
				return fmt.Sprintf("finding %d: %s with code %q and value %v", i, f.Type, f.Code, f.Value)
			}
			limit := 10.0
			if f.Type == "time" {
				limit, times = aftercare.MaxHours, times+1
			} else {
				pains++
			}
			if *f.Value < 0 || *f.Value > limit {
				return fmt.Sprintf("finding %d: %s %v outside 0-%v", i, f.Type, *f.Value, limit)
			}
		default:
			if f.Value != nil || !aftercare.VocabularyOf(f.Type).Has(f.Code) {
				return fmt.Sprintf("finding %d: %s with code %q and value %v", i, f.Type, f.Code, f.Value)
			}
		}
	}
	if pains > 1 || times > 1 {
		return fmt.Sprintf("%d pain and %d time findings, want one at most", pains, times)
	}
	return ""
}

var fuzzSeeds = []string{
	"My calves are sore after the sports massage yesterday, about 3/10, no swelling.",
	"No numbness, tingling or swelling; if it swells should I worry about a clot?",
	"I had a DVT years ago. I'm on warfarin. Pain 6-7/10 since Tuesday, 48 hours after.",
	"pins&needles in my fingers!!! 10/10 ... 4 out of ten, a four, level 3",
	"forty eight hours ago, half an hour ago, the day before yesterday, last weekend",
	"İstanbul ÇOK ağrı \u00a0 numb\u2019s can\u2019t — 5/0 0/0 99999999999999999999/10",
	"\xff\xfe numb \x00 calf ... swollen",
	"",
	"a",
	"1.5.6/10/10 out of of 10 on a scale of",
	"2, then 4, now 7. Massage Friday. Saturday fine. Sunday now, can't lift my arm, maybe a bit numb?",
	"It's Friday morning, massage was Tuesday evening; legs like jelly, I floated home. Day after.",
	"felt like a knife at one point, fine now; feels bruised but no bruises; my husband fainted after his massage",
}

// FuzzRead checks that Read never panics, keeps its offsets inside the text and
// its values in range, whatever the text and the time.
func FuzzRead(f *testing.F) {
	for i, s := range fuzzSeeds {
		f.Add(s, int64(1768406400+i*7919)) // from 2026-01-14 on
	}
	r := Default()
	f.Fuzz(func(t *testing.T, text string, unix int64) {
		if len(text) > 2*aftercare.MaxTextBytes {
			text = text[:2*aftercare.MaxTextBytes]
		}
		at := time.Unix(unix%(1<<40), 0)
		rd := r.ReadAll(text, at)
		if msg := checkFindings(text, rd.Findings); msg != "" {
			t.Fatalf("Read(%q): %s", text, msg)
		}
		for _, u := range rd.Unsure {
			if u.Start < 0 || u.End > len(text) || u.Start >= u.End || aftercare.Symptoms.Index(u.Code) < 0 {
				t.Fatalf("Read(%q): unsure %+v", text, u)
			}
		}
		for _, v := range rd.Earlier {
			if v < 0 || v > 10 {
				t.Fatalf("Read(%q): earlier pain %v", text, v)
			}
		}
		if rd.Trend != "" && rd.Trend != "rising" && rd.Trend != "falling" {
			t.Fatalf("Read(%q): trend %q", text, rd.Trend)
		}
	})
}

// FuzzLoadLexicon checks that LoadLexicon never panics, names the file in its
// errors, and that whatever it accepts reads text safely.
func FuzzLoadLexicon(f *testing.F) {
	f.Add([]byte("symptom:\n  numbness: [\"{numb|dead}\", \"=arm ... asleep\"]\narea:\n  calves: [calf]\n"))
	f.Add([]byte("health:\n  pregnant: [\"i'm # weeks\", \"expecting !to\"]\npain:\n  mild: [\"[a|the] bit ...2 sore\"]\n"))
	f.Add([]byte("symptom:\n  numbness: [numb]\n  tingling: [tingly, numb]\n"))
	f.Add([]byte("symptom: &a\n  numbness: *a\n"))
	f.Add([]byte("- [\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 4096 {
			return
		}
		lx, err := LoadLexicon(data, "fuzz.yaml")
		if err != nil {
			if len(err.Error()) < len("fuzz.yaml: ") || err.Error()[:len("fuzz.yaml: ")] != "fuzz.yaml: " {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		text := "my calf is numb and swollen, not sore, 4/10, i'm 20 weeks, expecting a bit sore arm asleep"
		if msg := checkFindings(text, New(lx, DefaultBands()).Read(text, time.Unix(1768406400, 0))); msg != "" {
			t.Fatalf("custom lexicon: %s", msg)
		}
	})
}

package triage

import (
	"math/bits"
	"strconv"
	"strings"
	"testing"

	"aftercare"
	"aftercare/knowledge"
	"aftercare/triage/triagetest"
)

// TestEvalRulesAndAdviceMatchEachCondition checks the bitset order of
// EvalRules and EvalAdvice: bit i of the rules is rule i as Rule.Holds sees
// it, and at every level the plan can be chosen at, bit i of the relief and
// of the signs is measure i as Relief.Fits and sign i as Watch.Holds see it,
// on generated requests and on every vignette.
func TestEvalRulesAndAdviceMatchEachCondition(t *testing.T) {
	e := testEngine(t)
	kb := e.Knowledge()
	var facts []knowledge.Facts
	for _, req := range triagetest.Requests(300, triagetest.Seed) {
		f, err := e.Facts(req, requestTime)
		if err != nil {
			t.Fatal(err)
		}
		facts = append(facts, f)
	}
	for _, file := range []string{"../testdata/vignettes/public.jsonl", "testdata/vignettes.jsonl", "testdata/heldout.jsonl"} {
		for _, v := range readVignettes(t, file) {
			req, err := aftercare.DecodeRequest(v.Request)
			if err != nil {
				t.Fatal(err)
			}
			f, err := e.Facts(req, requestTime)
			if err != nil {
				t.Fatal(err)
			}
			facts = append(facts, f)
		}
	}
	fired := make([]uint64, kb.RuleWords())
	nr, nw := kb.AdviceWords()
	relief, watch := make([]uint64, nr), make([]uint64, nw)
	isSet := func(bits []uint64, i int) bool { return bits[i/64]&(1<<(i%64)) != 0 }
	for i := range facts {
		f := &facts[i]
		if err := kb.EvalRules(f, fired); err != nil {
			t.Fatal(err)
		}
		n := 0
		for j := range kb.Rules {
			ok, err := kb.Rules[j].Holds(f)
			if err != nil {
				t.Fatal(err)
			}
			if ok {
				n++
			}
			if got := isSet(fired, j); got != ok {
				t.Errorf("facts %d: EvalRules says rule %s is %v, Holds %v", i, kb.Rules[j].ID, got, ok)
			}
		}
		total := 0
		for _, w := range fired {
			total += bits.OnesCount64(w)
		}
		if total != n {
			t.Errorf("facts %d: %d bits set for %d rules that hold", i, total, n)
		}
		for level := range 6 {
			f.Level = level
			kb.EvalAdvice(f, relief, watch)
			for j := range kb.Relief {
				if got, want := isSet(relief, j), kb.Relief[j].Fits(f); got != want {
					t.Errorf("facts %d, level %d: EvalAdvice says relief %s fits: %v; Fits: %v", i, level, kb.Relief[j].ID, got, want)
				}
			}
			for j := range kb.WatchFor {
				if got, want := isSet(watch, j), kb.WatchFor[j].Holds(f); got != want {
					t.Errorf("facts %d, level %d: EvalAdvice says sign %s: %v; Holds: %v", i, level, kb.WatchFor[j].ID, got, want)
				}
			}
		}
	}
}

// TestFillMatchesAReplacer checks the placeholder filling against
// strings.Replacer, which it replaced for speed.
func TestFillMatchesAReplacer(t *testing.T) {
	e := testEngine(t)
	for _, f := range []knowledge.Facts{
		{Style: "deep_tissue", WindowFrom: 24, WindowTo: 48, Hours: 30.4, Pain: 4},
		{Style: "", WindowFrom: 0, WindowTo: 72, Hours: 71.5, Pain: 10},
		{Style: "no_such_style", Hours: 0.5},
	} {
		for _, text := range []string{"", "plain", "{style} after {hours} h ({from}–{to}), pain {pain}",
			"{", "}{", "{{style}}", "{unknown} {style", "{pain}{pain}{to}", "a {hours"} {
			style := "this kind of massage"
			if st := e.Knowledge().Style(f.Style); st != nil {
				style = "a " + strings.ToLower(st.Name) + " massage"
			}
			want := strings.NewReplacer("{style}", style, "{from}", strconv.Itoa(int(f.WindowFrom)),
				"{to}", strconv.Itoa(int(f.WindowTo)), "{hours}", strconv.FormatFloat(f.Hours, 'f', 0, 64),
				"{pain}", strconv.Itoa(f.Pain)).Replace(text)
			if got := e.fill(text, &f); got != want {
				t.Errorf("fill(%q) = %q, want %q", text, got, want)
			}
		}
	}
}

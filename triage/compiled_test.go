package triage

import (
	"encoding/json"
	"math/bits"
	"strconv"
	"strings"
	"testing"

	"aftercare"
	"aftercare/knowledge"
	"aftercare/triage/triagetest"
)

// TestCompiledConditionsMatchTheVM holds the closure compiler to expr's own
// VM: on the 1,000 generated requests of the benchmarks and on every
// vignette, every condition of the knowledge base (rules, relief, signs),
// at every level the plan can be chosen at, gives the same answer compiled
// as on the VM; and evaluating the rules together (EvalRules, with guards)
// gives the same set as running each on the VM.
func TestCompiledConditionsMatchTheVM(t *testing.T) {
	e := testEngine(t)
	kb := e.Knowledge()
	if vm := kb.VMConditions(); len(vm) > 0 {
		t.Errorf("conditions of the built-in knowledge base that run on the VM: %v", vm)
	}
	var facts []knowledge.Facts
	for _, req := range triagetest.Requests(1000, triagetest.Seed) {
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
	vmHolds := func(c *knowledge.Cond, f *knowledge.Facts) bool {
		ok, err := c.TestVM(f)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	checked := 0
	for i := range facts {
		f := &facts[i]
		if err := kb.EvalRules(f, fired); err != nil {
			t.Fatal(err)
		}
		for j := range kb.Rules {
			want, err := kb.Rules[j].Cond().TestVM(f)
			if err != nil {
				t.Fatal(err)
			}
			if got := fired[j/64]&(1<<(j%64)) != 0; got != want {
				t.Errorf("facts %d: EvalRules says rule %s is %v, the VM %v", i, kb.Rules[j].ID, got, want)
			}
		}
		for level := range 6 {
			f.Level = level
			kb.EvalAdvice(f, relief, watch)
			for j := range kb.Relief {
				r := &kb.Relief[j]
				want := vmHolds(r.WhenCond(), f) && (r.UnlessCond() == nil || !vmHolds(r.UnlessCond(), f))
				if got := relief[j/64]&(1<<(j%64)) != 0; got != want {
					t.Errorf("facts %d, level %d: EvalAdvice says relief %s fits: %v; the VM: %v", i, level, r.ID, got, want)
				}
			}
			for j := range kb.WatchFor {
				w := &kb.WatchFor[j]
				if got, want := watch[j/64]&(1<<(j%64)) != 0, vmHolds(w.Cond(), f); got != want {
					t.Errorf("facts %d, level %d: EvalAdvice says sign %s: %v; the VM: %v", i, level, w.ID, got, want)
				}
			}
			for where, c := range kb.Conds() {
				got, err := c.Test(f)
				if err != nil {
					t.Fatal(err)
				}
				want, err := c.TestVM(f)
				if err != nil {
					t.Fatal(err)
				}
				if got != want {
					js, _ := json.Marshal(f)
					t.Errorf("%s (%s): compiled %v, VM %v, on %s", where, c, got, want, js)
				}
				checked++
			}
		}
	}
	t.Logf("%d facts, %d condition evaluations compared", len(facts), checked)
}

// TestEvalRulesMatchesHolds checks the bitset order of EvalRules: bit i is
// rule i, as Rule.Holds sees it.
func TestEvalRulesMatchesHolds(t *testing.T) {
	e := testEngine(t)
	kb := e.Knowledge()
	fired := make([]uint64, kb.RuleWords())
	for _, req := range triagetest.Requests(200, 7) {
		f, err := e.Facts(req, requestTime)
		if err != nil {
			t.Fatal(err)
		}
		if err := kb.EvalRules(&f, fired); err != nil {
			t.Fatal(err)
		}
		n := 0
		for j := range kb.Rules {
			ok, err := kb.Rules[j].Holds(&f)
			if err != nil {
				t.Fatal(err)
			}
			if ok {
				n++
			}
			if got := fired[j/64]&(1<<(j%64)) != 0; got != ok {
				t.Errorf("rule %s: EvalRules %v, Holds %v", kb.Rules[j].ID, got, ok)
			}
		}
		total := 0
		for _, w := range fired {
			total += bits.OnesCount64(w)
		}
		if total != n {
			t.Errorf("%d bits set for %d rules that hold", total, n)
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

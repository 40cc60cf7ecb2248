package rules

import (
	"context"
	"math/bits"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"aftercare"
	"aftercare/knowledge"
	"aftercare/triage"
)

// N is the number of requests every engine evaluates per benchmark op.
const N = 1000

// at is the time the requests are assessed at.
var at = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

type namedEngine struct {
	name string
	Engine
}

type fixture struct {
	kb       *knowledge.Base
	requests []aftercare.Request
	facts    []knowledge.Facts
	engines  []namedEngine
}

var (
	fixOnce sync.Once
	fix     *fixture
	fixErr  error
)

// load builds the requests, their facts and every engine once per test binary.
func load(tb testing.TB) *fixture {
	tb.Helper()
	fixOnce.Do(func() {
		kb, err := knowledge.Default()
		if err != nil {
			fixErr = err
			return
		}
		fx := &fixture{kb: kb, requests: Requests(N, Seed)}
		eng := triage.New(kb, nil)
		for i := range fx.requests {
			f, err := eng.Facts(fx.requests[i], at)
			if err != nil {
				fixErr = err
				return
			}
			fx.facts = append(fx.facts, f)
		}
		ours, err := NewOurs(kb)
		if err != nil {
			fixErr = err
			return
		}
		opa, err := NewOPA(context.Background())
		if err != nil {
			fixErr = err
			return
		}
		cel, err := NewCEL(kb)
		if err != nil {
			fixErr = err
			return
		}
		gr, err := NewGrule()
		if err != nil {
			fixErr = err
			return
		}
		fx.engines = []namedEngine{{"ours", ours}, {"opa", opa}, {"cel", cel}, {"grule", gr}, {"go", NewGo()}}
		fix = fx
	})
	if fixErr != nil {
		tb.Fatal(fixErr)
	}
	return fix
}

// TestRequestsAreValid checks that the generated requests are ones the
// service would accept, and that they are the same for the same seed.
func TestRequestsAreValid(t *testing.T) {
	fx := load(t)
	for i := range fx.requests {
		if err := fx.requests[i].Validate(); err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
	}
	if !reflect.DeepEqual(fx.requests, Requests(N, Seed)) {
		t.Fatal("the same seed gave different requests")
	}
}

// TestFactsMatchTriage checks the bench's way of evaluating the rules against
// the triage engine: running all of the knowledge base's rules on the
// engine's facts must give the level and the fired rules that Assess gives.
func TestFactsMatchTriage(t *testing.T) {
	fx := load(t)
	eng := triage.New(fx.kb, nil)
	for i := range fx.requests {
		resp, err := eng.Assess(fx.requests[i], at)
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		var want []string
		for _, r := range resp.Reasons {
			if r.Rule != fx.kb.Fallback.ID {
				want = append(want, r.Rule)
			}
		}
		var got []string
		level := 0
		for j := range fx.kb.Rules {
			r := &fx.kb.Rules[j]
			ok, err := r.Holds(&fx.facts[i])
			if err != nil {
				t.Fatal(err)
			}
			if ok {
				got = append(got, r.ID)
				level = max(level, r.LevelValue())
			}
		}
		if level == 0 {
			level = fx.kb.Fallback.LevelValue()
		}
		slices.Sort(want)
		slices.Sort(got)
		if level != int(resp.Level) || !slices.Equal(got, want) {
			t.Errorf("request %d: derived facts give level %d %v; triage gives %d %v", i, level, got, resp.Level, want)
		}
	}
}

// TestAllEnginesAgree runs every engine on every request and fails on any
// difference in the level or the set of fired rules. It also checks that
// each engine's level is the highest level among its fired rules, and that
// the requests make every rule fire at least once (else a rule's
// translation would go untested).
func TestAllEnginesAgree(t *testing.T) {
	fx := load(t)
	var fired uint64
	levels := map[int]int{}
	for i := range fx.facts {
		var want Result
		for k, e := range fx.engines {
			got, err := e.Eval(&fx.facts[i])
			if err != nil {
				t.Fatalf("request %d: %s: %v", i, e.name, err)
			}
			top := 0
			for b := got.Fired; b != 0; b &= b - 1 {
				top = max(top, Levels[bits.TrailingZeros64(b)])
			}
			if got.Level != top {
				t.Errorf("request %d: %s: level %d, but its fired rules reach %d", i, e.name, got.Level, top)
			}
			if k == 0 {
				want = got
				continue
			}
			if got != want {
				t.Errorf("request %d: %s gives %v; %s gives %v", i, e.name, got, fx.engines[0].name, want)
			}
		}
		fired |= want.Fired
		levels[want.Level]++
	}
	for j, id := range IDs {
		if fired&(1<<j) == 0 {
			t.Errorf("rule %s never fires on the %d requests", id, N)
		}
	}
	t.Logf("levels over %d requests (0 = no rule of the set fired): %v", N, levels)
}

// TestCELActivationCoversFacts checks that the CEL activation serves every
// variable the CEL environment declares.
func TestCELActivationCoversFacts(t *testing.T) {
	a := &activation{f: &knowledge.Facts{}}
	t1 := reflect.TypeFor[knowledge.Facts]()
	for i := range t1.NumField() {
		f := t1.Field(i)
		names := []string{f.Tag.Get("expr")}
		if f.Type.Kind() == reflect.Struct {
			names = nil
			for j := range f.Type.NumField() {
				names = append(names, f.Tag.Get("expr")+"."+f.Type.Field(j).Tag.Get("expr"))
			}
		}
		for _, n := range names {
			if _, ok := a.ResolveName(n); !ok {
				t.Errorf("the activation does not serve %s", n)
			}
		}
	}
}

var sink Result

// BenchmarkRules evaluates the rule set on the same 1,000 requests' facts in
// each engine; one op is all 1,000, and ns/req is the time per request. Each
// engine turns the facts into its own input form inside the timed loop.
func BenchmarkRules(b *testing.B) {
	fx := load(b)
	for _, e := range fx.engines {
		b.Run("engine="+e.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for i := range fx.facts {
					r, err := e.Eval(&fx.facts[i])
					if err != nil {
						b.Fatal(err)
					}
					sink = r
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(fx.facts)), "ns/req")
		})
	}
}

// BenchmarkAssess runs the full triage engine (derive the facts, all rules,
// reasons, plan, watch list, recovery) on the same 1,000 requests. The
// requests carry no text, so the engine gets no text reader.
func BenchmarkAssess(b *testing.B) {
	fx := load(b)
	eng := triage.New(fx.kb, nil)
	b.ReportAllocs()
	for b.Loop() {
		for i := range fx.requests {
			if _, err := eng.Assess(fx.requests[i], at); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(fx.requests)), "ns/req")
}

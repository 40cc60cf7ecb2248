package knowledge

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unsafe"
)

// leafPaths lists the leaf fields of Facts by kind, as conditions name them.
func leafPaths() map[reflect.Kind][]string {
	out := map[reflect.Kind][]string{}
	for p, f := range fields {
		if f.kind != reflect.Struct {
			out[f.kind] = append(out[f.kind], p)
		}
	}
	for _, ps := range out {
		slices.Sort(ps)
	}
	return out
}

// strValues are the strings the facts take, and a few they never do.
var strValues = []string{"", "none", "mild", "moderate", "severe", "gentle", "deep", "likely", "possible",
	"unlikely", "rising", "falling", "steady", "deep_tissue", "sports", "swedish", "firm", "light", "other", "é"}

// floatValues are the hours and percentages the facts take, and edge cases.
var floatValues = []float64{0, 0.5, 1, 2, 12, 24, 24.5, 36, 48, 48.5, 72, 72.5, 96, 120, -1, -30, 30, 100,
	math.Copysign(0, -1), math.Inf(1), math.NaN()}

// randomFacts fills every leaf field of Facts from r.
func randomFacts(r *rand.Rand) *Facts {
	f := new(Facts)
	for p, fd := range fields {
		at := unsafe.Add(unsafe.Pointer(f), fd.off)
		switch fd.kind {
		case reflect.Bool:
			*(*bool)(at) = r.IntN(3) == 0
		case reflect.Int:
			*(*int)(at) = r.IntN(15) - 3
			if r.IntN(4) == 0 {
				*(*int)(at) = 0
			}
		case reflect.Float64:
			*(*float64)(at) = floatValues[r.IntN(len(floatValues))]
		case reflect.String:
			*(*string)(at) = strValues[r.IntN(len(strValues))]
		default:
			_ = p
		}
	}
	return f
}

// factsFromBytes fills Facts from fuzz input, one byte per leaf field in a
// fixed order (missing bytes read as 0).
func factsFromBytes(data []byte) *Facts {
	f := new(Facts)
	paths := make([]string, 0, len(fields))
	for p := range fields {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	next := func() byte {
		if len(data) == 0 {
			return 0
		}
		b := data[0]
		data = data[1:]
		return b
	}
	for _, p := range paths {
		fd := fields[p]
		at := unsafe.Add(unsafe.Pointer(f), fd.off)
		switch fd.kind {
		case reflect.Bool:
			*(*bool)(at) = next()&1 == 1
		case reflect.Int:
			*(*int)(at) = int(int8(next()))
		case reflect.Float64:
			*(*float64)(at) = floatValues[int(next())%len(floatValues)]
		case reflect.String:
			*(*string)(at) = strValues[int(next())%len(strValues)]
		}
	}
	return f
}

// gen writes random well-typed conditions over Facts within the closure
// compiler's subset.
type gen struct {
	r     *rand.Rand
	paths map[reflect.Kind][]string
}

func (g *gen) pick(xs []string) string { return xs[g.r.IntN(len(xs))] }

func (g *gen) boolean(depth int) string {
	n := 9
	if depth <= 0 {
		n = 2
	}
	switch g.r.IntN(n) {
	case 0:
		return g.pick(g.paths[reflect.Bool])
	case 1:
		return g.pick([]string{"true", "false"})
	case 2:
		return "!" + g.boolean(depth-1)
	case 3, 4:
		op := g.pick([]string{"&&", "||", "and", "or"})
		parts := []string{g.boolean(depth - 1), g.boolean(depth - 1)}
		for g.r.IntN(3) == 0 {
			parts = append(parts, g.boolean(depth-1))
		}
		return "(" + strings.Join(parts, " "+op+" ") + ")"
	case 5:
		return "(" + g.number(depth-1) + " " + g.pick([]string{"==", "!=", "<", "<=", ">", ">="}) + " " + g.number(depth-1) + ")"
	case 6:
		switch g.r.IntN(4) {
		case 0:
			return "(" + g.str(depth-1) + " " + g.pick([]string{"==", "!=", "<", ">="}) + " " + g.str(depth-1) + ")"
		case 1:
			return "(" + g.str(depth-1) + " in [" + fmt.Sprintf("%q, %q", g.pick(strValues), g.pick(strValues)) + "])"
		case 2:
			return "(" + g.str(depth-1) + " " + g.pick([]string{"contains", "startsWith", "endsWith"}) + " " + g.str(depth-1) + ")"
		default:
			return "(" + g.pick(g.paths[reflect.Int]) + fmt.Sprintf(" in [%d, %d, %d])", g.r.IntN(6), g.r.IntN(6), -g.r.IntN(3))
		}
	case 7:
		return "(" + g.boolean(depth-1) + " " + g.pick([]string{"==", "!="}) + " " + g.boolean(depth-1) + ")"
	default:
		return "(" + g.boolean(depth-1) + " ? " + g.boolean(depth-1) + " : " + g.boolean(depth-1) + ")"
	}
}

func (g *gen) number(depth int) string {
	n := 7
	if depth <= 0 {
		n = 3
	}
	switch g.r.IntN(n) {
	case 0:
		return g.pick(g.paths[reflect.Int])
	case 1:
		return g.pick(g.paths[reflect.Float64])
	case 2:
		if g.r.IntN(2) == 0 {
			return fmt.Sprint(g.r.IntN(80) - 5)
		}
		return fmt.Sprint(float64(g.r.IntN(160))/2 - 5)
	case 3:
		return "(" + g.number(depth-1) + " " + g.pick([]string{"+", "-", "*", "/", "**"}) + " " + g.number(depth-1) + ")"
	case 4:
		return g.pick([]string{"-", "+"}) + g.number(depth-1)
	case 5:
		if g.r.IntN(2) == 0 {
			return "len(" + g.str(depth-1) + ")"
		}
		return "abs(" + g.number(depth-1) + ")"
	default:
		if g.r.IntN(2) == 0 {
			return "(" + g.boolean(depth-1) + " ? " + g.pick(g.paths[reflect.Int]) + " : " + fmt.Sprint(g.r.IntN(10)) + ")"
		}
		return "(" + g.boolean(depth-1) + " ? " + g.pick(g.paths[reflect.Float64]) + " : " + fmt.Sprintf("%.1f", float64(g.r.IntN(20))/2) + ")"
	}
}

func (g *gen) str(depth int) string {
	switch g.r.IntN(4) {
	case 0, 1:
		return g.pick(g.paths[reflect.String])
	case 2:
		return fmt.Sprintf("%q", g.pick(strValues))
	default:
		if depth <= 0 {
			return g.pick(g.paths[reflect.String])
		}
		return "(" + g.str(depth-1) + " + " + g.str(depth-1) + ")"
	}
}

// TestGeneratedConditionsMatchTheVM writes thousands of random conditions
// within the compiler's subset, checks that each compiles to closures, and
// that closures, the VM and a CondSet of all of them (several words of
// bits, with guards) agree on random facts.
func TestGeneratedConditionsMatchTheVM(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	g := &gen{r: r, paths: leafPaths()}
	var conds []*Cond
	for len(conds) < 3000 {
		src := g.boolean(4)
		c, err := newCond(src)
		if err != nil {
			// Type errors the generator cannot see (e.g. ?: on int and float) are expr's to refuse.
			continue
		}
		if !c.Compiled() {
			t.Errorf("%s runs on the VM: %s", src, c.VMReason())
			continue
		}
		conds = append(conds, c)
	}
	set := NewCondSet(conds)
	out := make([]uint64, set.Words())
	exact, guarded := 0, 0
	for _, c := range conds {
		if c.exact {
			exact++
		}
		if c.guard != nil {
			guarded++
		}
	}
	t.Logf("%d conditions: %d guarded, %d exact by their guard", len(conds), guarded, exact)
	for range 300 {
		f := randomFacts(r)
		if err := set.Eval(f, out); err != nil {
			t.Fatal(err)
		}
		for i, c := range conds {
			got, _ := c.Test(f)
			want, err := c.TestVM(f)
			if err != nil {
				t.Fatalf("%s: the VM fails: %v", c, err)
			}
			if got != want {
				t.Fatalf("%s: compiled %v, VM %v, on %+v", c, got, want, *f)
			}
			if inSet := out[i/64]&(1<<(i%64)) != 0; inSet != want {
				t.Fatalf("%s: CondSet %v, VM %v, on %+v", c, inSet, want, *f)
			}
		}
	}
}

// TestUnsupportedConditionsRunOnTheVM checks the fallback: a condition the
// closure compiler does not support still loads, runs on the VM, is listed by
// VMConditions, and is judged by EvalRules like any other.
func TestUnsupportedConditionsRunOnTheVM(t *testing.T) {
	for _, src := range []string{"pain % 2 == 1", "style matches '^deep'", "max(pain, rise) > 4", "(pain ?? 0) > 3"} {
		c, err := newCond(src)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		if c.Compiled() || c.VMReason() == "" {
			t.Errorf("%s: compiled %v, reason %q; want it on the VM with a reason", src, c.Compiled(), c.VMReason())
		}
	}
	over := []byte(`
rules:
  - id: odd_pain
    level: monitor
    when: "sore && pain % 2 == 1"
    text: Odd.
    sources: [seed]
`)
	b, err := Overlay(Builtin(), over, "clinic.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if vm := b.VMConditions(); len(vm) != 1 || !strings.Contains(vm[0], "odd_pain") {
		t.Fatalf("VMConditions = %v, want the odd_pain rule", vm)
	}
	fired := make([]uint64, b.RuleWords())
	i := slices.IndexFunc(b.Rules, func(r Rule) bool { return r.ID == "odd_pain" })
	for pain := range 11 {
		f := &Facts{Sore: pain > 0, Pain: pain}
		if err := b.EvalRules(f, fired); err != nil {
			t.Fatal(err)
		}
		if got, want := fired[i/64]&(1<<(i%64)) != 0, pain%2 == 1; got != want {
			t.Errorf("pain %d: odd_pain %v, want %v", pain, got, want)
		}
	}
}

// FuzzCompiledMatchesVM compiles any condition expr accepts and checks that,
// when the closure compiler takes it, closures and VM agree on facts made
// from the fuzz input. The seed corpus is every condition of the built-in
// knowledge base.
func FuzzCompiledMatchesVM(f *testing.F) {
	b, err := Default()
	if err != nil {
		f.Fatal(err)
	}
	for _, c := range b.Conds() {
		f.Add(c.String(), []byte{1, 0, 1, 5, 200, 7, 1, 1, 0, 3})
	}
	f.Fuzz(func(t *testing.T, src string, data []byte) {
		c, err := newCond(src)
		if err != nil {
			return
		}
		facts := factsFromBytes(data)
		want, err := c.TestVM(facts)
		if err != nil {
			return
		}
		got, err := c.Test(facts)
		if err != nil || got != want {
			t.Fatalf("%s: compiled %v (%v), VM %v", src, got, err, want)
		}
		set := NewCondSet([]*Cond{c})
		out := make([]uint64, 1)
		if err := set.Eval(facts, out); err != nil || (out[0] == 1) != want {
			t.Fatalf("%s: CondSet %v (%v), VM %v", src, out[0], err, want)
		}
	})
}

package rules

import (
	"fmt"
	"math/bits"
	"slices"

	"github.com/expr-lang/expr/vm"

	"aftercare/knowledge"
)

// Engine evaluates the rules of IDs for one request's facts. An engine keeps
// working memory between calls and is not safe for concurrent use.
type Engine interface {
	// Eval runs every rule on the facts and reports the level and the rules that fired.
	Eval(f *knowledge.Facts) (Result, error)
}

// Ours is our engine as package triage runs it: the knowledge base's
// conditions, type-checked by expr and compiled into Go closures over
// knowledge.Facts, evaluated together by a knowledge.CondSet (guards skip
// the rules the facts cannot make true).
type Ours struct {
	set *knowledge.CondSet
	out [1]uint64
}

// NewOurs returns our engine over the knowledge base's rules named in IDs.
func NewOurs(kb *knowledge.Base) (*Ours, error) {
	sel, err := Selected(kb)
	if err != nil {
		return nil, err
	}
	conds := make([]*knowledge.Cond, len(sel))
	for i, r := range sel {
		conds[i] = r.Cond()
	}
	return &Ours{set: knowledge.NewCondSet(conds)}, nil
}

// Eval evaluates the rule set on the facts.
func (e *Ours) Eval(f *knowledge.Facts) (Result, error) {
	if err := e.set.Eval(f, e.out[:]); err != nil {
		return Result{}, err
	}
	res := Result{Fired: e.out[0]}
	for b := res.Fired; b != 0; b &= b - 1 {
		res.Level = max(res.Level, Levels[bits.TrailingZeros64(b)])
	}
	return res, nil
}

// AOT is our engine as triage runs the built-in knowledge base: its rules
// compiled ahead of time into Go from knowledge.yaml (knowledge/rules_aot.go,
// kept current by a test), through knowledge.Base.EvalRules. It evaluates all
// of the knowledge base's rules (more than IDs) and reports those of IDs,
// gathering their bits and levels with byte tables (no branch per rule).
type AOT struct {
	kb    *knowledge.Base
	fired []uint64
	// gather[k][b][v]: for byte b of word k of the knowledge base's fired
	// bits holding v, the Result bits of the rules of IDs among them, with
	// the highest of their levels in the top byte.
	gather [][8][256]uint64
}

// NewAOT returns the ahead-of-time engine; it fails when the knowledge base
// does not run its rules ahead of time.
func NewAOT(kb *knowledge.Base) (*AOT, error) {
	if !kb.AOT() {
		return nil, fmt.Errorf("rules: the knowledge base's rules are not compiled ahead of time")
	}
	nw := kb.RuleWords()
	if len(IDs) > 56 {
		return nil, fmt.Errorf("rules: more than 56 rules do not leave a byte for the level")
	}
	e := &AOT{kb: kb, fired: make([]uint64, nw), gather: make([][8][256]uint64, nw)}
	for i, id := range IDs {
		j := slices.IndexFunc(kb.Rules, func(r knowledge.Rule) bool { return r.ID == id })
		k, b, bit := j/64, j%64/8, j%8
		for v := range 256 {
			if v>>bit&1 != 0 {
				g := &e.gather[k][b][v]
				*g = (*g&(1<<56-1) | 1<<i) | max(*g>>56, uint64(Levels[i]))<<56
			}
		}
	}
	return e, nil
}

// Eval evaluates the knowledge base's rules and reports those of IDs.
func (e *AOT) Eval(f *knowledge.Facts) (Result, error) {
	if err := e.kb.EvalRules(f, e.fired); err != nil {
		return Result{}, err
	}
	var fired, lv uint64
	for k, w := range e.fired {
		g := &e.gather[k]
		for b := range 8 {
			x := g[b][uint8(w>>(8*b))]
			fired |= x
			lv = max(lv, x>>56)
		}
	}
	return Result{Level: int(lv), Fired: fired & (1<<56 - 1)}, nil
}

// ExprVM is how our engine ran before its conditions were compiled to
// closures: each rule's expr program run on the expr VM, against the facts
// loaded into their boxed twin knowledge.Env (one reused VM, as triage did).
type ExprVM struct {
	rules []*knowledge.Rule
	vm    vm.VM
	env   knowledge.Env
}

// NewExprVM returns the expr-VM engine over the knowledge base's rules named in IDs.
func NewExprVM(kb *knowledge.Base) (*ExprVM, error) {
	sel, err := Selected(kb)
	if err != nil {
		return nil, err
	}
	return &ExprVM{rules: sel}, nil
}

// Eval loads the facts and runs every rule's expr program.
func (e *ExprVM) Eval(f *knowledge.Facts) (Result, error) {
	var res Result
	e.env.Load(f)
	for i, r := range e.rules {
		ok, err := r.Cond().RunVM(&e.vm, &e.env)
		if err != nil {
			return Result{}, err
		}
		if ok {
			res.fire(1<<i, r.LevelValue())
		}
	}
	return res, nil
}

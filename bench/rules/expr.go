package rules

import (
	"fmt"
	"slices"

	"aftercare/knowledge"
)

// Engine evaluates the rules of IDs for one request's facts. An engine keeps
// working memory between calls and is not safe for concurrent use.
type Engine interface {
	// Eval runs every rule on the facts and reports the level and the rules that fired.
	Eval(f *knowledge.Facts) (Result, error)
}

// Ours is our engine as package triage runs it: every rule of the knowledge
// base, an expr program type-checked at load, through
// knowledge.Base.EvalRules. It evaluates all of the knowledge base's rules
// (more than IDs) and reports those of IDs, gathering their bits and levels
// with byte tables (no branch per rule).
type Ours struct {
	kb    *knowledge.Base
	fired []uint64
	// gather[k][b][v]: for byte b of word k of the knowledge base's fired
	// bits holding v, the Result bits of the rules of IDs among them, with
	// the highest of their levels in the top byte.
	gather [][8][256]uint64
}

// NewOurs returns our engine over the knowledge base; it fails when a rule
// of IDs is missing from it.
func NewOurs(kb *knowledge.Base) (*Ours, error) {
	if _, err := Selected(kb); err != nil {
		return nil, err
	}
	if len(IDs) > 56 {
		return nil, fmt.Errorf("rules: more than 56 rules do not leave a byte for the level")
	}
	nw := kb.RuleWords()
	e := &Ours{kb: kb, fired: make([]uint64, nw), gather: make([][8][256]uint64, nw)}
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
func (e *Ours) Eval(f *knowledge.Facts) (Result, error) {
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

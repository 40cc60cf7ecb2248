package rules

import (
	"github.com/expr-lang/expr/vm"

	"aftercare/knowledge"
)

// Engine evaluates the rules of IDs for one request's facts. An engine keeps
// working memory between calls and is not safe for concurrent use.
type Engine interface {
	// Eval runs every rule on the facts and reports the level and the rules that fired.
	Eval(f *knowledge.Facts) (Result, error)
}

// Expr is our own engine: the knowledge base's compiled expr programs, run the
// way package triage runs them (facts loaded into a knowledge.Env, then
// Rule.Holds on one reused VM).
type Expr struct {
	rules []*knowledge.Rule
	vm    vm.VM
	env   knowledge.Env
}

// NewExpr returns our engine over the knowledge base's rules named in IDs.
func NewExpr(kb *knowledge.Base) (*Expr, error) {
	sel, err := Selected(kb)
	if err != nil {
		return nil, err
	}
	return &Expr{rules: sel}, nil
}

// Eval loads the facts and runs every rule's compiled program.
func (e *Expr) Eval(f *knowledge.Facts) (Result, error) {
	var res Result
	e.env.Load(f)
	for i, r := range e.rules {
		ok, err := r.Holds(&e.vm, &e.env)
		if err != nil {
			return Result{}, err
		}
		if ok {
			res.fire(1<<i, r.LevelValue())
		}
	}
	return res, nil
}

package knowledge

import (
	"fmt"
	"sync"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
)

// Cond is one condition of the knowledge base (a rule's when, a relief
// measure's when or unless, a sign's when): an expr program, parsed and
// type-checked against Facts at load, so that a misspelt name or code, or a
// condition that is not a bool, is refused then.
type Cond struct {
	src  string
	prog *vm.Program
}

// newCond compiles a condition with expr, type-checked against Facts.
func newCond(src string) (*Cond, error) {
	prog, err := expr.Compile(src, expr.Env(Facts{}), expr.AsBool())
	if err != nil {
		return nil, err
	}
	return &Cond{src: src, prog: prog}, nil
}

// String returns the condition's source.
func (c *Cond) String() string { return c.src }

// Test reports whether the condition holds for the facts. It fails when the
// program does (an integer modulo by zero, say).
func (c *Cond) Test(f *Facts) (bool, error) {
	r := newRun(f)
	defer r.done()
	return c.run(r)
}

// run evaluates the condition on facts already loaded into r.
func (c *Cond) run(r *run) (bool, error) {
	out, err := r.vm.Run(c.prog, r.facts)
	if err != nil {
		return false, err
	}
	ok, isBool := out.(bool)
	if !isBool {
		return false, fmt.Errorf("the condition gave %T, not a bool", out)
	}
	return ok, nil
}

// run is what evaluating conditions on one set of facts needs: a VM, reused
// across calls, and the facts.
type run struct {
	vm vm.VM
	// facts holds a copy of the Facts (not a pointer to them): expr reads the
	// fields of a copy held in an interface without copying each one to the
	// heap, as it must do for a field reached through a pointer.
	facts any
}

var runs = sync.Pool{New: func() any { return new(run) }}

// newRun returns a run with the facts loaded; done gives it back.
func newRun(f *Facts) *run {
	r := runs.Get().(*run)
	r.facts = *f
	return r
}

func (r *run) done() {
	r.facts = nil
	runs.Put(r)
}

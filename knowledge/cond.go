package knowledge

import (
	"fmt"
	"sync"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
)

// Cond is one condition of the knowledge base (a rule's when, a relief
// measure's when or unless, a sign's when). It is parsed and type-checked by
// expr against Facts, then compiled a second time, from expr's checked syntax
// tree, into a short list of typed tests that read Facts fields at fixed
// offsets and jump on their outcome (compile.go, code.go). That code is what
// runs; the expr program is the reference it is tested against, and it runs
// instead when the condition uses something the compiler does not support
// (VMReason says what).
type Cond struct {
	src  string
	prog *vm.Program

	// code is the compiled condition, when compiled is true.
	code     program
	compiled bool
	// guard is a necessary condition (see guard.go): when none of its atoms
	// holds, the condition is false. nil when there is none.
	guard []atom
	// exact is true when the guard is the whole condition (it holds exactly
	// when one of the guard's atoms does).
	exact bool
	// after, when not nil, is what is left of the condition once its guard (a
	// single atom) is known to hold.
	after *program
	// vmReason says why the condition runs on the expr VM; "" when compiled.
	vmReason string
}

// newCond compiles a condition with expr (parse and type-check against Facts)
// and then into closures.
func newCond(src string) (*Cond, error) {
	prog, err := expr.Compile(src, expr.Env(Facts{}), expr.AsBool())
	if err != nil {
		return nil, err
	}
	c := &Cond{src: src, prog: prog}
	b, err := compileBool(prog.Node())
	if err != nil {
		c.vmReason = err.Error()
		return c, nil
	}
	c.code, c.compiled, c.guard, c.exact = emitProgram(b), true, b.guard, b.exact
	if b.afterGuard != nil {
		p := emitProgram(and(b.afterGuard))
		c.after = &p
	}
	return c, nil
}

// String returns the condition's source.
func (c *Cond) String() string { return c.src }

// Compiled reports whether the condition runs compiled (true) or on the
// expr VM (false).
func (c *Cond) Compiled() bool { return c.compiled }

// VMReason says why the condition runs on the expr VM instead of compiled;
// it is empty when the condition is compiled.
func (c *Cond) VMReason() string { return c.vmReason }

// Test reports whether the condition holds for the facts. A compiled
// condition never fails; one run on the VM fails when the VM does.
func (c *Cond) Test(f *Facts) (bool, error) {
	if c.compiled {
		return run(c.code.code, c.code.entry, f), nil
	}
	return c.TestVM(f)
}

// TestVM reports whether the condition holds for the facts, always running
// the expr program (on the facts' run-time twin, Env): the reference the
// compiled code is tested against.
func (c *Cond) TestVM(f *Facts) (bool, error) {
	s := vmScratch.Get().(*vmState)
	defer vmScratch.Put(s)
	s.env.Load(f)
	return c.RunVM(&s.vm, &s.env)
}

// RunVM runs the condition's expr program on facts already loaded into env,
// with the VM given: the way conditions ran before they were compiled.
func (c *Cond) RunVM(m *vm.VM, env *Env) (bool, error) {
	out, err := m.Run(c.prog, env)
	if err != nil {
		return false, err
	}
	ok, isBool := out.(bool)
	if !isBool {
		return false, fmt.Errorf("the condition gave %T, not a bool", out)
	}
	return ok, nil
}

type vmState struct {
	vm  vm.VM
	env Env
}

var vmScratch = sync.Pool{New: func() any { return new(vmState) }}

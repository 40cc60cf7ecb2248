package rules

import (
	_ "embed"
	"fmt"

	"github.com/hyperjumptech/grule-rule-engine/ast"
	"github.com/hyperjumptech/grule-rule-engine/builder"
	"github.com/hyperjumptech/grule-rule-engine/engine"
	"github.com/hyperjumptech/grule-rule-engine/pkg"

	"aftercare/knowledge"
)

//go:embed rules.grl
var grl []byte

// Grule runs the rules as a grule knowledge base (rules.grl), built once;
// each request gets a fresh data context holding the facts struct, and the
// engine's own Execute resets the retracted rules and the working memory.
type Grule struct {
	kb     *ast.KnowledgeBase
	engine *engine.GruleEngine
	out    GruleOut
}

// GruleOut is the object the GRL rules report to, as Out.
type GruleOut struct {
	res Result
	err error
}

// Fire records that the rule with this id fired; grule calls it from a rule's then.
func (o *GruleOut) Fire(id string) {
	if err := o.res.fireID(id); err != nil && o.err == nil {
		o.err = err
	}
}

// NewGrule builds the GRL knowledge base once.
func NewGrule() (*Grule, error) {
	lib := ast.NewKnowledgeLibrary()
	if err := builder.NewRuleBuilder(lib).BuildRuleFromResource("triage", "1", pkg.NewBytesResource(grl)); err != nil {
		return nil, fmt.Errorf("rules: grule: %w", err)
	}
	kb, err := lib.NewKnowledgeBaseInstance("triage", "1")
	if err != nil {
		return nil, fmt.Errorf("rules: grule: %w", err)
	}
	if len(kb.RuleEntries) != len(IDs) {
		return nil, fmt.Errorf("rules: grule: %d rules, want %d", len(kb.RuleEntries), len(IDs))
	}
	eng := engine.NewGruleEngine()
	eng.ReturnErrOnFailedRuleEvaluation = true
	return &Grule{kb: kb, engine: eng}, nil
}

// Eval runs the knowledge base over a new data context holding the facts.
func (g *Grule) Eval(f *knowledge.Facts) (Result, error) {
	g.out = GruleOut{}
	dctx := ast.NewDataContext()
	if err := dctx.Add("F", f); err != nil {
		return Result{}, err
	}
	if err := dctx.Add("Out", &g.out); err != nil {
		return Result{}, err
	}
	if err := g.engine.Execute(dctx, g.kb); err != nil {
		return Result{}, fmt.Errorf("rules: grule: %w", err)
	}
	return g.out.res, g.out.err
}

package rules

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"

	"aftercare/knowledge"
)

//go:embed rules.rego
var regoModule string

// OPA runs the rules as a Rego module (rules.rego), prepared once; each
// request's facts go in as a plain map through rego.EvalInput, and the query
// data.aftercare.triage.result answers the level and the set of fired rules.
type OPA struct {
	query rego.PreparedEvalQuery
	ctx   context.Context
}

// NewOPA parses, compiles and prepares the Rego module.
func NewOPA(ctx context.Context) (*OPA, error) {
	q, err := rego.New(
		rego.Query("data.aftercare.triage.result"),
		rego.Module("rules.rego", regoModule),
		rego.SetRegoVersion(ast.RegoV1),
	).PrepareForEval(ctx)
	if err != nil {
		return nil, fmt.Errorf("rules: opa: %w", err)
	}
	return &OPA{query: q, ctx: ctx}, nil
}

// Eval evaluates the prepared query with the facts as input.
func (o *OPA) Eval(f *knowledge.Facts) (Result, error) {
	rs, err := o.query.Eval(o.ctx, rego.EvalInput(OPAInput(f)))
	if err != nil {
		return Result{}, fmt.Errorf("rules: opa: %w", err)
	}
	if len(rs) != 1 || len(rs[0].Expressions) != 1 {
		return Result{}, fmt.Errorf("rules: opa: %d results, want 1", len(rs))
	}
	out, ok := rs[0].Expressions[0].Value.(map[string]any)
	if !ok {
		return Result{}, fmt.Errorf("rules: opa: result is %T", rs[0].Expressions[0].Value)
	}
	var res Result
	fired, _ := out["fired"].([]any)
	for _, id := range fired {
		s, _ := id.(string)
		if err := res.fireID(s); err != nil {
			return Result{}, err
		}
	}
	// The level is Rego's own answer; the test checks it against the fired rules'.
	n, _ := out["level"].(json.Number)
	lv, err := n.Int64()
	if err != nil {
		return Result{}, fmt.Errorf("rules: opa: level %v: %w", out["level"], err)
	}
	res.Level = int(lv)
	return res, nil
}

// OPAInput is the facts as the Rego module reads them: the plain facts under
// their expr names, and each set as an object of the codes that are true
// (pain per area only where it is above 0).
func OPAInput(f *knowledge.Facts) map[string]any {
	return map[string]any{
		"style": f.Style, "pressure": f.Pressure, "intensity": f.Intensity, "soreness": f.Soreness,
		"hours": f.Hours, "hours_known": f.HoursKnown, "window_from": f.WindowFrom, "window_to": f.WindowTo,
		"sore": f.Sore, "pain": f.Pain, "pain_known": f.PainKnown, "band": f.Band, "expected_pain": f.ExpectedPain,
		"trend": f.Trend, "rise": f.Rise, "rise_percent": f.RisePercent, "peak_pain": f.PeakPain, "checkins": f.Checkins,
		"symptom":   present(reflect.ValueOf(&f.Symptom).Elem(), symptomNames),
		"health":    present(reflect.ValueOf(&f.Health).Elem(), healthNames),
		"worked":    present(reflect.ValueOf(&f.Worked).Elem(), areaNames),
		"sore_in":   present(reflect.ValueOf(&f.SoreIn).Elem(), areaNames),
		"area_pain": present(reflect.ValueOf(&f.AreaPain).Elem(), areaNames),
		"neck_work": f.NeckWork, "leg_work": f.LegWork, "symptoms": f.Symptoms, "anticoagulated": f.Anticoagulated,
	}
}

// The expr names of the sets' fields, in field order.
var (
	symptomNames = exprNames[knowledge.SymptomSet]()
	healthNames  = exprNames[knowledge.HealthSet]()
	areaNames    = exprNames[knowledge.AreaSet]()
)

func exprNames[T any]() []string {
	t := reflect.TypeFor[T]()
	out := make([]string, t.NumField())
	for i := range out {
		out[i] = t.Field(i).Tag.Get("expr")
	}
	return out
}

// present returns the fields of a set (bool or int) that are true or above 0, by name.
func present(v reflect.Value, names []string) map[string]any {
	m := map[string]any{}
	for i, name := range names {
		switch fv := v.Field(i); fv.Kind() {
		case reflect.Bool:
			if fv.Bool() {
				m[name] = true
			}
		case reflect.Int:
			if n := fv.Int(); n > 0 {
				m[name] = int(n)
			}
		}
	}
	return m
}

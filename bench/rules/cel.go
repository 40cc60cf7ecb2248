package rules

import (
	"fmt"
	"reflect"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/interpreter"

	"aftercare/knowledge"
)

// CEL runs the rules as cel-go programs. The knowledge base's conditions are
// valid CEL as written (same operators, same 'quotes', dotted names), so each
// is compiled once from its text against variables declared from
// knowledge.Facts (symptom.headache is a variable of its own), with
// cross-type numeric comparisons on so that hours > 72 type-checks as in expr.
// Per request, the facts are served through an activation that reads the
// struct directly.
type CEL struct {
	programs []cel.Program
	act      activation
}

// NewCEL compiles the knowledge base's rules named in IDs into CEL programs.
func NewCEL(kb *knowledge.Base) (*CEL, error) {
	sel, err := Selected(kb)
	if err != nil {
		return nil, err
	}
	env, err := cel.NewEnv(append(celVariables(), cel.CrossTypeNumericComparisons(true))...)
	if err != nil {
		return nil, err
	}
	c := &CEL{}
	for _, r := range sel {
		ast, iss := env.Compile(r.When)
		if iss.Err() != nil {
			return nil, fmt.Errorf("rules: cel: rule %s: %w", r.ID, iss.Err())
		}
		if ast.OutputType() != cel.BoolType {
			return nil, fmt.Errorf("rules: cel: rule %s gives %v, not bool", r.ID, ast.OutputType())
		}
		prg, err := env.Program(ast, cel.EvalOptions(cel.OptOptimize))
		if err != nil {
			return nil, fmt.Errorf("rules: cel: rule %s: %w", r.ID, err)
		}
		c.programs = append(c.programs, prg)
	}
	return c, nil
}

// Eval runs every program against the facts.
func (c *CEL) Eval(f *knowledge.Facts) (Result, error) {
	var res Result
	c.act.f = f
	for i, p := range c.programs {
		out, _, err := p.Eval(&c.act)
		if err != nil {
			return Result{}, fmt.Errorf("rules: cel: rule %s: %w", IDs[i], err)
		}
		if out == types.True {
			res.fire(1<<i, Levels[i])
		}
	}
	return res, nil
}

// celVariables declares one CEL variable per fact, named as in the expr
// conditions: the sets' fields become dotted names such as symptom.headache.
func celVariables() []cel.EnvOption {
	var out []cel.EnvOption
	celType := func(k reflect.Kind) *cel.Type {
		switch k {
		case reflect.Bool:
			return cel.BoolType
		case reflect.Int:
			return cel.IntType
		case reflect.Float64:
			return cel.DoubleType
		case reflect.String:
			return cel.StringType
		}
		panic(fmt.Sprintf("rules: no CEL type for %v", k))
	}
	t := reflect.TypeFor[knowledge.Facts]()
	for i := range t.NumField() {
		f := t.Field(i)
		name := f.Tag.Get("expr")
		if f.Type.Kind() != reflect.Struct {
			out = append(out, cel.Variable(name, celType(f.Type.Kind())))
			continue
		}
		for j := range f.Type.NumField() {
			g := f.Type.Field(j)
			out = append(out, cel.Variable(name+"."+g.Tag.Get("expr"), celType(g.Type.Kind())))
		}
	}
	return out
}

// activation serves the facts to CEL by name, as CEL values, without copying
// them into a map. TestCELActivationCoversFacts keeps it in step with Facts.
type activation struct{ f *knowledge.Facts }

// Parent is nil: there is no enclosing activation.
func (*activation) Parent() interpreter.Activation { return nil }

// ResolveName returns the fact of this name.
func (a *activation) ResolveName(name string) (any, bool) {
	f := a.f
	switch name {
	case "style":
		return types.String(f.Style), true
	case "pressure":
		return types.String(f.Pressure), true
	case "intensity":
		return types.String(f.Intensity), true
	case "soreness":
		return types.String(f.Soreness), true
	case "hours":
		return types.Double(f.Hours), true
	case "hours_known":
		return types.Bool(f.HoursKnown), true
	case "window_from":
		return types.Double(f.WindowFrom), true
	case "window_to":
		return types.Double(f.WindowTo), true
	case "sore":
		return types.Bool(f.Sore), true
	case "pain":
		return types.Int(f.Pain), true
	case "pain_known":
		return types.Bool(f.PainKnown), true
	case "band":
		return types.String(f.Band), true
	case "expected_pain":
		return types.Int(f.ExpectedPain), true
	case "trend":
		return types.String(f.Trend), true
	case "rise":
		return types.Int(f.Rise), true
	case "rise_percent":
		return types.Double(f.RisePercent), true
	case "peak_pain":
		return types.Int(f.PeakPain), true
	case "checkins":
		return types.Int(f.Checkins), true
	case "symptom.bruising_light":
		return types.Bool(f.Symptom.BruisingLight), true
	case "symptom.bruising_dark":
		return types.Bool(f.Symptom.BruisingDark), true
	case "symptom.swelling":
		return types.Bool(f.Symptom.Swelling), true
	case "symptom.tingling":
		return types.Bool(f.Symptom.Tingling), true
	case "symptom.numbness":
		return types.Bool(f.Symptom.Numbness), true
	case "symptom.joint_instability":
		return types.Bool(f.Symptom.JointInstability), true
	case "symptom.pain_on_movement":
		return types.Bool(f.Symptom.PainOnMovement), true
	case "symptom.sharp_pain":
		return types.Bool(f.Symptom.SharpPain), true
	case "symptom.headache":
		return types.Bool(f.Symptom.Headache), true
	case "symptom.nausea":
		return types.Bool(f.Symptom.Nausea), true
	case "symptom.dizziness":
		return types.Bool(f.Symptom.Dizziness), true
	case "symptom.fatigue":
		return types.Bool(f.Symptom.Fatigue), true
	case "symptom.stiffness":
		return types.Bool(f.Symptom.Stiffness), true
	case "symptom.warmth_redness":
		return types.Bool(f.Symptom.WarmthRedness), true
	case "symptom.fever":
		return types.Bool(f.Symptom.Fever), true
	case "symptom.calf_swelling":
		return types.Bool(f.Symptom.CalfSwelling), true
	case "symptom.dark_urine":
		return types.Bool(f.Symptom.DarkUrine), true
	case "symptom.severe_weakness":
		return types.Bool(f.Symptom.SevereWeakness), true
	case "symptom.chest_pain":
		return types.Bool(f.Symptom.ChestPain), true
	case "symptom.shortness_of_breath":
		return types.Bool(f.Symptom.ShortnessOfBreath), true
	case "symptom.coughing_blood":
		return types.Bool(f.Symptom.CoughingBlood), true
	case "symptom.fainting":
		return types.Bool(f.Symptom.Fainting), true
	case "symptom.sudden_severe_headache":
		return types.Bool(f.Symptom.SuddenSevereHeadache), true
	case "symptom.stiff_neck":
		return types.Bool(f.Symptom.StiffNeck), true
	case "symptom.confusion":
		return types.Bool(f.Symptom.Confusion), true
	case "symptom.vomiting":
		return types.Bool(f.Symptom.Vomiting), true
	case "symptom.vision_changes":
		return types.Bool(f.Symptom.VisionChanges), true
	case "symptom.speech_difficulty":
		return types.Bool(f.Symptom.SpeechDifficulty), true
	case "symptom.facial_droop":
		return types.Bool(f.Symptom.FacialDroop), true
	case "symptom.one_sided_weakness":
		return types.Bool(f.Symptom.OneSidedWeakness), true
	case "symptom.unsteadiness":
		return types.Bool(f.Symptom.Unsteadiness), true
	case "symptom.saddle_numbness":
		return types.Bool(f.Symptom.SaddleNumbness), true
	case "symptom.bladder_bowel_change":
		return types.Bool(f.Symptom.BladderBowelChange), true
	case "symptom.leg_weakness":
		return types.Bool(f.Symptom.LegWeakness), true
	case "health.blood_thinners":
		return types.Bool(f.Health.BloodThinners), true
	case "health.bleeding_disorder":
		return types.Bool(f.Health.BleedingDisorder), true
	case "health.dvt_history":
		return types.Bool(f.Health.DvtHistory), true
	case "health.circulatory_condition":
		return types.Bool(f.Health.CirculatoryCondition), true
	case "health.varicose_veins":
		return types.Bool(f.Health.VaricoseVeins), true
	case "health.recent_injury":
		return types.Bool(f.Health.RecentInjury), true
	case "health.recent_surgery":
		return types.Bool(f.Health.RecentSurgery), true
	case "health.pregnant":
		return types.Bool(f.Health.Pregnant), true
	case "health.osteoporosis":
		return types.Bool(f.Health.Osteoporosis), true
	case "health.diabetes":
		return types.Bool(f.Health.Diabetes), true
	case "health.cancer":
		return types.Bool(f.Health.Cancer), true
	case "health.skin_condition":
		return types.Bool(f.Health.SkinCondition), true
	case "health.fever_illness":
		return types.Bool(f.Health.FeverIllness), true
	case "worked.head":
		return types.Bool(f.Worked.Head), true
	case "worked.jaw":
		return types.Bool(f.Worked.Jaw), true
	case "worked.neck":
		return types.Bool(f.Worked.Neck), true
	case "worked.shoulders":
		return types.Bool(f.Worked.Shoulders), true
	case "worked.upper_back":
		return types.Bool(f.Worked.UpperBack), true
	case "worked.lower_back":
		return types.Bool(f.Worked.LowerBack), true
	case "worked.chest":
		return types.Bool(f.Worked.Chest), true
	case "worked.abdomen":
		return types.Bool(f.Worked.Abdomen), true
	case "worked.upper_arms":
		return types.Bool(f.Worked.UpperArms), true
	case "worked.forearms":
		return types.Bool(f.Worked.Forearms), true
	case "worked.hands":
		return types.Bool(f.Worked.Hands), true
	case "worked.glutes":
		return types.Bool(f.Worked.Glutes), true
	case "worked.hips":
		return types.Bool(f.Worked.Hips), true
	case "worked.quads":
		return types.Bool(f.Worked.Quads), true
	case "worked.hamstrings":
		return types.Bool(f.Worked.Hamstrings), true
	case "worked.calves":
		return types.Bool(f.Worked.Calves), true
	case "worked.shins":
		return types.Bool(f.Worked.Shins), true
	case "worked.feet":
		return types.Bool(f.Worked.Feet), true
	case "sore_in.head":
		return types.Bool(f.SoreIn.Head), true
	case "sore_in.jaw":
		return types.Bool(f.SoreIn.Jaw), true
	case "sore_in.neck":
		return types.Bool(f.SoreIn.Neck), true
	case "sore_in.shoulders":
		return types.Bool(f.SoreIn.Shoulders), true
	case "sore_in.upper_back":
		return types.Bool(f.SoreIn.UpperBack), true
	case "sore_in.lower_back":
		return types.Bool(f.SoreIn.LowerBack), true
	case "sore_in.chest":
		return types.Bool(f.SoreIn.Chest), true
	case "sore_in.abdomen":
		return types.Bool(f.SoreIn.Abdomen), true
	case "sore_in.upper_arms":
		return types.Bool(f.SoreIn.UpperArms), true
	case "sore_in.forearms":
		return types.Bool(f.SoreIn.Forearms), true
	case "sore_in.hands":
		return types.Bool(f.SoreIn.Hands), true
	case "sore_in.glutes":
		return types.Bool(f.SoreIn.Glutes), true
	case "sore_in.hips":
		return types.Bool(f.SoreIn.Hips), true
	case "sore_in.quads":
		return types.Bool(f.SoreIn.Quads), true
	case "sore_in.hamstrings":
		return types.Bool(f.SoreIn.Hamstrings), true
	case "sore_in.calves":
		return types.Bool(f.SoreIn.Calves), true
	case "sore_in.shins":
		return types.Bool(f.SoreIn.Shins), true
	case "sore_in.feet":
		return types.Bool(f.SoreIn.Feet), true
	case "area_pain.head":
		return types.Int(f.AreaPain.Head), true
	case "area_pain.jaw":
		return types.Int(f.AreaPain.Jaw), true
	case "area_pain.neck":
		return types.Int(f.AreaPain.Neck), true
	case "area_pain.shoulders":
		return types.Int(f.AreaPain.Shoulders), true
	case "area_pain.upper_back":
		return types.Int(f.AreaPain.UpperBack), true
	case "area_pain.lower_back":
		return types.Int(f.AreaPain.LowerBack), true
	case "area_pain.chest":
		return types.Int(f.AreaPain.Chest), true
	case "area_pain.abdomen":
		return types.Int(f.AreaPain.Abdomen), true
	case "area_pain.upper_arms":
		return types.Int(f.AreaPain.UpperArms), true
	case "area_pain.forearms":
		return types.Int(f.AreaPain.Forearms), true
	case "area_pain.hands":
		return types.Int(f.AreaPain.Hands), true
	case "area_pain.glutes":
		return types.Int(f.AreaPain.Glutes), true
	case "area_pain.hips":
		return types.Int(f.AreaPain.Hips), true
	case "area_pain.quads":
		return types.Int(f.AreaPain.Quads), true
	case "area_pain.hamstrings":
		return types.Int(f.AreaPain.Hamstrings), true
	case "area_pain.calves":
		return types.Int(f.AreaPain.Calves), true
	case "area_pain.shins":
		return types.Int(f.AreaPain.Shins), true
	case "area_pain.feet":
		return types.Int(f.AreaPain.Feet), true
	case "neck_work":
		return types.Bool(f.NeckWork), true
	case "leg_work":
		return types.Bool(f.LegWork), true
	case "symptoms":
		return types.Int(f.Symptoms), true
	case "anticoagulated":
		return types.Bool(f.Anticoagulated), true
	case "level":
		return types.Int(f.Level), true
	}
	return nil, false
}

package knowledge

import (
	"reflect"
	"strings"
	"testing"

	"aftercare"
)

func TestTheBuiltInKnowledgeBaseLoads(t *testing.T) {
	b, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.KnowledgeVersion(), b.Version+"+") {
		t.Errorf("knowledge version %q does not start with the declared version %q", b.KnowledgeVersion(), b.Version)
	}
}

func TestSetsMatchVocabularies(t *testing.T) {
	for _, tc := range []struct {
		set   any
		vocab *aftercare.Vocabulary
	}{
		{SymptomSet{}, aftercare.Symptoms},
		{HealthSet{}, aftercare.Health},
		{AreaSet{}, aftercare.Areas},
		{AreaPain{}, aftercare.Areas},
	} {
		typ := reflect.TypeOf(tc.set)
		t.Run(typ.Name()+" has one field per "+tc.vocab.Name+" code, in order", func(t *testing.T) {
			codes := tc.vocab.Codes()
			if typ.NumField() != len(codes) {
				t.Fatalf("%d fields for %d codes", typ.NumField(), len(codes))
			}
			for i, c := range codes {
				if got := typ.Field(i).Tag.Get("expr"); got != c.Code {
					t.Errorf("field %d is %q, want %q", i, got, c.Code)
				}
			}
		})
	}
}

func TestEnvMirrorsFacts(t *testing.T) {
	facts, env := reflect.TypeFor[Facts](), reflect.TypeFor[Env]()
	if facts.NumField() != env.NumField() {
		t.Fatalf("Facts has %d fields, Env %d", facts.NumField(), env.NumField())
	}
	for i := range facts.NumField() {
		f, e := facts.Field(i), env.Field(i)
		t.Run("field "+f.Name+" has its twin at the same place", func(t *testing.T) {
			if f.Name != e.Name || f.Tag.Get("expr") != e.Tag.Get("expr") {
				t.Fatalf("Facts.%s (%s) vs Env.%s (%s)", f.Name, f.Tag, e.Name, e.Tag)
			}
			if f.Type.Kind() != reflect.Struct {
				if e.Type.Kind() != reflect.Interface {
					t.Fatalf("Env.%s is %s, want an interface", e.Name, e.Type)
				}
				return
			}
			if f.Type.NumField() != e.Type.NumField() {
				t.Fatalf("%s has %d fields, %s %d", f.Type, f.Type.NumField(), e.Type, e.Type.NumField())
			}
			for j := range f.Type.NumField() {
				if f.Type.Field(j).Tag != e.Type.Field(j).Tag || e.Type.Field(j).Type.Kind() != reflect.Interface {
					t.Errorf("%s.%s vs %s.%s", f.Type, f.Type.Field(j).Name, e.Type, e.Type.Field(j).Name)
				}
			}
		})
	}
}

func TestEnvLoadCopiesEveryFact(t *testing.T) {
	var f Facts
	f.Style, f.Band, f.Pain, f.Hours, f.Level = "sports", "moderate", 5, 30, 2
	f.Symptom.Set("numbness")
	f.Health.Set("pregnant")
	f.Worked.Set("neck")
	f.SoreIn.Set("calves")
	f.AreaPain.Raise("calves", 6)
	var e Env
	e.Load(&f)
	if e.Style != "sports" || e.Band != "moderate" || e.Pain != 5 || e.Hours != 30.0 || e.Level != 2 ||
		e.Symptom.Numbness != true || e.Symptom.Tingling != false || e.Health.Pregnant != true ||
		e.Worked.Neck != true || e.SoreIn.Calves != true || e.AreaPain.Calves != 6 || e.AreaPain.Neck != 0 {
		t.Errorf("loaded %+v", e)
	}
}

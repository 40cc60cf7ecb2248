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

// TestSetsMarkTheFieldOfTheirCode checks Set, Has and Raise, which find a
// code's field by its place in the vocabulary: each reaches the field whose
// name in conditions is the code, and no other.
func TestSetsMarkTheFieldOfTheirCode(t *testing.T) {
	for _, tc := range []struct {
		name  string
		vocab *aftercare.Vocabulary
		mark  func(f *Facts, code string) any
	}{
		{"a symptom", aftercare.Symptoms, func(f *Facts, c string) any { f.Symptom.Set(c); return &f.Symptom }},
		{"a screening answer", aftercare.Health, func(f *Facts, c string) any { f.Health.Set(c); return &f.Health }},
		{"an area worked", aftercare.Areas, func(f *Facts, c string) any { f.Worked.Set(c); return &f.Worked }},
		{"an area's pain", aftercare.Areas, func(f *Facts, c string) any { f.AreaPain.Raise(c, 6); return &f.AreaPain }},
	} {
		t.Run(tc.name+" sets the field named by its code and no other", func(t *testing.T) {
			for _, c := range tc.vocab.Codes() {
				var f Facts
				v := reflect.ValueOf(tc.mark(&f, c.Code)).Elem()
				for i := range v.NumField() {
					got := v.Field(i)
					on := got.Kind() == reflect.Bool && got.Bool() || got.Kind() == reflect.Int && got.Int() != 0
					if tag := v.Type().Field(i).Tag.Get("expr"); on != (tag == c.Code) {
						t.Errorf("marking %s: field %s is %v", c.Code, tag, got)
					}
				}
			}
		})
	}
	t.Run("an unknown code marks nothing and a lower pain does not lower an area's", func(t *testing.T) {
		var f Facts
		f.Symptom.Set("no_such_code")
		f.AreaPain.Raise("no_such_area", 4)
		f.AreaPain.Raise("calves", 6)
		f.AreaPain.Raise("calves", 3)
		if f != (Facts{AreaPain: AreaPain{Calves: 6}}) || f.Symptom.Has("no_such_code") {
			t.Errorf("facts are %+v", f)
		}
	})
}

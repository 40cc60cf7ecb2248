package aftercare_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"aftercare"
	"aftercare/triage/triagetest"
)

func TestDecodeRequestRefusesBadInputNamingTheField(t *testing.T) {
	for _, tc := range []struct {
		name, body, field, says string
	}{
		{"an unknown style names style and the allowed styles", `{"style":"shiatsu","symptoms":["headache"]}`, "style", "deep_tissue"},
		{"an unknown pressure names pressure", `{"pressure":"hard","symptoms":["headache"]}`, "pressure", "light, medium, firm, deep"},
		{"an unknown area worked names its index", `{"areas_worked":["neck","ankle"],"symptoms":["headache"]}`, "areas_worked[1]", "lower_back"},
		{"an unknown symptom names its index", `{"symptoms":["headache","itching"]}`, "symptoms[1]", "calf_swelling"},
		{"an unknown health code names its index", `{"health":["asthma"],"symptoms":["headache"]}`, "health[0]", "blood_thinners"},
		{"a pain above 10 names the soreness entry", `{"soreness":[{"area":"neck","pain":11}]}`, "soreness[0].pain", "0 to 10"},
		{"a negative pain is refused", `{"soreness":[{"area":"neck","pain":-1}]}`, "soreness[0].pain", "0 to 10"},
		{"a fractional pain is refused", `{"soreness":[{"area":"neck","pain":4.5}]}`, "soreness[0].pain", "whole number"},
		{"a pain given as a string is refused", `{"soreness":[{"area":"neck","pain":"4"}]}`, "soreness[0].pain", "whole number"},
		{"a missing pain is refused", `{"soreness":[{"area":"neck"}]}`, "soreness[0].pain", "required"},
		{"a missing area is refused", `{"soreness":[{"pain":3}]}`, "soreness[0].area", "required"},
		{"the same area twice is refused", `{"soreness":[{"area":"neck","pain":3},{"area":"neck","pain":4}]}`, "soreness[1].area", "twice"},
		{"a negative time is refused", `{"hours_since":-2,"symptoms":["headache"]}`, "hours_since", "from 0"},
		{"a time given as text is refused", `{"hours_since":"yesterday","symptoms":["headache"]}`, "hours_since", "number"},
		{"history out of order is refused", `{"hours_since":50,"soreness":[{"area":"neck","pain":2}],"history":[{"hours_since":40,"pain":3},{"hours_since":20,"pain":4}]}`, "history[1].hours_since", "oldest first"},
		{"history after now is refused", `{"hours_since":10,"soreness":[{"area":"neck","pain":2}],"history":[{"hours_since":20,"pain":3}]}`, "history[0].hours_since", "later than"},
		{"a history pain above 10 is refused", `{"soreness":[{"area":"neck","pain":2}],"history":[{"pain":12}]}`, "history[0].pain", "0 to 10"},
		{"an unknown field is refused", `{"symptom":["headache"]}`, "symptom", "allowed"},
		{"a wrong type is refused", `{"symptoms":"headache"}`, "symptoms", "a list"},
		{"malformed JSON is refused", `{"symptoms":["headache"`, "request", "JSON"},
		{"an empty body is refused", ``, "request", "empty"},
		{"a JSON array is refused", `[1,2]`, "request", "object"},
		{"two objects are refused", `{"symptoms":["headache"]} {}`, "request", "exactly one"},
		{"a request with nothing to assess is refused", `{"style":"swedish","hours_since":3}`, "request", "nothing to assess"},
		{"text over the size limit is refused", `{"text":"` + strings.Repeat("a", aftercare.MaxTextBytes+1) + `"}`, "text", "at most"},
		{"a field given twice is refused", `{"style":"swedish","style":"thai","symptoms":["headache"]}`, "style", "twice"},
		{"a field given twice inside an entry names the entry", `{"soreness":[{"area":"neck","area":"calves","pain":1}]}`, "soreness[0].area", "twice"},
		{"a field name in another case is an unknown field", `{"Style":"swedish","symptoms":["headache"]}`, "Style", "allowed: style, pressure"},
		{"an unknown field in an entry names the entry and its fields", `{"soreness":[{"area":"neck","pain":1,"side":"left"}]}`, "soreness[0].side", "allowed: area, pain"},
		{"a wrong type in a list names the entry", `{"symptoms":["headache",1]}`, "symptoms[1]", "a string, not a number"},
		{"invalid UTF-8 is refused, not replaced", "{\"text\":\"sore \xff neck\"}", "request", "UTF-8"},
		{"an unknown answer is refused with the allowed ids", `{"symptoms":["headache"],"answers":{"mood":true}}`, "answers.mood", "symptom.<symptom>"},
		{"an answer about an unknown symptom names the allowed symptoms", `{"symptoms":["headache"],"answers":{"symptom.not_a_code":true}}`, "answers.symptom.not_a_code", "calf_swelling"},
		{"an answer about an unknown area names the allowed areas", `{"symptoms":["headache"],"answers":{"pain.ankle":3}}`, "answers.pain.ankle", "lower_back"},
		{"a number for a yes or no question is refused", `{"symptoms":["headache"],"answers":{"symptom.numbness":1}}`, "answers.symptom.numbness", "true or false"},
		{"a string for a yes or no question is refused", `{"symptoms":["headache"],"answers":{"symptom.numbness":"no"}}`, "answers.symptom.numbness", "true or false"},
		{"true for a pain question is refused", `{"symptoms":["headache"],"answers":{"pain.neck":true}}`, "answers.pain.neck", "whole number from 0 to 10"},
		{"a pain answer of 11 is refused", `{"symptoms":["headache"],"answers":{"pain.neck":11}}`, "answers.pain.neck", "pain scale), not 11"},
		{"a fractional pain answer is refused", `{"symptoms":["headache"],"answers":{"pain":4.5}}`, "answers.pain", "whole number"},
		{"a negative hours answer is refused", `{"symptoms":["headache"],"answers":{"hours_since":-2}}`, "answers.hours_since", "from 0 to 8760"},
		{"an hours answer over a year is refused", `{"symptoms":["headache"],"answers":{"hours_since":9000}}`, "answers.hours_since", "from 0 to 8760"},
		{"a null answer is refused", `{"symptoms":["headache"],"answers":{"symptom.fever":null}}`, "answers.symptom.fever", "answer), not null"},
		{"an answer given twice is refused", `{"symptoms":["headache"],"answers":{"pain":3,"pain":4}}`, "answers.pain", "twice"},
		{"answers as a list are refused", `{"symptoms":["headache"],"answers":[true]}`, "answers", "an object"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := aftercare.DecodeRequest([]byte(tc.body))
			if err == nil {
				t.Fatal("accepted")
			}
			if code := aftercare.ErrorCode(err); code != aftercare.EINVALID {
				t.Errorf("code %q, want invalid", code)
			}
			if f := aftercare.ErrorField(err); f != tc.field {
				t.Errorf("field %q, want %q (%v)", f, tc.field, err)
			}
			if !strings.Contains(aftercare.ErrorMessage(err), tc.says) {
				t.Errorf("message %q does not say %q", aftercare.ErrorMessage(err), tc.says)
			}
		})
	}
}

func TestDecodeRequestKeepsAWellFormedRequest(t *testing.T) {
	body := `{"style":"deep_tissue","pressure":"firm","areas_worked":["neck","lower_back"],"hours_since":30,
	  "soreness":[{"area":"lower_back","pain":4}],"symptoms":["headache","headache"],"health":["blood_thinners"],
	  "history":[{"hours_since":20,"pain":3}],"text":"my lower back aches, no numbness",
	  "answers":{"symptom.one_sided_weakness":false,"hours_since":30.5,"pain.lower_back":6,"pain":7}}`
	r, err := aftercare.DecodeRequest([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if r.Style != "deep_tissue" || r.Pressure != "firm" || len(r.AreasWorked) != 2 || *r.HoursSince != 30 ||
		r.Soreness[0] != (aftercare.Soreness{Area: "lower_back", Pain: 4}) || len(r.Symptoms) != 1 ||
		r.Health[0] != "blood_thinners" || r.History[0].Pain != 3 || r.Text != "my lower back aches, no numbness" {
		t.Errorf("decoded %+v", r)
	}
	want := map[string]aftercare.Answer{
		aftercare.SymptomQuestion("one_sided_weakness"): aftercare.YesNoAnswer(false),
		aftercare.QuestionHoursSince:                    aftercare.NumberAnswer(30.5),
		aftercare.PainQuestion("lower_back"):            aftercare.NumberAnswer(6),
		aftercare.QuestionPain:                          aftercare.NumberAnswer(7),
	}
	if !reflect.DeepEqual(r.Answers, want) {
		t.Errorf("answers %v, want %v", r.Answers, want)
	}
	if a, ok := r.Answer("symptom.one_sided_weakness"); !ok {
		t.Error("the weakness answer is missing")
	} else if yes, ok := a.YesNo(); !ok || yes {
		t.Errorf("the weakness answer reads %v, %v", yes, ok)
	}
	if _, ok := r.Answer("symptom.numbness"); ok {
		t.Error("a question not answered has an answer")
	}
}

func TestDecodeRequestReadsWhatJSONMarshalWrites(t *testing.T) {
	h := 30.0
	for _, tc := range []struct {
		name string
		req  aftercare.Request
	}{
		{"a request with answers of every kind", aftercare.Request{Symptoms: []string{"tingling"}, HoursSince: &h,
			Answers: map[string]aftercare.Answer{"symptom.numbness": aftercare.YesNoAnswer(true), "hours_since": aftercare.NumberAnswer(0),
				"pain.calves": aftercare.NumberAnswer(10), "pain": aftercare.NumberAnswer(0)}}},
		{"a request without answers", aftercare.Request{Text: "sore calves"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body, err := json.Marshal(tc.req)
			if err != nil {
				t.Fatal(err)
			}
			got, err := aftercare.DecodeRequest(body)
			if err != nil {
				t.Fatalf("%s: %v", body, err)
			}
			if !reflect.DeepEqual(got, tc.req) {
				t.Errorf("%s decodes to %+v, want %+v", body, got, tc.req)
			}
			var stored aftercare.Request
			if err := json.Unmarshal(body, &stored); err != nil || !reflect.DeepEqual(stored, tc.req) {
				t.Errorf("encoding/json reads %s back as %+v (%v)", body, stored, err)
			}
		})
	}
}

func TestDecodeRequestKeepsEachCodeOfAListOnceInTheOrderFirstGiven(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		want       aftercare.Request
	}{
		{"a symptom given twice counts once", `{"symptoms":["headache","nausea","headache"]}`,
			aftercare.Request{Symptoms: []string{"headache", "nausea"}}},
		{"areas worked given in runs keep their first order", `{"areas_worked":["neck","neck","calves","neck","calves","feet"],"symptoms":["fever"]}`,
			aftercare.Request{AreasWorked: []string{"neck", "calves", "feet"}, Symptoms: []string{"fever"}}},
		{"screening answers given twice count once", `{"health":["pregnant","diabetes","pregnant","diabetes"],"symptoms":["fatigue"]}`,
			aftercare.Request{Health: []string{"pregnant", "diabetes"}, Symptoms: []string{"fatigue"}}},
		{"lists without repeats are kept as given", `{"areas_worked":["feet","neck"],"symptoms":["nausea","headache"],"health":["diabetes"]}`,
			aftercare.Request{AreasWorked: []string{"feet", "neck"}, Symptoms: []string{"nausea", "headache"}, Health: []string{"diabetes"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := aftercare.DecodeRequest([]byte(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("%s decodes to %+v, want %+v", tc.body, got, tc.want)
			}
		})
	}
}

func TestValidateChecksAnswersOfRequestsBuiltInGo(t *testing.T) {
	for _, tc := range []struct {
		name, id string
		answer   aftercare.Answer
		says     string // "" when the answer is good
	}{
		{"a yes to a symptom question is good", aftercare.SymptomQuestion("numbness"), aftercare.YesNoAnswer(true), ""},
		{"a pain of 0 is good", aftercare.PainQuestion("neck"), aftercare.NumberAnswer(0), ""},
		{"a worst pain of 10 is good", aftercare.QuestionPain, aftercare.NumberAnswer(10), ""},
		{"a fractional time is good", aftercare.QuestionHoursSince, aftercare.NumberAnswer(36.5), ""},
		{"a time of a year is good", aftercare.QuestionHoursSince, aftercare.NumberAnswer(aftercare.MaxHours), ""},
		{"an unknown question is refused", "mood", aftercare.YesNoAnswer(true), "unknown question"},
		{"a question about an unknown symptom is refused", "symptom.not_a_code", aftercare.YesNoAnswer(true), "not a symptom"},
		{"a number for a yes or no question is refused", aftercare.SymptomQuestion("fever"), aftercare.NumberAnswer(1), "true or false"},
		{"a yes for a pain question is refused", aftercare.PainQuestion("neck"), aftercare.YesNoAnswer(true), "pain scale), not true"},
		{"a pain of 11 is refused", aftercare.QuestionPain, aftercare.NumberAnswer(11), "not 11"},
		{"a negative time is refused", aftercare.QuestionHoursSince, aftercare.NumberAnswer(-1), "from 0 to 8760"},
		{"an empty answer is refused", aftercare.QuestionPain, aftercare.Answer{}, "not no answer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := aftercare.Request{Symptoms: []string{"headache"}, Answers: map[string]aftercare.Answer{tc.id: tc.answer}}
			err := r.Validate()
			if tc.says == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil {
				t.Fatal("accepted")
			}
			if f := aftercare.ErrorField(err); f != "answers."+tc.id {
				t.Errorf("field %q, want answers.%s", f, tc.id)
			}
			if !strings.Contains(aftercare.ErrorMessage(err), tc.says) {
				t.Errorf("message %q does not say %q", aftercare.ErrorMessage(err), tc.says)
			}
		})
	}
}

func FuzzDecodeRequest(f *testing.F) {
	for _, s := range []string{
		`{"style":"deep_tissue","hours_since":30,"soreness":[{"area":"lower_back","pain":4}]}`,
		`{"symptoms":["chest_pain"],"history":[{"hours_since":1,"pain":2}]}`,
		`{"text":"sore calves, no swelling"}`, `{"soreness":[{"area":"neck","pain":1e400}]}`, `[]`, `null`, ``,
		`{"text":"my arm went weak","answers":{"symptom.one_sided_weakness":false,"hours_since":30,"pain.lower_back":6}}`,
		`{"symptoms":["headache"],"answers":{"pain":11,"symptom.nope":true}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := aftercare.DecodeRequest(data)
		if err != nil {
			if aftercare.ErrorCode(err) != aftercare.EINVALID || aftercare.ErrorField(err) == "" {
				t.Fatalf("error without code invalid and a field: %v", err)
			}
			return
		}
		if err := r.Validate(); err != nil {
			t.Fatalf("decoded a request that does not validate: %v", err)
		}
		// What is stored (encoding/json) reads back the same.
		body, err := json.Marshal(r)
		if err != nil {
			t.Fatalf("cannot encode a decoded request: %v", err)
		}
		again, err := aftercare.DecodeRequest(body)
		if err != nil || !reflect.DeepEqual(again, r) {
			t.Fatalf("%s decodes to %+v, %v; want %+v", body, again, err, r)
		}
	})
}

// BenchmarkDecodeRequest decodes the load generator's requests as
// json.Marshal writes them, every fifth with free text.
func BenchmarkDecodeRequest(b *testing.B) {
	var bodies [][]byte
	size := 0
	for i, r := range triagetest.Requests(1000, triagetest.Seed) {
		if i%5 == 0 {
			r.Text = "my lower back aches since yesterday after deep tissue, about a 4, no numbness"
		}
		body, err := json.Marshal(r)
		if err != nil {
			b.Fatal(err)
		}
		bodies = append(bodies, body)
		size += len(body)
	}
	b.SetBytes(int64(size / len(bodies)))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := aftercare.DecodeRequest(bodies[i%len(bodies)]); err != nil {
			b.Fatal(err)
		}
	}
}

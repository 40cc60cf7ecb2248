package aftercare_test

import (
	"strings"
	"testing"

	"aftercare"
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
	  "history":[{"hours_since":20,"pain":3}],"text":"my lower back aches, no numbness"}`
	r, err := aftercare.DecodeRequest([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if r.Style != "deep_tissue" || r.Pressure != "firm" || len(r.AreasWorked) != 2 || *r.HoursSince != 30 ||
		r.Soreness[0] != (aftercare.Soreness{Area: "lower_back", Pain: 4}) || len(r.Symptoms) != 1 ||
		r.Health[0] != "blood_thinners" || r.History[0].Pain != 3 || r.Text != "my lower back aches, no numbness" {
		t.Errorf("decoded %+v", r)
	}
}

func FuzzDecodeRequest(f *testing.F) {
	for _, s := range []string{
		`{"style":"deep_tissue","hours_since":30,"soreness":[{"area":"lower_back","pain":4}]}`,
		`{"symptoms":["chest_pain"],"history":[{"hours_since":1,"pain":2}]}`,
		`{"text":"sore calves, no swelling"}`, `{"soreness":[{"area":"neck","pain":1e400}]}`, `[]`, `null`, ``,
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
	})
}

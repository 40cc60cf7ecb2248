package aftercare_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"aftercare"
)

func TestParseQuestionID(t *testing.T) {
	for _, tc := range []struct {
		name, id   string
		kind, code string
		ok         bool
	}{
		{"a symptom question is yes or no about its symptom", "symptom.numbness", aftercare.KindYesNo, "numbness", true},
		{"a pain question about an area is a number about that area", "pain.lower_back", aftercare.KindNumber, "lower_back", true},
		{"the worst pain now is a number about no area", "pain", aftercare.KindNumber, "", true},
		{"the time since the session is in hours", "hours_since", aftercare.KindHours, "", true},
		{"a symptom that is not a code names no question", "symptom.not_a_code", aftercare.KindYesNo, "not_a_code", false},
		{"an area that is not a code names no question", "pain.ankle", aftercare.KindNumber, "ankle", false},
		{"a symptom prefix alone names no question", "symptom.", aftercare.KindYesNo, "", false},
		{"an unknown id names no question", "mood", "", "", false},
		{"an id in another case names no question", "Pain", "", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			kind, code, ok := aftercare.ParseQuestionID(tc.id)
			if kind != tc.kind || code != tc.code || ok != tc.ok {
				t.Errorf("ParseQuestionID(%q) = %q, %q, %v; want %q, %q, %v", tc.id, kind, code, ok, tc.kind, tc.code, tc.ok)
			}
		})
	}
	t.Run("every id of QuestionIDs parses, once each, and the builders make them", func(t *testing.T) {
		seen := map[string]bool{}
		for _, id := range aftercare.QuestionIDs() {
			if _, _, ok := aftercare.ParseQuestionID(id); !ok || seen[id] {
				t.Errorf("%q: ok %v, seen before %v", id, ok, seen[id])
			}
			seen[id] = true
		}
		if want := 2 + len(aftercare.Areas.Codes()) + len(aftercare.Symptoms.Codes()); len(seen) != want {
			t.Errorf("%d ids, want %d", len(seen), want)
		}
		if !seen[aftercare.SymptomQuestion("facial_droop")] || !seen[aftercare.PainQuestion("calves")] {
			t.Error("the builders make ids QuestionIDs does not list")
		}
	})
}

func TestQuestionsInTheResponseJSON(t *testing.T) {
	weak, err := aftercare.NewQuestion("symptom.one_sided_weakness", "Is one arm or leg weak, not just too sore to move?")
	if err != nil {
		t.Fatal(err)
	}
	pain, _ := aftercare.NewQuestion("pain.neck", "How bad is your neck now, 0–10?")
	when, _ := aftercare.NewQuestion("hours_since", "How many hours ago did the massage end?")
	r := aftercare.Response{Level: aftercare.Consult, Questions: []aftercare.Question{weak, pain, when}}
	body, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("each question carries its id, text and kind, and bounds only for numbers and hours", func(t *testing.T) {
		want := `"questions":[{"id":"symptom.one_sided_weakness","text":"Is one arm or leg weak, not just too sore to move?","kind":"yes_no"},` +
			`{"id":"pain.neck","text":"How bad is your neck now, 0–10?","kind":"number","min":0,"max":10},` +
			`{"id":"hours_since","text":"How many hours ago did the massage end?","kind":"hours","min":0,"max":8760}]`
		if !strings.Contains(string(body), want) {
			t.Errorf("%s\nlacks %s", body, want)
		}
	})
	t.Run("the questions read back as they were", func(t *testing.T) {
		var back aftercare.Response
		if err := json.Unmarshal(body, &back); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(back.Questions, r.Questions) {
			t.Errorf("read back %+v, want %+v", back.Questions, r.Questions)
		}
	})
	t.Run("a response with nothing to ask has no questions field", func(t *testing.T) {
		body, err := json.Marshal(aftercare.Response{Level: aftercare.SelfCare, Questions: []aftercare.Question{}})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(body), "questions") {
			t.Errorf("%s", body)
		}
	})
	t.Run("a question with an unknown id is refused", func(t *testing.T) {
		if _, err := aftercare.NewQuestion("symptom.itch", "Itchy?"); aftercare.ErrorCode(err) != aftercare.EINVALID {
			t.Errorf("error %v", err)
		}
	})
}

func TestAnswerJSON(t *testing.T) {
	for _, tc := range []struct {
		name   string
		answer aftercare.Answer
		json   string
	}{
		{"yes is true", aftercare.YesNoAnswer(true), "true"},
		{"no is false", aftercare.YesNoAnswer(false), "false"},
		{"a whole number has no fraction", aftercare.NumberAnswer(6), "6"},
		{"a fraction is kept", aftercare.NumberAnswer(30.5), "30.5"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(tc.answer)
			if err != nil || string(b) != tc.json {
				t.Fatalf("%s, %v; want %s", b, err, tc.json)
			}
			var back aftercare.Answer
			if err := json.Unmarshal(b, &back); err != nil || back != tc.answer {
				t.Errorf("read back %v, %v", back, err)
			}
		})
	}
	t.Run("an empty answer cannot be encoded", func(t *testing.T) {
		if _, err := json.Marshal(aftercare.Answer{}); err == nil {
			t.Error("encoded")
		}
	})
	t.Run("a string, null or list is not an answer", func(t *testing.T) {
		for _, s := range []string{`"yes"`, `null`, `[1]`, `{}`} {
			var a aftercare.Answer
			if err := json.Unmarshal([]byte(s), &a); err == nil {
				t.Errorf("%s read as %v", s, a)
			}
		}
	})
}

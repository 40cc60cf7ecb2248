package httpapi_test

import (
	"bytes"
	"flag"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"aftercare"
	"aftercare/httpapi"
)

var genOpenAPI = flag.Bool("gen", false, "rewrite openapi.json with the code lists and limits of package aftercare")

// TestOpenAPIIsCurrent fails when openapi.json does not carry the code lists
// and limits of package aftercare: every enum of codes, the question ids and
// the answer each takes, the request's limits. They are written into the
// file, never by hand:
//
//	go generate ./httpapi   (go test ./httpapi -run TestOpenAPIIsCurrent -gen)
func TestOpenAPIIsCurrent(t *testing.T) {
	doc := httpapi.OpenAPI()
	want, err := generateOpenAPI(doc, fromCode())
	if err != nil {
		t.Fatal(err)
	}
	if *genOpenAPI {
		if err := os.WriteFile("openapi.json", want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !bytes.Equal(doc, want) {
		t.Fatal("openapi.json is not what package aftercare's code lists make it: run go generate ./httpapi")
	}
}

func TestOpenAPIQuestionsAndAnswers(t *testing.T) {
	h := newHarness(t, "SQLite")
	answers := `"answers":{"symptom.one_sided_weakness":false,"hours_since":30,"pain.lower_back":6,"pain":6}`
	t.Run("an assessment request with answers of every kind is answered", func(t *testing.T) {
		h.do("POST", "/api/v1/assessments", `{"soreness":[{"area":"lower_back","pain":4}],`+answers+`}`).want(t, 200)
	})
	t.Run("a bad answer is a 400 naming it", func(t *testing.T) {
		h.do("POST", "/api/v1/assessments", `{"symptoms":["headache"],"answers":{"pain.neck":11}}`).wantError(t, 400, "invalid", "answers.pain.neck")
	})
	t.Run("a stored check-in shows its answers as the document says", func(t *testing.T) {
		c := h.createClient(t, "Ada")
		sess := h.createSession(t, map[string]any{"client_id": c.ID, "style": "swedish", "ended_at": h.clock.Now().Add(-30 * time.Hour).Format(time.RFC3339)})
		r := h.api("POST", fmt.Sprintf("/api/v1/sessions/%d/check-ins", sess.ID), `{"soreness":[{"area":"neck","pain":3}],`+answers+`}`).want(t, 201)
		got := decode[aftercare.CheckIn](t, r).Request.Answers
		if len(got) != 4 || got["pain.lower_back"] != aftercare.NumberAnswer(6) || got["symptom.one_sided_weakness"] != aftercare.YesNoAnswer(false) {
			t.Errorf("answers %v", got)
		}
		r = h.api("GET", fmt.Sprintf("/api/v1/sessions/%d", sess.ID), nil).want(t, 200)
		if !strings.Contains(string(r.body), `"pain.lower_back":6`) {
			t.Errorf("the session does not show the stored answers: %.500s", r.body)
		}
	})
	response := func(questions string) string {
		return `{"level":"consult","headline":"h","reasons":[],"recovery":{"typical_hours":[24,48],"check_again_in_hours":24},` +
			`"plan":[],"watch_for":[],"findings":[],"questions":` + questions + `,"knowledge_version":"v","disclaimer":"d"}`
	}
	for _, tc := range []struct {
		name, questions string
		ok              bool
	}{
		{"questions of every kind are accepted", `[{"id":"symptom.one_sided_weakness","text":"Weak?","kind":"yes_no"},` +
			`{"id":"pain.neck","text":"How bad?","kind":"number","min":0,"max":10},{"id":"hours_since","text":"When?","kind":"hours","min":0,"max":8760}]`, true},
		{"a question of an unknown kind is refused", `[{"id":"pain","text":"How bad?","kind":"scale"}]`, false},
		{"a question with an unknown id is refused", `[{"id":"symptom.itch","text":"Itchy?","kind":"yes_no"}]`, false},
		{"a question without text is refused", `[{"id":"pain","kind":"number"}]`, false},
	} {
		t.Run("the document check: "+tc.name, func(t *testing.T) {
			req, _ := http.NewRequest("POST", h.srv.URL+"/api/v1/assessments", nil)
			r := &result{status: 200, header: http.Header{"Content-Type": {"application/json"}}, body: []byte(response(tc.questions))}
			if err := h.oas.validate(req, r); (err == nil) != tc.ok {
				t.Errorf("accepted %v, want %v (%v)", err == nil, tc.ok, err)
			}
		})
	}
}

func TestGenerateOpenAPI(t *testing.T) {
	doc := []byte(`{"a": {"enum": ["x"], "b": [1, {"c": 2}]}, "d": "é <&>"}` + "\n")
	t.Run("it replaces the values at the given places and keeps the rest as it was", func(t *testing.T) {
		got, err := generateOpenAPI(doc, map[string]any{"/a/enum": []string{"y", "z"}, "/a/b/1/c": 3})
		if err != nil {
			t.Fatal(err)
		}
		want := "{\n  \"a\": {\n    \"enum\": [\n      \"y\",\n      \"z\"\n    ],\n    \"b\": [\n      1,\n      {\n        \"c\": 3\n      }\n    ]\n  },\n  \"d\": \"é <&>\"\n}\n"
		if string(got) != want {
			t.Errorf("got\n%s\nwant\n%s", got, want)
		}
	})
	t.Run("with nothing to replace, openapi.json is written as it is", func(t *testing.T) {
		got, err := generateOpenAPI(httpapi.OpenAPI(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, httpapi.OpenAPI()) {
			t.Error("the document changed")
		}
	})
	t.Run("a place the document lacks is an error, not a silent no-op", func(t *testing.T) {
		if _, err := generateOpenAPI(doc, map[string]any{"/a/nothing": 1}); err == nil {
			t.Error("no error")
		}
	})
}

// fromCode returns what openapi.json takes from package aftercare, by the
// JSON pointer of the value it replaces.
func fromCode() map[string]any {
	codes := func(v *aftercare.Vocabulary) []string {
		var out []string
		for _, c := range v.Codes() {
			out = append(out, c.Code)
		}
		return out
	}
	var levels []string
	for _, l := range aftercare.Levels {
		levels = append(levels, l.String())
	}
	const schemas = "/components/schemas/"
	answers := jsontext.Value("{}")
	for _, id := range aftercare.QuestionIDs() {
		kind, _, _ := aftercare.ParseQuestionID(id)
		q, _ := aftercare.NewQuestion(id, "")
		schema := answerSchema{Type: "boolean", Minimum: q.Min, Maximum: q.Max}
		switch kind {
		case aftercare.KindNumber:
			schema.Type = "integer"
		case aftercare.KindHours:
			schema.Type = "number"
		}
		// Appended one by one, so that the properties keep QuestionIDs' order.
		answers = appendMember(answers, id, schema)
	}
	return map[string]any{
		schemas + "Level/enum":                                       levels,
		schemas + "Style/enum":                                       codes(aftercare.Styles),
		schemas + "Pressure/enum":                                    codes(aftercare.Pressures),
		schemas + "Area/enum":                                        codes(aftercare.Areas),
		schemas + "Symptom/enum":                                     codes(aftercare.Symptoms),
		schemas + "Health/enum":                                      codes(aftercare.Health),
		schemas + "Outcome/enum":                                     codes(aftercare.Outcomes),
		schemas + "Flag/properties/outcome_note/maxLength":           aftercare.MaxOutcomeNoteChars,
		schemas + "FlagAck/properties/outcome_note/maxLength":        aftercare.MaxOutcomeNoteChars,
		schemas + "FollowUp/properties/delivery/enum":                []string{aftercare.DeliveryDelivered, aftercare.DeliveryFailed},
		schemas + "FollowUp/properties/delivery_error/maxLength":     aftercare.MaxDeliveryErrorChars,
		schemas + "Finding/properties/type/enum":                     codes(aftercare.FindingTypes),
		schemas + "QuestionKind/enum":                                codes(aftercare.QuestionKinds),
		schemas + "QuestionID/enum":                                  aftercare.QuestionIDs(),
		schemas + "Answers/properties":                               answers,
		schemas + "AssessmentRequest/properties/hours_since/maximum": aftercare.MaxHours,
		schemas + "AssessmentRequest/properties/history/maxItems":    aftercare.MaxHistory,
		schemas + "AssessmentRequest/properties/text/maxLength":      aftercare.MaxTextBytes,
		schemas + "HistoryPoint/properties/hours_since/maximum":      aftercare.MaxHours,
	}
}

// answerSchema is the schema of the answer to one question.
type answerSchema struct {
	Type    string `json:"type"`
	Minimum *int   `json:"minimum,omitempty"`
	Maximum *int   `json:"maximum,omitempty"`
}

// appendMember appends the member name: v to the JSON object obj.
func appendMember(obj jsontext.Value, name string, v any) jsontext.Value {
	member, err := jsonv2.Marshal(map[string]any{name: v}, jsonv2.Deterministic(true))
	if err != nil {
		panic(err)
	}
	if len(obj) == 2 {
		return member
	}
	return append(append(obj[:len(obj)-1:len(obj)-1], ','), member[1:]...)
}

// generateOpenAPI returns doc with the value at each JSON pointer of values
// replaced by its JSON, all else kept in its order, written with two-space
// indents and a final newline. A pointer that names nothing in doc is an
// error.
func generateOpenAPI(doc []byte, values map[string]any) ([]byte, error) {
	dec := jsontext.NewDecoder(bytes.NewReader(doc))
	var out bytes.Buffer
	enc := jsontext.NewEncoder(&out, jsontext.Multiline(true), jsontext.WithIndent("  "), jsontext.SpaceAfterColon(true))
	used := map[string]bool{}
	var copyValue func(path string) error
	copyValue = func(path string) error {
		if v, ok := values[path]; ok {
			used[path] = true
			if err := dec.SkipValue(); err != nil {
				return err
			}
			b, err := jsonv2.Marshal(v, jsonv2.Deterministic(true))
			if err != nil {
				return err
			}
			return enc.WriteValue(b)
		}
		switch dec.PeekKind() {
		case '{', '[':
			open, err := dec.ReadToken()
			if err != nil {
				return err
			}
			if err := enc.WriteToken(open); err != nil {
				return err
			}
			for i := 0; dec.PeekKind() != '}' && dec.PeekKind() != ']'; i++ {
				step := strconv.Itoa(i)
				if open.Kind() == '{' {
					name, err := dec.ReadToken()
					if err != nil {
						return err
					}
					if err := enc.WriteToken(name); err != nil {
						return err
					}
					step = name.String()
				}
				if err := copyValue(path + "/" + step); err != nil {
					return err
				}
			}
			end, err := dec.ReadToken()
			if err != nil {
				return err
			}
			return enc.WriteToken(end)
		}
		v, err := dec.ReadValue()
		if err != nil {
			return err
		}
		return enc.WriteValue(v)
	}
	if err := copyValue(""); err != nil {
		return nil, err
	}
	for path := range values {
		if !used[path] {
			return nil, fmt.Errorf("the document has no value at %s", path)
		}
	}
	return out.Bytes(), nil
}

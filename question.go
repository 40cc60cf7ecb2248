package aftercare

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Question is one thing the client can be asked when the reading is unsure,
// such as whether a weak arm is weak or only too sore to move.
type Question struct {
	// ID names the fact asked about, such as "symptom.one_sided_weakness":
	// the answer comes back under this key in Request.Answers.
	ID string `json:"id"`
	// Text is the question as the client reads it.
	Text string `json:"text"`
	// Kind is the kind of answer it takes, a code of QuestionKinds.
	Kind string `json:"kind"`
	// Min and Max bound the answer to a number or hours question; nil for yes_no.
	Min *int `json:"min,omitempty"`
	Max *int `json:"max,omitempty"`
}

// The kinds of answer a question takes.
const (
	// KindYesNo is answered true or false.
	KindYesNo = "yes_no"
	// KindNumber is answered with a whole number from Question.Min to Question.Max.
	KindNumber = "number"
	// KindHours is answered with a number of hours since the session, from 0 to MaxHours.
	KindHours = "hours"
)

// QuestionKinds is the vocabulary of the kinds of answer a question takes.
var QuestionKinds = newVocabulary("kind",
	Code{KindYesNo, "Yes or no"},
	Code{KindNumber, "A number"},
	Code{KindHours, "Hours since the session"},
)

// The question ids that name no code.
const (
	// QuestionHoursSince asks how many hours ago the session ended (kind hours).
	QuestionHoursSince = "hours_since"
	// QuestionPain asks for the worst pain now on the 0–10 scale, in no particular area (kind number).
	QuestionPain = "pain"
)

const (
	symptomPrefix = "symptom."
	painPrefix    = "pain."
)

// SymptomQuestion returns the id of the question whether the client has a symptom (a code of Symptoms) now.
func SymptomQuestion(code string) string { return symptomPrefix + code }

// PainQuestion returns the id of the question how bad the pain is now in an area (a code of Areas).
func PainQuestion(area string) string { return painPrefix + area }

// ParseQuestionID returns the kind of answer the question id takes and the
// code it names (a symptom, an area, or "" for hours_since and pain); ok is
// false for an id that names no question.
func ParseQuestionID(id string) (kind, code string, ok bool) {
	switch {
	case id == QuestionHoursSince:
		return KindHours, "", true
	case id == QuestionPain:
		return KindNumber, "", true
	case strings.HasPrefix(id, symptomPrefix):
		code = id[len(symptomPrefix):]
		return KindYesNo, code, Symptoms.Has(code)
	case strings.HasPrefix(id, painPrefix):
		code = id[len(painPrefix):]
		return KindNumber, code, Areas.Has(code)
	}
	return "", "", false
}

// QuestionIDs returns every question id in a fixed order: hours_since, pain,
// pain per area, then one per symptom.
func QuestionIDs() []string {
	ids := []string{QuestionHoursSince, QuestionPain}
	for _, c := range Areas.Codes() {
		ids = append(ids, PainQuestion(c.Code))
	}
	for _, c := range Symptoms.Codes() {
		ids = append(ids, SymptomQuestion(c.Code))
	}
	return ids
}

// NewQuestion returns the question with the given id and text, its kind and
// bounds taken from the id; an id that names no question is an EINVALID error.
func NewQuestion(id, text string) (Question, error) {
	kind, _, ok := ParseQuestionID(id)
	if !ok {
		return Question{}, unknownQuestion("id", id)
	}
	q := Question{ID: id, Text: text, Kind: kind}
	switch kind {
	case KindNumber:
		q.Min, q.Max = ptr(0), ptr(10)
	case KindHours:
		q.Min, q.Max = ptr(0), ptr(MaxHours)
	}
	return q, nil
}

func ptr[T any](v T) *T { return &v }

// unknownQuestion is the error for an id that names no question, given in field.
func unknownQuestion(field, id string) error {
	if code, ok := strings.CutPrefix(id, symptomPrefix); ok {
		return Errorf(EINVALID, field, "unknown question %q: %q is not a symptom; allowed symptoms: %s", id, code, Symptoms.Allowed())
	}
	if area, ok := strings.CutPrefix(id, painPrefix); ok {
		return Errorf(EINVALID, field, "unknown question %q: %q is not an area; allowed areas: %s", id, area, Areas.Allowed())
	}
	return Errorf(EINVALID, field, "unknown question %q; allowed: %s<symptom> (yes or no), %s<area> and %s (0–10), %s (hours)",
		id, symptomPrefix, painPrefix, QuestionPain, QuestionHoursSince)
}

// Answer is the answer to one question: a yes or no, or a number. The zero
// Answer holds neither and is refused by Request.Validate.
type Answer struct {
	kind  string // KindYesNo, KindNumber, or "" for none
	yes   bool
	value float64
}

// YesNoAnswer returns the answer yes (true) or no (false).
func YesNoAnswer(yes bool) Answer { return Answer{kind: KindYesNo, yes: yes} }

// NumberAnswer returns the answer v, for a number or hours question.
func NumberAnswer(v float64) Answer { return Answer{kind: KindNumber, value: v} }

// YesNo returns the answer to a yes_no question; ok is false when a holds a number or nothing.
func (a Answer) YesNo() (yes, ok bool) { return a.yes, a.kind == KindYesNo }

// Number returns the answer to a number or hours question; ok is false when a holds a yes or no or nothing.
func (a Answer) Number() (v float64, ok bool) { return a.value, a.kind == KindNumber }

// String returns the answer as JSON writes it: true, false or the number.
func (a Answer) String() string {
	switch a.kind {
	case KindYesNo:
		return strconv.FormatBool(a.yes)
	case KindNumber:
		return strconv.FormatFloat(a.value, 'g', -1, 64)
	}
	return "no answer"
}

// MarshalJSON writes the answer as a JSON boolean or number.
func (a Answer) MarshalJSON() ([]byte, error) {
	switch a.kind {
	case KindYesNo:
		return strconv.AppendBool(nil, a.yes), nil
	case KindNumber:
		return json.Marshal(a.value)
	}
	return nil, fmt.Errorf("aftercare: cannot encode an empty answer")
}

// UnmarshalJSON reads the answer from a JSON boolean or a finite number.
func (a *Answer) UnmarshalJSON(b []byte) error {
	v, ok := parseAnswer(b)
	if !ok {
		return Errorf(EINVALID, "answers", "an answer must be true, false or a number, not %s", b)
	}
	*a = v
	return nil
}

// parseAnswer reads raw, a JSON value, as an answer: true, false or a finite
// number; ok is false for anything else.
func parseAnswer(raw []byte) (Answer, bool) {
	s := strings.TrimSpace(string(raw))
	switch {
	case s == "true":
		return YesNoAnswer(true), true
	case s == "false":
		return YesNoAnswer(false), true
	case s == "" || s[0] != '-' && (s[0] < '0' || s[0] > '9'):
		return Answer{}, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) {
		return Answer{}, false
	}
	return NumberAnswer(v), true
}

// Answer returns the answer given to the question id, if any.
func (r Request) Answer(id string) (Answer, bool) {
	a, ok := r.Answers[id]
	return a, ok
}

// checkAnswer checks that a is an answer of the right kind, in range, to the
// question id.
func checkAnswer(id string, a Answer) error {
	field := "answers." + id
	kind, _, ok := ParseQuestionID(id)
	if !ok {
		return unknownQuestion(field, id)
	}
	var fits bool
	switch v, isNumber := a.Number(); kind {
	case KindYesNo:
		_, fits = a.YesNo()
	case KindNumber:
		fits = isNumber && v == math.Trunc(v) && v >= 0 && v <= 10
	case KindHours:
		fits = isNumber && v >= 0 && v <= MaxHours
	}
	if !fits {
		return badAnswer(field, kind, a.String())
	}
	return nil
}

// badAnswer is the error for an answer in field that does not fit kind; got
// is the answer as written.
func badAnswer(field, kind, got string) error {
	var want string
	switch kind {
	case KindYesNo:
		want = "true or false (a yes or no answer)"
	case KindNumber:
		want = "a whole number from 0 to 10 (the 0–10 pain scale)"
	case KindHours:
		want = fmt.Sprintf("a number of hours from 0 to %d", MaxHours)
	}
	return Errorf(EINVALID, field, "%s must be %s, not %s", field, want, got)
}

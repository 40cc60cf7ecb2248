package web

import (
	"net/url"
	"strings"
	"testing"

	"aftercare"
)

// FuzzAnswersOf posts any answer field with any value: the form either
// refuses it on the field's name, or reads a request whose answers all name a
// question and fit its kind; it never panics and never guesses.
func FuzzAnswersOf(f *testing.F) {
	for _, seed := range [][2]string{
		{"symptom.sharp_pain", "yes"}, {"symptom.sharp_pain", "No"}, {"symptom.sharp_pain", "maybe"},
		{"symptom.flying", "yes"}, {"pain", "7"}, {"pain", "12"}, {"pain", "6.5"}, {"pain.lower_back", "0"},
		{"hours_since", "24"}, {"hours_since", "-1"}, {"hours_since", "1e400"}, {"hours_since", "NaN"},
		{"", ""}, {"symptom.", "yes"}, {"pain.", "3"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, id, value string) {
		v := url.Values{"text": {"sore back"}, answerPrefix + id: {value}}
		req, e := requestOf(v)
		if e != nil {
			if !isAnswerError(e) || e.Message == "" {
				t.Fatalf("%q=%q: refused on %q: %s", id, value, e.Field, e.Message)
			}
			return
		}
		if strings.TrimSpace(value) == "" {
			if len(req.Answers) != 0 {
				t.Fatalf("an empty answer to %q reads as %v", id, req.Answers)
			}
			return
		}
		a, ok := req.Answers[id]
		if !ok || len(req.Answers) != 1 {
			t.Fatalf("%q=%q reads as %v", id, value, req.Answers)
		}
		kind, _, known := aftercare.ParseQuestionID(id)
		if !known {
			t.Fatalf("an answer to %q, no question, was taken", id)
		}
		if _, isYesNo := a.YesNo(); isYesNo != (kind == aftercare.KindYesNo) {
			t.Fatalf("%q (%s) answered %s", id, kind, a)
		}
		if err := req.Validate(); err != nil {
			t.Fatalf("%q=%q reads as a request that fails: %v", id, value, err)
		}
	})
}

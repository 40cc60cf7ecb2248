package web

import (
	"fmt"
	"maps"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"aftercare"
)

// When the reading of what a person sent is unsure (SPEC: "When the reading
// is unsure"), the self-check and the check-in page ask the few questions of
// the answer on one screen before they show it: a plain form that posts
// again every field already sent, in hidden inputs, with an answer.<id>
// field per question. An answer that is urgent or an emergency is never held
// back: it is shown at once, with the questions below it.

// answerPrefix begins the name of a form field that answers a question.
const answerPrefix = "answer."

// askedField marks a post from the question screen: its answers are taken
// as they are, and nothing more is asked, even when some were left unsure.
const askedField = "asked"

// questionScreen is the form that asks the questions of an answer.
type questionScreen struct {
	Items []questionItem
	// Carry holds every field already sent, posted again as it was.
	Carry []carried
	// Below is true when the questions follow an answer shown at once.
	Below bool
}

// questionItem is one question as the form asks it.
type questionItem struct {
	aftercare.Question
	// Field is the form field of the answer; DOM is its id in the page.
	Field, DOM string
	// Value is the answer posted so far: "yes", "no", a number or "".
	Value string
	// Error is the reason the posted answer was refused.
	Error string
}

// IsYesNo reports whether the question is answered yes or no.
func (q questionItem) IsYesNo() bool { return q.Kind == aftercare.KindYesNo }

// Unit is what the number answering the question counts.
func (q questionItem) Unit() string {
	if q.Kind == aftercare.KindHours {
		return "hours"
	}
	return "out of 10"
}

// carried is one field posted again by the question screen.
type carried struct{ Name, Value string }

// newQuestionScreen asks qs, carrying the fields of v; ferr, when it is
// about an answer, is shown beside the question it refused.
func newQuestionScreen(v url.Values, qs []aftercare.Question, ferr *aftercare.Error) *questionScreen {
	s := &questionScreen{}
	for _, name := range slices.Sorted(maps.Keys(v)) {
		if name == askedField || strings.HasPrefix(name, answerPrefix) {
			continue
		}
		for _, val := range v[name] {
			s.Carry = append(s.Carry, carried{name, val})
		}
	}
	for _, q := range qs {
		it := questionItem{Question: q, Field: answerPrefix + q.ID, DOM: "q-" + strings.ReplaceAll(q.ID, ".", "-")}
		it.Value = strings.TrimSpace(v.Get(it.Field))
		if ferr != nil && ferr.Field == it.Field {
			it.Error = ferr.Message
		}
		s.Items = append(s.Items, it)
	}
	return s
}

// asked reports whether the post has been through the question screen.
func asked(v url.Values) bool {
	if v.Get(askedField) != "" {
		return true
	}
	for k := range v {
		if strings.HasPrefix(k, answerPrefix) {
			return true
		}
	}
	return false
}

// holdsBack reports whether the answer to a post waits for its questions:
// only when there are some, none was asked yet, and the answer is not
// urgent or an emergency (those are shown at once).
func holdsBack(v url.Values, resp *aftercare.Response) bool {
	return len(resp.Questions) > 0 && !asked(v) && resp.Level < aftercare.Urgent
}

// isAnswerError reports whether a form error is about an answer.
func isAnswerError(e *aftercare.Error) bool {
	return e != nil && strings.HasPrefix(e.Field, answerPrefix)
}

// withoutAnswers returns the fields of v but the answers.
func withoutAnswers(v url.Values) url.Values {
	out := url.Values{}
	for k, vals := range v {
		if k != askedField && !strings.HasPrefix(k, answerPrefix) {
			out[k] = vals
		}
	}
	return out
}

// askAgain is the question screen shown again with a refused answer: the
// questions are those of what was sent without the answers. It is nil when
// they cannot be known.
func askAgain(v url.Values, ferr *aftercare.Error, assess func(aftercare.Request) (*aftercare.Response, error)) *questionScreen {
	req, e := requestOf(withoutAnswers(v))
	if e != nil {
		return nil
	}
	resp, err := assess(req)
	if err != nil {
		return nil
	}
	return newQuestionScreen(v, resp.Questions, ferr)
}

// answersOf reads the answer.<id> fields of a post: "yes" or "no" for a yes
// or no question, a number for the others; an empty field is no answer ("I'm
// not sure"). An id that names no question, or a value of the wrong kind, is
// an error on its field. The range is checked by the request's decoder.
func answersOf(v url.Values) (map[string]any, *aftercare.Error) {
	var out map[string]any
	for _, name := range slices.Sorted(maps.Keys(v)) {
		id, isAnswer := strings.CutPrefix(name, answerPrefix)
		if !isAnswer {
			continue
		}
		s := strings.TrimSpace(v.Get(name))
		kind, _, ok := aftercare.ParseQuestionID(id)
		if !ok {
			return nil, formError(name, fmt.Sprintf("%q is not a question we ask; please answer the questions shown.", id))
		}
		if s == "" {
			continue
		}
		if out == nil {
			out = map[string]any{}
		}
		switch kind {
		case aftercare.KindYesNo:
			switch strings.ToLower(s) {
			case "yes":
				out[id] = true
			case "no":
				out[id] = false
			default:
				return nil, formError(name, fmt.Sprintf("Answer yes, no or I'm not sure, not %q.", s))
			}
		default:
			n, err := strconv.ParseFloat(s, 64)
			if err != nil || math.IsNaN(n) || math.IsInf(n, 0) {
				return nil, formError(name, numberWanted(kind, s))
			}
			out[id] = n
		}
	}
	return out, nil
}

// numberWanted is the error for an answer that is not a number of kind.
func numberWanted(kind, got string) string {
	if kind == aftercare.KindHours {
		return fmt.Sprintf("Give the hours as a number from 0 to %d, such as 24, not %q; or leave it empty if you're not sure.", aftercare.MaxHours, got)
	}
	return fmt.Sprintf("Give a whole number from 0 to 10, not %q; or leave it empty if you're not sure.", got)
}

// valuesOf returns the form fields that say what a stored check-in said,
// so that its questions can be asked with it: pain, symptoms, health and text.
func valuesOf(req *aftercare.Request) url.Values {
	v := url.Values{}
	for area, pain := range painValues(req.Soreness) {
		v.Set("pain_"+area, pain)
	}
	v["symptoms"] = slices.Clone(req.Symptoms)
	v["health"] = slices.Clone(req.Health)
	if req.Text != "" {
		v.Set("text", req.Text)
	}
	for k, vals := range v {
		if len(vals) == 0 {
			delete(v, k)
		}
	}
	return v
}

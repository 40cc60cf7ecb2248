package fhir

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"aftercare"
)

// RequestFromResponse reads a posted QuestionnaireResponse (JSON) to the
// check-in questionnaire into an assessment request. A response that is not
// one (wrong resourceType, another questionnaire, a status other than
// completed or amended), or whose items break the questionnaire (unknown
// linkId, an answer of the wrong type, an unknown code, pain outside 0–10, a
// pain item for an area not chosen), is refused with an *aftercare.Error
// (aftercare.EINVALID) whose Field names the item, such as
// "item[pain_neck].answer", and whose message lists the allowed values.
func (b *Builder) RequestFromResponse(data []byte) (aftercare.Request, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return aftercare.Request{}, aftercare.DecodeJSONError(err)
	}
	if top == nil {
		return aftercare.Request{}, invalid("request", "the body must be a QuestionnaireResponse, a JSON object")
	}
	if rt, ok := jsonString(top["resourceType"]); !ok || rt != "QuestionnaireResponse" {
		return aftercare.Request{}, invalid("resourceType", "resourceType must be \"QuestionnaireResponse\", not %s", shown(top["resourceType"]))
	}
	if raw, ok := top["questionnaire"]; ok {
		want := b.QuestionnaireURL(CheckInQuestionnaireID)
		q, isString := jsonString(raw)
		if url, _, _ := strings.Cut(q, "|"); !isString || url != want {
			return aftercare.Request{}, invalid("questionnaire", "questionnaire must be the check-in questionnaire %s, not %s", want, shown(raw))
		}
	}
	if st, ok := jsonString(top["status"]); !ok || (st != "completed" && st != "amended") {
		return aftercare.Request{}, invalid("status", "status must be \"completed\" or \"amended\", not %s", shown(top["status"]))
	}
	p := newParser(b)
	items, err := list(top["item"], "item")
	if err != nil {
		return aftercare.Request{}, err
	}
	for i, raw := range items {
		if err := p.item(raw, i); err != nil {
			return aftercare.Request{}, err
		}
	}
	if err := p.soreness(); err != nil {
		return aftercare.Request{}, err
	}
	if err := p.req.Validate(); err != nil {
		return aftercare.Request{}, fromRequestError(err)
	}
	return p.req, nil
}

// answerKind is the value type a question takes.
type answerKind int

const (
	kindCoding answerKind = iota
	kindPain
	kindHours
	kindString
)

// question is what the parser knows of one item of the check-in questionnaire.
type question struct {
	kind    answerKind
	vocab   *aftercare.Vocabulary
	system  string
	repeats bool
}

type parser struct {
	b         *Builder
	questions map[string]question
	seen      map[string]bool
	req       aftercare.Request
	sore      []string
	pain      map[string]int
	painOrder []string
}

func newParser(b *Builder) *parser {
	p := &parser{b: b, seen: map[string]bool{}, pain: map[string]int{}}
	p.questions = map[string]question{
		LinkStyle:       {kindCoding, aftercare.Styles, b.CodeSystemURL(CodesStyle), false},
		LinkPressure:    {kindCoding, aftercare.Pressures, b.CodeSystemURL(CodesPressure), false},
		LinkAreasWorked: {kindCoding, aftercare.Areas, b.CodeSystemURL(CodesArea), true},
		LinkHoursSince:  {kind: kindHours},
		LinkSoreness:    {kindCoding, aftercare.Areas, b.CodeSystemURL(CodesArea), true},
		LinkSymptoms:    {kindCoding, aftercare.Symptoms, b.CodeSystemURL(CodesSymptom), true},
		LinkHealth:      {kindCoding, aftercare.Health, b.CodeSystemURL(CodesHealth), true},
		LinkText:        {kind: kindString},
	}
	for _, a := range aftercare.Areas.Codes() {
		p.questions[PainLinkID(a.Code)] = question{kind: kindPain}
	}
	return p
}

// allowedLinkIDs lists the top-level items of the check-in questionnaire.
func allowedLinkIDs() string {
	ids := []string{LinkStyle, LinkPressure, LinkAreasWorked, LinkHoursSince, LinkSoreness}
	for _, a := range aftercare.Areas.Codes() {
		ids = append(ids, PainLinkID(a.Code))
	}
	ids = append(ids, LinkSymptoms, LinkHealth, LinkHistory, LinkAnswers, LinkText)
	return strings.Join(ids, ", ")
}

func (p *parser) item(raw json.RawMessage, i int) error {
	it, err := object(raw, fmt.Sprintf("item[%d]", i))
	if err != nil {
		return err
	}
	linkID, ok := jsonString(it["linkId"])
	if !ok || linkID == "" {
		return invalid(fmt.Sprintf("item[%d].linkId", i), "item[%d].linkId must name an item of the check-in questionnaire, not %s; allowed: %s", i, shown(it["linkId"]), allowedLinkIDs())
	}
	field := "item[" + linkID + "]"
	if linkID == LinkHistory {
		return p.history(it, field)
	}
	if linkID == LinkAnswers {
		return p.questionAnswers(it, field)
	}
	q, known := p.questions[linkID]
	if !known {
		return invalid(field, "unknown item %q; allowed: %s", linkID, allowedLinkIDs())
	}
	if p.seen[linkID] {
		return invalid(field, "item %s is given twice; give each item once, with all its answers", linkID)
	}
	p.seen[linkID] = true
	answers, err := p.answers(it, field, q.repeats)
	if err != nil {
		return err
	}
	for n, a := range answers {
		if err := p.answer(linkID, field+".answer", q, a, n); err != nil {
			return err
		}
	}
	return nil
}

// answers returns the answer objects of a question, refusing nested items and
// more than one answer where the question takes one.
func (p *parser) answers(it map[string]json.RawMessage, field string, repeats bool) ([]map[string]json.RawMessage, error) {
	if nested, err := list(it["item"], field+".item"); err != nil {
		return nil, err
	} else if len(nested) > 0 {
		return nil, invalid(field+".item", "%s is a question and holds no nested items", field)
	}
	raws, err := list(it["answer"], field+".answer")
	if err != nil {
		return nil, err
	}
	if len(raws) > 1 && !repeats {
		return nil, invalid(field+".answer", "%s.answer takes one answer, not %d", field, len(raws))
	}
	out := make([]map[string]json.RawMessage, 0, len(raws))
	for _, raw := range raws {
		a, err := object(raw, field+".answer")
		if err != nil {
			return nil, err
		}
		if nested, err := list(a["item"], field+".answer"); err != nil {
			return nil, err
		} else if len(nested) > 0 {
			return nil, invalid(field+".answer", "the answers of %s hold no nested items", field)
		}
		out = append(out, a)
	}
	return out, nil
}

func (p *parser) answer(linkID, field string, q question, a map[string]json.RawMessage, n int) error {
	key, raw, err := value(a, field, expected(q))
	if err != nil {
		return err
	}
	switch q.kind {
	case kindCoding:
		if key != "valueCoding" {
			return wrongType(field, expected(q), key)
		}
		code, err := p.coding(raw, field, q)
		if err != nil {
			return err
		}
		return p.addCode(linkID, field, code)
	case kindPain:
		if key != "valueInteger" {
			return wrongType(field, expected(q), key)
		}
		pain, err := painValue(raw, field)
		if err != nil {
			return err
		}
		area := strings.TrimPrefix(linkID, "pain_")
		p.pain[area] = pain
		p.painOrder = append(p.painOrder, area)
	case kindHours:
		if key != "valueDecimal" {
			return wrongType(field, expected(q), key)
		}
		h, err := hoursValue(raw, field)
		if err != nil {
			return err
		}
		p.req.HoursSince = &h
	case kindString:
		if key != "valueString" {
			return wrongType(field, expected(q), key)
		}
		s, ok := jsonString(raw)
		if !ok {
			return invalid(field, "%s must be valueString, a JSON string, not %s", field, shown(raw))
		}
		p.req.Text = s
	}
	return nil
}

func (p *parser) addCode(linkID, field, code string) error {
	switch linkID {
	case LinkStyle:
		p.req.Style = code
	case LinkPressure:
		p.req.Pressure = code
	case LinkAreasWorked:
		p.req.AreasWorked = appendNew(p.req.AreasWorked, code)
	case LinkSoreness:
		for _, s := range p.sore {
			if s == code {
				return invalid(field, "%s is chosen twice in %s; choose each sore area once", code, field)
			}
		}
		p.sore = append(p.sore, code)
	case LinkSymptoms:
		p.req.Symptoms = appendNew(p.req.Symptoms, code)
	case LinkHealth:
		p.req.Health = appendNew(p.req.Health, code)
	}
	return nil
}

// coding reads a valueCoding and returns its code, checked against the
// question's code system.
func (p *parser) coding(raw json.RawMessage, field string, q question) (string, error) {
	var c struct {
		System *string `json:"system"`
		Code   *string `json:"code"`
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		return "", invalid(field, "%s must be a valueCoding object with a code of %s; allowed: %s", field, q.system, q.vocab.Allowed())
	}
	if c.System != nil && *c.System != q.system {
		return "", invalid(field, "%s must be coded in %s, not %q; allowed: %s", field, q.system, *c.System, q.vocab.Allowed())
	}
	if c.Code == nil || !q.vocab.Has(*c.Code) {
		got := "no code"
		if c.Code != nil {
			got = strconv.Quote(*c.Code)
		}
		return "", invalid(field, "unknown %s %s in %s; allowed: %s", q.vocab.Name, got, field, q.vocab.Allowed())
	}
	return *c.Code, nil
}

// soreness pairs the chosen sore areas with their pain items.
func (p *parser) soreness() error {
	chosen := make(map[string]bool, len(p.sore))
	for _, area := range p.sore {
		chosen[area] = true
		pain, ok := p.pain[area]
		if !ok {
			return invalid("item["+PainLinkID(area)+"].answer", "item %s is required: %s is chosen in item[soreness]; give a whole number from 0 to 10 (the 0–10 pain scale)", PainLinkID(area), area)
		}
		p.req.Soreness = append(p.req.Soreness, aftercare.Soreness{Area: area, Pain: pain})
	}
	for _, area := range p.painOrder {
		if !chosen[area] {
			return invalid("item["+PainLinkID(area)+"]", "item %s is answered but %s is not chosen in item[soreness]; answer the pain item of an area only when the area is chosen there", PainLinkID(area), area)
		}
	}
	return nil
}

func appendNew(list []string, code string) []string {
	for _, c := range list {
		if c == code {
			return list
		}
	}
	return append(list, code)
}

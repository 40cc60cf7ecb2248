package fhir

import (
	"encoding/json"
	"fmt"
	"strings"

	"aftercare"
)

// questionAnswers reads the answers group: one item per answered question,
// its linkId AnswerLinkID of the question id, its answer valueBoolean for a
// yes or no, valueInteger for pain, valueDecimal for hours.
func (p *parser) questionAnswers(it map[string]json.RawMessage, field string) error {
	if p.seen[LinkAnswers] {
		return invalid(field, "item %s is given twice; give each item once, with all its answers", LinkAnswers)
	}
	p.seen[LinkAnswers] = true
	if answers, err := list(it["answer"], field+".answer"); err != nil {
		return err
	} else if len(answers) > 0 {
		return invalid(field+".answer", "%s is a group and takes no answers; answer its items (%s<question id>)", field, answerPrefix)
	}
	children, err := list(it["item"], field+".item")
	if err != nil {
		return err
	}
	for j, raw := range children {
		child, err := object(raw, fmt.Sprintf("%s.item[%d]", field, j))
		if err != nil {
			return err
		}
		linkID, _ := jsonString(child["linkId"])
		cfield := field + ".item[" + linkID + "]"
		id, ok := strings.CutPrefix(linkID, answerPrefix)
		kind, _, known := aftercare.ParseQuestionID(id)
		if !ok || !known {
			return invalid(cfield, "unknown item %s in %s; allowed: %s followed by a question id: hours_since, pain, pain.<area>, symptom.<symptom>", shown(child["linkId"]), field, answerPrefix)
		}
		if _, dup := p.req.Answers[id]; dup {
			return invalid(cfield, "item %s is given twice in %s", linkID, field)
		}
		answers, err := p.answers(child, cfield, false)
		if err != nil || len(answers) == 0 {
			return err
		}
		want := map[string]string{aftercare.KindYesNo: "valueBoolean, true or false", aftercare.KindNumber: "valueInteger, a whole number from 0 to 10",
			aftercare.KindHours: fmt.Sprintf("valueDecimal, a number of hours from 0 to %d", aftercare.MaxHours)}[kind]
		key, raw, err := value(answers[0], cfield+".answer", want)
		if err != nil {
			return err
		}
		var a aftercare.Answer
		switch {
		case kind == aftercare.KindYesNo && key == "valueBoolean":
			var yes bool
			if json.Unmarshal(raw, &yes) != nil {
				return wrongType(cfield+".answer", want, string(raw))
			}
			a = aftercare.YesNoAnswer(yes)
		case kind == aftercare.KindNumber && key == "valueInteger":
			v, err := painValue(raw, cfield+".answer")
			if err != nil {
				return err
			}
			a = aftercare.NumberAnswer(float64(v))
		case kind == aftercare.KindHours && key == "valueDecimal":
			h, err := hoursValue(raw, cfield+".answer")
			if err != nil {
				return err
			}
			a = aftercare.NumberAnswer(h)
		default:
			return wrongType(cfield+".answer", want, key)
		}
		if p.req.Answers == nil {
			p.req.Answers = map[string]aftercare.Answer{}
		}
		p.req.Answers[id] = a
	}
	return nil
}

package fhir

import (
	"encoding/json"
	"fmt"

	"aftercare"
)

// history reads one repeat of the history group.
func (p *parser) history(it map[string]json.RawMessage, field string) error {
	i := len(p.req.History)
	if i >= aftercare.MaxHistory {
		return invalid(field, "at most %d earlier check-ins are allowed in %s", aftercare.MaxHistory, field)
	}
	field = fmt.Sprintf("%s[%d]", field, i)
	if answers, err := list(it["answer"], field+".answer"); err != nil {
		return err
	} else if len(answers) > 0 {
		return invalid(field+".answer", "%s is a group and takes no answers; answer its items %s and %s", field, LinkHistoryHours, LinkHistoryPain)
	}
	children, err := list(it["item"], field+".item")
	if err != nil {
		return err
	}
	var point aftercare.HistoryPoint
	seen := map[string]bool{}
	painGiven := false
	for j, raw := range children {
		child, err := object(raw, fmt.Sprintf("%s.item[%d]", field, j))
		if err != nil {
			return err
		}
		linkID, _ := jsonString(child["linkId"])
		cfield := field + ".item[" + linkID + "]"
		if linkID != LinkHistoryHours && linkID != LinkHistoryPain {
			return invalid(cfield, "unknown item %s in %s; allowed: %s, %s", shown(child["linkId"]), field, LinkHistoryHours, LinkHistoryPain)
		}
		if seen[linkID] {
			return invalid(cfield, "item %s is given twice in %s", linkID, field)
		}
		seen[linkID] = true
		answers, err := p.answers(child, cfield, false)
		if err != nil {
			return err
		}
		if len(answers) == 0 {
			continue
		}
		q, want := question{kind: kindHours}, "valueDecimal"
		if linkID == LinkHistoryPain {
			q, want = question{kind: kindPain}, "valueInteger"
		}
		key, raw, err := value(answers[0], cfield+".answer", expected(q))
		if err != nil {
			return err
		}
		if key != want {
			return wrongType(cfield+".answer", expected(q), key)
		}
		if linkID == LinkHistoryPain {
			if point.Pain, err = painValue(raw, cfield+".answer"); err != nil {
				return err
			}
			painGiven = true
			continue
		}
		h, err := hoursValue(raw, cfield+".answer")
		if err != nil {
			return err
		}
		point.HoursSince = &h
	}
	if !painGiven {
		return invalid(field+".item["+LinkHistoryPain+"].answer", "%s needs item %s answered: the worst pain then, a whole number from 0 to 10", field, LinkHistoryPain)
	}
	p.req.History = append(p.req.History, point)
	return nil
}

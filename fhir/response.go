package fhir

import (
	"maps"
	"slices"

	"aftercare"
)

// QuestionnaireResponse is a FHIR R4 QuestionnaireResponse.
type QuestionnaireResponse struct {
	ResourceType  string         `json:"resourceType"`
	ID            string         `json:"id,omitempty"`
	Questionnaire string         `json:"questionnaire,omitempty"`
	PartOf        []Reference    `json:"partOf,omitempty"`
	Status        string         `json:"status"`
	Subject       *Reference     `json:"subject,omitempty"`
	Authored      string         `json:"authored,omitempty"`
	Author        *Reference     `json:"author,omitempty"`
	Item          []ResponseItem `json:"item,omitempty"`
}

// ResponseItem is the answer to one item of a questionnaire.
type ResponseItem struct {
	LinkID string         `json:"linkId"`
	Text   string         `json:"text,omitempty"`
	Answer []Answer       `json:"answer,omitempty"`
	Item   []ResponseItem `json:"item,omitempty"`
}

// Answer is one answer value; exactly one field is set.
type Answer struct {
	ValueCoding  *Coding  `json:"valueCoding,omitempty"`
	ValueInteger *int     `json:"valueInteger,omitempty"`
	ValueDecimal *float64 `json:"valueDecimal,omitempty"`
	ValueString  *string  `json:"valueString,omitempty"`
	ValueBoolean *bool    `json:"valueBoolean,omitempty"`
}

// CheckInResponse returns a client's check-in as a completed response to the
// check-in questionnaire: the answers mirror the check-in's assessment request,
// so that RequestFromResponse gives that request back.
func (b *Builder) CheckInResponse(s aftercare.Session, c aftercare.CheckIn, client aftercare.Client) QuestionnaireResponse {
	q := b.CheckInQuestionnaire()
	text := make(map[string]string, len(q.Item))
	for _, it := range q.Item {
		text[it.LinkID] = it.Text
		for _, sub := range it.Item {
			text[sub.LinkID] = sub.Text
		}
	}
	r := c.Request
	var items []ResponseItem
	add := func(linkID string, answers ...Answer) {
		if len(answers) > 0 {
			items = append(items, ResponseItem{LinkID: linkID, Text: text[linkID], Answer: answers})
		}
	}
	codings := func(system string, v *aftercare.Vocabulary, codes ...string) []Answer {
		var out []Answer
		for _, code := range codes {
			if code != "" {
				cd := b.coding(system, v, code)
				out = append(out, Answer{ValueCoding: &cd})
			}
		}
		return out
	}
	add(LinkStyle, codings(CodesStyle, aftercare.Styles, r.Style)...)
	add(LinkPressure, codings(CodesPressure, aftercare.Pressures, r.Pressure)...)
	add(LinkAreasWorked, codings(CodesArea, aftercare.Areas, r.AreasWorked...)...)
	if r.HoursSince != nil {
		add(LinkHoursSince, Answer{ValueDecimal: floatPtr(*r.HoursSince)})
	}
	pain := make(map[string]int, len(r.Soreness))
	var sore []string
	for _, s := range r.Soreness {
		sore = append(sore, s.Area)
		pain[s.Area] = s.Pain
	}
	add(LinkSoreness, codings(CodesArea, aftercare.Areas, sore...)...)
	// The pain items follow the questionnaire's order, head to feet.
	for _, a := range aftercare.Areas.Codes() {
		if p, ok := pain[a.Code]; ok {
			add(PainLinkID(a.Code), Answer{ValueInteger: intPtr(p)})
		}
	}
	add(LinkSymptoms, codings(CodesSymptom, aftercare.Symptoms, r.Symptoms...)...)
	add(LinkHealth, codings(CodesHealth, aftercare.Health, r.Health...)...)
	for _, h := range r.History {
		group := ResponseItem{LinkID: LinkHistory, Text: text[LinkHistory]}
		if h.HoursSince != nil {
			group.Item = append(group.Item, ResponseItem{LinkID: LinkHistoryHours, Text: text[LinkHistoryHours], Answer: []Answer{{ValueDecimal: floatPtr(*h.HoursSince)}}})
		}
		group.Item = append(group.Item, ResponseItem{LinkID: LinkHistoryPain, Text: text[LinkHistoryPain], Answer: []Answer{{ValueInteger: intPtr(h.Pain)}}})
		items = append(items, group)
	}
	if len(r.Answers) > 0 {
		group := ResponseItem{LinkID: LinkAnswers, Text: text[LinkAnswers]}
		for _, id := range slices.Sorted(maps.Keys(r.Answers)) {
			a := r.Answers[id]
			var v Answer
			if yes, ok := a.YesNo(); ok {
				v.ValueBoolean = &yes
			} else if n, ok := a.Number(); ok {
				if kind, _, _ := aftercare.ParseQuestionID(id); kind == aftercare.KindHours {
					v.ValueDecimal = floatPtr(n)
				} else {
					v.ValueInteger = intPtr(int(n))
				}
			}
			group.Item = append(group.Item, ResponseItem{LinkID: AnswerLinkID(id), Text: text[AnswerLinkID(id)], Answer: []Answer{v}})
		}
		items = append(items, group)
	}
	if r.Text != "" {
		t := r.Text
		add(LinkText, Answer{ValueString: &t})
	}
	patient := Reference{Reference: b.ref(patientID(client))}
	qr := QuestionnaireResponse{
		ResourceType:  "QuestionnaireResponse",
		ID:            b.id(responseID(c)),
		Questionnaire: q.URL + "|" + q.Version,
		Status:        "completed",
		Subject:       &patient,
		Authored:      dateTime(c.CreatedAt),
		Author:        &patient,
		Item:          items,
	}
	if s.ID != 0 {
		qr.PartOf = []Reference{{Reference: b.ref(procedureID(s))}}
	}
	return qr
}

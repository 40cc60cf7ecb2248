package fhir

import (
	"fmt"

	"aftercare"
)

// Questionnaire is a FHIR R4 Questionnaire.
type Questionnaire struct {
	ResourceType string              `json:"resourceType"`
	ID           string              `json:"id,omitempty"`
	URL          string              `json:"url,omitempty"`
	Version      string              `json:"version,omitempty"`
	Name         string              `json:"name,omitempty"`
	Title        string              `json:"title,omitempty"`
	Status       string              `json:"status"`
	SubjectType  []string            `json:"subjectType,omitempty"`
	Publisher    string              `json:"publisher,omitempty"`
	Description  string              `json:"description,omitempty"`
	Item         []QuestionnaireItem `json:"item,omitempty"`
}

// QuestionnaireItem is one question or group of a Questionnaire.
type QuestionnaireItem struct {
	Extension    []Extension         `json:"extension,omitempty"`
	LinkID       string              `json:"linkId"`
	Code         []Coding            `json:"code,omitempty"`
	Text         string              `json:"text,omitempty"`
	Type         string              `json:"type"`
	EnableWhen   []EnableWhen        `json:"enableWhen,omitempty"`
	Required     bool                `json:"required,omitempty"`
	Repeats      bool                `json:"repeats,omitempty"`
	MaxLength    int                 `json:"maxLength,omitempty"`
	AnswerOption []AnswerOption      `json:"answerOption,omitempty"`
	Item         []QuestionnaireItem `json:"item,omitempty"`
}

// EnableWhen makes an item shown only when another item has a given answer.
type EnableWhen struct {
	Question     string  `json:"question"`
	Operator     string  `json:"operator"`
	AnswerCoding *Coding `json:"answerCoding,omitempty"`
}

// AnswerOption is one allowed answer of a choice item.
type AnswerOption struct {
	ValueCoding Coding `json:"valueCoding"`
}

// QuestionnaireVersion is the business version of both questionnaires.
const QuestionnaireVersion = "1.0.0"

// Ids of the questionnaires (the last part of their canonical URLs).
const (
	// CheckInQuestionnaireID is the id of the check-in questionnaire.
	CheckInQuestionnaireID = "aftercare-checkin"
	// ScreeningQuestionnaireID is the id of the screening questionnaire.
	ScreeningQuestionnaireID = "aftercare-screening"
)

// Link ids of the questionnaires' items; each is a field of the public
// assessment request, except the pain items, one per area (see PainLinkID).
const (
	// LinkStyle is the massage style received (choice of Styles).
	LinkStyle = "style"
	// LinkPressure is the pressure received (choice of Pressures).
	LinkPressure = "pressure"
	// LinkAreasWorked is the areas the therapist worked on (choices of Areas).
	LinkAreasWorked = "areas_worked"
	// LinkHoursSince is the hours since the session ended (decimal).
	LinkHoursSince = "hours_since"
	// LinkSoreness is "where does it hurt?" (choices of Areas), which enables the pain items.
	LinkSoreness = "soreness"
	// LinkSymptoms is the symptoms now (choices of Symptoms).
	LinkSymptoms = "symptoms"
	// LinkHealth is the screening answers (choices of Health).
	LinkHealth = "health"
	// LinkHistory is a repeating group, one per earlier check-in, oldest first.
	LinkHistory = "history"
	// LinkHistoryHours is the hours since the session of an earlier check-in (decimal).
	LinkHistoryHours = "history_hours_since"
	// LinkHistoryPain is the worst pain of an earlier check-in (integer 0–10).
	LinkHistoryPain = "history_pain"
	// LinkText is what the client says in their own words (text).
	LinkText = "text"
	// LinkAnswers is the group of answers to the questions an assessment asked
	// (Request.Answers); each item's linkId is AnswerLinkID of a question id.
	LinkAnswers = "answers"
	// LinkNotes is the screening questionnaire's free-text item.
	LinkNotes = "notes"
)

// PainLinkID returns the link id of the pain item of an area, such as "pain_neck".
func PainLinkID(area string) string { return "pain_" + area }

// QuestionnaireURL returns the canonical URL of the questionnaire with the given id.
// answerPrefix starts the linkId of an answer to a question of an assessment.
const answerPrefix = "answer."

// AnswerLinkID returns the linkId of the answer to the question id (such as
// "symptom.numbness") in the answers group of the check-in questionnaire.
func AnswerLinkID(id string) string { return answerPrefix + id }

// answerItems are the items of the answers group: one per question an
// assessment can ask.
func answerItems() []QuestionnaireItem {
	var items []QuestionnaireItem
	for _, id := range aftercare.QuestionIDs() {
		kind, code, _ := aftercare.ParseQuestionID(id)
		it := QuestionnaireItem{LinkID: AnswerLinkID(id)}
		switch {
		case kind == aftercare.KindYesNo:
			it.Type, it.Text = "boolean", "Do you have this now: "+aftercare.Symptoms.Label(code)+"?"
		case kind == aftercare.KindHours:
			it.Type, it.Text = "decimal", "How many hours ago did your massage end?"
			it.Extension = []Extension{{URL: ExtMinValue, ValueDecimal: floatPtr(0)}, {URL: ExtMaxValue, ValueDecimal: floatPtr(aftercare.MaxHours)}}
		case code == "":
			it.Type, it.Text, it.Extension = "integer", "How bad is the pain now, from 0 to 10?", painRange()
		default:
			it.Type, it.Text, it.Extension = "integer", aftercare.Areas.Label(code)+": how bad is the pain now, from 0 to 10?", painRange()
		}
		items = append(items, it)
	}
	return items
}

func (b *Builder) QuestionnaireURL(id string) string { return b.base + "/fhir/Questionnaire/" + id }

// CheckInQuestionnaire returns the questionnaire a client answers after a
// massage; its answers are an assessment request.
func (b *Builder) CheckInQuestionnaire() Questionnaire {
	items := []QuestionnaireItem{
		b.choice(LinkStyle, "Which style of massage did you have?", CodesStyle, aftercare.Styles, false),
		b.choice(LinkPressure, "How firm was the pressure?", CodesPressure, aftercare.Pressures, false),
		b.choice(LinkAreasWorked, "Which areas did your therapist work on?", CodesArea, aftercare.Areas, true),
		{
			LinkID:    LinkHoursSince,
			Code:      []Coding{b.field(LinkHoursSince)},
			Text:      "How many hours ago did your massage end?",
			Type:      "decimal",
			Extension: []Extension{{URL: ExtMinValue, ValueDecimal: floatPtr(0)}, {URL: ExtMaxValue, ValueDecimal: floatPtr(aftercare.MaxHours)}},
		},
		b.choice(LinkSoreness, "Where does it hurt?", CodesArea, aftercare.Areas, true),
	}
	for _, a := range aftercare.Areas.Codes() {
		area := b.coding(CodesArea, aftercare.Areas, a.Code)
		items = append(items, QuestionnaireItem{
			LinkID:     PainLinkID(a.Code),
			Code:       []Coding{{System: SystemLOINC, Code: LOINCPainSeverity, Display: LOINCPainSeverityDisplay}, area},
			Text:       fmt.Sprintf("%s: how sore now, from 0 (no pain) to 10 (the worst pain you can imagine)?", a.Label),
			Type:       "integer",
			Required:   true,
			EnableWhen: []EnableWhen{{Question: LinkSoreness, Operator: "=", AnswerCoding: &area}},
			Extension:  painRange(),
		})
	}
	items = append(items,
		b.choice(LinkSymptoms, "Do you have any of these now?", CodesSymptom, aftercare.Symptoms, true),
		b.choice(LinkHealth, "Does any of this apply to you?", CodesHealth, aftercare.Health, true),
		QuestionnaireItem{
			LinkID:  LinkHistory,
			Code:    []Coding{b.field(LinkHistory)},
			Text:    "Earlier check-ins after the same massage, oldest first",
			Type:    "group",
			Repeats: true,
			Item: []QuestionnaireItem{
				{
					LinkID:    LinkHistoryHours,
					Code:      []Coding{b.field(LinkHoursSince)},
					Text:      "Hours after the massage",
					Type:      "decimal",
					Extension: []Extension{{URL: ExtMinValue, ValueDecimal: floatPtr(0)}, {URL: ExtMaxValue, ValueDecimal: floatPtr(aftercare.MaxHours)}},
				},
				{
					LinkID:    LinkHistoryPain,
					Code:      []Coding{{System: SystemLOINC, Code: LOINCPainSeverity, Display: LOINCPainSeverityDisplay}},
					Text:      "Worst pain then, from 0 to 10",
					Type:      "integer",
					Required:  true,
					Extension: painRange(),
				},
			},
		},
		QuestionnaireItem{
			LinkID: LinkAnswers,
			Code:   []Coding{b.field(LinkAnswers)},
			Text:   "Answers to the questions the assessment asked, each settling what the words left unsure",
			Type:   "group",
			Item:   answerItems(),
		},
		QuestionnaireItem{
			LinkID:    LinkText,
			Code:      []Coding{b.field(LinkText)},
			Text:      "Anything else? Tell us in your own words.",
			Type:      "text",
			MaxLength: aftercare.MaxTextBytes,
		},
	)
	return Questionnaire{
		ResourceType: "Questionnaire",
		ID:           CheckInQuestionnaireID,
		URL:          b.QuestionnaireURL(CheckInQuestionnaireID),
		Version:      QuestionnaireVersion,
		Name:         "AftercareCheckIn",
		Title:        "How are you feeling after your massage?",
		Status:       "active",
		SubjectType:  []string{"Patient"},
		Publisher:    "Aftercare",
		Description:  "A client's check-in after a massage: where it is sore and how much (0–10), symptoms, and anything else in their own words. The answers make an Aftercare assessment request.",
		Item:         items,
	}
}

// ScreeningQuestionnaire returns the health questions a clinic asks a client
// before treatment.
func (b *Builder) ScreeningQuestionnaire() Questionnaire {
	return Questionnaire{
		ResourceType: "Questionnaire",
		ID:           ScreeningQuestionnaireID,
		URL:          b.QuestionnaireURL(ScreeningQuestionnaireID),
		Version:      QuestionnaireVersion,
		Name:         "AftercareScreening",
		Title:        "Before your massage",
		Status:       "active",
		SubjectType:  []string{"Patient"},
		Publisher:    "Aftercare",
		Description:  "Health questions before a massage, so the therapist can adjust pressure and areas.",
		Item: []QuestionnaireItem{
			b.choice(LinkHealth, "Does any of this apply to you?", CodesHealth, aftercare.Health, true),
			{
				LinkID:    LinkNotes,
				Code:      []Coding{b.field(LinkNotes)},
				Text:      "Anything else your therapist should know?",
				Type:      "text",
				MaxLength: aftercare.MaxTextBytes,
			},
		},
	}
}

// field returns the coding of a field of the public contract.
func (b *Builder) field(name string) Coding {
	return Coding{System: b.CodeSystemURL(CodesField), Code: name}
}

func (b *Builder) choice(linkID, text, system string, v *aftercare.Vocabulary, repeats bool) QuestionnaireItem {
	item := QuestionnaireItem{
		LinkID:  linkID,
		Code:    []Coding{b.field(linkID)},
		Text:    text,
		Type:    "choice",
		Repeats: repeats,
	}
	for _, c := range v.Codes() {
		item.AnswerOption = append(item.AnswerOption, AnswerOption{ValueCoding: b.coding(system, v, c.Code)})
	}
	return item
}

func painRange() []Extension {
	return []Extension{{URL: ExtMinValue, ValueInteger: intPtr(0)}, {URL: ExtMaxValue, ValueInteger: intPtr(10)}}
}

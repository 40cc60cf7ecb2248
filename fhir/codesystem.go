package fhir

import "aftercare"

// CodeSystem is a FHIR R4 CodeSystem: one of the product's closed vocabularies.
type CodeSystem struct {
	ResourceType  string    `json:"resourceType"`
	ID            string    `json:"id,omitempty"`
	URL           string    `json:"url"`
	Version       string    `json:"version,omitempty"`
	Name          string    `json:"name,omitempty"`
	Title         string    `json:"title,omitempty"`
	Status        string    `json:"status"`
	CaseSensitive bool      `json:"caseSensitive"`
	Content       string    `json:"content"`
	Count         int       `json:"count,omitempty"`
	Concept       []Concept `json:"concept,omitempty"`
}

// Concept is one code of a CodeSystem.
type Concept struct {
	Code       string `json:"code"`
	Display    string `json:"display,omitempty"`
	Definition string `json:"definition,omitempty"`
}

// fields are the codes of {base}/codes/field: the fields of the public
// contract that the questionnaires' items stand for.
var fields = []Concept{
	{Code: LinkStyle, Display: "Massage style"},
	{Code: LinkPressure, Display: "Pressure"},
	{Code: LinkAreasWorked, Display: "Areas worked"},
	{Code: LinkHoursSince, Display: "Hours since the session ended"},
	{Code: LinkSoreness, Display: "Sore areas"},
	{Code: LinkSymptoms, Display: "Symptoms"},
	{Code: LinkHealth, Display: "Health (screening answers)"},
	{Code: LinkHistory, Display: "Earlier check-ins"},
	{Code: LinkText, Display: "Free text"},
	{Code: LinkNotes, Display: "Screening notes"},
}

// CodeSystems returns the product's code systems, one per vocabulary of the
// public contract (style, pressure, area, symptom, health, level) and one of
// its fields, each complete, under {base}/codes/.
func (b *Builder) CodeSystems() []CodeSystem {
	vocab := func(name, title string, v *aftercare.Vocabulary) CodeSystem {
		var concepts []Concept
		for _, c := range v.Codes() {
			concepts = append(concepts, Concept{Code: c.Code, Display: c.Label})
		}
		return b.codeSystem(name, title, concepts)
	}
	var levels []Concept
	for _, l := range aftercare.Levels {
		levels = append(levels, Concept{Code: l.String(), Display: levelLabel(l), Definition: l.Meaning()})
	}
	return []CodeSystem{
		vocab(CodesStyle, "Massage styles", aftercare.Styles),
		vocab(CodesPressure, "Massage pressures", aftercare.Pressures),
		vocab(CodesArea, "Body areas", aftercare.Areas),
		vocab(CodesSymptom, "Symptoms after massage", aftercare.Symptoms),
		vocab(CodesHealth, "Screening answers", aftercare.Health),
		b.codeSystem(CodesLevel, "Triage levels", levels),
		b.codeSystem(CodesField, "Fields of the assessment request", fields),
	}
}

func (b *Builder) codeSystem(name, title string, concepts []Concept) CodeSystem {
	return CodeSystem{
		ResourceType:  "CodeSystem",
		ID:            "aftercare-" + name,
		URL:           b.CodeSystemURL(name),
		Version:       QuestionnaireVersion,
		Name:          "Aftercare" + upperFirst(name),
		Title:         "Aftercare: " + title,
		Status:        "active",
		CaseSensitive: true,
		Content:       "complete",
		Count:         len(concepts),
		Concept:       concepts,
	}
}

func upperFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

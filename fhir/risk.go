package fhir

import (
	"fmt"
	"strings"

	"aftercare"
)

// RiskAssessment is a FHIR R4 RiskAssessment.
type RiskAssessment struct {
	ResourceType       string           `json:"resourceType"`
	ID                 string           `json:"id,omitempty"`
	Status             string           `json:"status"`
	Method             *CodeableConcept `json:"method,omitempty"`
	Code               *CodeableConcept `json:"code,omitempty"`
	Subject            Reference        `json:"subject"`
	OccurrenceDateTime string           `json:"occurrenceDateTime,omitempty"`
	Basis              []Reference      `json:"basis,omitempty"`
	Prediction         []RiskPrediction `json:"prediction,omitempty"`
	Mitigation         string           `json:"mitigation,omitempty"`
	Note               []Annotation     `json:"note,omitempty"`
}

// RiskPrediction is one outcome of a RiskAssessment.
type RiskPrediction struct {
	QualitativeRisk *CodeableConcept `json:"qualitativeRisk,omitempty"`
	Rationale       string           `json:"rationale,omitempty"`
}

// Assessment returns the triage of a check-in as a RiskAssessment: the level
// as the qualitative risk (a code of {base}/codes/level), the headline as its
// rationale, one note per rule that fired with its level and source, the
// relief plan as mitigation, and the check-in's response and pain observations
// as its basis.
func (b *Builder) Assessment(c aftercare.CheckIn, client aftercare.Client) RiskAssessment {
	a := c.Assessment
	ra := RiskAssessment{
		ResourceType:       "RiskAssessment",
		ID:                 b.id(riskID(c)),
		Status:             "final",
		Code:               &CodeableConcept{Text: "Aftercare triage of soreness after massage"},
		Method:             &CodeableConcept{Text: method(a.KnowledgeVersion)},
		Subject:            Reference{Reference: b.ref(patientID(client))},
		OccurrenceDateTime: dateTime(c.CreatedAt),
		Basis:              []Reference{{Reference: b.ref(responseID(c))}},
	}
	for _, s := range c.Request.Soreness {
		ra.Basis = append(ra.Basis, Reference{Reference: b.ref(observationID(c, s.Area))})
	}
	if a.Level > aftercare.LevelNone && a.Level <= aftercare.Emergency {
		lc := b.levelCoding(a.Level)
		ra.Prediction = []RiskPrediction{{
			QualitativeRisk: &CodeableConcept{Coding: []Coding{lc}, Text: a.Level.Meaning()},
			Rationale:       a.Headline,
		}}
	}
	for _, r := range a.Reasons {
		note := fmt.Sprintf("Rule %s (%s): %s", r.Rule, r.Level, r.Text)
		if r.Source != "" {
			note += " Source: " + r.Source
		}
		ra.Note = append(ra.Note, Annotation{Text: strings.TrimSpace(note)})
	}
	var plan []string
	for _, p := range a.Plan {
		if p.Title != "" {
			plan = append(plan, p.Title)
		}
	}
	ra.Mitigation = strings.Join(plan, "; ")
	return ra
}

func method(knowledgeVersion string) string {
	m := "Aftercare triage rules: the level is the highest level asked for by any rule that fired."
	if knowledgeVersion != "" {
		m += " Knowledge version " + knowledgeVersion + "."
	}
	return m
}

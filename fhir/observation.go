package fhir

import "aftercare"

// Observation is a FHIR R4 Observation.
type Observation struct {
	ResourceType      string            `json:"resourceType"`
	ID                string            `json:"id,omitempty"`
	Status            string            `json:"status"`
	Category          []CodeableConcept `json:"category,omitempty"`
	Code              CodeableConcept   `json:"code"`
	Subject           *Reference        `json:"subject,omitempty"`
	EffectiveDateTime string            `json:"effectiveDateTime,omitempty"`
	ValueInteger      *int              `json:"valueInteger,omitempty"`
	BodySite          *CodeableConcept  `json:"bodySite,omitempty"`
	DerivedFrom       []Reference       `json:"derivedFrom,omitempty"`
}

// PainObservations returns one Observation per sore area of a check-in: the
// pain score (LOINC 72514-3, 0–10) with the area as a SNOMED CT body site,
// derived from the check-in's QuestionnaireResponse. A check-in without
// soreness gives none.
func (b *Builder) PainObservations(c aftercare.CheckIn, client aftercare.Client) []Observation {
	var out []Observation
	for _, s := range c.Request.Soreness {
		site := b.bodySite(s.Area)
		out = append(out, Observation{
			ResourceType: "Observation",
			ID:           b.id(observationID(c, s.Area)),
			Status:       "final",
			Category: []CodeableConcept{{
				Coding: []Coding{{System: SystemObservationCategory, Code: "survey", Display: "Survey"}},
			}},
			Code: CodeableConcept{
				Coding: []Coding{{System: SystemLOINC, Code: LOINCPainSeverity, Display: LOINCPainSeverityDisplay}},
				Text:   "Pain 0–10: " + aftercare.Areas.Label(s.Area),
			},
			Subject:           &Reference{Reference: b.ref(patientID(client))},
			EffectiveDateTime: dateTime(c.CreatedAt),
			ValueInteger:      intPtr(s.Pain),
			BodySite:          &site,
			DerivedFrom:       []Reference{{Reference: b.ref(responseID(c))}},
		})
	}
	return out
}

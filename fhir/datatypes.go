// Package fhir turns the product's data into HL7 FHIR R4 resources (JSON) and
// reads a posted QuestionnaireResponse back into an assessment request.
//
// Everything here is pure: no I/O, no clock. A Builder holds the base URL under
// which the product's canonical URLs and code systems live:
//
//	{base}/fhir/Questionnaire/aftercare-checkin   the check-in questionnaire
//	{base}/codes/symptom                           the code system of symptoms
//
// The structs are written by hand with the FHIR element names as JSON tags and
// omitempty wherever FHIR wants an element absent rather than empty. The tests
// validate every resource emitted against the official FHIR R4 JSON schema and
// the R4 StructureDefinitions (see testdata/validator).
package fhir

import "time"

// Coding is a code from a code system (FHIR Coding).
type Coding struct {
	System  string `json:"system,omitempty"`
	Code    string `json:"code,omitempty"`
	Display string `json:"display,omitempty"`
}

// CodeableConcept is a concept given by codings and/or text (FHIR CodeableConcept).
type CodeableConcept struct {
	Coding []Coding `json:"coding,omitempty"`
	Text   string   `json:"text,omitempty"`
}

// Reference points at another resource (FHIR Reference).
type Reference struct {
	Reference string `json:"reference,omitempty"`
	Display   string `json:"display,omitempty"`
}

// Identifier is a business identifier (FHIR Identifier).
type Identifier struct {
	System string `json:"system,omitempty"`
	Value  string `json:"value,omitempty"`
}

// HumanName is a person's name (FHIR HumanName); only the text is used.
type HumanName struct {
	Text string `json:"text,omitempty"`
}

// ContactPoint is a way to reach a person (FHIR ContactPoint).
type ContactPoint struct {
	System string `json:"system,omitempty"`
	Value  string `json:"value,omitempty"`
}

// Annotation is a text note (FHIR Annotation; text is markdown).
type Annotation struct {
	Text string `json:"text"`
}

// Extension is a FHIR extension with one of the value types used here.
type Extension struct {
	URL          string   `json:"url"`
	ValueInteger *int     `json:"valueInteger,omitempty"`
	ValueDecimal *float64 `json:"valueDecimal,omitempty"`
}

// Extension URLs of the FHIR R4 core used by the questionnaires.
const (
	// ExtMinValue sets the lowest allowed answer of a question.
	ExtMinValue = "http://hl7.org/fhir/StructureDefinition/minValue"
	// ExtMaxValue sets the highest allowed answer of a question.
	ExtMaxValue = "http://hl7.org/fhir/StructureDefinition/maxValue"
)

// External code systems.
const (
	// SystemLOINC is the LOINC code system.
	SystemLOINC = "http://loinc.org"
	// SystemSNOMED is SNOMED CT.
	SystemSNOMED = "http://snomed.info/sct"
	// SystemObservationCategory is FHIR's observation category code system.
	SystemObservationCategory = "http://terminology.hl7.org/CodeSystem/observation-category"
)

// The LOINC code of the pain score on the 0–10 numeric rating scale.
const (
	// LOINCPainSeverity is LOINC 72514-3.
	LOINCPainSeverity = "72514-3"
	// LOINCPainSeverityDisplay is the LOINC long common name of 72514-3.
	LOINCPainSeverityDisplay = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
)

// dateTime formats t as a FHIR dateTime (and instant) in UTC, or "" for the
// zero time so that omitempty leaves the element out.
func dateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func intPtr(v int) *int { return &v }

func floatPtr(v float64) *float64 { return &v }

package fhir

import (
	"sort"
	"strconv"
	"strings"

	"aftercare"
)

// Patient is a FHIR R4 Patient; only the name and email of a client are given.
type Patient struct {
	ResourceType         string         `json:"resourceType"`
	ID                   string         `json:"id,omitempty"`
	Name                 []HumanName    `json:"name,omitempty"`
	Telecom              []ContactPoint `json:"telecom,omitempty"`
	ManagingOrganization *Reference     `json:"managingOrganization,omitempty"`
}

// Organization is a FHIR R4 Organization: the clinic.
type Organization struct {
	ResourceType string       `json:"resourceType"`
	ID           string       `json:"id,omitempty"`
	Identifier   []Identifier `json:"identifier,omitempty"`
	Active       bool         `json:"active"`
	Name         string       `json:"name,omitempty"`
}

// Procedure is a FHIR R4 Procedure: the massage session.
type Procedure struct {
	ResourceType      string               `json:"resourceType"`
	ID                string               `json:"id,omitempty"`
	Status            string               `json:"status"`
	Code              *CodeableConcept     `json:"code,omitempty"`
	Subject           Reference            `json:"subject"`
	PerformedDateTime string               `json:"performedDateTime,omitempty"`
	Performer         []ProcedurePerformer `json:"performer,omitempty"`
	BodySite          []CodeableConcept    `json:"bodySite,omitempty"`
	Note              []Annotation         `json:"note,omitempty"`
}

// ProcedurePerformer is who performed a Procedure.
type ProcedurePerformer struct {
	Actor Reference `json:"actor"`
}

// Patient returns a client as a Patient: the name and email only, no other
// personal data.
func (b *Builder) Patient(clinic aftercare.Clinic, client aftercare.Client) Patient {
	p := Patient{ResourceType: "Patient", ID: b.id(patientID(client))}
	if client.Name != "" {
		p.Name = []HumanName{{Text: client.Name}}
	}
	if client.Email != "" {
		p.Telecom = []ContactPoint{{System: "email", Value: client.Email}}
	}
	if clinic.ID != 0 {
		p.ManagingOrganization = &Reference{Reference: b.ref(organizationID(clinic))}
	}
	return p
}

// Organization returns a clinic as an Organization: its name and its id
// under {base}/clinics (FHIR's org-1 wants a name or an identifier).
func (b *Builder) Organization(clinic aftercare.Clinic) Organization {
	return Organization{
		ResourceType: "Organization",
		ID:           b.id(organizationID(clinic)),
		Identifier:   []Identifier{{System: b.base + "/clinics", Value: strconv.FormatInt(clinic.ID, 10)}},
		Active:       true,
		Name:         clinic.Name,
	}
}

// Procedure returns a massage session as a completed Procedure ("Massage
// therapy", coded with the style) with a SNOMED CT body site per area worked
// and the pressure in a note.
func (b *Builder) Procedure(clinic aftercare.Clinic, client aftercare.Client, s aftercare.Session) Procedure {
	code := &CodeableConcept{Text: "Massage therapy"}
	if s.Style != "" {
		code.Coding = []Coding{b.coding(CodesStyle, aftercare.Styles, s.Style)}
	}
	p := Procedure{
		ResourceType:      "Procedure",
		ID:                b.id(procedureID(s)),
		Status:            "completed",
		Code:              code,
		Subject:           Reference{Reference: b.ref(patientID(client))},
		PerformedDateTime: dateTime(s.EndedAt),
	}
	if clinic.ID != 0 {
		p.Performer = []ProcedurePerformer{{Actor: Reference{Reference: b.ref(organizationID(clinic))}}}
	}
	for _, a := range s.AreasWorked {
		p.BodySite = append(p.BodySite, b.bodySite(a))
	}
	if note := pressureNote(s); note != "" {
		p.Note = []Annotation{{Text: note}}
	}
	return p
}

// pressureNote says the session's pressure, and the areas where it differed.
func pressureNote(s aftercare.Session) string {
	var parts []string
	if s.Pressure != "" {
		parts = append(parts, "Pressure: "+aftercare.Pressures.Label(s.Pressure)+".")
	}
	areas := make([]string, 0, len(s.AreaPressure))
	for a := range s.AreaPressure {
		areas = append(areas, a)
	}
	sort.Slice(areas, func(i, j int) bool { return aftercare.Areas.Index(areas[i]) < aftercare.Areas.Index(areas[j]) })
	for _, a := range areas {
		parts = append(parts, aftercare.Areas.Label(a)+": "+aftercare.Pressures.Label(s.AreaPressure[a])+".")
	}
	return strings.Join(parts, " ")
}

package fhir

import "aftercare"

// Bundle is a FHIR R4 Bundle.
type Bundle struct {
	ResourceType string        `json:"resourceType"`
	Type         string        `json:"type"`
	Entry        []BundleEntry `json:"entry,omitempty"`
}

// BundleEntry is one resource of a Bundle with the URL it is known by there.
type BundleEntry struct {
	FullURL  string `json:"fullUrl"`
	Resource any    `json:"resource"`
}

// SessionBundle returns everything about one massage session as a collection
// Bundle: the clinic (Organization), the client (Patient: name and email
// only), the session (Procedure), and per check-in its QuestionnaireResponse,
// pain Observations and RiskAssessment. Every resource has a urn:uuid fullUrl
// and every reference between them is one of those, so the bundle stands
// alone. The UUIDs are derived from the builder's base URL and the product's
// ids, so the same data gives the same bundle.
func (b *Builder) SessionBundle(clinic aftercare.Clinic, client aftercare.Client, s aftercare.Session, checkIns []aftercare.CheckIn) Bundle {
	in := *b
	in.inBundle = true
	bundle := Bundle{ResourceType: "Bundle", Type: "collection"}
	add := func(l local, r any) {
		bundle.Entry = append(bundle.Entry, BundleEntry{FullURL: in.fullURL(l), Resource: r})
	}
	if clinic.ID != 0 {
		add(organizationID(clinic), in.Organization(clinic))
	}
	add(patientID(client), in.Patient(clinic, client))
	add(procedureID(s), in.Procedure(clinic, client, s))
	for _, c := range checkIns {
		add(responseID(c), in.CheckInResponse(s, c, client))
		// PainObservations gives one observation per soreness entry, in order.
		for i, o := range in.PainObservations(c, client) {
			add(observationID(c, c.Request.Soreness[i].Area), o)
		}
		add(riskID(c), in.Assessment(c, client))
	}
	return bundle
}

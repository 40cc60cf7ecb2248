package fhir

import "aftercare"

// BodySite is the SNOMED CT body structure that stands for one of the
// product's areas.
type BodySite struct {
	// Code is the SNOMED CT concept id.
	Code string
	// Display is the concept's term.
	Display string
	// Exact is false where the concept is broader than the area (the area has
	// no SNOMED CT concept of its own that we could confirm).
	Exact bool
}

// BodySites maps every code of aftercare.Areas to a SNOMED CT body structure
// (descendants of 442083009 |Anatomical or acquired body structure|, the R4
// body-site value set).
//
// TO BE CHECKED BY A TERMINOLOGIST before clinical use. The codes were chosen
// from memory and cross-checked, where we could, against published value sets
// (DICOM CID 4031 "Common Anatomic Region" and FHIR implementation guides), not
// against a SNOMED CT release:
//   - confirmed in DICOM CID 4031: head, jaw, neck, shoulders, forearms, hands,
//     hips, upper arms, feet (and 30021000 lower leg, used for shins);
//   - seen in FHIR value sets and examples: chest 51185008, abdomen 113345001,
//     glutes 46862004, calves 53840002, lower back 37822005, quads 21989003;
//   - least sure: hamstrings 128511007 (seen with the terms "Hamstring muscles"
//     and "Posterior muscle of thigh structure");
//   - broader than the area (Exact false): upper back uses 77568009 |Structure of
//     back of trunk| and shins use 30021000 |Lower leg structure|, because we
//     could not confirm a concept for the upper back or the front of the lower
//     leg alone.
//
// Sides are not coded: the product does not record left or right.
var BodySites = map[string]BodySite{
	"head":       {"69536005", "Head structure", true},
	"jaw":        {"661005", "Jaw region structure", true},
	"neck":       {"45048000", "Neck structure", true},
	"shoulders":  {"16982005", "Shoulder region structure", true},
	"upper_back": {"77568009", "Structure of back of trunk", false},
	"lower_back": {"37822005", "Lower back structure", true},
	"chest":      {"51185008", "Thoracic structure", true},
	"abdomen":    {"113345001", "Abdominal structure", true},
	"upper_arms": {"40983000", "Upper arm structure", true},
	"forearms":   {"14975008", "Forearm structure", true},
	"hands":      {"85562004", "Hand structure", true},
	"glutes":     {"46862004", "Buttock structure", true},
	"hips":       {"29836001", "Hip region structure", true},
	"quads":      {"21989003", "Quadriceps femoris muscle structure", true},
	"hamstrings": {"128511007", "Hamstring muscle structure", true},
	"calves":     {"53840002", "Calf of leg structure", true},
	"shins":      {"30021000", "Lower leg structure", false},
	"feet":       {"56459004", "Foot structure", true},
}

// bodySite returns the coded body site of an area: the SNOMED CT concept and
// the product's own area code, with the area's label as text.
func (b *Builder) bodySite(area string) CodeableConcept {
	cc := CodeableConcept{Text: aftercare.Areas.Label(area)}
	if s, ok := BodySites[area]; ok {
		cc.Coding = append(cc.Coding, Coding{System: SystemSNOMED, Code: s.Code, Display: s.Display})
	}
	cc.Coding = append(cc.Coding, b.coding(CodesArea, aftercare.Areas, area))
	return cc
}

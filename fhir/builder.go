package fhir

import (
	"crypto/sha1"
	"fmt"
	"strconv"
	"strings"

	"aftercare"
)

// Builder makes FHIR resources whose canonical URLs and code systems live under
// one base URL, such as "https://aftercare.example".
type Builder struct {
	base string
	// inBundle makes references urn:uuid ones that resolve inside a Bundle,
	// and leaves resource ids out; otherwise references are relative
	// ("Patient/12") and resources carry their ids.
	inBundle bool
}

// NewBuilder returns a Builder for the given base URL (a trailing slash is ignored).
func NewBuilder(baseURL string) *Builder {
	return &Builder{base: strings.TrimRight(baseURL, "/")}
}

// BaseURL returns the base URL the builder was made with.
func (b *Builder) BaseURL() string { return b.base }

// CodeSystemURL returns the URL of one of the product's code systems, such as
// "{base}/codes/symptom" for name "symptom".
func (b *Builder) CodeSystemURL(name string) string { return b.base + "/codes/" + name }

// Names of the product's code systems, under {base}/codes/.
const (
	// CodesStyle holds the massage styles.
	CodesStyle = "style"
	// CodesPressure holds the pressures.
	CodesPressure = "pressure"
	// CodesArea holds the body areas.
	CodesArea = "area"
	// CodesSymptom holds the symptoms.
	CodesSymptom = "symptom"
	// CodesHealth holds the screening answers.
	CodesHealth = "health"
	// CodesLevel holds the triage levels.
	CodesLevel = "level"
	// CodesField holds the fields of the public contract that questionnaire items stand for.
	CodesField = "field"
)

func (b *Builder) coding(system string, v *aftercare.Vocabulary, code string) Coding {
	return Coding{System: b.CodeSystemURL(system), Code: code, Display: v.Label(code)}
}

func (b *Builder) levelCoding(l aftercare.Level) Coding {
	return Coding{System: b.CodeSystemURL(CodesLevel), Code: l.String(), Display: levelLabel(l)}
}

// levelLabel is the short readable name of a triage level.
func levelLabel(l aftercare.Level) string {
	switch l {
	case aftercare.SelfCare:
		return "Self care"
	case aftercare.Monitor:
		return "Monitor"
	case aftercare.Consult:
		return "Consult"
	case aftercare.Urgent:
		return "Urgent"
	case aftercare.Emergency:
		return "Emergency"
	}
	return l.String()
}

// local is the identity of one resource the builder makes: its type and an id
// made from the product's own ids.
type local struct {
	typ string
	id  string
}

func patientID(c aftercare.Client) local    { return local{"Patient", strconv.FormatInt(c.ID, 10)} }
func procedureID(s aftercare.Session) local { return local{"Procedure", strconv.FormatInt(s.ID, 10)} }
func organizationID(c aftercare.Clinic) local {
	return local{"Organization", strconv.FormatInt(c.ID, 10)}
}
func responseID(c aftercare.CheckIn) local {
	return local{"QuestionnaireResponse", strconv.FormatInt(c.ID, 10)}
}
func riskID(c aftercare.CheckIn) local { return local{"RiskAssessment", strconv.FormatInt(c.ID, 10)} }
func observationID(c aftercare.CheckIn, area string) local {
	// FHIR ids allow letters, digits, "-" and "." only.
	return local{"Observation", strconv.FormatInt(c.ID, 10) + "-" + strings.ReplaceAll(area, "_", "-")}
}

// id returns the id a resource carries: empty inside a bundle, where the
// entry's fullUrl names it.
func (b *Builder) id(l local) string {
	if b.inBundle {
		return ""
	}
	return l.id
}

// ref returns a reference to a resource.
func (b *Builder) ref(l local) string {
	if b.inBundle {
		return b.fullURL(l)
	}
	return l.typ + "/" + l.id
}

// fullURL returns the urn:uuid under which a resource sits in a bundle. The
// UUID is a name-based one (version 5) of the resource's type and id under the
// builder's base URL, so the same data always gives the same bundle.
func (b *Builder) fullURL(l local) string {
	return "urn:uuid:" + uuid5(b.base+"/fhir/"+l.typ+"/"+l.id)
}

// namespaceURL is the RFC 9562 namespace for names that are URLs.
var namespaceURL = [16]byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}

func uuid5(name string) string {
	h := sha1.New()
	h.Write(namespaceURL[:])
	h.Write([]byte(name))
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x50 // version 5
	u[8] = u[8]&0x3f | 0x80 // RFC 9562 variant
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}

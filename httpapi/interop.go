package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"aftercare"
	"aftercare/fhir"
)

// fhirJSON is the media type of FHIR resources in JSON.
const fhirJSON = "application/fhir+json"

// fhirBuilder makes FHIR resources under the service's public address.
func (s *server) fhirBuilder(r *http.Request) *fhir.Builder {
	return fhir.NewBuilder(s.base(r))
}

// sessionFHIR answers GET /api/v1/sessions/{id}/fhir: the session, its
// client, clinic and check-ins as one FHIR R4 collection Bundle.
func (s *server) sessionFHIR(w http.ResponseWriter, r *http.Request, a *aftercare.Access) error {
	sess, err := findSession(r, a)
	if err != nil {
		return err
	}
	clinic, err := a.Clinic(r.Context())
	if err != nil {
		return err
	}
	client, err := a.FindClient(r.Context(), sess.ClientID)
	if err != nil {
		return err
	}
	if err := a.Exported(r.Context(), fmt.Sprintf("session/%d/fhir", sess.ID), client.ID); err != nil {
		return err
	}
	bundle := s.fhirBuilder(r).SessionBundle(*clinic, *client, *sess, sess.CheckIns)
	writeJSONAs(w, http.StatusOK, fhirJSON, bundle)
	return nil
}

// questionnaire answers GET /fhir/Questionnaire/{name}: the check-in or the
// screening questionnaire, by the id the fhir package gives it.
func (s *server) questionnaire(w http.ResponseWriter, r *http.Request) error {
	b := s.fhirBuilder(r)
	var q fhir.Questionnaire
	switch name := r.PathValue("name"); name {
	case fhir.CheckInQuestionnaireID:
		q = b.CheckInQuestionnaire()
	case fhir.ScreeningQuestionnaireID:
		q = b.ScreeningQuestionnaire()
	default:
		return aftercare.Errorf(aftercare.ENOTFOUND, "name", "no questionnaire %q; known: %s, %s",
			clip(name, 100), fhir.CheckInQuestionnaireID, fhir.ScreeningQuestionnaireID)
	}
	writeJSONAs(w, http.StatusOK, fhirJSON, q)
	return nil
}

// recordClinicCheckIn reads the body of POST /api/v1/sessions/{id}/check-ins,
// an assessment request or a FHIR QuestionnaireResponse to the check-in
// questionnaire, and stores it as a check-in of sess. A body is read as a
// QuestionnaireResponse when sent as application/fhir+json, or when its
// resourceType is "QuestionnaireResponse".
func (s *server) recordClinicCheckIn(w http.ResponseWriter, r *http.Request, a *aftercare.Access, sess *aftercare.Session) error {
	data, mt, err := readBodyOf(w, r, "application/json", fhirJSON)
	if err != nil {
		return err
	}
	var req aftercare.Request
	if mt == fhirJSON || isQuestionnaireResponse(data) {
		req, err = s.fhirBuilder(r).RequestFromResponse(data)
	} else {
		req, err = aftercare.DecodeRequest(data)
	}
	if err != nil {
		return err
	}
	return s.storeCheckIn(w, r, a, sess, req)
}

// isQuestionnaireResponse reports whether data is a JSON object whose
// resourceType is "QuestionnaireResponse".
func isQuestionnaireResponse(data []byte) bool {
	var probe struct {
		ResourceType any `json:"resourceType"`
	}
	if json.Unmarshal(data, &probe) != nil {
		return false
	}
	return probe.ResourceType == "QuestionnaireResponse"
}

// CDS Hooks (https://cds-hooks.hl7.org/2.0/): one service that grades an
// aftercare check-in and answers with one card.
const (
	cdsServiceID = "aftercare-checkin"
	cdsHook      = "patient-view"
	// maxSummaryChars is the longest card summary CDS Hooks allows.
	maxSummaryChars = 140
)

type cdsDiscovery struct {
	Services []cdsService `json:"services"`
}

// cdsService is one service of the discovery document; it asks for no prefetch.
type cdsService struct {
	ID          string `json:"id"`
	Hook        string `json:"hook"`
	Title       string `json:"title"`
	Description string `json:"description"`
}

func (s *server) cdsDiscovery(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, cdsDiscovery{Services: []cdsService{{
		ID:    cdsServiceID,
		Hook:  cdsHook,
		Title: "Aftercare check-in triage",
		Description: "Grades a client's check-in after a massage (soreness, symptoms, their own words) " +
			"and answers with one card: the headline, its level as the indicator, and the reasons. " +
			"Send the assessment request as context.aftercare_request (or as the top-level request).",
	}}})
	return nil
}

// cdsRequest is the body of POST /cds-services/aftercare-checkin. The
// assessment request is context.aftercare_request, or the top-level request;
// other fields of a CDS Hooks request (fhirServer, prefetch, …) are ignored.
type cdsRequest struct {
	HookInstance json.RawMessage            `json:"hookInstance"`
	Hook         json.RawMessage            `json:"hook"`
	Context      map[string]json.RawMessage `json:"context"`
	Request      json.RawMessage            `json:"request"`
}

type cdsResponse struct {
	Cards []cdsCard `json:"cards"`
}

type cdsCard struct {
	Summary     string    `json:"summary"`
	Indicator   string    `json:"indicator"`
	Detail      string    `json:"detail"`
	Source      cdsSource `json:"source"`
	Suggestions []any     `json:"suggestions"`
}

type cdsSource struct {
	Label string `json:"label"`
	URL   string `json:"url"`
}

func (s *server) cdsCheckIn(w http.ResponseWriter, r *http.Request) error {
	data, err := readJSONBody(w, r)
	if err != nil {
		return err
	}
	var in cdsRequest
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&in); err != nil {
		return aftercare.DecodeJSONError(err)
	}
	if bytes.Equal(bytes.TrimSpace(data), []byte("null")) {
		return aftercare.Errorf(aftercare.EINVALID, "request", "the body must be a CDS Hooks request, a JSON object")
	}
	var instance, hook string
	if json.Unmarshal(in.HookInstance, &instance) != nil || strings.TrimSpace(instance) == "" {
		return aftercare.Errorf(aftercare.EINVALID, "hookInstance", "hookInstance is required: a string that identifies this call")
	}
	if json.Unmarshal(in.Hook, &hook) != nil || hook != cdsHook {
		return aftercare.Errorf(aftercare.EINVALID, "hook", "hook must be %q", cdsHook)
	}
	raw, field := in.Context["aftercare_request"], "context.aftercare_request"
	if len(in.Request) > 0 {
		if len(raw) > 0 {
			return aftercare.Errorf(aftercare.EINVALID, "request", "send the assessment request once: as context.aftercare_request or as request, not both")
		}
		raw, field = in.Request, "request"
	}
	if len(raw) == 0 {
		return aftercare.Errorf(aftercare.EINVALID, "context.aftercare_request", "context.aftercare_request is required: an assessment request")
	}
	req, err := aftercare.DecodeRequest(raw)
	if err != nil {
		return underField(err, field)
	}
	resp, err := s.assessor.Assess(req, s.now())
	if err != nil {
		return err
	}
	s.metrics.assessed(resp.Level)
	writeJSON(w, http.StatusOK, cdsResponse{Cards: []cdsCard{s.card(r, resp)}})
	return nil
}

// card is the CDS Hooks card of one assessment.
func (s *server) card(r *http.Request, resp *aftercare.Response) cdsCard {
	var detail strings.Builder
	for _, rs := range resp.Reasons {
		detail.WriteString("- " + rs.Text + " (" + rs.Level.String() + ")\n")
	}
	if detail.Len() == 0 {
		detail.WriteString(resp.Headline)
	}
	return cdsCard{
		Summary:     clip(resp.Headline, maxSummaryChars),
		Indicator:   indicator(resp.Level),
		Detail:      strings.TrimSpace(detail.String()),
		Source:      cdsSource{Label: "Aftercare", URL: s.base(r)},
		Suggestions: []any{},
	}
}

// indicator maps a triage level to a CDS Hooks card indicator.
func indicator(l aftercare.Level) string {
	switch {
	case l >= aftercare.Urgent:
		return "critical"
	case l == aftercare.Consult:
		return "warning"
	}
	return "info"
}

// underField moves the field of a request error under prefix, such as
// "soreness[0].pain" to "context.aftercare_request.soreness[0].pain".
func underField(err error, prefix string) error {
	var e *aftercare.Error
	if !errors.As(err, &e) {
		return err
	}
	out := *e
	switch out.Field {
	case "", "request":
		out.Field = prefix
	default:
		out.Field = prefix + "." + out.Field
	}
	return &out
}

// clip shortens s to at most n characters, ending with "…" when cut.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	rs := []rune(s)
	return strings.TrimSpace(string(rs[:n-1])) + "…"
}

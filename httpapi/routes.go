package httpapi

import (
	"maps"
	"net/http"
	"slices"

	"github.com/prometheus/client_golang/prometheus"
)

// routes lists every route of the service, pages included, on one ServeMux.
func (s *server) routes() {
	// Operations.
	s.handle("GET /healthz", s.h(s.healthz))
	s.handle("GET /readyz", s.h(s.readyz))
	s.handle("GET /metrics", s.metricsHandler())
	s.handle("GET /api/v1/openapi.json", s.h(s.openAPI))

	// The public door: anyone may ask for an assessment.
	s.handle("POST /api/v1/assessments", s.h(s.assess))

	// The client's private link: no account, the token is the key.
	s.handle("GET /api/v1/checkin/{token}", s.h(s.linkView))
	s.handle("POST /api/v1/checkin/{token}", s.h(s.linkCheckIn))

	// The clinic API, behind a bearer token.
	s.handle("GET /api/v1/clients", s.h(s.auth(s.listClients)))
	s.handle("POST /api/v1/clients", s.h(s.auth(s.createClient)))
	s.handle("GET /api/v1/clients/{id}", s.h(s.auth(s.getClient)))
	s.handle("POST /api/v1/clients/{id}/screenings", s.h(s.auth(s.createScreening)))
	s.handle("POST /api/v1/sessions", s.h(s.auth(s.createSession)))
	s.handle("GET /api/v1/sessions/{id}", s.h(s.auth(s.getSession)))
	s.handle("POST /api/v1/sessions/{id}/check-ins", s.h(s.auth(s.createCheckIn)))
	s.handle("GET /api/v1/sessions/{id}/fhir", s.h(s.auth(s.sessionFHIR)))
	s.handle("GET /api/v1/flags", s.h(s.auth(s.listFlags)))
	s.handle("POST /api/v1/flags/{id}/ack", s.h(s.auth(s.ackFlag)))

	// Exports (export.go), behind a bearer token.
	s.handle("GET /api/v1/export/check-ins.csv", s.h(s.auth(s.exportCheckIns)))
	s.handle("GET /api/v1/clients/{id}/export", s.h(s.auth(s.exportClient)))
	s.handle("GET /api/v1/clients/{id}/follow-ups.ics", s.h(s.auth(s.clientFollowUps)))

	// Interoperability (interop.go): FHIR questionnaires and CDS Hooks, public.
	s.handle("GET /fhir/Questionnaire/{name}", s.h(s.questionnaire))
	s.handle("GET /cds-services", s.h(s.cdsDiscovery))
	s.handle("POST /cds-services/aftercare-checkin", s.h(s.cdsCheckIn))

	// The pages (package web), when the program mounts them.
	if s.web != nil {
		s.handle("GET /{$}", s.web)
		s.handle("POST /check", s.web)
		s.handle("GET /c/{token}", s.web)
		s.handle("POST /c/{token}", s.web)
		s.handle("GET /static/{file}", s.web)
	}
}

// Routes lists the pattern of every route the server serves, pages included, sorted.
func Routes() []string {
	s := &server{mux: http.NewServeMux(), patterns: map[string]bool{}, web: http.NotFoundHandler(), registry: prometheus.NewRegistry()}
	s.routes()
	return slices.Sorted(maps.Keys(s.patterns))
}

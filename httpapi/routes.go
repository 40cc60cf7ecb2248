package httpapi

import (
	"maps"
	"net/http"
	"slices"

	"github.com/prometheus/client_golang/prometheus"

	"aftercare"
)

// routes lists every route of the service, pages included, on one ServeMux.
// A clinic route is wrapped in s.clinic with the scope it needs: the wrapper
// admits only a principal of one clinic and hands the handler that clinic's
// aftercare.Access, so no clinic route can reach another clinic's data.
func (s *server) routes() {
	const (
		read   = aftercare.ScopeRead
		write  = aftercare.ScopeWrite
		export = aftercare.ScopeExport
		erase  = aftercare.ScopeErase
	)

	// Operations.
	s.handle("GET /healthz", s.h(s.healthz))
	s.handle("GET /readyz", s.h(s.readyz))
	s.handle("GET /metrics", s.metricsHandler())
	s.handle("GET /api/v1/openapi.json", s.h(s.openAPI))

	// The public door: anyone may ask for an assessment (rate-limited per address).
	s.handle("POST /api/v1/assessments", s.h(s.assess))

	// The client's private link: no account, the token is the key.
	s.handle("GET /api/v1/checkin/{token}", s.h(s.linkView))
	s.handle("POST /api/v1/checkin/{token}", s.h(s.linkCheckIn))

	// Staff sign-in (login.go); the sign-in page itself is the web package's.
	s.handle("POST /login", s.h(s.login))
	s.handle("POST /logout", s.h(s.logout))

	// The clinic API, behind an API token or a staff sign-in.
	s.handle("GET /api/v1/clients", s.h(s.clinic(read, s.listClients)))
	s.handle("POST /api/v1/clients", s.h(s.clinic(write, s.createClient)))
	s.handle("GET /api/v1/clients/{id}", s.h(s.clinic(read, s.getClient)))
	s.handle("PATCH /api/v1/clients/{id}", s.h(s.clinic(write, s.updateClient)))
	s.handle("DELETE /api/v1/clients/{id}", s.h(s.clinic(erase, s.eraseClient)))
	s.handle("POST /api/v1/clients/{id}/screenings", s.h(s.clinic(write, s.createScreening)))
	s.handle("POST /api/v1/sessions", s.h(s.clinic(write, s.createSession)))
	s.handle("GET /api/v1/sessions/{id}", s.h(s.clinic(read, s.getSession)))
	s.handle("POST /api/v1/sessions/{id}/check-ins", s.h(s.clinic(write, s.createCheckIn)))
	s.handle("POST /api/v1/sessions/{id}/reassess", s.h(s.clinic(read, s.reassess))) // reassess.go: stores nothing
	s.handle("POST /api/v1/sessions/{id}/links", s.h(s.clinic(write, s.createLink)))
	s.handle("POST /api/v1/sessions/{id}/links/email", s.h(s.clinic(write, s.emailLink)))
	s.handle("POST /api/v1/sessions/{id}/revoke-links", s.h(s.clinic(write, s.revokeLinks)))
	s.handle("GET /api/v1/sessions/{id}/fhir", s.h(s.clinic(export, s.sessionFHIR)))
	s.handle("GET /api/v1/flags", s.h(s.clinic(read, s.listFlags)))
	s.handle("POST /api/v1/flags/{id}/ack", s.h(s.clinic(write, s.ackFlag)))
	s.handle("POST /api/v1/flags/{id}/undo", s.h(s.clinic(write, s.undoAck)))
	s.handle("GET /api/v1/audit", s.h(s.clinic(read, s.listAudit)))

	// Exports (export.go).
	s.handle("GET /api/v1/export/check-ins.csv", s.h(s.clinic(export, s.exportCheckIns)))
	s.handle("GET /api/v1/clients/{id}/export", s.h(s.clinic(export, s.exportClient)))
	s.handle("GET /api/v1/clients/{id}/follow-ups.ics", s.h(s.clinic(export, s.clientFollowUps)))

	// Interoperability (interop.go): FHIR questionnaires and CDS Hooks, public.
	s.handle("GET /fhir/Questionnaire/{name}", s.h(s.questionnaire))
	s.handle("GET /cds-services", s.h(s.cdsDiscovery))
	s.handle("POST /cds-services/aftercare-checkin", s.h(s.cdsCheckIn))

	// The pages (package web), when the program mounts them: every route of
	// web.New is listed here, so that this table, Routes and the OpenAPI
	// document stay the whole of what is served. The staff pages read the
	// principal that authenticate put in the request's context.
	if s.web != nil {
		s.handle("GET /{$}", s.web)
		s.handle("POST /check", s.web)
		s.handle("GET /c/{token}", s.web)
		s.handle("POST /c/{token}", s.web)
		s.handle("GET /guide", s.web)
		s.handle("GET /guide/{topic}", s.web)
		s.handle("GET /static/{file}", s.web)
		s.handle("GET /login", s.web)
		s.handle("GET /staff", s.staffPage(s.web))
		s.handle("POST /staff/clients", s.staffPage(s.web))
		s.handle("GET /staff/clients/{id}", s.staffPage(s.web))
		s.handle("POST /staff/clients/{id}/screenings", s.staffPage(s.web))
		s.handle("POST /staff/sessions", s.staffPage(s.web))
		s.handle("GET /staff/sessions/{id}", s.staffPage(s.web))
		s.handle("POST /staff/sessions/{id}/link", s.staffPage(s.web))
		s.handle("POST /staff/sessions/{id}/email-link", s.staffPage(s.web))
		s.handle("POST /staff/sessions/{id}/revoke-links", s.staffPage(s.web))
		s.handle("POST /staff/flags/{id}/ack", s.staffPage(s.web))
		s.handle("GET /staff/settings", s.staffPage(s.web))
		s.handle("POST /staff/settings", s.staffPage(s.web))
		s.handle("POST /staff/flags/{id}/undo", s.staffPage(s.web))
		s.handle("POST /staff/clients/{id}", s.staffPage(s.web))
	}
}

// Routes lists the pattern of every route the server serves, pages included, sorted.
func Routes() []string {
	s := &server{mux: http.NewServeMux(), patterns: map[string]bool{}, web: http.NotFoundHandler(), registry: prometheus.NewRegistry()}
	s.routes()
	return slices.Sorted(maps.Keys(s.patterns))
}

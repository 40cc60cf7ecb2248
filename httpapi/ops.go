package httpapi

import (
	"context"
	_ "embed"
	"log/slog"
	"net/http"
	"time"

	"aftercare"
)

// The document's code lists and limits come from package aftercare; go
// generate writes them in and TestOpenAPIIsCurrent fails when they are stale.
//
//go:generate go test -run TestOpenAPIIsCurrent -gen .
//go:embed openapi.json
var openAPIDoc []byte

// OpenAPI returns the OpenAPI 3.1 document of the API, as served.
func OpenAPI() []byte { return append([]byte(nil), openAPIDoc...) }

type status struct {
	Status string `json:"status"`
}

func (s *server) healthz(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, status{"ok"})
	return nil
}

func (s *server) readyz(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.store.Ping(ctx); err != nil {
		s.logger.LogAttrs(r.Context(), slog.LevelError, "database not ready",
			slog.String("request_id", requestID(r.Context())), slog.String("error", err.Error()))
		return aftercare.Errorf(aftercare.EUNAVAILABLE, "", "the database is not reachable")
	}
	writeJSON(w, http.StatusOK, status{"ok"})
	return nil
}

func (s *server) openAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(openAPIDoc)
	return nil
}

// assess is the public door: one request in, one assessment out.
func (s *server) assess(w http.ResponseWriter, r *http.Request) error {
	req, err := readRequest(w, r)
	if err != nil {
		return err
	}
	resp, err := s.assessor.Assess(req, s.now())
	if err != nil {
		return err
	}
	s.metrics.assessed(resp.Level)
	writeJSON(w, http.StatusOK, resp)
	return nil
}

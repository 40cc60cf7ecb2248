package httpapi

import (
	"net/http"
	"strings"

	"aftercare"
)

// StrictTransportSecurity is sent on every response served over TLS.
const StrictTransportSecurity = "max-age=63072000; includeSubDomains"

// secure sets the security headers of every response, API and pages alike,
// as the response starts, so that no handler can leave them out or weaken
// them: the Content-Security-Policy, nosniff, no framing, the referrer
// policy, HSTS under TLS, and no-store on anything sent to a signed-in caller
// or through a client link.
func (s *server) secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		pattern := s.route(r)
		info := infoOf(r.Context())
		if info != nil && (strings.Contains(pattern, "{token}") || isAccountRoute(pattern)) {
			info.noStore = true
		}
		next.ServeHTTP(&secureWriter{ResponseWriter: w, info: info, tls: s.overTLS(r)}, r)
	})
}

// isAccountRoute reports whether a route serves signing in or the staff's pages.
func isAccountRoute(pattern string) bool {
	_, path, _ := strings.Cut(pattern, " ")
	return path == "/login" || path == "/logout" || path == "/staff" || strings.HasPrefix(path, "/staff/")
}

// secureWriter sets the security headers when the response starts.
type secureWriter struct {
	http.ResponseWriter
	info    *requestInfo
	tls     bool
	started bool
}

func (sw *secureWriter) WriteHeader(code int) {
	if !sw.started {
		sw.started = true
		h := sw.ResponseWriter.Header()
		aftercare.SetSecurityHeaders(h)
		if sw.tls {
			h.Set("Strict-Transport-Security", StrictTransportSecurity)
		}
		if sw.info != nil && sw.info.noStore {
			h.Set("Cache-Control", "no-store")
		}
	}
	sw.ResponseWriter.WriteHeader(code)
}

func (sw *secureWriter) Write(b []byte) (int, error) {
	if !sw.started {
		sw.WriteHeader(http.StatusOK)
	}
	return sw.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (sw *secureWriter) Unwrap() http.ResponseWriter { return sw.ResponseWriter }

// overTLS reports whether the request reached the service over TLS: its own
// connection, or a trusted proxy's X-Forwarded-Proto of https.
func (s *server) overTLS(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	return s.fromTrustedProxy(r) && strings.EqualFold(strings.TrimSpace(lastCSV(r.Header.Values("X-Forwarded-Proto"))), "https")
}

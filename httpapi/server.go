// Package httpapi is the HTTP door of the product: the public assessment
// endpoint, the clinic API behind bearer tokens or a staff sign-in, the
// client's check-in link, health, readiness and metrics, and the mount point
// of the web pages. Every route is listed in routes.go; every error is JSON in
// one shape. One chain of middleware serves every request, pages included:
// request id and access log (observe), panics (recover), gzip for text
// (compress), security headers
// (secure), cross-origin refusal (http.CrossOriginProtection), the caller's
// credential (authenticate), and the rate limit of the public doors (limit).
package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"runtime/debug"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"aftercare"
	"aftercare/password"
	"aftercare/usecase"
)

// Deps is what the HTTP server needs from the rest of the program.
type Deps struct {
	// Assessor grades assessment requests and screenings.
	Assessor aftercare.Assessor
	// Store keeps the clinic side's data.
	Store aftercare.Store
	// Logger receives access logs and errors; nil discards them.
	Logger *slog.Logger
	// Metrics is the registry the server's metrics are registered in and served from; nil makes a new one.
	Metrics *prometheus.Registry
	// Now tells the time; nil uses time.Now.
	Now func() time.Time
	// BaseURL is the public address the client links point at, such as
	// https://aftercare.example; empty derives it from each request.
	BaseURL string
	// LinkTTL is how long a client link works after the session ends; zero means usecase.DefaultLinkTTL.
	LinkTTL time.Duration
	// Web serves the pages (GET /, POST /check, GET and POST /c/{token},
	// GET /static/, GET /login and the /staff pages); nil serves none.
	Web http.Handler
	// TrustedProxies are the addresses of reverse proxies whose
	// X-Forwarded-For and X-Forwarded-Proto headers are believed; empty
	// believes none, and the caller's address is the connection's.
	TrustedProxies []netip.Prefix
	// AssessRate is how many requests a minute one address may make to the
	// public assessment doors; zero means DefaultAssessRate, negative means no limit.
	AssessRate int
	// VerifyPassword checks a password against its stored hash; nil uses password.Verify.
	VerifyPassword func(pw, encoded string) (bool, error)
	// MetricsToken, when set, lets a caller on any address read /metrics
	// with it as a bearer token; without it only loopback and private
	// addresses may.
	MetricsToken string
	// PasswordChecks is how many password checks may run at once, each
	// holding about 19 MiB; zero means DefaultPasswordChecks.
	PasswordChecks int
	// Mailer emails clients their check-in links (POST
	// /api/v1/sessions/{id}/links/email); nil when no mail server is set up.
	Mailer usecase.Mailer
}

type server struct {
	assessor     aftercare.Assessor
	store        aftercare.Store
	logger       *slog.Logger
	now          func() time.Time
	baseURL      string
	linkTTL      time.Duration
	web          http.Handler
	metrics      *metrics
	registry     *prometheus.Registry
	proxies      []netip.Prefix
	verify       func(pw, encoded string) (bool, error)
	checks       *gate
	metricsToken string
	mailer       usecase.Mailer
	limiter      *limiter
	linkLimits   *linkLimits

	mux      *http.ServeMux
	patterns map[string]bool
}

// NewServer returns the HTTP handler of the whole service.
func NewServer(d Deps) http.Handler {
	s := &server{
		assessor:     d.Assessor,
		store:        d.Store,
		logger:       d.Logger,
		now:          d.Now,
		baseURL:      strings.TrimRight(d.BaseURL, "/"),
		linkTTL:      d.LinkTTL,
		web:          d.Web,
		registry:     d.Metrics,
		proxies:      d.TrustedProxies,
		verify:       d.VerifyPassword,
		metricsToken: d.MetricsToken,
		mailer:       d.Mailer,
		patterns:     map[string]bool{},
	}
	if s.verify == nil {
		s.verify = password.Verify
	}
	if d.PasswordChecks <= 0 {
		d.PasswordChecks = DefaultPasswordChecks()
	}
	s.checks = newGate(d.PasswordChecks)
	s.linkLimits = newLinkLimits()
	// Make the dummy hash now, so that the first sign-in for an unknown
	// email takes no longer than any other.
	go password.Dummy()
	rate := d.AssessRate
	if rate == 0 {
		rate = DefaultAssessRate
	}
	if rate > 0 {
		s.limiter = newLimiter(rate, time.Minute)
	}
	if s.logger == nil {
		s.logger = slog.New(slog.NewJSONHandler(io.Discard, nil))
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.linkTTL <= 0 {
		s.linkTTL = usecase.DefaultLinkTTL
	}
	if s.registry == nil {
		s.registry = prometheus.NewRegistry()
	}
	s.metrics = newMetrics(s.registry)
	s.mux = http.NewServeMux()
	s.routes()

	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(s.crossOriginRefused))
	return s.observe(s.recover(compress(s.secure(cop.Handler(s.authenticate(s.limit(http.HandlerFunc(s.dispatch))))))))
}

// crossOriginRefused answers a cross-origin request that would change data
// (a form post, an API write) with 403, and writes it to the audit log. It
// runs before the credential is read, so the entry is the unattributed one of
// an anonymous caller: the route, the address and the request id, nothing of
// what was sent.
func (s *server) crossOriginRefused(w http.ResponseWriter, r *http.Request) {
	s.audit(s.withMeta(r), &aftercare.AuditEntry{
		Actor: "anonymous", Action: aftercare.AuditDenied, Object: "cross-origin", Outcome: aftercare.OutcomeDenied,
	})
	s.writeError(w, r, aftercare.Errorf(aftercare.EFORBIDDEN, "Origin", "cross-origin requests that change data are refused"))
}

// handle registers a route; routes.go is the only caller.
func (s *server) handle(pattern string, h http.Handler) {
	s.patterns[pattern] = true
	s.mux.Handle(pattern, h)
}

// apiFunc is a handler that returns its error for writeError.
type apiFunc func(w http.ResponseWriter, r *http.Request) error

// h adapts an apiFunc to http.Handler.
func (s *server) h(fn apiFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			s.writeError(w, r, err)
		}
	})
}

// dispatch serves the mux, turning its plain-text 404 and 405 into JSON errors.
func (s *server) dispatch(w http.ResponseWriter, r *http.Request) {
	if s.patterns[s.route(r)] {
		s.mux.ServeHTTP(w, r)
		return
	}
	s.mux.ServeHTTP(&unmatchedWriter{ResponseWriter: w, s: s, r: r}, r)
}

// unmatchedWriter replaces the mux's own 404 and 405 answers with JSON.
type unmatchedWriter struct {
	http.ResponseWriter
	s        *server
	r        *http.Request
	replaced bool
}

func (u *unmatchedWriter) WriteHeader(code int) {
	switch code {
	case http.StatusNotFound:
		u.replaced = true
		u.ResponseWriter.Header().Del("Content-Type")
		u.s.writeError(u.ResponseWriter, u.r, aftercare.Errorf(aftercare.ENOTFOUND, "path", "no such path: %s %s", u.r.Method, u.r.URL.Path))
	case http.StatusMethodNotAllowed:
		u.replaced = true
		allow := u.ResponseWriter.Header().Get("Allow")
		u.s.writeError(u.ResponseWriter, u.r, aftercare.Errorf(aftercare.EMETHOD, "method", "%s is not allowed here; allowed: %s", u.r.Method, allow))
	default:
		u.ResponseWriter.WriteHeader(code)
	}
}

func (u *unmatchedWriter) Write(b []byte) (int, error) {
	if u.replaced {
		return len(b), nil
	}
	return u.ResponseWriter.Write(b)
}

// recover turns a panic into a 500 JSON error and a log line.
func (s *server) recover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.logger.LogAttrs(r.Context(), slog.LevelError, "panic",
					slog.String("request_id", requestID(r.Context())),
					slog.Any("panic", v), slog.String("stack", string(debug.Stack())))
				s.writeError(w, r, aftercare.Errorf(aftercare.EINTERNAL, "", "panic"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// route returns the pattern of the route that serves r, or "" when none does.
func (s *server) route(r *http.Request) string {
	if info := infoOf(r.Context()); info != nil && info.routed {
		return info.pattern
	}
	_, pattern := s.mux.Handler(r)
	if !s.patterns[pattern] {
		pattern = ""
	}
	if info := infoOf(r.Context()); info != nil {
		info.pattern, info.routed = pattern, true
		if pattern != "" {
			info.route = pattern
		}
	}
	return pattern
}

// requestInfo travels in the request's context, so that the outermost
// middleware learns what the inner ones found.
type requestInfo struct {
	id    string
	route string
	// pattern is the matched route pattern ("" for none), once routed is set.
	pattern string
	routed  bool
	// noStore marks a response that must not be cached: the request carried
	// a credential or a client link.
	noStore bool
	// credErr is why a credential the request carried was refused.
	credErr error
}

type infoKey struct{}

func infoOf(ctx context.Context) *requestInfo {
	info, _ := ctx.Value(infoKey{}).(*requestInfo)
	return info
}

func requestID(ctx context.Context) string {
	if info := infoOf(ctx); info != nil {
		return info.id
	}
	return ""
}

// observe gives each request an id, then logs and measures it. The log holds
// the route pattern, never the path (a client link carries its token in the
// path), nor bodies or headers.
func (s *server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := &requestInfo{id: cleanRequestID(r.Header.Get("X-Request-Id")), route: "unmatched"}
		if info.id == "" {
			info.id = newRequestID()
		}
		w.Header().Set("X-Request-Id", info.id)
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		r = r.WithContext(context.WithValue(r.Context(), infoKey{}, info))
		next.ServeHTTP(rec, r)
		elapsed := time.Since(start)
		s.metrics.observe(info.route, rec.status, elapsed)
		level := slog.LevelInfo
		if rec.status >= 500 {
			level = slog.LevelWarn
		}
		s.logger.LogAttrs(r.Context(), level, "http request",
			slog.String("request_id", info.id),
			slog.String("method", r.Method),
			slog.String("route", info.route),
			slog.Int("status", rec.status),
			slog.Int64("bytes", rec.bytes),
			slog.Float64("duration_ms", float64(elapsed.Microseconds())/1000),
		)
	})
}

// cleanRequestID accepts a caller's request id only when it is short and plain.
func cleanRequestID(id string) string {
	if id == "" || len(id) > 64 {
		return ""
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return ""
		}
	}
	return id
}

func newRequestID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// recorder notes the status and size of a response.
type recorder struct {
	http.ResponseWriter
	status  int
	bytes   int64
	written bool
}

func (r *recorder) WriteHeader(code int) {
	if !r.written {
		r.status, r.written = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	r.written = true
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

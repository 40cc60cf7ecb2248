package httpapi

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"aftercare"
)

// metrics are the server's Prometheus collectors.
type metrics struct {
	requests    *prometheus.CounterVec
	duration    *prometheus.HistogramVec
	assessments *prometheus.CounterVec
	// byLevel are the assessments' counters of each level, looked up once.
	byLevel map[aftercare.Level]prometheus.Counter
}

func newMetrics(reg *prometheus.Registry) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "aftercare_http_requests_total",
			Help: "HTTP requests served, by route pattern and status code.",
		}, []string{"route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "aftercare_http_request_duration_seconds",
			Help:    "Time to serve an HTTP request, by route pattern.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route"}),
		assessments: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "aftercare_assessments_total",
			Help: "Assessments given through the API, by triage level.",
		}, []string{"level"}),
	}
	m.requests = register(reg, m.requests)
	m.duration = register(reg, m.duration)
	m.assessments = register(reg, m.assessments)
	m.byLevel = make(map[aftercare.Level]prometheus.Counter, len(aftercare.Levels))
	for _, l := range aftercare.Levels {
		m.byLevel[l] = m.assessments.WithLabelValues(l.String())
	}
	return m
}

// register adds c to reg, or returns the collector already registered under
// its name, so that two servers may share one registry.
func register[C prometheus.Collector](reg *prometheus.Registry, c C) C {
	if err := reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if existing, ok := are.ExistingCollector.(C); ok {
				return existing
			}
		}
		panic(err)
	}
	return c
}

func (m *metrics) observe(route string, status int, d time.Duration) {
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(route).Observe(d.Seconds())
}

func (m *metrics) assessed(l aftercare.Level) {
	if c, ok := m.byLevel[l]; ok {
		c.Inc()
		return
	}
	m.assessments.WithLabelValues(l.String()).Inc()
}

// metricsHandler serves the Prometheus metrics to a caller on a loopback or
// private address (a scraper beside the server), or to any caller that sends
// the metrics token as a bearer token; anyone else gets 403.
func (s *server) metricsHandler() http.Handler {
	serve := promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{Registry: s.registry})
	return s.h(func(w http.ResponseWriter, r *http.Request) error {
		if !s.metricsAllowed(r) {
			return aftercare.Errorf(aftercare.EFORBIDDEN, "Authorization",
				"the metrics are served to private addresses, or with the metrics token (serve --metrics-token) as a bearer token")
		}
		serve.ServeHTTP(w, r)
		return nil
	})
}

func (s *server) metricsAllowed(r *http.Request) bool {
	if s.metricsToken != "" {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if ok && subtle.ConstantTimeCompare([]byte(got), []byte(s.metricsToken)) == 1 {
			return true
		}
	}
	ip, err := netip.ParseAddr(aftercare.RequestMetaFrom(r.Context()).Address)
	if err != nil {
		return false
	}
	ip = ip.Unmap()
	return ip.IsLoopback() || ip.IsPrivate()
}

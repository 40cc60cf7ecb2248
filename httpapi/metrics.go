package httpapi

import (
	"errors"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"net/http"

	"aftercare"
)

// metrics are the server's Prometheus collectors.
type metrics struct {
	requests    *prometheus.CounterVec
	duration    *prometheus.HistogramVec
	assessments *prometheus.CounterVec
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
	for _, l := range aftercare.Levels {
		m.assessments.WithLabelValues(l.String())
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
	m.assessments.WithLabelValues(l.String()).Inc()
}

func (s *server) metricsHandler() http.Handler {
	return promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{Registry: s.registry})
}

package followup

import (
	"errors"
	"log/slog"

	"github.com/prometheus/client_golang/prometheus"
)

// Outcomes counted by aftercare_followups_total.
const (
	outcomeSent    = "sent"
	outcomeSkipped = "skipped"
	outcomeFailed  = "failed"
)

// Kinds counted by aftercare_followups_total.
const (
	kindReminder = "reminder"
	kindFlag     = "flag"
)

// metrics counts follow-ups; its zero value (no registerer) counts nothing.
type metrics struct {
	followups *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer, logger *slog.Logger) metrics {
	if reg == nil {
		return metrics{}
	}
	c := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "aftercare_followups_total",
		Help: "Follow-up jobs by kind (reminder, flag) and outcome (sent, skipped, failed; failed counts failed attempts).",
	}, []string{"kind", "outcome"})
	if err := reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if existing, ok := are.ExistingCollector.(*prometheus.CounterVec); ok {
				return metrics{followups: existing}
			}
		}
		logger.Error("followup: cannot register metrics", "err", err)
		return metrics{}
	}
	// Show every series from the start, so that rates and alerts work before the first event.
	for _, k := range []string{kindReminder, kindFlag} {
		for _, o := range []string{outcomeSent, outcomeSkipped, outcomeFailed} {
			c.WithLabelValues(k, o)
		}
	}
	return metrics{followups: c}
}

func (m metrics) count(kind, outcome string) {
	if m.followups != nil {
		m.followups.WithLabelValues(kind, outcome).Inc()
	}
}

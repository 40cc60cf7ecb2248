// Package door profiles POST /api/v1/assessments in process: the real
// handler (httpapi.NewServer with the serve command's middleware, the
// built-in knowledge base and a SQLite store), driven with httptest, so that
// pprof shows where a request's time goes without the network or a second
// process. scripts/bench runs it with -cpuprofile for bench/BENCHMARKS.md.
package door

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"aftercare/httpapi"
	"aftercare/sqlite"
	"aftercare/triage"
	"aftercare/triage/triagetest"
)

// bodies are the HTTP benchmark's request bodies (see cmd/httpbench):
// the generated requests, every fifth with free text.
func bodies(tb testing.TB) [][]byte {
	phrases := []string{
		"my lower back aches since yesterday after deep tissue, about a 4, no numbness",
		"sore calves after the sports massage, maybe 3/10, no swelling",
		"neck is stiff and I have a slight headache",
		"shoulders feel bruised but it is getting better",
	}
	var out [][]byte
	for i, req := range triagetest.Requests(1000, triagetest.Seed) {
		if i%5 == 0 {
			req.Text = phrases[i/5%len(phrases)]
		}
		b, err := json.Marshal(req)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

func handler(tb testing.TB) http.Handler {
	st, err := sqlite.Open(tb.Context(), tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	eng, err := triage.Default()
	if err != nil {
		tb.Fatal(err)
	}
	// As serve runs it: JSON logs at warn (what the HTTP benchmark sets).
	logger := slog.New(slog.NewJSONHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelWarn}))
	return httpapi.NewServer(httpapi.Deps{Assessor: eng, Store: st, Logger: logger, Now: time.Now,
		BaseURL: "http://127.0.0.1:8080", AssessRate: 100000000})
}

// BenchmarkAssessmentDoor is one POST /api/v1/assessments through the whole
// handler stack; one op is one request, cycling through the 1,000 bodies.
func BenchmarkAssessmentDoor(b *testing.B) {
	h := handler(b)
	bs := bodies(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		req := httptest.NewRequest("POST", "/api/v1/assessments", bytes.NewReader(bs[i%len(bs)]))
		req.Header.Set("Content-Type", "application/json")
		req.RemoteAddr = "127.0.0.1:50000"
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
		i++
	}
}

// BenchmarkAssess is the engine alone on the same requests (decoded once).
func BenchmarkAssess(b *testing.B) {
	eng, err := triage.Default()
	if err != nil {
		b.Fatal(err)
	}
	reqs := triagetest.Requests(1000, triagetest.Seed)
	for i := range reqs {
		if i%5 == 0 {
			reqs[i].Text = "my lower back aches since yesterday after deep tissue, about a 4, no numbness"
		}
	}
	now := time.Now()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := eng.Assess(reqs[i%len(reqs)], now); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

package triage

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"aftercare"
)

// vignette is one triage case with the levels a careful clinician would accept.
type vignette struct {
	ID       string          `json:"id"`
	Request  json.RawMessage `json:"request"`
	Levels   []string        `json:"levels"`
	Positive []string        `json:"positive"`
	Negated  []string        `json:"negated"`
}

func readVignettes(t testing.TB, path string) []vignette {
	t.Helper()
	return readJSONLines[vignette](t, path)
}

// requestTime is a fixed moment, mid-afternoon, for reading times in text.
var requestTime = time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)

func TestVignettesAreTriagedAppropriately(t *testing.T) {
	e := testEngine(t)
	for _, file := range []string{"../testdata/vignettes/public.jsonl", "testdata/vignettes.jsonl", "testdata/heldout.jsonl"} {
		for _, v := range readVignettes(t, file) {
			t.Run(v.ID+" is graded as a careful clinician would", func(t *testing.T) {
				req, err := aftercare.DecodeRequest(v.Request)
				if err != nil {
					t.Fatal(err)
				}
				resp, err := e.Assess(req, requestTime)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Contains(v.Levels, resp.Level.String()) {
					var fired []string
					for _, r := range resp.Reasons {
						fired = append(fired, r.Rule+"="+r.Level.String())
					}
					t.Errorf("level %s, want one of %v; rules fired: %v", resp.Level, v.Levels, fired)
				}
			})
		}
	}
}

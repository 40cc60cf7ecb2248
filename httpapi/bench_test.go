package httpapi_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

// sessionCheckIns is how many check-ins the benchmark records per session.
const sessionCheckIns = 5

// BenchmarkCheckInHTTP records a check-in end to end through HTTP: the JSON
// body, the token, the session lookup, the engine and the stored check-in. The
// responses are not checked against the OpenAPI document here, so that only
// the server is measured (the tests check them).
func BenchmarkCheckInHTTP(b *testing.B) {
	for _, kind := range stores {
		b.Run(kind, func(b *testing.B) {
			h := newHarness(b, kind)
			c := h.createClient(b, "Bench")
			body := `{"hours_since":30,"soreness":[{"area":"lower_back","pain":4}],"text":"my lower back aches, no numbness"}`
			var path string
			n := 0
			b.ReportAllocs()
			for b.Loop() {
				// A session gets a few check-ins, as in life; a new one keeps
				// the session's history from growing with b.N.
				if n%sessionCheckIns == 0 {
					b.StopTimer()
					sess := h.createSession(b, map[string]any{"client_id": c.ID, "style": "deep_tissue", "areas_worked": []string{"lower_back"}})
					path = fmt.Sprintf("/api/v1/sessions/%d/check-ins", sess.ID)
					b.StartTimer()
				}
				n++
				req, _ := http.NewRequest("POST", h.srv.URL+path, strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+h.token)
				resp, err := h.srv.Client().Do(req)
				if err != nil {
					b.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusCreated {
					b.Fatalf("status %d", resp.StatusCode)
				}
			}
		})
	}
}

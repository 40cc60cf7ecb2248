package aftercare_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	jsonv2 "github.com/go-json-experiment/json"

	"aftercare"
	"aftercare/triage"
	"aftercare/triage/triagetest"
)

// BenchmarkResponseJSON encodes the answers to the load generator's requests
// (every fifth with free text) with encoding/json, as the doors do, and with
// json v2 beside it, so that the choice between them can be measured again.
func BenchmarkResponseJSON(b *testing.B) {
	eng, err := triage.Default()
	if err != nil {
		b.Fatal(err)
	}
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	var resps []*aftercare.Response
	for i, req := range triagetest.Requests(1000, triagetest.Seed) {
		if i%5 == 0 {
			req.Text = "my lower back aches since yesterday after deep tissue, about a 4, no numbness"
		}
		resp, err := eng.Assess(req, at)
		if err != nil {
			b.Fatal(err)
		}
		resps = append(resps, resp)
	}
	b.Run("encoder=encoding_json", func(b *testing.B) {
		var buf bytes.Buffer
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			buf.Reset()
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(resps[i%len(resps)]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoder=json_v2", func(b *testing.B) {
		var buf bytes.Buffer
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			buf.Reset()
			if err := jsonv2.MarshalWrite(&buf, resps[i%len(resps)], jsonv2.FormatNilSliceAsNull(true)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

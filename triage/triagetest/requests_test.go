package triagetest

import (
	"encoding/json"
	"testing"

	"aftercare"
)

// TestRequestsPassTheJSONDoor checks that every generated request, sent as
// JSON, is one the service's decoder accepts.
func TestRequestsPassTheJSONDoor(t *testing.T) {
	for i, req := range Requests(1000, Seed) {
		b, err := json.Marshal(req)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := aftercare.DecodeRequest(b); err != nil {
			t.Errorf("request %d %s: %v", i, b, err)
		}
	}
}

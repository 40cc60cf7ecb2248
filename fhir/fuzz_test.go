package fhir

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"aftercare"
)

// FuzzRequestFromResponse checks that no posted body makes the reader panic,
// that every refusal is an *aftercare.Error naming a field, and that every
// request it accepts is valid and comes back unchanged through CheckInResponse.
// Its seeds are in testdata/fuzz/FuzzRequestFromResponse.
func FuzzRequestFromResponse(f *testing.F) {
	b := NewBuilder(testBase)
	f.Fuzz(func(t *testing.T, data []byte) {
		req, err := b.RequestFromResponse(data)
		if err != nil {
			var e *aftercare.Error
			if !errors.As(err, &e) || e.Code != aftercare.EINVALID || e.Field == "" || e.Message == "" {
				t.Fatalf("refusal %#v (%T) is not an invalid *aftercare.Error with a field", err, err)
			}
			return
		}
		if err := req.Validate(); err != nil {
			t.Fatalf("accepted an invalid request: %v", err)
		}
		again, err := json.Marshal(b.CheckInResponse(aftercare.Session{}, aftercare.CheckIn{Request: req}, testClient))
		if err != nil {
			t.Fatal(err)
		}
		back, err := b.RequestFromResponse(again)
		if err != nil {
			t.Fatalf("its own response is refused: %v\n%s", err, again)
		}
		if !reflect.DeepEqual(back, req) {
			t.Fatalf("round trip changed the request:\n%s\n%s", show(req), show(back))
		}
	})
}

package export

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"aftercare"
)

func TestTheClientDocument(t *testing.T) {
	var buf bytes.Buffer
	if err := ClientJSON(&buf, records(), now); err != nil {
		t.Fatal(err)
	}
	var doc ClientDocument
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("the document does not read back: %v", err)
	}
	out := buf.String()
	t.Run("it names its format and when it was made, in UTC", func(t *testing.T) {
		if doc.Format != ClientFormat || !doc.ExportedAt.Equal(now) || !strings.Contains(out, `"exported_at": "2026-03-01T17:00:00Z"`) {
			t.Errorf("format %q exported at %v", doc.Format, doc.ExportedAt)
		}
	})
	t.Run("it holds the client, screenings, sessions with check-ins, and flags", func(t *testing.T) {
		if doc.Client.Name != client.Name || len(doc.Screenings) != 1 || len(doc.Sessions) != 2 ||
			len(doc.Sessions[0].CheckIns) != 2 || len(doc.Flags) != 1 {
			t.Errorf("got %+v", doc)
		}
		ci := doc.Sessions[0].CheckIns[0]
		if ci.Assessment.Level != aftercare.Consult || ci.Request.Soreness[0].Pain != 4 || doc.Screenings[0].Cautions[0].MaxPressure != "light" {
			t.Errorf("check-in %+v", ci)
		}
	})
	t.Run("it leaves out the check-in link and the clinic's settings", func(t *testing.T) {
		for _, secret := range []string{"secret-token", "check_in_url", "hooks.example", "shh", "webhook"} {
			if strings.Contains(out, secret) {
				t.Errorf("the document holds %q", secret)
			}
		}
	})
	t.Run("empty lists are lists, not null", func(t *testing.T) {
		var b bytes.Buffer
		rec := ClientRecords{Clinic: clinic, Client: client, Sessions: []aftercare.Session{{ID: 1, ClinicID: 3, ClientID: 12}}}
		if err := ClientJSON(&b, rec, now); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(b.String(), "null") {
			t.Errorf("null in\n%s", b.String())
		}
	})
}

func TestTheClientDocumentRefusesAnotherClientsRecords(t *testing.T) {
	cases := []struct {
		name   string
		change func(*ClientRecords)
	}{
		{"a client of another clinic is refused", func(r *ClientRecords) { r.Clinic.ID = 4 }},
		{"a screening of another client is refused", func(r *ClientRecords) { r.Screenings[0].ClientID = 13 }},
		{"a session of another client is refused", func(r *ClientRecords) { r.Sessions[1].ClientID = 13 }},
		{"a flag of another clinic is refused", func(r *ClientRecords) { r.Flags[0].ClinicID = 4 }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := records()
			c.change(&rec)
			var b bytes.Buffer
			if err := ClientJSON(&b, rec, now); err == nil || b.Len() != 0 {
				t.Errorf("err %v, wrote %d bytes", err, b.Len())
			}
		})
	}
}

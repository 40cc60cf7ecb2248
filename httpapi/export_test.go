package httpapi_test

import (
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"

	"aftercare"
	"aftercare/export"
)

func init() {
	// Calendars are checked as plain strings (text/csv has its own decoder).
	openapi3filter.RegisterBodyDecoder("text/calendar", openapi3filter.PlainBodyDecoder)
}

func TestExports(t *testing.T) {
	forEachStore(t, func(t *testing.T, h *harness) {
		formula := `=HYPERLINK("http://evil.example","click")`
		c := h.createClient(t, formula)
		ended := h.clock.Now().Add(-30 * time.Hour)
		sess := h.createSession(t, map[string]any{
			"client_id": c.ID, "style": "deep_tissue", "pressure": "firm", "areas_worked": []string{"neck", "lower_back"},
			"ended_at": ended.Format(time.RFC3339),
		})
		h.api("POST", fmt.Sprintf("/api/v1/sessions/%d/check-ins", sess.ID),
			`{"soreness":[{"area":"neck","pain":4},{"area":"lower_back","pain":7}],"symptoms":["headache"]}`).want(t, 201)
		// Another client of the clinic, without check-ins, and a client of another clinic with one.
		quiet := h.createClient(t, "Quiet")
		other := decode[aftercare.Client](t, h.do("POST", "/api/v1/clients", map[string]any{"name": "Elsewhere"}, bearer(h.other)).want(t, 201))
		otherSess := decode[aftercare.Session](t, h.do("POST", "/api/v1/sessions", map[string]any{
			"client_id": other.ID, "ended_at": ended.Format(time.RFC3339),
		}, bearer(h.other)).want(t, 201))
		h.do("POST", fmt.Sprintf("/api/v1/sessions/%d/check-ins", otherSess.ID),
			`{"soreness":[{"area":"calves","pain":2}]}`, bearer(h.other)).want(t, 201)

		exportPath := fmt.Sprintf("/api/v1/clients/%d/export", c.ID)
		icsPath := fmt.Sprintf("/api/v1/clients/%d/follow-ups.ics", c.ID)

		t.Run("the check-in CSV has a header and one row per sore area of the clinic's check-ins", func(t *testing.T) {
			r := h.api("GET", "/api/v1/export/check-ins.csv", nil).want(t, 200)
			if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
				t.Errorf("Content-Type %q", ct)
			}
			if cd := r.header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") {
				t.Errorf("Content-Disposition %q", cd)
			}
			records, err := csv.NewReader(strings.NewReader(string(r.body))).ReadAll()
			if err != nil {
				t.Fatalf("%v\n%s", err, r.body)
			}
			if len(records) != 3 || strings.Join(records[0], ",") != strings.Join(export.CSVHeader, ",") {
				t.Fatalf("want the header and 2 rows, got\n%s", r.body)
			}
			col := func(name string) int {
				for i, h := range export.CSVHeader {
					if h == name {
						return i
					}
				}
				t.Fatalf("no column %s", name)
				return -1
			}
			var areas []string
			for _, rec := range records[1:] {
				areas = append(areas, rec[col("area")])
				if rec[col("client_id")] != fmt.Sprint(c.ID) || rec[col("session_id")] != fmt.Sprint(sess.ID) {
					t.Errorf("row %v is not of client %d session %d", rec, c.ID, sess.ID)
				}
				if got := rec[col("client_name")]; got != "'"+formula {
					t.Errorf("client name %q, want it neutralised with a leading apostrophe", got)
				}
			}
			if strings.Join(areas, ",") != "neck,lower_back" {
				t.Errorf("areas %v", areas)
			}
			if strings.Contains(string(r.body), "Elsewhere") || strings.Contains(string(r.body), "calves") {
				t.Errorf("the CSV holds another clinic's data:\n%s", r.body)
			}
		})
		t.Run("the client document holds the client and their sessions with check-ins", func(t *testing.T) {
			r := h.api("GET", exportPath, nil).want(t, 200)
			doc := decode[export.ClientDocument](t, r)
			if doc.Format != export.ClientFormat || doc.Client.ID != c.ID || doc.Client.Name != formula || doc.Clinic.ID != h.clinic.ID {
				t.Errorf("document %+v", doc)
			}
			if len(doc.Sessions) != 1 || doc.Sessions[0].ID != sess.ID || len(doc.Sessions[0].CheckIns) != 1 || len(doc.Sessions[0].FollowUps) != 3 {
				t.Fatalf("sessions %+v", doc.Sessions)
			}
			if doc.Screenings == nil || doc.Flags == nil {
				t.Errorf("null lists in %s", r.body)
			}
			if strings.Contains(string(r.body), "check_in_url") {
				t.Errorf("the document holds the check-in link")
			}
		})
		t.Run("a client without sessions exports empty lists", func(t *testing.T) {
			doc := decode[export.ClientDocument](t, h.api("GET", fmt.Sprintf("/api/v1/clients/%d/export", quiet.ID), nil).want(t, 200))
			if doc.Client.ID != quiet.ID || doc.Sessions == nil || len(doc.Sessions) != 0 {
				t.Errorf("document %+v", doc)
			}
		})
		t.Run("the follow-up calendar has one VEVENT per follow-up", func(t *testing.T) {
			r := h.api("GET", icsPath, nil).want(t, 200)
			if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/calendar") {
				t.Errorf("Content-Type %q", ct)
			}
			body := string(r.body)
			if !strings.HasPrefix(body, "BEGIN:VCALENDAR\r\n") || strings.Count(body, "BEGIN:VEVENT") != len(sess.FollowUps) || len(sess.FollowUps) == 0 {
				t.Errorf("calendar with %d follow-ups:\n%s", len(sess.FollowUps), body)
			}
			if strings.Contains(strings.ToLower(body), "neck") || strings.Contains(body, "HYPERLINK") {
				t.Errorf("the calendar holds health data or the client's name:\n%s", body)
			}
		})
		for _, suffix := range []string{"export", "follow-ups.ics"} {
			path := fmt.Sprintf("/api/v1/clients/%d/%s", c.ID, suffix)
			t.Run("another clinic cannot read "+path, func(t *testing.T) {
				h.do("GET", path, nil, bearer(h.other)).wantError(t, 404, "not_found", "id")
			})
			t.Run("an unknown client is not found at "+suffix, func(t *testing.T) {
				h.api("GET", "/api/v1/clients/999999/"+suffix, nil).wantError(t, 404, "not_found", "id")
			})
		}
		t.Run("another clinic's CSV holds only its own check-ins", func(t *testing.T) {
			r := h.do("GET", "/api/v1/export/check-ins.csv", nil, bearer(h.other)).want(t, 200)
			records, err := csv.NewReader(strings.NewReader(string(r.body))).ReadAll()
			if err != nil || len(records) != 2 || records[1][2] != "Elsewhere" {
				t.Errorf("records %v (%v)", records, err)
			}
		})
		for _, path := range []string{"/api/v1/export/check-ins.csv", exportPath, icsPath} {
			t.Run(path+" needs a token", func(t *testing.T) {
				h.do("GET", path, nil).wantError(t, 401, "unauthorized", "Authorization")
			})
		}
	})
}

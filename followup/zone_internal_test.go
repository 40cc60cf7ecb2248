package followup

import (
	"strings"
	"testing"
	"time"

	"aftercare"
)

func TestMailTimesAreInTheClinicsZone(t *testing.T) {
	raised := time.Date(2026, 3, 8, 9, 45, 0, 0, time.UTC) // 01:45 PST, before the clocks go forward
	expires := time.Date(2026, 3, 22, 9, 30, 0, 0, time.UTC)
	tests := []struct {
		name, zone, flagAt, linkUntil string
	}{
		{"a clinic in Los Angeles reads Pacific times", "America/Los_Angeles", "Sun 8 Mar 2026, 01:45 PST", "Sun 22 Mar 2026, 02:30 PDT"},
		{"a clinic in London reads GMT", "Europe/London", "Sun 8 Mar 2026, 09:45 GMT", "Sun 22 Mar 2026, 09:30 GMT"},
		{"a clinic naming no zone reads UTC", "", "Sun 8 Mar 2026, 09:45 UTC", "Sun 22 Mar 2026, 09:30 UTC"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clinic := &aftercare.Clinic{Name: "Calm Hands", TimeZone: tt.zone}
			fl := &aftercare.Flag{ID: 7, CheckInID: 3, ClientID: 2, SessionID: 1, Level: aftercare.Consult, CreatedAt: raised}
			_, body := flagMail([]*aftercare.Flag{fl}, fl, "https://aftercare.example", clinic.Location())
			if !strings.Contains(body, "at "+tt.flagAt+".") {
				t.Errorf("the flag notice does not say %q:\n%s", tt.flagAt, body)
			}
			_, body = reminderMail(clinic, &aftercare.Client{Name: "Sam"}, 24, "https://aftercare.example/c/x", expires)
			if !strings.Contains(body, "works until "+tt.linkUntil+".") {
				t.Errorf("the reminder does not say %q:\n%s", tt.linkUntil, body)
			}
		})
	}
}

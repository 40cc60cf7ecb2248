package aftercare_test

import (
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the zones, as the program embeds them

	"aftercare"
)

func TestValidateTimeZone(t *testing.T) {
	tests := []struct {
		name string
		zone string
		ok   bool
	}{
		{"a city zone is kept", "Europe/London", true},
		{"a zone with an underscore is kept", "America/Los_Angeles", true},
		{"UTC is kept", "UTC", true},
		{"a zone of three levels is kept", "America/Argentina/Buenos_Aires", true},
		{"nothing is refused", "", false},
		{"spaces are refused", "   ", false},
		{"a zone with spaces around it is refused", " Europe/London", false},
		{"the server's own zone is refused", "Local", false},
		{"an abbreviation that is no zone is refused", "PDT", false},
		{"a zone in words is refused", "Pacific Time", false},
		{"a misspelt zone is refused", "Europe/Londn", false},
		{"a path is refused", "../../etc/passwd", false},
		{"a control character is refused", "Europe/London\n", false},
		{"a very long name is refused", strings.Repeat("A/", 40), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := aftercare.ValidateTimeZone("time_zone", tt.zone)
			if tt.ok {
				wantValid(t, err, "")
				return
			}
			wantValid(t, err, "time_zone")
			if msg := aftercare.ErrorMessage(err); !strings.Contains(msg, "IANA") || !strings.Contains(msg, "Europe/London") {
				t.Errorf("the message %q does not say what a time zone is", msg)
			}
		})
	}
}

func TestShowTime(t *testing.T) {
	la, err := aftercare.LoadTimeZone("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	london, _ := aftercare.LoadTimeZone("Europe/London")
	saoPaulo, _ := aftercare.LoadTimeZone("America/Sao_Paulo")
	tests := []struct {
		name string
		at   time.Time
		loc  *time.Location
		want string
	}{
		// Los Angeles moves its clocks from 02:00 PST to 03:00 PDT on 8 March 2026 (10:00 UTC).
		{"a minute before the clocks go forward is Pacific standard time", time.Date(2026, 3, 8, 9, 59, 0, 0, time.UTC), la, "Sun 8 Mar 2026, 01:59 PST"},
		{"the instant they go forward is Pacific daylight time", time.Date(2026, 3, 8, 10, 0, 0, 0, time.UTC), la, "Sun 8 Mar 2026, 03:00 PDT"},
		{"an evening in UTC is the same afternoon in Los Angeles", time.Date(2026, 3, 9, 5, 0, 0, 0, time.UTC), la, "Sun 8 Mar 2026, 22:00 PDT"},
		{"a summer time in London says BST", time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC), london, "Wed 1 Jul 2026, 13:00 BST"},
		{"a winter time in London says GMT", time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC), london, "Tue 1 Dec 2026, 12:00 GMT"},
		{"a zone without an abbreviation says its offset from UTC", time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC), saoPaulo, "Tue 1 Dec 2026, 09:00 UTC-03"},
		{"no zone is UTC", time.Date(2026, 3, 8, 9, 59, 0, 0, time.UTC), nil, "Sun 8 Mar 2026, 09:59 UTC"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := aftercare.ShowTime(tt.at, tt.loc); got != tt.want {
				t.Errorf("ShowTime = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDaysBetween(t *testing.T) {
	la, _ := aftercare.LoadTimeZone("America/Los_Angeles")
	now := time.Date(2026, 3, 9, 5, 0, 0, 0, time.UTC) // Sun 8 Mar, 22:00 PDT
	tests := []struct {
		name string
		at   time.Time
		loc  *time.Location
		want int
	}{
		{"early on the day the clocks change is today in Los Angeles", time.Date(2026, 3, 8, 9, 30, 0, 0, time.UTC), la, 0},
		{"the same instant is yesterday in UTC", time.Date(2026, 3, 8, 9, 30, 0, 0, time.UTC), nil, 1},
		{"the evening before the change is yesterday in Los Angeles", time.Date(2026, 3, 8, 7, 59, 0, 0, time.UTC), la, 1},
		{"a week before is seven days", time.Date(2026, 3, 1, 20, 0, 0, 0, time.UTC), la, 7},
		{"a time after now on the next day is -1", time.Date(2026, 3, 9, 8, 0, 0, 0, time.UTC), la, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := aftercare.DaysBetween(tt.at, now, tt.loc); got != tt.want {
				t.Errorf("DaysBetween = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestClinicLocation(t *testing.T) {
	tests := []struct {
		name, zone, want string
	}{
		{"a clinic naming a zone is in it", "Asia/Tokyo", "Asia/Tokyo"},
		{"a clinic naming none is in UTC", "", "UTC"},
		{"a clinic naming an unknown zone is shown in UTC", "Nowhere/Land", "UTC"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &aftercare.Clinic{Name: "X", TimeZone: tt.zone}
			if got := c.Location().String(); got != tt.want {
				t.Errorf("Location = %s, want %s", got, tt.want)
			}
		})
	}
}

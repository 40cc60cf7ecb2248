package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"aftercare"
)

// TestClinicTimeZone holds the pages of a clinic in Los Angeles to its own
// times on the day its clocks go forward (2026-03-08, 02:00 PST = 10:00 UTC).
func TestClinicTimeZone(t *testing.T) {
	s := newStaffSite(t)
	ctx := context.Background()
	clinic := &aftercare.Clinic{Name: "Pacific Hands", TimeZone: "America/Los_Angeles"}
	if err := s.store.CreateClinic(ctx, clinic); err != nil {
		t.Fatal(err)
	}
	setNow := func(at time.Time) { s.mu.Lock(); s.at = at; s.mu.Unlock() }
	setNow(time.Date(2026, 3, 8, 9, 50, 0, 0, time.UTC)) // 01:50 PST
	s.as(owner(clinic.ID))

	p := s.post(t, "/staff/clients", url.Values{"name": {"Sam Rivers"}, "email": {"sam@example.com"}})
	clientPath := p.header.Get("Location")
	id := strings.TrimPrefix(clientPath, "/staff/clients/")

	var link string
	t.Run("the session form reads the end time in the clinic's zone", func(t *testing.T) {
		form := s.get(t, clientPath).body
		if !strings.Contains(form, "Or the date and time it ended (America/Los_Angeles)") {
			t.Error("the form does not name the clinic's zone")
		}
		v := url.Values{"client_id": {id}, "style": {"swedish"}, "pressure": {"medium"}, "pressure_calves": {"medium"},
			"ended_at": {"2026-03-08T01:30"}, "key": {formKeyOf(t, form)}}
		page := s.follow(t, s.post(t, "/staff/sessions", v))
		m := linkURL.FindStringSubmatch(page.body)
		if m == nil {
			t.Fatalf("no link: %.2000s", page.body)
		}
		link = m[1]
		sessions, err := s.store.ListSessions(ctx, clinic.ID, 0)
		if err != nil || len(sessions) != 1 {
			t.Fatalf("%v, %d sessions", err, len(sessions))
		}
		if want := time.Date(2026, 3, 8, 9, 30, 0, 0, time.UTC); !sessions[0].EndedAt.Equal(want) {
			t.Errorf("stored end %s, want %s (01:30 PST)", sessions[0].EndedAt, want)
		}
	})
	t.Run("a flagged check-in is raised", func(t *testing.T) {
		s.as(nil)
		setNow(time.Date(2026, 3, 8, 9, 55, 0, 0, time.UTC)) // 01:55 PST
		s.follow(t, s.post(t, link, url.Values{"pain_calves": {"7"}, "symptoms": {"calf_swelling"}}))
		s.as(owner(clinic.ID))
	})

	// The evening of the same day in Los Angeles, already the next day in UTC.
	setNow(time.Date(2026, 3, 9, 5, 0, 0, 0, time.UTC)) // Sun 8 Mar, 22:00 PDT
	t.Run("the workspace's today is the clinic's day, and the flag was raised today", func(t *testing.T) {
		d := s.get(t, "/staff").body
		for _, want := range []string{"Sun 8 Mar 2026", "America/Los_Angeles", "1 raised today.", ">today, 01:55 PST</time>"} {
			if !strings.Contains(d, want) {
				t.Errorf("the workspace lacks %q", want)
			}
		}
		if strings.Contains(d, "Mon 9 Mar") || strings.Contains(d, "yesterday") {
			t.Error("the workspace counts the day in UTC")
		}
	})
	t.Run("the client's timeline and the reminders show Pacific times, across the change of the clocks", func(t *testing.T) {
		c := s.get(t, clientPath).body
		for _, want := range []string{
			"Sun 8 Mar 2026, 01:30 PST",  // the session's end
			"Sun 8 Mar 2026, 01:55 PST",  // the check-in
			"Mon 9 Mar 2026, 02:30 PDT",  // the 24-hour reminder: 24 hours later, an hour later on the clock
			"Tue 10 Mar 2026, 02:30 PDT", // the 48-hour one
		} {
			if !strings.Contains(c, want) {
				t.Errorf("the client's page lacks %q", want)
			}
		}
		if regexp.MustCompile(`\d\d:\d\d UTC`).MatchString(c) {
			t.Error("the client's page shows a time in UTC")
		}
	})
	t.Run("the client's own page says the times in the clinic's zone until the reader's browser rewrites them", func(t *testing.T) {
		s.as(nil)
		defer s.as(owner(clinic.ID))
		c := s.get(t, link).body
		if !strings.Contains(c, `<time datetime="2026-03-08T09:30:00Z" data-local data-ended>Sun 8 Mar 2026, 01:30 PST</time>`) {
			t.Errorf("the session's end is not a local time element: %.3000s", c)
		}
	})

	t.Run("the owner changes the zone, and the pages follow", func(t *testing.T) {
		page := s.get(t, "/staff/settings")
		if page.status != 200 || !strings.Contains(page.body, `value="America/Los_Angeles"`) || !strings.Contains(page.body, "Sun 8 Mar 2026, 22:00 PDT") {
			t.Fatalf("settings: status %d: %.3000s", page.status, page.body)
		}
		saved := s.follow(t, s.post(t, "/staff/settings", url.Values{"time_zone": {" Europe/London "}, "key": {formKeyOf(t, page.body)}}))
		if saved.status != 200 || !strings.Contains(saved.body, "Saved") || !strings.Contains(saved.body, "Mon 9 Mar 2026, 05:00 GMT") {
			t.Fatalf("after saving: status %d: %.3000s", saved.status, saved.body)
		}
		if got, _ := s.store.FindClinic(ctx, clinic.ID); got.TimeZone != "Europe/London" {
			t.Errorf("stored zone %q", got.TimeZone)
		}
		if d := s.get(t, "/staff").body; !strings.Contains(d, "Mon 9 Mar 2026") || !strings.Contains(d, ">yesterday, 09:55 GMT</time>") {
			t.Errorf("the workspace does not follow the new zone: %.3000s", d)
		}
	})
	t.Run("a zone that is not an IANA name is refused beside the field, and nothing changes", func(t *testing.T) {
		for _, bad := range []string{"Pacific Time", "", "Local"} {
			page := s.post(t, "/staff/settings", url.Values{"time_zone": {bad}})
			if page.status != http.StatusBadRequest || !strings.Contains(page.body, `data-field="time_zone"`) || !strings.Contains(page.body, "IANA") {
				t.Errorf("%q: status %d", bad, page.status)
			}
			if got, _ := s.store.FindClinic(ctx, clinic.ID); got.TimeZone != "Europe/London" {
				t.Errorf("%q: stored zone %q", bad, got.TimeZone)
			}
		}
	})
	t.Run("a therapist sees the zone but may not change it", func(t *testing.T) {
		s.as(&aftercare.Principal{ClinicID: clinic.ID, UserID: 2, Role: aftercare.RoleTherapist, Scopes: aftercare.RoleScopes(aftercare.RoleTherapist)})
		defer s.as(owner(clinic.ID))
		page := s.get(t, "/staff/settings")
		if page.status != 200 || strings.Contains(page.body, `name="time_zone"`) || !strings.Contains(page.body, "Europe/London") {
			t.Errorf("status %d: %.2000s", page.status, page.body)
		}
		if p := s.post(t, "/staff/settings", url.Values{"time_zone": {"Asia/Tokyo"}}); p.status != http.StatusForbidden {
			t.Errorf("a therapist's change: status %d", p.status)
		}
		if got, _ := s.store.FindClinic(ctx, clinic.ID); got.TimeZone != "Europe/London" {
			t.Errorf("stored zone %q", got.TimeZone)
		}
	})
	t.Run("the public check, of no clinic, says its times in UTC", func(t *testing.T) {
		s.as(nil)
		defer s.as(owner(clinic.ID))
		p := s.post(t, "/check", url.Values{"style": {"swedish"}, "hours_since": {"20"}, "pain_neck": {"3"}})
		if !regexp.MustCompile(`Aftercare sheet, made <time datetime="2026-03-09T05:00:00Z" data-local>Mon 9 Mar 2026, 05:00 UTC</time>`).MatchString(p.body) {
			t.Errorf("the printed line is not a UTC time element: status %d", p.status)
		}
	})
}

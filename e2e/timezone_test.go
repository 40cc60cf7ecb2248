package e2e_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"aftercare/web"
)

// clock is a time the test moves by hand.
type clock struct {
	mu sync.Mutex
	at time.Time
}

func (c *clock) now() time.Time        { c.mu.Lock(); defer c.mu.Unlock(); return c.at }
func (c *clock) set(at time.Time)      { c.mu.Lock(); c.at = at; c.mu.Unlock() }
func (c *clock) deps() func(*web.Deps) { return func(d *web.Deps) { d.Now = c.now } }

// zone makes the tab's browser believe it is in an IANA time zone.
func (tb *tab) zone(name string) {
	tb.t.Helper()
	if _, err := chromedp.Run(tb.ctx, chromedp.Action[cdp.Empty](func(ctx context.Context, t *chromedp.Target) (cdp.Empty, error) {
		return cdp.Call(ctx, t, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: name})
	})); err != nil {
		tb.t.Fatal(err)
	}
}

// TestAClinicInLosAngelesSeesItsOwnTimes follows a clinic in Los Angeles on
// the day its clocks go forward (Sun 8 Mar 2026, 02:00 PST = 10:00 UTC): its
// staff, whose browser is elsewhere, see Pacific times and the clinic's
// today; its client, in Tokyo, sees Tokyo times.
func TestAClinicInLosAngelesSeesItsOwnTimes(t *testing.T) {
	clk := &clock{at: time.Date(2026, 3, 8, 9, 55, 0, 0, time.UTC)} // 01:55 PST
	a := startApp(t, clk.deps())
	const email, pw = "owner@pacific.example", "a long enough passphrase"
	clinic := clinicWithOwner(t, a, email, pw)
	if err := a.Store.SetClinicTimeZone(context.Background(), clinic.ID, "America/Los_Angeles"); err != nil {
		t.Fatal(err)
	}
	client := addClient(t, a, clinic, "Sam Rivers")
	therapist := signIn(t, a, email, pw)
	therapist.zone("Europe/Berlin") // the pages' times are the clinic's, wherever the browser is

	// The session ended at 01:30 in Los Angeles: 09:30 UTC.
	therapist.visit(clientPath(client.ID))
	if label := therapist.text("label[for=s-ended-at]"); !strings.Contains(label, "America/Los_Angeles") {
		t.Errorf("the end time's field does not name the clinic's zone: %q", label)
	}
	therapist.do(
		chromedp.SetValue(chromedp.CSS("#s-style"), "swedish"),
		chromedp.SetValue(chromedp.CSS("#pressure_calves"), "medium"),
		chromedp.SetValue(chromedp.CSS("#s-ended-at"), "2026-03-08T01:30"),
	)
	therapist.submit(".session-form button[type=submit]")
	link := eval[string](therapist, `document.getElementById("check-in-url").value`)
	if !strings.HasPrefix(link, a.URL+"/c/c_") {
		t.Fatalf("no check-in link on the page: %q", link)
	}
	if ended := therapist.text("[data-ended]"); !strings.Contains(ended, "Sun 8 Mar 2026, 01:30 PST") {
		t.Errorf("the session's page says it ended %q", ended)
	}
	sessions, err := a.Store.ListSessions(context.Background(), clinic.ID, client.ID)
	if err != nil || len(sessions) != 1 {
		t.Fatalf("%v, %d sessions", err, len(sessions))
	}
	if want := time.Date(2026, 3, 8, 9, 30, 0, 0, time.UTC); !sessions[0].EndedAt.Equal(want) {
		t.Fatalf("the session is stored as ended %s, want %s", sessions[0].EndedAt, want)
	}
	sess := sessions[0]

	// The client, in Tokyo, reads the end time in Tokyo's time, and checks in with a red flag at 01:55 PST.
	reader := a.open(t, chromedp.WithNewBrowserContext())
	reader.zone("Asia/Tokyo")
	reader.scripts(false)
	reader.visit(strings.TrimPrefix(link, a.URL))
	if got := reader.text("time[data-ended]"); got != "Sun 8 Mar 2026, 01:30 PST" {
		t.Errorf("without its script the client's page says the session ended %q, want the clinic's time with its zone", got)
	}
	reader.scripts(true)
	reader.visit(strings.TrimPrefix(link, a.URL))
	tokyo := eval[string](reader, `new Date("2026-03-08T09:30:00Z").toLocaleString(undefined, {timeZone: "Asia/Tokyo",
		weekday: "short", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short"})`)
	if got := reader.text("time[data-ended]"); got != tokyo || !strings.Contains(got, "06:30") && !strings.Contains(got, "18:30") {
		t.Errorf("the client's page says the session ended %q, want Tokyo's %q", got, tokyo)
	}
	reader.inspect("the client's page in Tokyo")
	if level := reader.checkInClotSigns(); level != "urgent" && level != "emergency" {
		t.Fatalf("a swollen, warm calf: level %q", level)
	}

	// That evening in Los Angeles (22:00 PDT), already Monday in UTC: the flag is today's.
	clk.set(time.Date(2026, 3, 9, 5, 0, 0, 0, time.UTC))
	therapist.visit("/staff")
	if today := therapist.text("[data-today]"); !strings.Contains(today, "Sun 8 Mar 2026") {
		t.Errorf("the workspace's today is %q, want the clinic's Sunday", today)
	}
	if raised := therapist.text("[data-flag-time]"); raised != "today, 01:55 PST" {
		t.Errorf("the flag was raised %q, want today, 01:55 PST", raised)
	}
	if n := therapist.text("[data-raised-today]"); n != "1 raised today." {
		t.Errorf("the flags raised today: %q", n)
	}
	therapist.inspect("today in Los Angeles")
	therapist.shoot("staff-today-los-angeles", desktopWidth)

	// The timeline: the session at 01:30 PST, its reminders after the clocks went forward.
	therapist.visit(clientPath(client.ID))
	if h := therapist.text(fmt.Sprintf("#session-%d-title time", sess.ID)); h != "Sun 8 Mar 2026, 01:30 PST" {
		t.Errorf("the timeline's session ended %q", h)
	}
	if r := therapist.text(fmt.Sprintf("#session-%d", sess.ID)); !strings.Contains(r, "Mon 9 Mar 2026, 02:30 PDT") {
		t.Errorf("the 24-hour reminder is not due at 02:30 PDT: %q", r)
	}

	// The owner moves the clinic to London: the same flag is yesterday's, in GMT.
	therapist.visit("/staff/settings")
	if v := therapist.attr("#time-zone", "value"); v != "America/Los_Angeles" {
		t.Errorf("the settings show the zone %q", v)
	}
	therapist.inspect("the clinic's settings")
	therapist.do(chromedp.SetValue(chromedp.CSS("#time-zone"), "Pacific Time"))
	if r := therapist.submit("form.row-form button[type=submit]"); r.Status != 400 || !strings.Contains(therapist.text("#settings-error"), "IANA") {
		t.Errorf("a zone in words: status %d", r.Status)
	}
	therapist.do(chromedp.SetValue(chromedp.CSS("#time-zone"), "Europe/London"))
	therapist.submit("form.row-form button[type=submit]")
	if !strings.Contains(therapist.text("main"), "Saved") {
		t.Errorf("after saving: %q", therapist.text("main"))
	}
	therapist.visit("/staff")
	if raised := therapist.text("[data-flag-time]"); raised != "yesterday, 09:55 GMT" {
		t.Errorf("in London the flag was raised %q, want yesterday, 09:55 GMT", raised)
	}
	if today := therapist.text("[data-today]"); !strings.Contains(today, "Mon 9 Mar 2026") {
		t.Errorf("in London the workspace's today is %q", today)
	}
	if got, _ := a.Store.FindClinic(context.Background(), clinic.ID); got.TimeZone != "Europe/London" {
		t.Errorf("stored zone %q", got.TimeZone)
	}
}

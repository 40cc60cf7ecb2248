package e2e_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"aftercare"
	"aftercare/password"
)

// clinicWithOwner stores a clinic and its owner, as `aftercare admin` does.
func clinicWithOwner(t *testing.T, a *app, email, pw string) *aftercare.Clinic {
	t.Helper()
	ctx := context.Background()
	c := &aftercare.Clinic{Name: "Calm Hands", EmergencyNumber: "112"}
	if err := a.Store.CreateClinic(ctx, c); err != nil {
		t.Fatal(err)
	}
	hash, err := password.Hash(pw)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Store.CreateUser(ctx, &aftercare.User{ClinicID: c.ID, Email: email, Role: aftercare.RoleOwner, PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	return c
}

// checkInClotSigns sends the check-in form of the client's page shown: the
// calves at 6 on the body map, swollen, warm and red; it returns the level
// of the answer.
func (tb *tab) checkInClotSigns() string {
	tb.t.Helper()
	tb.do(chromedp.WaitVisible(chromedp.CSS("#step-2-title")))
	tb.tapArea("pain-map", "pain-picker", "calves", "6")
	tb.do(
		chromedp.Tap(chromedp.CSS("#step-2 [data-next]")),
		chromedp.WaitVisible(chromedp.CSS("#step-3-title")),
		chromedp.Tap(chromedp.CSS("input[name=symptoms][value=calf_swelling]")),
		chromedp.Tap(chromedp.CSS("input[name=symptoms][value=warmth_redness]")),
	)
	tb.submit("#step-3 button[type=submit]")
	return tb.attr("[data-level].answer", "data-level")
}

func TestATherapistRecordsASessionAndSeesTheClientsRedFlag(t *testing.T) {
	a := startApp(t)
	const email, pw = "owner@calmhands.example", "a long enough passphrase"
	clinicWithOwner(t, a, email, pw)
	therapist := a.open(t)

	// Signing in: the workspace sends a visitor to the sign-in page, and back.
	therapist.visit("/staff")
	if loc := therapist.location(); loc != "/login?next="+url.QueryEscape("/staff") {
		t.Fatalf("not sent to sign in: %s", loc)
	}
	therapist.inspect("the sign-in page")
	therapist.shoot("sign-in", phoneWidth)
	therapist.do(
		chromedp.SendKeys(chromedp.CSS("#email"), email),
		chromedp.SendKeys(chromedp.CSS("#password"), pw),
	)
	therapist.submit("form.login button[type=submit]")
	if loc := therapist.location(); loc != "/staff" {
		t.Fatalf("after signing in: %s (%s)", loc, therapist.text("main"))
	}
	if !strings.Contains(therapist.text("main"), "No open flags") {
		t.Error("a new clinic has flags")
	}
	therapist.inspect("today, empty")

	// A new client.
	therapist.do(chromedp.SendKeys(chromedp.CSS("#client-name"), "Sam Rivers"))
	therapist.submit("form.row-form button[type=submit]")
	if !strings.HasPrefix(therapist.location(), "/staff/clients/") || therapist.text("h1") != "Sam Rivers" {
		t.Fatalf("after adding a client: %s", therapist.location())
	}
	therapist.inspect("a new client's page")

	// The session: deep tissue, firm, the calves worked deep on the body map.
	therapist.do(
		chromedp.SetValue(chromedp.CSS("#s-style"), "deep_tissue"),
		chromedp.SetValue(chromedp.CSS("#s-pressure"), "firm"),
		chromedp.SetValue(chromedp.CSS("#s-ended"), "60"),
	)
	therapist.tapArea("pressure-map", "pressure-picker", "calves", "deep")
	therapist.tapArea("pressure-map", "pressure-picker", "lower_back", "firm")
	if v := eval[string](therapist, `document.getElementById("pressure_calves").value`); v != "deep" {
		t.Fatalf("tapping the map set pressure_calves to %q", v)
	}
	therapist.do(chromedp.SendKeys(chromedp.CSS("#s-notes"), "Tight calves after a half marathon."))
	therapist.shoot("session-form", desktopWidth)
	therapist.shoot("session-form", phoneWidth)
	therapist.submit(".session-form button[type=submit]")
	link := eval[string](therapist, `document.getElementById("check-in-url").value`)
	if !strings.HasPrefix(link, a.URL+"/c/c_") {
		t.Fatalf("no check-in link on the page: %q", link)
	}
	therapist.inspect("the recorded session")
	therapist.shoot("session-recorded-link", phoneWidth)

	// The client opens the link, in a browser of their own, and checks in with a red flag.
	client := a.open(t, chromedp.WithNewBrowserContext())
	client.phone()
	client.visit(strings.TrimPrefix(link, a.URL))
	if h := client.text("h1"); !strings.Contains(h, "How are you feeling") {
		t.Fatalf("the link opens %q", h)
	}
	if facts := client.text("[data-session]"); !strings.Contains(facts, "Deep tissue, firm pressure") || !strings.Contains(facts, "about 1 hour ago") {
		t.Errorf("the page does not show the session: %q", facts)
	}
	if n := eval[int](client, `document.querySelectorAll("#style, #pressure, #hours_since, [name=areas_worked]").length`); n != 0 {
		t.Errorf("the check-in page asks %d things its session says (style, pressure, hours, areas)", n)
	}
	if strings.Contains(client.text("main"), "Sam Rivers") {
		t.Error("the client's page shows the client's name")
	}
	client.inspect("the client's check-in page")
	client.shoot("client-check-in", phoneWidth)
	level := client.checkInClotSigns()
	if level != "urgent" && level != "emergency" {
		t.Fatalf("a swollen, warm calf after leg work: level %q", level)
	}
	if !strings.Contains(client.text(".answer"), "sent to your therapist") {
		t.Error("the client is not told the check-in was sent")
	}
	if first := eval[bool](client, `!!(document.querySelector("[data-dont-wait]").compareDocumentPosition(document.querySelector(".answer .saved")) & Node.DOCUMENT_POSITION_FOLLOWING)`); !first {
		t.Error("an urgent answer does not say not to wait for the therapist above the thank-you")
	}
	client.inspect("the client's answer")
	client.shoot("client-answer-urgent", phoneWidth)

	// Back at the clinic: the flag is in today's queue.
	therapist.visit("/staff")
	flag := therapist.text(".flags .flag")
	if !strings.Contains(flag, "Sam Rivers") || !strings.Contains(flag, "today") && !strings.Contains(flag, "medical") {
		t.Fatalf("the flag queue shows %q", flag)
	}
	if c := therapist.attr(".flags .flag", "class"); !strings.Contains(c, "lvl-"+level) {
		t.Errorf("the flag is shown as %q, the answer was %s", c, level)
	}
	therapist.inspect("today, with a flag")
	therapist.shoot("staff-today", desktopWidth)
	therapist.shoot("staff-today", phoneWidth)

	// The client's timeline: the check-in, the chart, the heat map, and a lighter suggestion for the calves.
	therapist.do(chromedp.Click(chromedp.CSS(".flags .flag a")))
	therapist.do(chromedp.WaitVisible(chromedp.CSS("#timeline-title")))
	for _, sel := range []string{"#areas", "#heat-map", "#suggest-map"} {
		if n := eval[int](therapist, `document.querySelectorAll("`+sel+`").length`); n != 1 {
			t.Errorf("the client's page has no %s", sel)
		}
	}
	if c := therapist.attr("#heat-map .region[data-area='calves']", "class"); !strings.Contains(c, "v-6") {
		t.Errorf("the heat map shows the calves as %q", c)
	}
	if v := eval[string](therapist, `document.getElementById("pressure_calves").value`); v != "" {
		t.Errorf("the next session's calves are suggested at %q after a suspected clot", v)
	}
	if hold := therapist.text(".hold"); !strings.Contains(hold, "Calves") {
		t.Errorf("the client's page does not say to leave the calves alone: %q", hold)
	}
	therapist.inspect("the client's timeline")
	therapist.shoot("staff-client", desktopWidth)
	therapist.shoot("staff-client", phoneWidth)

	// Acknowledged, the flag leaves the queue.
	therapist.visit("/staff")
	therapist.submit(".flags .flag button[type=submit]")
	if !strings.HasPrefix(therapist.location(), "/staff?acked=") || !strings.Contains(therapist.text("main"), "No open flags") {
		t.Errorf("after acknowledging: %s", therapist.location())
	}
	therapist.inspect("today, acknowledged")
}

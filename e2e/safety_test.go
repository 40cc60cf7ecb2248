package e2e_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"aftercare"
)

// flaggedSession stores a session of the client that worked the areas,
// ended hoursAgo, and a check-in of it graded by the real engine; it returns
// the session and the flag the check-in raised.
func flaggedSession(t *testing.T, a *app, clinic *aftercare.Clinic, client *aftercare.Client, areas []string, hoursAgo float64, req aftercare.Request) (*aftercare.Session, *aftercare.Flag) {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Second)
	ended := now.Add(-time.Duration(hoursAgo * float64(time.Hour)))
	s := &aftercare.Session{
		ClinicID: clinic.ID, ClientID: client.ID, Style: "deep_tissue", Pressure: "firm", AreasWorked: areas,
		EndedAt: ended, LinkExpiresAt: ended.Add(14 * 24 * time.Hour), CreatedAt: ended,
	}
	_, hash := aftercare.NewSecret("c_")
	if err := a.Store.CreateSession(ctx, s, hash); err != nil {
		t.Fatal(err)
	}
	h := hoursAgo - 1
	req.HoursSince = &h
	resp, err := realEngine(t).Assess(req, now)
	if err != nil {
		t.Fatal(err)
	}
	c := &aftercare.CheckIn{ClinicID: clinic.ID, SessionID: s.ID, HoursSince: h, Request: req, Assessment: *resp, CreatedAt: now.Add(-time.Hour)}
	fl, err := a.Store.CreateCheckIn(ctx, c)
	if err != nil || fl == nil {
		t.Fatalf("the check-in raised no flag (level %s): %v", resp.Level, err)
	}
	return s, fl
}

func TestASuspectedClotBlocksTheLegInTheSessionFormUntilOverridden(t *testing.T) {
	a := startApp(t)
	const email, pw = "owner@calmhands.example", "a long enough passphrase"
	clinic := clinicWithOwner(t, a, email, pw)
	sam := addClient(t, a, clinic, "Sam Rivers")
	flaggedSession(t, a, clinic, sam, []string{"calves", "neck"}, 21, aftercare.Request{
		Soreness: []aftercare.Soreness{{Area: "calves", Pain: 6}}, Symptoms: []string{"calf_swelling", "warmth_redness"},
	})
	therapist := signIn(t, a, email, pw)
	therapist.phone()
	therapist.visit(clientPath(sam.ID))

	// The client's page says plainly not to treat the legs, above everything else.
	hold := therapist.text(".hold")
	for _, want := range []string{"Do not treat", "Calves", "Shins", "until a clinician has cleared the client", "suspected blood clot"} {
		if !strings.Contains(hold, want) {
			t.Errorf("the hold says %q, without %q", hold, want)
		}
	}
	if strings.Contains(hold, "Neck") {
		t.Error("a suspected clot holds the neck")
	}
	if above := eval[bool](therapist, `document.querySelector(".hold").getBoundingClientRect().top < document.getElementById("screening").getBoundingClientRect().top`); !above {
		t.Error("the hold is not above the client's screening")
	}
	// The suggestion and the session form leave the legs out.
	if next := therapist.text("#next li[data-area='calves'] .sl-next"); next != "do not treat" {
		t.Errorf("the suggestion for the calves: %q", next)
	}
	if v := eval[string](therapist, `document.getElementById("pressure_calves").value`); v != "" {
		t.Errorf("the session form sets the held calves to %q", v)
	}
	therapist.inspect("a client with a suspected clot")
	therapist.shoot("staff-client-hold", phoneWidth)

	// Setting the calves on the body map and sending is refused, and stores nothing.
	therapist.tapArea("pressure-map", "pressure-picker", "calves", "light")
	therapist.submit(".session-form button[type=submit]")
	if s, _, _ := counts(t, a, clinic.ID); s != 1 {
		t.Fatalf("a held area worked unconfirmed stored a session (%d)", s)
	}
	if f := therapist.attr("#session-error", "data-field"); f != "cleared" {
		t.Errorf("the error is about %q", f)
	}
	if !strings.Contains(therapist.text("#session-error"), "calves") {
		t.Errorf("the error does not name the calves: %q", therapist.text("#session-error"))
	}
	if v := eval[string](therapist, `document.getElementById("pressure_calves").value`); v != "light" {
		t.Errorf("the refused form lost the calves' pressure: %q", v)
	}
	therapist.inspect("the session form refusing a held area")
	therapist.shoot("session-form-hold-refused", phoneWidth)

	// Confirmed, it is recorded, and the confirmation is in the session's notes.
	therapist.do(chromedp.Click(chromedp.CSS("input[name=cleared]")))
	therapist.submit(".session-form button[type=submit]")
	if !strings.HasPrefix(therapist.location(), "/staff/sessions/") {
		t.Fatalf("the confirmed form leads to %s", therapist.location())
	}
	ss, err := a.Store.ListSessions(context.Background(), clinic.ID, sam.ID)
	if err != nil || len(ss) != 2 {
		t.Fatalf("%v: %d sessions", err, len(ss))
	}
	if got := ss[1]; !strings.Contains(got.Notes, "clinician cleared the client") || !strings.Contains(strings.Join(got.AreasWorked, ","), "calves") {
		t.Errorf("the overriding session: %+v", got)
	}
}

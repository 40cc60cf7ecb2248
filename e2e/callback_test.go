package e2e_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"aftercare"
)

func TestAFlagIsCalledBackAcknowledgedAsCalledAndUndoneOnAPhone(t *testing.T) {
	a := startApp(t)
	const email, pw = "owner@calmhands.example", "a long enough passphrase"
	clinic := clinicWithOwner(t, a, email, pw)
	client := &aftercare.Client{ClinicID: clinic.ID, Name: "Sam Rivers", Phone: "+44 (20) 7946-0958", CreatedAt: time.Now().UTC()}
	if err := a.Store.CreateClient(context.Background(), client); err != nil {
		t.Fatal(err)
	}
	_, flag := flaggedSession(t, a, clinic, client, []string{"calves"}, 20,
		aftercare.Request{Symptoms: []string{"calf_swelling"}, Soreness: []aftercare.Soreness{{Area: "calves", Pain: 6}}})
	therapist := signIn(t, a, email, pw)
	therapist.phone()
	therapist.visit("/staff")
	card := fmt.Sprintf(".flags .flag[data-flag='%d']", flag.ID)

	t.Run("the flag shows the client's number as a tel: link without its spaces", func(t *testing.T) {
		if href := therapist.attr(card+" a[data-call]", "href"); href != "tel:+442079460958" {
			t.Errorf("the call link is %q", href)
		}
		if text := therapist.text(card + " a[data-call]"); !strings.Contains(text, "+44 (20) 7946-0958") {
			t.Errorf("the call link says %q", text)
		}
	})
	therapist.inspect("today, a flag with the client's number and the outcomes")
	therapist.shoot("staff-flag-call-back", phoneWidth)

	form := fmt.Sprintf("form[data-ack='%d']", flag.ID)
	therapist.do(chromedp.Tap(chromedp.CSS(form + " input[name=outcome][value=called]")))
	therapist.submit(form + " button[type=submit]")
	t.Run("acknowledging with the outcome called shows it, and takes the flag off the list", func(t *testing.T) {
		if got := therapist.text(fmt.Sprintf("[data-acked='%d'] [data-outcome]", flag.ID)); got != aftercare.Outcomes.Label("called") {
			t.Errorf("the outcome shown is %q", got)
		}
		if n := eval[int](therapist, `document.querySelectorAll(".flags .flag").length`); n != 0 {
			t.Errorf("%d flags still listed", n)
		}
		f, err := a.Store.FindFlag(context.Background(), clinic.ID, flag.ID)
		if err != nil || f.AckedAt == nil || f.Outcome != "called" {
			t.Errorf("stored flag %+v, err %v", f, err)
		}
	})
	therapist.inspect("today, a flag just acknowledged as called")
	therapist.shoot("staff-flag-acknowledged", phoneWidth)

	therapist.submit(fmt.Sprintf("form[data-undo='%d'] button[type=submit]", flag.ID))
	t.Run("undo brings the flag back, open", func(t *testing.T) {
		if n := eval[int](therapist, fmt.Sprintf(`document.querySelectorAll(%q).length`, card)); n != 1 {
			t.Fatalf("the flag is not listed again (%d)", n)
		}
		if n := eval[int](therapist, `document.querySelectorAll("[data-acked]").length`); n != 0 {
			t.Errorf("the acknowledgement is still shown")
		}
		f, err := a.Store.FindFlag(context.Background(), clinic.ID, flag.ID)
		if err != nil || f.AckedAt != nil || f.Outcome != "" {
			t.Errorf("stored flag %+v, err %v", f, err)
		}
	})
	therapist.inspect("today, the flag back after undo")
}

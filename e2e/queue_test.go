package e2e_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"aftercare"
)

func TestTheMostSeriousFlagIsFirstAndSaysWhatRaisedIt(t *testing.T) {
	a := startApp(t)
	const email, pw = "owner@calmhands.example", "a long enough passphrase"
	clinic := clinicWithOwner(t, a, email, pw)
	older := addClient(t, a, clinic, "Ana Lima")
	newer := addClient(t, a, clinic, "Sam Rivers")
	flaggedSession(t, a, clinic, older, []string{"forearms"}, 30, aftercare.Request{Symptoms: []string{"numbness"}, Soreness: []aftercare.Soreness{{Area: "forearms", Pain: 3}}})
	flaggedSession(t, a, clinic, newer, []string{"calves"}, 20, aftercare.Request{Symptoms: []string{"calf_swelling"}, Soreness: []aftercare.Soreness{{Area: "calves", Pain: 6}}})
	therapist := signIn(t, a, email, pw)
	therapist.phone()
	therapist.visit("/staff")
	levels := eval[[]string](therapist, `[...document.querySelectorAll(".flags .flag")].map(f => f.dataset.level)`)
	if strings.Join(levels, " ") != "urgent consult" {
		t.Fatalf("flags in the order %v, want the urgent one first", levels)
	}
	first := therapist.text(".flags .flag")
	for _, want := range []string{"Sam Rivers", "Signs:", aftercare.Symptoms.Label("calf_swelling"), "Calves 6/10", "19 h after the session", "do not treat"} {
		if !strings.Contains(first, want) {
			t.Errorf("the first flag lacks %q: %s", want, first)
		}
	}
	if !strings.Contains(therapist.text("[data-reach]"), "Reminders are not being sent") {
		t.Error("a clinic without mail or webhook is not told reminders are not sent")
	}
	therapist.inspect("today, with two flags")
	therapist.shoot("staff-today-flags", phoneWidth)
}

func TestGetHelpIfComesBeforeThePlan(t *testing.T) {
	a := startApp(t)
	tb := a.open(t)
	tb.phone()
	tb.visit("/")
	tb.do(
		chromedp.SetValue(chromedp.CSS("#style"), "deep_tissue"),
		chromedp.Tap(chromedp.CSS("button[data-hours='24']")),
		chromedp.Tap(chromedp.CSS("#step-1 [data-next]")),
	)
	tb.tapArea("pain-map", "pain-picker", "lower_back", "4")
	tb.do(chromedp.Tap(chromedp.CSS("#step-2 [data-next]")), chromedp.WaitVisible(chromedp.CSS("#step-3-title")))
	tb.submit("#step-3 button[type=submit]")
	if before := eval[bool](tb, `!!(document.querySelector("[data-get-help]").compareDocumentPosition(document.getElementById("plan-title")) & Node.DOCUMENT_POSITION_FOLLOWING)`); !before {
		t.Error("the plan comes before when to get help")
	}
	if top := eval[float64](tb, `document.querySelector("[data-get-help]").getBoundingClientRect().top + scrollY`); top > 2*phoneHeight {
		t.Errorf("when to get help is %g px down the page on a phone", top)
	}
	tb.inspect("an answer with when to get help first")
}

package e2e_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"aftercare"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// scripts turns JavaScript on or off in the tab; a page loaded with it off
// stays as it was when it is turned on again (its own script never ran).
func (tb *tab) scripts(on bool) {
	tb.t.Helper()
	if _, err := chromedp.Run(tb.ctx, chromedp.Action[cdp.Empty](func(ctx context.Context, t *chromedp.Target) (cdp.Empty, error) {
		return cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on})
	})); err != nil {
		tb.t.Fatal(err)
	}
}

// toLastStep walks the self-check with its script to the step that sends it.
func (tb *tab) toLastStep() {
	tb.t.Helper()
	tb.do(
		chromedp.Tap(chromedp.CSS("#step-1 [data-next]")), chromedp.WaitVisible(chromedp.CSS("#step-2-title")),
		chromedp.Tap(chromedp.CSS("#step-2 [data-next]")), chromedp.WaitVisible(chromedp.CSS("#step-3-title")),
	)
}

func TestTheSelfCheckAsksOnAPhoneBeforeItAnswers(t *testing.T) {
	for _, tt := range []struct {
		name   string
		script bool
		shot   string
	}{
		{"with JavaScript", true, "question-screen"},
		{"with JavaScript off", false, "question-screen-noscript"},
	} {
		t.Run(tt.name+", a figure of speech is asked about and a No brings the answer down", func(t *testing.T) {
			a := startApp(t)
			tb := a.open(t)
			tb.phone()
			tb.scripts(tt.script)
			if s := tb.visit("/"); s != 200 {
				t.Fatalf("status %d", s)
			}
			if tt.script {
				tb.toLastStep()
			}
			tb.do(chromedp.SendKeys(chromedp.CSS("#text"), "it felt like being stabbed in my back, massage yesterday"))
			if r := tb.submit("#step-3 button[type=submit]"); r.Status != 200 {
				t.Fatalf("status %d", r.Status)
			}
			if h := tb.text("#questions-title"); h != "Before we answer, a quick question so we don't get this wrong" {
				t.Errorf("the question screen says %q", h)
			}
			if n := eval[int](tb, `document.querySelectorAll("section.answer").length`); n != 0 {
				t.Error("the answer is shown before the question is answered")
			}
			tb.shoot(tt.shot, phoneWidth)
			// axe needs JavaScript: turned on, it runs on the page as it was loaded.
			tb.scripts(true)
			tb.inspect("the question screen " + tt.name)
			if !tt.script && eval[bool](tb, `document.documentElement.classList.contains("js")`) {
				t.Fatal("the page's script ran with JavaScript off")
			}
			tb.scripts(tt.script)
			// The yes and no buttons are large targets, side by side on a phone.
			sizes := eval[[][]float64](tb, `[...document.querySelectorAll("[data-question='symptom.sharp_pain'] .choice")].map(e => { const r = e.getBoundingClientRect(); return [r.width, r.height]; })`)
			if len(sizes) != 3 {
				t.Fatalf("%d choices, want Yes, No and I'm not sure", len(sizes))
			}
			for i, s := range sizes {
				if s[0] < 120 || s[1] < 48 {
					t.Errorf("choice %d is %.0f×%.0f px, want at least 120×48", i, s[0], s[1])
				}
			}
			no := "[data-question='symptom.sharp_pain'] input[value=no]"
			tb.do(chromedp.Click(chromedp.CSS(no), chromedp.NodeVisible))
			if !eval[bool](tb, `document.querySelector("`+no+`").checked`) {
				t.Fatal("the No button is not chosen")
			}
			if r := tb.submit(".questions-form button[type=submit]"); r.Status != 200 {
				t.Fatalf("status %d", r.Status)
			}
			if l := tb.attr("section.answer", "data-level"); l != "self_care" {
				t.Errorf("after a No the answer is %q, want self_care", l)
			}
			if n := eval[int](tb, `document.querySelectorAll(".questions-form").length`); n != 0 {
				t.Error("the answer asks again")
			}
			tb.scripts(true)
			tb.inspect("the answer after the question " + tt.name)
		})
	}
}

func TestAnEmergencyIsShownAtOnceWithItsQuestionBelow(t *testing.T) {
	a := startApp(t)
	tb := a.open(t)
	tb.phone()
	tb.visit("/")
	tb.toLastStep()
	tb.do(chromedp.SendKeys(chromedp.CSS("#text"), "I can't lift my arm"))
	tb.submit("#step-3 button[type=submit]")
	if l := tb.attr("section.answer", "data-level"); l != "emergency" {
		t.Fatalf("level %q, want emergency at once", l)
	}
	if below := eval[bool](tb, `document.querySelector("section.answer").getBoundingClientRect().bottom <= document.querySelector("section.questions.below").getBoundingClientRect().top`); !below {
		t.Error("the question is not below the answer")
	}
	tb.inspect("an emergency with its question below")
	tb.shoot("answer-with-question", phoneWidth)
}

func TestTheCheckInPageAsksWithJavaScriptOffAndStoresOnce(t *testing.T) {
	a := startApp(t)
	ctx := context.Background()
	clinic := &aftercare.Clinic{Name: "Calm Hands", EmergencyNumber: "112"}
	if err := a.Store.CreateClinic(ctx, clinic); err != nil {
		t.Fatal(err)
	}
	kai := addClient(t, a, clinic, "Kai")
	ended := time.Now().UTC().Add(-20 * time.Hour)
	token, hash := aftercare.NewSecret("c_")
	if err := a.Store.CreateSession(ctx, &aftercare.Session{ClinicID: clinic.ID, ClientID: kai.ID, Style: "swedish", Pressure: "medium",
		EndedAt: ended, LinkExpiresAt: ended.Add(14 * 24 * time.Hour), CreatedAt: ended}, hash); err != nil {
		t.Fatal(err)
	}
	tb := a.open(t)
	tb.phone()
	tb.scripts(false)
	tb.visit("/c/" + token)
	tb.do(chromedp.SendKeys(chromedp.CSS("#text"), "it felt like being stabbed in my back"))
	if r := tb.submit("#step-3 button[type=submit]"); r.Status != 200 {
		t.Fatalf("status %d", r.Status)
	}
	if h := tb.text("#questions-title"); !strings.HasPrefix(h, "Before we answer") {
		t.Fatalf("the page says %q", h)
	}
	if _, n, _ := counts(t, a, clinic.ID); n != 0 {
		t.Errorf("%d check-ins stored before the question was answered", n)
	}
	tb.shoot("check-in-question-noscript", phoneWidth)
	tb.scripts(true)
	tb.inspect("the check-in's question screen")
	tb.scripts(false)
	tb.do(chromedp.Click(chromedp.CSS("[data-question='symptom.sharp_pain'] input[value=yes]"), chromedp.NodeVisible))
	tb.submit(".questions-form button[type=submit]")
	if !strings.Contains(tb.location(), "?answer=") {
		t.Fatalf("the answered check-in leads to %q", tb.location())
	}
	if l := tb.attr("section.answer", "data-level"); l != "consult" {
		t.Errorf("after a Yes the answer is %q, want consult", l)
	}
	tb.do(chromedp.Reload())
	if _, n, _ := counts(t, a, clinic.ID); n != 1 {
		t.Errorf("%d check-ins stored after the answer and a reload, want 1", n)
	}
}

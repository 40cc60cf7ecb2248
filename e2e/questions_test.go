package e2e_test

import (
	"context"
	"testing"

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
				tb.do(
					chromedp.Tap(chromedp.CSS("#step-1 [data-next]")), chromedp.WaitVisible(chromedp.CSS("#step-2-title")),
					chromedp.Tap(chromedp.CSS("#step-2 [data-next]")), chromedp.WaitVisible(chromedp.CSS("#step-3-title")),
				)
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

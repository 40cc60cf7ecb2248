package e2e_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestAnErrorIsShownBesideItsFieldAndOnTheMap(t *testing.T) {
	a := startApp(t)
	tb := a.open(t)
	tb.phone()
	tb.visit("/")
	// A pain of 11 gets past the browser's own check only with it switched off,
	// as an old browser or a hand-made post would send it.
	eval[bool](tb, `(document.querySelector("form.check").noValidate = true, document.getElementById("pain_neck").value = "11", true)`)
	tb.do(
		chromedp.Tap(chromedp.CSS("#step-1 [data-next]")),
		chromedp.Tap(chromedp.CSS("#step-2 [data-next]")),
		chromedp.WaitVisible(chromedp.CSS("#step-3-title")),
	)
	if r := tb.submit("#step-3 button[type=submit]"); r.Status != 400 {
		t.Fatalf("status %d", r.Status)
	}
	tb.do(chromedp.WaitVisible(chromedp.CSS("#err-pain_neck")))
	if by := eval[string](tb, `document.getElementById("pain_neck").getAttribute("aria-describedby")`); by != "err-pain_neck" {
		t.Errorf("the field is described by %q", by)
	}
	if near := eval[float64](tb, `Math.abs(document.getElementById("err-pain_neck").getBoundingClientRect().top - document.getElementById("pain_neck").getBoundingClientRect().bottom)`); near > 60 {
		t.Errorf("the error is %g px from its field", near)
	}
	if c := tb.attr("#pain-map a.region[data-area='neck']", "class"); !strings.Contains(c, "invalid") {
		t.Errorf("the neck is not marked on the map: %q", c)
	}
	tb.inspect("the self-check with an error")
	tb.shoot("self-check-error", phoneWidth)
}

func TestTheSignInFormKeepsTheEmail(t *testing.T) {
	a := startApp(t)
	const email = "owner@calmhands.example"
	clinicWithOwner(t, a, email, "a long enough passphrase")
	tb := a.open(t, chromedp.WithNewBrowserContext())
	tb.phone()
	tb.visit("/login")
	tb.do(
		chromedp.SendKeys(chromedp.CSS("#email"), email),
		chromedp.SendKeys(chromedp.CSS("#password"), "not the passphrase"),
	)
	tb.submit("form.login button[type=submit]")
	if !strings.Contains(tb.text("#login-error"), "do not match") {
		t.Fatal("no error after a wrong password")
	}
	if v := eval[string](tb, `document.getElementById("email").value`); v != email {
		t.Errorf("the email after a failed sign-in: %q", v)
	}
	if f := eval[string](tb, `document.activeElement.id`); f != "password" {
		t.Errorf("the focus is on %q, not the password", f)
	}
	if strings.Contains(tb.location(), "calmhands") {
		t.Errorf("the email is in the address: %s", tb.location())
	}
	tb.inspect("the sign-in page after a wrong password")
	tb.shoot("sign-in-error", phoneWidth)
}

// smallTargets lists the map targets (what opens the picker, tabbable)
// smaller than 44 × 44 CSS px, with their size.
const smallTargets = `[...document.querySelectorAll(".area-chips a.area-chip")].map(e => {
	const r = e.getBoundingClientRect(); return {area: e.dataset.area, w: r.width, h: r.height};
}).filter(b => b.w < 44 || b.h < 44).map(b => b.area + " " + Math.round(b.w) + "x" + Math.round(b.h))`

func TestTheBodyMapOnAPhone(t *testing.T) {
	a := startApp(t)
	tb := a.open(t)
	tb.phone()
	tb.visit("/")
	tb.do(chromedp.Tap(chromedp.CSS("#step-1 [data-next]")), chromedp.WaitVisible(chromedp.CSS("#step-2-title")))
	t.Run("every target of the map is at least 44 by 44 px", func(t *testing.T) {
		if n := eval[int](tb, `document.querySelectorAll(".area-chips a.area-chip").length`); n != 18 {
			t.Fatalf("%d targets, want one per area (18)", n)
		}
		if small := eval[[]string](tb, smallTargets); len(small) > 0 {
			t.Errorf("targets under 44 x 44 px: %v", small)
		}
		if n := eval[int](tb, `[...document.querySelectorAll("#pain-map a.region")].filter(e => e.tabIndex >= 0).length`); n != 0 {
			t.Errorf("%d drawn shapes are tab stops besides the targets", n)
		}
	})
	t.Run("each step is an entry of the history", func(t *testing.T) {
		if loc := tb.location(); !strings.HasSuffix(loc, "#step-2") {
			t.Errorf("step 2 is at %s", loc)
		}
		eval[bool](tb, `(history.back(), true)`)
		tb.do(chromedp.WaitVisible(chromedp.CSS("#step-1-title")), chromedp.WaitNotVisible(chromedp.CSS("#step-2-title")))
		eval[bool](tb, `(history.forward(), true)`)
		tb.do(chromedp.WaitVisible(chromedp.CSS("#step-2-title")))
	})
	t.Run("what was entered is kept across Back and Forward", func(t *testing.T) {
		tb.tapArea("pain-map", "pain-picker", "calves", "4")
		tb.do(chromedp.Tap(chromedp.CSS("#step-2 [data-next]")), chromedp.WaitVisible(chromedp.CSS("#step-3-title")))
		eval[bool](tb, `document.querySelector("input[name=symptoms][value=stiffness]").checked = true`)
		eval[bool](tb, `(document.querySelector("input[name=symptoms][value=stiffness]").dispatchEvent(new Event("change", {bubbles: true})), true)`)
		tb.submit("#step-3 button[type=submit]")
		tb.history(-1)
		if v := eval[string](tb, `document.getElementById("pain_calves").value`); v != "4" {
			t.Errorf("after Back, pain_calves is %q", v)
		}
		if !eval[bool](tb, `document.querySelector("input[name=symptoms][value=stiffness]").checked`) {
			t.Error("after Back, the ticked symptom is not ticked")
		}
		if c := eval[string](tb, `document.querySelector("#pain-map-areas a.area-chip[data-area='calves']").className`); !strings.Contains(c, "v-4") {
			t.Errorf("after Back, the map shows the calves as %q", c)
		}
	})
	tb.inspect("the body map after Back")
	tb.shoot("body-map-back", phoneWidth)
}

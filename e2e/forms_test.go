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

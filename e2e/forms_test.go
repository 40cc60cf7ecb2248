package e2e_test

import (
	"context"
	"fmt"
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
	for _, tt := range []struct {
		name   string
		script bool
	}{
		{"with the page's script", true},
		{"without script: the server keeps it", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tb := a.open(t, chromedp.WithNewBrowserContext())
			tb.phone()
			tb.scripts(tt.script)
			tb.visit("/login")
			tb.do(
				chromedp.SendKeys(chromedp.CSS("#email"), email),
				chromedp.SendKeys(chromedp.CSS("#password"), "not the passphrase"),
			)
			if r := tb.submit("form.login button[type=submit]"); r.Status != 200 {
				t.Errorf("status %d after a wrong password, want the sign-in page (200)", r.Status)
			}
			if !strings.Contains(tb.text("#login-error"), "do not match") {
				t.Fatal("no error after a wrong password")
			}
			if v := eval[string](tb, `document.getElementById("email").value`); v != email {
				t.Errorf("the email after a failed sign-in: %q", v)
			}
			if v := eval[string](tb, `document.getElementById("password").value`); v != "" {
				t.Errorf("the password is filled in again: %q", v)
			}
			if f := eval[string](tb, `document.activeElement.id`); f != "password" {
				t.Errorf("the focus is on %q, not the password", f)
			}
			if by := tb.attr("#password", "aria-describedby"); by != "login-error" {
				t.Errorf("the password field is described by %q", by)
			}
			if loc := tb.location(); loc != "/login" {
				t.Errorf("the address after a failed sign-in is %s, want /login (no email in it)", loc)
			}
			if kept := eval[string](tb, `JSON.stringify({...sessionStorage, ...localStorage})`); strings.Contains(kept, "calmhands") {
				t.Errorf("the browser's storage keeps the email: %s", kept)
			}
			if tt.script {
				tb.inspect("the sign-in page after a wrong password")
				tb.shoot("sign-in-error", phoneWidth)
			}
		})
	}
}

func TestTheClientsEditFormShowsAPhoneErrorBesideTheField(t *testing.T) {
	a := startApp(t)
	const email = "owner@calmhands.example"
	clinic := clinicWithOwner(t, a, email, "a long enough passphrase")
	c := addClient(t, a, clinic, "Ana Lima")
	tb := signIn(t, a, email, "a long enough passphrase")
	tb.phone()
	path := fmt.Sprintf("/staff/clients/%d", c.ID)
	tb.visit(path)
	tb.do(
		chromedp.Click(chromedp.CSS("details.client-edit summary")),
		chromedp.WaitVisible(chromedp.CSS("#edit-phone")),
		chromedp.SendKeys(chromedp.CSS("#edit-phone"), "ask reception"),
	)
	if r := tb.submit("details.client-edit button[type=submit]"); r.Status != 400 {
		t.Fatalf("status %d, want 400", r.Status)
	}
	tb.do(chromedp.WaitVisible(chromedp.CSS("#err-phone")))
	if by := tb.attr("#edit-phone", "aria-describedby"); by != "err-phone" || tb.attr("#edit-phone", "aria-invalid") != "true" {
		t.Errorf("the phone field is described by %q", by)
	}
	if v := eval[string](tb, `document.getElementById("edit-phone").value`); v != "ask reception" {
		t.Errorf("the phone typed is not kept: %q", v)
	}
	if near := eval[float64](tb, `Math.abs(document.getElementById("err-phone").getBoundingClientRect().top - document.getElementById("edit-phone").getBoundingClientRect().bottom)`); near > 60 {
		t.Errorf("the error is %g px from its field", near)
	}
	if loc := tb.location(); loc != path {
		t.Errorf("the page is %s, want the client's, %s", loc, path)
	}
	stored, err := a.Store.FindClient(context.Background(), clinic.ID, c.ID)
	if err != nil || stored.Phone != "" {
		t.Errorf("stored phone %q (%v)", stored.Phone, err)
	}
	tb.inspect("the client's page with an error in the edit form")
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
	t.Run("the figure names every area, in text readable on a phone, labels not overlapping", func(t *testing.T) {
		type label struct {
			Area     string   `json:"area"`
			Text     string   `json:"text"`
			Size     float64  `json:"size"`
			L        float64  `json:"l"`
			R        float64  `json:"r"`
			T        float64  `json:"t"`
			B        float64  `json:"b"`
			Visible  bool     `json:"visible"`
			Overlaps []string `json:"overlaps"`
		}
		labels := eval[[]label](tb, `(() => {
			const svg = document.getElementById("pain-map");
			const frame = svg.getBoundingClientRect();
			const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
			const texts = [...svg.querySelectorAll("[data-label-for]")];
			const box = e => e.getBoundingClientRect();
			const hit = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
			const shapes = [...svg.querySelectorAll(".region path")];
			return texts.map(e => {
				const r = box(e);
				return {area: e.dataset.labelFor, text: e.textContent, size: parseFloat(getComputedStyle(e).fontSize) * scale,
					l: r.left - frame.left, r: frame.right - r.right, t: r.top, b: r.bottom, visible: r.width > 0 && getComputedStyle(e).display !== "none",
					overlaps: texts.filter(o => o !== e && hit(r, box(o))).map(o => o.textContent)
						.concat(shapes.filter(p => hit(r, box(p))).map(p => "the region of " + p.parentNode.dataset.area))};
			});
		})()`)
		seen := map[string]bool{}
		for _, l := range labels {
			seen[l.Area] = true
			if !l.Visible || l.Text == "" {
				t.Errorf("the label of %s is not shown", l.Area)
			}
			if l.Size < 10 {
				t.Errorf("the label %q is %.1f px high at 375 px; want at least 10", l.Text, l.Size)
			}
			if len(l.Overlaps) > 0 {
				t.Errorf("the label %q overlaps %v", l.Text, l.Overlaps)
			}
			if l.L < 0 || l.R < 0 {
				t.Errorf("the label %q is cut off by the figure's edge (%.0f px to the left, %.0f px to the right)", l.Text, l.L, l.R)
			}
		}
		t.Logf("labels at 375 px: %.1f px high", labels[0].Size)
		if len(seen) != 18 || len(labels) != 18 {
			t.Errorf("%d labels name %d areas; want each of the 18 areas once", len(labels), len(seen))
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

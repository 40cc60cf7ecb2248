package e2e_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// phone makes the tab a 375 px wide touch screen.
func (tb *tab) phone() {
	tb.t.Helper()
	tb.do(chromedp.EmulateViewport(phoneWidth, phoneHeight, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait))
}

// centre scrolls the first element sel matches into view and returns the
// middle of its box in the viewport: chromedp's element actions wait for a
// visibility that SVG shapes do not report, so the map is tapped by position.
func (tb *tab) centre(sel string) (x, y float64) {
	tb.t.Helper()
	p := eval[[]float64](tb, `(() => { const e = document.querySelector(`+strconv.Quote(sel)+`); e.scrollIntoView({block: "center"});
		const r = e.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; })()`)
	return p[0], p[1]
}

// tapArea taps an area of a body map (its target beside the figure) and
// picks a value in the picker that opens.
func (tb *tab) tapArea(mapID, pickerID, area, value string) {
	tb.t.Helper()
	x, y := tb.centre("#" + mapID + "-areas a.area-chip[data-area='" + area + "']")
	tb.do(chromedp.TapXY(x, y), chromedp.WaitVisible(chromedp.CSS("#"+pickerID+" .picker-area")))
	if got, want := tb.text("#"+pickerID+" .picker-area"), tb.attr("#"+mapID+" a.region[data-area='"+area+"']", "data-label"); got != want {
		tb.t.Fatalf("the picker asks about %q after a tap on %q", got, want)
	}
	tb.do(
		chromedp.Tap(chromedp.CSS("#"+pickerID+" .pv[data-value='"+value+"']")),
		chromedp.WaitNotVisible(chromedp.CSS("#"+pickerID+" .picker-area")),
	)
}

func TestANewcomerTapsTheBodyMapAndIsToldTheSorenessIsExpected(t *testing.T) {
	a := startApp(t)
	tb := a.open(t)
	tb.phone()
	if s := tb.visit("/"); s != 200 {
		t.Fatalf("status %d", s)
	}
	tb.inspect("the self-check")
	tb.shoot("self-check", phoneWidth)

	// Step 1: what massage and when.
	tb.do(
		chromedp.WaitVisible(chromedp.CSS("#step-1-title")),
		chromedp.WaitNotVisible(chromedp.CSS("#step-2-title")),
		chromedp.SetValue(chromedp.CSS("#style"), "deep_tissue"),
		chromedp.SetValue(chromedp.CSS("#pressure"), "firm"),
		chromedp.Tap(chromedp.CSS("button[data-hours='24']")),
	)
	if v := eval[string](tb, `document.getElementById("hours_since").value`); v != "24" {
		t.Fatalf("the Yesterday button set hours_since to %q", v)
	}
	tb.do(chromedp.Tap(chromedp.CSS("#step-1 [data-next]")), chromedp.WaitVisible(chromedp.CSS("#step-2-title")))

	// Step 2: tap the lower back on the body map and give it a 4.
	tb.tapArea("pain-map", "pain-picker", "lower_back", "4")
	if v := eval[string](tb, `document.getElementById("pain_lower_back").value`); v != "4" {
		t.Fatalf("tapping the map set pain_lower_back to %q", v)
	}
	if c := tb.attr("#pain-map a.region[data-area='lower_back']", "class"); !strings.Contains(c, "v-4") {
		t.Errorf("the lower back is not coloured for a 4: class %q", c)
	}
	if l := eval[string](tb, `document.querySelector("#pain-map-areas a.area-chip[data-area='lower_back']").textContent`); l != "Lower back: pain 4 out of 104" {
		t.Errorf("the area's name is %q", l)
	}
	// The same by keyboard: the neck's target, Enter, two tabs to the 2, Space.
	eval[bool](tb, `(document.querySelector("#pain-map-areas a.area-chip[data-area='neck']").focus(), true)`)
	tb.do(chromedp.KeyEvent("\r"), chromedp.WaitVisible(chromedp.CSS("#pain-picker .picker-area")))
	if f := eval[string](tb, `document.activeElement.getAttribute("data-value")`); f != "0" {
		t.Fatalf("the picker does not take the focus: %q", f)
	}
	tb.do(chromedp.KeyEvent("\t"), chromedp.KeyEvent("\t"), chromedp.KeyEvent(" "), chromedp.WaitNotVisible(chromedp.CSS("#pain-picker .picker-area")))
	if v := eval[string](tb, `document.getElementById("pain_neck").value`); v != "2" {
		t.Errorf("by keyboard, pain_neck is %q", v)
	}
	if f := eval[string](tb, `document.activeElement.getAttribute("data-area") || ""`); f != "neck" {
		t.Errorf("the focus does not return to the neck's target: %q", f)
	}
	// Enter on a value chooses it, and does not open the picker again.
	tb.do(chromedp.KeyEvent("\r"), chromedp.WaitVisible(chromedp.CSS("#pain-picker .picker-area")), chromedp.KeyEvent("\t"), chromedp.KeyEvent("\r"))
	time.Sleep(100 * time.Millisecond)
	if v := eval[string](tb, `document.getElementById("pain_neck").value`); v != "3" {
		t.Errorf("Enter on the 3 set pain_neck to %q", v)
	}
	if !eval[bool](tb, `document.getElementById("pain-picker").hidden`) {
		t.Error("Enter on a value opens the picker again")
	}
	tb.inspect("the body map after a tap")
	tb.shoot("body-map", phoneWidth)
	tb.do(chromedp.Tap(chromedp.CSS("#step-2 [data-next]")), chromedp.WaitVisible(chromedp.CSS("#step-3-title")))

	// Step 3: nothing else; see the answer.
	if r := tb.submit("#step-3 button[type=submit]"); r.Status != 200 {
		t.Fatalf("status %d", r.Status)
	}
	if level := tb.attr("[data-level].answer", "data-level"); level != "self_care" {
		t.Fatalf("level %q, want self_care", level)
	}
	if tb.text(".answer .headline") == "" || !strings.Contains(tb.text(".answer .reasons"), "Source:") {
		t.Error("the answer lacks its headline or its sources")
	}
	for _, sel := range []string{".answer .recovery-chart .rc-you", ".answer .plan .card", ".answer .watch-for li", ".answer .disclaimer", "footer.site"} {
		tb.do(chromedp.WaitVisible(chromedp.CSS(sel)))
	}
	if n := eval[int](tb, `document.querySelectorAll(".emergency-banner").length`); n != 0 {
		t.Error("an emergency banner is shown for expected soreness")
	}
	tb.inspect("the answer")
	tb.shoot("answer-self-care", phoneWidth)
	tb.shoot("answer-self-care", desktopWidth)
	tb.shootPrinted("aftercare-sheet")
}

func TestARedFlagPutsTheEmergencyBannerAboveEverything(t *testing.T) {
	a := startApp(t)
	tb := a.open(t)
	tb.visit("/")
	tb.do(
		chromedp.Click(chromedp.CSS("#step-1 [data-next]")),
		chromedp.Click(chromedp.CSS("#step-2 [data-next]")),
		chromedp.WaitVisible(chromedp.CSS("#symptoms-warning")),
	)
	if !strings.Contains(tb.text("#step-3 fieldset:first-of-type legend"), "Warning signs") {
		t.Error("the warning signs are not the first group of step 3")
	}
	tb.do(
		chromedp.Click(chromedp.CSS("input[name=symptoms][value=chest_pain]")),
		chromedp.Click(chromedp.CSS("input[name=symptoms][value=shortness_of_breath]")),
		chromedp.SendKeys(chromedp.CSS("#text"), "tight chest since this morning"),
	)
	tb.submit("#step-3 button[type=submit]")
	level := tb.attr("[data-level].answer", "data-level")
	if level != "emergency" && level != "urgent" {
		t.Fatalf("level %q, want urgent or emergency", level)
	}
	tb.do(chromedp.WaitVisible(chromedp.CSS(".emergency-banner a[href='tel:999']")))
	if before := eval[bool](tb, `!!(document.querySelector(".emergency-banner").compareDocumentPosition(document.querySelector("header.site")) & Node.DOCUMENT_POSITION_FOLLOWING)`); !before {
		t.Error("the emergency banner is not before the page's header")
	}
	top := eval[float64](tb, `document.querySelector(".emergency-banner").getBoundingClientRect().top`)
	if top != 0 {
		t.Errorf("the banner is %g px from the top", top)
	}
	tb.inspect("the emergency answer")
	tb.shoot("answer-emergency", desktopWidth)
	tb.phone()
	tb.shoot("answer-emergency", phoneWidth)
}

func TestTheSelfCheckWorksWithJavaScriptOff(t *testing.T) {
	a := startApp(t)
	tb := a.open(t)
	if _, err := chromedp.Run(tb.ctx, chromedp.Action[cdp.Empty](func(ctx context.Context, t *chromedp.Target) (cdp.Empty, error) {
		return cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
	})); err != nil {
		t.Fatal(err)
	}
	tb.visit("/")
	// Every step is shown at once, and the map's regions are links to the typed fields.
	for _, sel := range []string{"#step-1-title", "#step-2-title", "#step-3-title", "#pain_calves", "#step-3 button[type=submit]"} {
		tb.do(chromedp.WaitVisible(chromedp.CSS(sel)))
	}
	// Tapping a region follows its link to the area's field.
	tb.do(chromedp.MouseClickXY(tb.centre("#pain-map a.region[data-area='calves'] path")))
	if loc := tb.location(); loc != "/#pain_calves" {
		t.Errorf("tapping the calves leads to %q", loc)
	}
	if !eval[bool](tb, `document.getElementById("pain-picker").hidden`) {
		t.Errorf("the picker opened without JavaScript")
	}
	tb.do(
		chromedp.SendKeys(chromedp.CSS("#pain_calves"), "3"),
		chromedp.SendKeys(chromedp.CSS("#hours_since"), "20"),
		chromedp.Click(chromedp.CSS("input[name=symptoms][value=stiffness]")),
	)
	if r := tb.submit("#step-3 button[type=submit]"); r.Status != 200 {
		t.Fatalf("status %d", r.Status)
	}
	if level := tb.attr("[data-level].answer", "data-level"); level != "self_care" {
		t.Fatalf("level %q, want self_care", level)
	}
	if c := tb.attr("#answer-map .region[data-area='calves']", "class"); !strings.Contains(c, "v-3") {
		t.Errorf("the answer's map does not show the calves at 3: %q", c)
	}
	tb.shoot("answer-no-javascript", phoneWidth)
}

func TestEveryPublicPageIsAccessibleLightAndQuiet(t *testing.T) {
	a := startApp(t)
	tb := a.open(t)
	pages := []struct {
		path   string
		status int64
	}{
		{"/guide", 200},
		{"/guide/why", 200},
		{"/guide/styles", 200},
		{"/guide/relief", 200},
		{"/guide/red-flags", 200},
		{"/guide/prevention", 200},
		{"/guide/faq", 200},
		{"/guide/sources", 200},
		{"/guide/headache-after-massage", 200},
		{"/guide/no-such-page", 404},
		{"/login", 200},
		{"/login?error=1", 200},
		{"/c/c_" + strings.Repeat("Z", 43), 404},
	}
	tb.phone()
	for _, p := range pages {
		if s := tb.visit(p.path); s != p.status {
			t.Errorf("%s: status %d, want %d", p.path, s, p.status)
		}
		tb.inspect(p.path)
		tb.shoot("page"+strings.NewReplacer("/", "-", "?", "-", "=", "-").Replace(p.path[:min(len(p.path), 40)]), phoneWidth)
	}
	tb.visit("/guide/red-flags")
	tb.shoot("guide-red-flags", desktopWidth)
	tb.visit("/login?error=1")
	if !strings.Contains(tb.text("#login-error"), "do not match") {
		t.Error("the sign-in page does not say why")
	}
}

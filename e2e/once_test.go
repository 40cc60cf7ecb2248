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

// signIn opens a tab signed in as the clinic's owner.
func signIn(t *testing.T, a *app, email, pw string) *tab {
	t.Helper()
	tb := a.open(t, chromedp.WithNewBrowserContext())
	tb.visit("/login")
	tb.do(
		chromedp.SendKeys(chromedp.CSS("#email"), email),
		chromedp.SendKeys(chromedp.CSS("#password"), pw),
	)
	tb.submit("form.login button[type=submit]")
	if loc := tb.location(); loc != "/staff" {
		t.Fatalf("after signing in: %s", loc)
	}
	return tb
}

// addClient stores a client of the clinic, as the dashboard's form does.
func addClient(t *testing.T, a *app, clinic *aftercare.Clinic, name string) *aftercare.Client {
	t.Helper()
	c := &aftercare.Client{ClinicID: clinic.ID, Name: name, CreatedAt: time.Now().UTC()}
	if err := a.Store.CreateClient(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	return c
}

// counts is how many sessions, check-ins and open flags the clinic holds.
func counts(t *testing.T, a *app, clinicID int64) (sessions, checkIns, flags int) {
	t.Helper()
	ctx := context.Background()
	ss, err := a.Store.ListSessions(ctx, clinicID, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range ss {
		checkIns += len(s.CheckIns)
	}
	fl, err := a.Store.ListFlags(ctx, clinicID)
	if err != nil {
		t.Fatal(err)
	}
	return len(ss), checkIns, len(fl)
}

// postTwice sends the form sel matches twice at once, as a double tap does,
// and waits for both answers.
const postTwice = `(async () => {
	const f = document.querySelector(%q);
	const send = () => fetch(f.action, {method: "POST", body: new URLSearchParams(new FormData(f)), redirect: "manual"});
	const rs = await Promise.all([send(), send()]);
	return rs.map(r => r.type === "opaqueredirect" ? 303 : r.status);
})()`

// history goes back (-1) or forward (1) in the tab's history, and waits for
// the page it shows, whether loaded again or restored from the browser's cache.
func (tb *tab) history(delta int) {
	tb.t.Helper()
	was := tb.location()
	eval[bool](tb, fmt.Sprintf(`(history.go(%d), true)`, delta))
	ready := fmt.Sprintf(`location.href !== %q && document.readyState === "complete" && !!document.querySelector("footer.site")`, tb.app.URL+was)
	for range 200 {
		if ok, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](ready)); err == nil && ok {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	tb.t.Fatalf("history.go(%d) from %s shows no page", delta, was)
}

func clientPath(id int64) string { return fmt.Sprintf("/staff/clients/%d", id) }

func TestAFormSentTwiceStoresOnce(t *testing.T) {
	a := startApp(t)
	const email, pw = "owner@calmhands.example", "a long enough passphrase"
	clinic := clinicWithOwner(t, a, email, pw)
	sam := addClient(t, a, clinic, "Sam Rivers")
	therapist := signIn(t, a, email, pw)

	// The session form: sent, then the page reloaded, Back and Forward.
	therapist.visit(clientPath(sam.ID))
	therapist.do(
		chromedp.SetValue(chromedp.CSS("#s-style"), "deep_tissue"),
		chromedp.SetValue(chromedp.CSS("#s-pressure"), "firm"),
		chromedp.SetValue(chromedp.CSS("#pressure_calves"), "deep"),
	)
	therapist.submit(".session-form button[type=submit]")
	if !strings.HasPrefix(therapist.location(), "/staff/sessions/") {
		t.Fatalf("the session form leads to %s", therapist.location())
	}
	link := eval[string](therapist, `document.getElementById("check-in-url").value`)
	therapist.do(chromedp.Reload())
	therapist.history(-1)
	therapist.history(1)
	if s, _, _ := counts(t, a, clinic.ID); s != 1 {
		t.Errorf("a session form sent once, reloaded, and gone Back and Forward over stored %d sessions", s)
	}
	if again := eval[string](therapist, `(document.getElementById("check-in-url") || {}).value || ""`); again != link {
		t.Errorf("the reloaded page shows the link %q, first %q", again, link)
	}
	therapist.inspect("the recorded session, reloaded")
	therapist.shoot("session-recorded", phoneWidth)

	// A double tap on the session form stores one session.
	therapist.visit(clientPath(sam.ID))
	therapist.do(chromedp.SetValue(chromedp.CSS("#pressure_neck"), "medium"))
	if st := eval[[]int](therapist, fmt.Sprintf(postTwice, ".session-form")); len(st) != 2 || st[0] != 303 || st[1] != 303 {
		t.Errorf("the two posts of one session form: %v", st)
	}
	if s, _, _ := counts(t, a, clinic.ID); s != 2 {
		t.Errorf("a session form sent twice at once stored %d sessions, want 1 more", s-1)
	}

	// The client's check-in: sent, then reloaded, Back and Forward, on a phone.
	client := a.open(t, chromedp.WithNewBrowserContext())
	client.phone()
	client.visit(strings.TrimPrefix(link, a.URL))
	client.do(
		chromedp.Click(chromedp.CSS("#step-2 [data-next]")),
		chromedp.WaitVisible(chromedp.CSS("#step-3-title")),
		chromedp.Click(chromedp.CSS("input[name=symptoms][value=calf_swelling]")),
	)
	client.submit("#step-3 button[type=submit]")
	if level := client.attr("[data-level].answer", "data-level"); level != "urgent" && level != "emergency" {
		t.Fatalf("a swollen calf: level %q", level)
	}
	if !strings.Contains(client.location(), "?answer=") {
		t.Errorf("the check-in form leads to %s", client.location())
	}
	client.do(chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(".answer")))
	client.history(-1)
	client.history(1)
	if _, c, f := counts(t, a, clinic.ID); c != 1 || f != 1 {
		t.Errorf("a check-in sent once, reloaded, and gone Back and Forward over: %d check-ins and %d flags, want 1 and 1", c, f)
	}
	client.inspect("the client's answer, reloaded")

	// A double tap on the check-in form stores one check-in and raises one flag.
	client.visit(strings.TrimPrefix(link, a.URL))
	client.do(chromedp.SetValue(chromedp.CSS("#pain_calves"), "5"))
	eval[bool](client, `document.querySelector("input[name=symptoms][value=numbness]").checked = true`)
	if st := eval[[]int](client, fmt.Sprintf(postTwice, "form.check")); len(st) != 2 || st[0] != 303 || st[1] != 303 {
		t.Errorf("the two posts of one check-in form: %v", st)
	}
	if _, c, f := counts(t, a, clinic.ID); c != 2 || f != 2 {
		t.Errorf("a check-in form sent twice at once: %d check-ins and %d flags, want 2 and 2", c, f)
	}
}

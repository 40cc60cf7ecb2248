package e2e_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The home page may be kept by the browser's back/forward cache: it is not
// sent no-store and registers no unload handler, so Back from another page
// shows it again at once, as it was left.
func TestHomePageComesBackFromTheBackForwardCache(t *testing.T) {
	a := startApp(t)
	t.Run("the home page is not sent no-store, and the staff pages are", func(t *testing.T) {
		for _, tt := range []struct {
			path    string
			noStore bool
		}{{"/", false}, {"/guide", false}, {"/login", true}, {"/staff", true}} {
			resp, err := http.Get(a.URL + tt.path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			cc := resp.Header.Get("Cache-Control")
			if got := strings.Contains(cc, "no-store"); got != tt.noStore {
				t.Errorf("%s: Cache-Control %q, want no-store %v", tt.path, cc, tt.noStore)
			}
		}
	})

	tb := a.open(t, chromedp.WithNewBrowserContext())
	tb.visit("/")
	// Marks the page left behind, and notes a pageshow from the cache.
	tb.do(chromedp.Evaluate[chromedp.Void](`window.leftBehind = true;
		window.addEventListener("pageshow", e => { if (e.persisted) window.restored = true; });`))
	tb.visit("/guide")
	tb.do(chromedp.Evaluate[chromedp.Void](`history.back()`))
	type shown struct {
		Path     string   `json:"path"`
		Left     bool     `json:"left"`
		Restored bool     `json:"restored"`
		Reasons  []string `json:"reasons"`
		Type     string   `json:"type"`
	}
	var state shown
	deadline := time.Now().Add(15 * time.Second)
	for {
		state = eval[shown](tb, `(() => {
			const nav = performance.getEntriesByType("navigation")[0];
			const nr = nav && nav.notRestoredReasons;
			const reasons = [];
			const walk = r => { if (!r) return; (r.reasons || []).forEach(x => reasons.push(x.reason || String(x))); (r.children || []).forEach(walk); };
			walk(nr);
			return {path: location.pathname, left: window.leftBehind === true, restored: window.restored === true,
				reasons, type: nav ? nav.type : ""};
		})()`)
		if state.Path == "/" || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if state.Path != "/" {
		t.Fatalf("Back went to %s", state.Path)
	}
	if !state.Restored || !state.Left {
		t.Errorf("the home page was loaded again, not restored from the back/forward cache (navigation %q, reasons not restored: %v)", state.Type, state.Reasons)
	}
	t.Run("no script registers an unload handler", func(t *testing.T) {
		resp, err := http.Get(a.URL + "/static/app.js")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{`"unload"`, `"beforeunload"`, "onunload", "onbeforeunload"} {
			if strings.Contains(string(b), bad) {
				t.Errorf("app.js uses %s, which keeps pages out of the back/forward cache", bad)
			}
		}
	})
}

package e2e_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"aftercare/httpapi"
	"aftercare/sqlite"
	"aftercare/triage"
	"aftercare/web"
)

// maxPageBytes is the most a page may weigh with its style sheet and script.
const maxPageBytes = 100 << 10

// testTimeout bounds each test's browser work.
const testTimeout = 90 * time.Second

// need fails the test on CI (CI=true), where nothing may be skipped, and skips it elsewhere.
func need(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("the browser tests cannot run on CI: %s", why)
	}
	t.Skipf("the browser tests cannot run: %s", why)
}

var (
	browserOnce sync.Once
	browserCtx  context.Context
	browserErr  error
	browserStop = func() {}

	axeOnce   sync.Once
	axeSource string
	axeErr    error

	engineOnce sync.Once
	engine     *triage.Engine
	engineErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	browserStop()
	os.Exit(code)
}

// chromium starts one headless Chromium for the whole run, with a fresh profile.
func chromium(t *testing.T) context.Context {
	t.Helper()
	browserOnce.Do(func() {
		var path string
		for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
			if p, err := exec.LookPath(name); err == nil {
				path = p
				break
			}
		}
		if path == "" {
			browserErr = errors.New("Chromium is not installed (apt-get install chromium)")
			return
		}
		dir, err := os.MkdirTemp("", "aftercare-e2e-chromium-")
		if err != nil {
			browserErr = err
			return
		}
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(path),
			chromedp.Headless,
			chromedp.NoSandbox,
			chromedp.DisableGPU,
			chromedp.NoFirstRun,
			chromedp.Flag("disable-quic", true),
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
			chromedp.UserDataDir(dir),
			chromedp.WindowSize(1280, 900),
		)
		alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancel := chromedp.NewContext(alloc)
		browserStop = func() { cancel(); cancelAlloc(); os.RemoveAll(dir) }
		if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
			browserErr = fmt.Errorf("starting %s: %w", path, err)
			return
		}
		browserCtx = ctx
	})
	if browserErr != nil {
		need(t, browserErr.Error())
	}
	return browserCtx
}

// axe returns the source of axe.min.js, installing axe-core with npm ci when missing.
func axe(t *testing.T) string {
	t.Helper()
	axeOnce.Do(func() {
		dir := filepath.Join("testdata", "axe")
		file := filepath.Join(dir, "node_modules", "axe-core", "axe.min.js")
		if _, err := os.Stat(file); err != nil {
			if _, err := exec.LookPath("npm"); err != nil {
				axeErr = errors.New("npm is not installed, and axe-core is not in testdata/axe/node_modules")
				return
			}
			cmd := exec.Command("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
			cmd.Dir = dir
			if out, err := cmd.CombinedOutput(); err != nil {
				axeErr = fmt.Errorf("npm ci in %s: %v\n%s", dir, err, out)
				return
			}
		}
		b, err := os.ReadFile(file)
		if err != nil {
			axeErr = err
			return
		}
		axeSource = string(b)
	})
	if axeErr != nil {
		need(t, axeErr.Error())
	}
	return axeSource
}

func realEngine(t *testing.T) *triage.Engine {
	t.Helper()
	engineOnce.Do(func() { engine, engineErr = triage.Default() })
	if engineErr != nil {
		t.Fatal(engineErr)
	}
	return engine
}

// syncBuffer keeps the server's log for a failing test.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string { b.mu.Lock(); defer b.mu.Unlock(); return b.buf.String() }

// app is the real server, as cmd/aftercare builds it, on a free port of 127.0.0.1.
type app struct {
	URL   string
	Store *sqlite.Store
	// staticBytes is what every page loads besides itself: the style sheet, the script and the icon.
	staticBytes int
}

// startApp starts the app; each option may change the pages' Deps (their clock, say).
func startApp(t *testing.T, opts ...func(*web.Deps)) *app {
	t.Helper()
	chromium(t)
	axe(t)
	st, err := sqlite.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	eng := realEngine(t)
	logs := &syncBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	pages := web.Deps{
		Assessor:        eng,
		Store:           st,
		Knowledge:       eng.Knowledge(),
		EmergencyNumber: "999",
		Logger:          logger,
	}
	for _, o := range opts {
		o(&pages)
	}
	handler := httpapi.NewServer(httpapi.Deps{
		Assessor: eng,
		Store:    st,
		Logger:   logger,
		Web:      web.New(pages),
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 5 * time.Second,
		ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
	go srv.Serve(ln)
	t.Cleanup(func() {
		srv.Close()
		st.Close()
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	a := &app{URL: "http://" + ln.Addr().String(), Store: st}
	for _, file := range []string{"style.css", "app.js", "icon.svg"} {
		resp, err := http.Get(a.URL + "/static/" + file)
		if err != nil {
			t.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("/static/%s: status %d", file, resp.StatusCode)
		}
		a.staticBytes += int(n)
	}
	return a
}

// tab is one browser tab on the app, with what its console said.
type tab struct {
	t   *testing.T
	app *app
	ctx context.Context

	mu      sync.Mutex
	console []chromedp.ConsoleMessage
	// page and status are the document shown and the HTTP status it came with.
	page   string
	status int64
}

// open opens a tab; chromedp.WithNewBrowserContext() gives it cookies of its own.
func (a *app) open(t *testing.T, opts ...chromedp.ContextOption) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(chromium(t), opts...)
	t.Cleanup(cancel)
	ctx, cancelTimeout := context.WithTimeout(ctx, testTimeout)
	t.Cleanup(cancelTimeout)
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	tb := &tab{t: t, app: a, ctx: ctx}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException {
				tb.mu.Lock()
				tb.console = append(tb.console, m)
				tb.mu.Unlock()
			}
		}
	}()
	return tb
}

// do runs actions, failing the test on an error.
func (tb *tab) do(steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, steps...); err != nil {
		tb.t.Fatal(err)
	}
}

// visit loads a path of the app and returns the HTTP status.
func (tb *tab) visit(path string) int64 {
	tb.t.Helper()
	resp, err := chromedp.Run(tb.ctx, chromedp.NavigateResponse(tb.app.URL+path))
	if err != nil {
		tb.t.Fatalf("visiting %s: %v", path, err)
	}
	tb.mu.Lock()
	tb.page, tb.status = resp.URL, resp.Status
	tb.mu.Unlock()
	return resp.Status
}

// submit clicks a button that sends a form, waits for the page it leads to, and returns its status.
func (tb *tab) submit(sel string) *network.Response {
	tb.t.Helper()
	resp, err := chromedp.RunResponse(tb.ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		tb.t.Fatalf("submitting with %s: %v", sel, err)
	}
	tb.mu.Lock()
	tb.page, tb.status = resp.URL, resp.Status
	tb.mu.Unlock()
	return resp
}

// attr returns an attribute of the first element sel matches.
func (tb *tab) attr(sel, name string) string {
	tb.t.Helper()
	r, err := chromedp.Run(tb.ctx, chromedp.AttributeValue(chromedp.CSS(sel), name))
	if err != nil {
		tb.t.Fatalf("attribute %s of %s: %v", name, sel, err)
	}
	return r.Value
}

// text returns the visible text of the first element sel matches.
func (tb *tab) text(sel string) string {
	tb.t.Helper()
	s, err := chromedp.Run(tb.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		tb.t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// location is the path (and query) of the page shown.
func (tb *tab) location() string {
	tb.t.Helper()
	l, err := chromedp.Run(tb.ctx, chromedp.Location())
	if err != nil {
		tb.t.Fatal(err)
	}
	return strings.TrimPrefix(l, tb.app.URL)
}

// eval runs a script and decodes its result.
func eval[T any](tb *tab, script string) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](script, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("evaluating %.80s: %v", script, err)
	}
	return v
}

// violation is one serious or critical finding of axe.
type violation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// weight is what a page weighs, what else it loaded, and how its scripts load.
type weight struct {
	Page int `json:"page"`
	// Others lists the other resources the page loaded (none but the static files may be).
	Others   []string `json:"others"`
	Blocking int      `json:"blocking"`
	Inline   int      `json:"inline"`
}

const axeRun = `axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations
	.map(v => ({id: v.id, impact: v.impact, help: v.help,
		nodes: v.nodes.slice(0, 6).map(n => n.target.join(" ") + " :: " + (n.failureSummary || "").replace(/\s+/g, " "))})))`

const weigh = `(() => {
	const nav = performance.getEntriesByType("navigation")[0];
	const res = performance.getEntriesByType("resource");
	const size = e => Math.max(e.decodedBodySize || 0, e.encodedBodySize || 0, e.transferSize || 0);
	return {
		page: size(nav),
		others: res.map(e => e.name).filter(n => !n.startsWith(location.origin + "/static/")),
		blocking: [...document.scripts].filter(s => s.src && !s.defer && !s.async && s.type !== "module").length,
		inline: [...document.scripts].filter(s => !s.src).length,
	};
})()`

// inspect checks the page shown: no serious or critical axe violation, under
// maxPageBytes with its resources, no script that blocks the first render or
// is inline, and no console error since the last inspection.
func (tb *tab) inspect(what string) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, chromedp.Evaluate[chromedp.Void](axe(tb.t))); err != nil {
		tb.t.Fatalf("%s: injecting axe-core: %v", what, err)
	}
	for _, v := range eval[[]violation](tb, axeRun) {
		if v.Impact == "serious" || v.Impact == "critical" {
			tb.t.Errorf("%s: axe %s (%s): %s\n  %s", what, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n  "))
		} else {
			tb.t.Logf("%s: axe %s (%s): %s\n  %s", what, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n  "))
		}
	}
	w := eval[weight](tb, weigh)
	if total := w.Page + tb.app.staticBytes; total > maxPageBytes || w.Page == 0 {
		tb.t.Errorf("%s: weighs %d bytes with its style sheet, script and icon (the page %d); at most %d", what, total, w.Page, maxPageBytes)
	}
	if len(w.Others) > 0 {
		tb.t.Errorf("%s: loads more than its own static files: %v", what, w.Others)
	}
	if w.Blocking > 0 || w.Inline > 0 {
		tb.t.Errorf("%s: %d scripts block the first render and %d are inline", what, w.Blocking, w.Inline)
	}
	time.Sleep(50 * time.Millisecond) // let late console messages arrive
	tb.mu.Lock()
	msgs, page, status := tb.console, tb.page, tb.status
	tb.console = nil
	tb.mu.Unlock()
	for _, m := range msgs {
		if status >= 400 && m.URL == page && strings.HasPrefix(m.Text, "Failed to load resource") {
			continue // the page itself, answering with the error status it should
		}
		tb.t.Errorf("%s: console: %s (%s)", what, m, m.URL)
	}
}

// shootPrinted saves a screenshot of the page as it prints (its print style sheet), as name-print.png.
func (tb *tab) shootPrinted(name string) {
	tb.t.Helper()
	media := func(m string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: m})
			return err
		})
	}
	tb.do(media("print"))
	defer tb.do(media(""))
	tb.shoot(name+"-print", 800)
}

// screenshotDir is where screenshots go.
func screenshotDir(t *testing.T) string {
	dir := os.Getenv("AFTERCARE_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join("testdata", "screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// Widths of the screenshots.
const (
	phoneWidth   = 375
	phoneHeight  = 812
	desktopWidth = 1280
)

// shoot saves a full-page screenshot of the page shown at a width, as name-WIDTH.png,
// and leaves the viewport as it was.
func (tb *tab) shoot(name string, width int64) {
	tb.t.Helper()
	mobile := width < 600
	opts := []chromedp.EmulateViewportOption{}
	if mobile {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch)
	}
	was := eval[[]int64](tb, `[window.innerWidth, window.innerHeight]`)
	tb.do(chromedp.EmulateViewport(width, 900, opts...))
	height := eval[int64](tb, `Math.ceil(document.documentElement.scrollHeight)`)
	tb.do(chromedp.EmulateViewport(width, min(height, 8000), opts...))
	png, err := chromedp.Run(tb.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		tb.t.Fatal(err)
	}
	file := filepath.Join(screenshotDir(tb.t), fmt.Sprintf("%s-%d.png", name, width))
	if err := os.WriteFile(file, png, 0o644); err != nil {
		tb.t.Fatal(err)
	}
	back := []chromedp.EmulateViewportOption{}
	if was[0] < 600 {
		back = append(back, chromedp.EmulateMobile, chromedp.EmulateTouch)
	}
	tb.do(chromedp.EmulateViewport(was[0], was[1], back...))
}

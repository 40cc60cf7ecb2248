// Package e2e holds the browser tests of the product: the real server (the
// HTTP API with the pages mounted, over a real SQLite store) driven in
// headless Chromium through chromedp. Each page a test visits is scanned with
// axe-core for serious and critical accessibility violations, weighed (under
// 100 KB with its style sheet and script, no script that blocks the first
// render) and listened to (no console errors); screenshots at phone and
// desktop widths are saved in testdata/screenshots. Without Chromium, npm or
// node the tests are skipped, and fail when CI=true. See README.md.
package e2e

package httpapi_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/jackc/pgx/v5"
	"github.com/prometheus/client_golang/prometheus"

	"aftercare"
	"aftercare/httpapi"
	"aftercare/password"
	"aftercare/postgres"
	"aftercare/sqlite"
	"aftercare/triage"
	"aftercare/web"
)

// defaultPostgres is the server the PostgreSQL suite creates its database on.
const defaultPostgres = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// pgURL is the fresh database of this test run; empty when PostgreSQL is unreachable (pgErr says why).
var (
	pgURL string
	pgErr error
)

func TestMain(m *testing.M) {
	os.Exit(func() int {
		drop, err := freshPostgres()
		if err != nil {
			pgErr = err
		} else {
			defer drop()
		}
		return m.Run()
	}())
}

// freshPostgres creates a database of its own for this test run.
func freshPostgres() (drop func(), err error) {
	base := os.Getenv("AFTERCARE_TEST_POSTGRES")
	if base == "" {
		base = defaultPostgres
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		return nil, err
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "aftercare_httpapi_" + hex.EncodeToString(b)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		conn.Close(ctx)
		return nil, err
	}
	u, err := url.Parse(base)
	if err != nil {
		return nil, err
	}
	u.Path = "/" + name
	pgURL = u.String()
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			fmt.Fprintln(os.Stderr, "dropping the test database:", err)
		}
		conn.Close(ctx)
	}, nil
}

// stores names the stores every suite runs on.
var stores = []string{"SQLite", "PostgreSQL"}

// openStore opens a store of the given kind for one test, closed at its end.
func openStore(t testing.TB, kind string) aftercare.Store {
	t.Helper()
	ctx := context.Background()
	switch kind {
	case "SQLite":
		st, err := sqlite.Open(ctx, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	case "PostgreSQL":
		if pgURL == "" {
			if os.Getenv("CI") == "true" {
				t.Fatalf("PostgreSQL is unreachable: %v", pgErr)
			}
			t.Skipf("PostgreSQL is unreachable: %v", pgErr)
		}
		st, err := postgres.Open(ctx, pgURL)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	t.Fatalf("unknown store %q", kind)
	return nil
}

// forEachStore runs fn on a fresh harness over each store; opts change the server's Deps.
func forEachStore(t *testing.T, fn func(t *testing.T, h *harness), opts ...func(*httpapi.Deps)) {
	for _, kind := range stores {
		t.Run("on "+kind, func(t *testing.T) { fn(t, newHarness(t, kind, opts...)) })
	}
}

var (
	engineOnce sync.Once
	engine     *triage.Engine
	engineErr  error
)

// realEngine returns the built-in triage engine.
func realEngine(t testing.TB) *triage.Engine {
	engineOnce.Do(func() { engine, engineErr = triage.Default() })
	if engineErr != nil {
		t.Fatal(engineErr)
	}
	return engine
}

// clock is a settable time.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

// syncBuffer is a buffer safe for the server's goroutines.
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

// harness is a real server over the real engine and a real store, with a
// clinic and its API token, and another clinic with its own. Both tokens hold
// every scope.
type harness struct {
	t            testing.TB
	kind         string
	store        aftercare.Store
	srv          *httptest.Server
	clock        *clock
	logs         *syncBuffer
	reg          *prometheus.Registry
	clinic       *aftercare.Clinic
	token        string
	tokenID      int64
	otherClinic  *aftercare.Clinic
	other        string
	otherTokenID int64
	oas          *oasChecker
	// handler is the server's handler, for requests made in-process (TLS, fuzzing).
	handler http.Handler
	// verifies counts the password checks the server ran.
	verifies atomic.Int64
}

const baseURL = "https://aftercare.example"

// newHarness starts a server over a fresh store of kind; opts change its Deps.
func newHarness(t testing.TB, kind string, opts ...func(*httpapi.Deps)) *harness {
	t.Helper()
	st := openStore(t, kind)
	h := &harness{
		t:     t,
		kind:  kind,
		store: st,
		clock: &clock{now: time.Now().UTC().Truncate(time.Second)},
		logs:  &syncBuffer{},
		reg:   prometheus.NewRegistry(),
	}
	eng := realEngine(t)
	d := httpapi.Deps{
		Assessor: eng,
		Store:    st,
		Logger:   slog.New(slog.NewJSONHandler(h.logs, nil)),
		Metrics:  h.reg,
		Now:      h.clock.Now,
		BaseURL:  baseURL,
		Web:      web.New(web.Deps{Assessor: eng, Store: st, Now: h.clock.Now, EmergencyNumber: "999"}),
		VerifyPassword: func(pw, encoded string) (bool, error) {
			h.verifies.Add(1)
			return password.Verify(pw, encoded)
		},
	}
	for _, o := range opts {
		o(&d)
	}
	h.handler = httpapi.NewServer(d)
	h.srv = httptest.NewServer(h.handler)
	t.Cleanup(h.srv.Close)
	h.clinic, h.token, h.tokenID = h.newClinic("Clinic " + t.Name())
	h.otherClinic, h.other, h.otherTokenID = h.newClinic("Other clinic " + t.Name())
	h.oas = loadOAS(t, h.srv.URL)
	return h
}

// newClinic stores a clinic with an API token holding every scope.
func (h *harness) newClinic(name string) (*aftercare.Clinic, string, int64) {
	h.t.Helper()
	ctx := context.Background()
	c := &aftercare.Clinic{Name: name, EmergencyNumber: "999"}
	if err := h.store.CreateClinic(ctx, c); err != nil {
		h.t.Fatal(err)
	}
	secret, hash := aftercare.NewSecret("act_")
	tok := &aftercare.APIToken{ClinicID: c.ID, Name: "test", Hash: hash, Scopes: aftercare.Scopes}
	if err := h.store.CreateToken(ctx, tok); err != nil {
		h.t.Fatal(err)
	}
	return c, secret, tok.ID
}

// result is one response the test saw, already checked against the OpenAPI document.
type result struct {
	status int
	header http.Header
	body   []byte
}

// reqOpt changes a request before it is sent.
type reqOpt func(*http.Request)

func bearer(token string) reqOpt {
	return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+token) }
}

func header(k, v string) reqOpt { return func(r *http.Request) { r.Header.Set(k, v) } }

func noContentType() reqOpt { return func(r *http.Request) { r.Header.Del("Content-Type") } }

// do sends a request; body is nil, a string or []byte sent as is, or a value
// sent as JSON. Every response is validated against the served OpenAPI document.
func (h *harness) do(method, path string, body any, opts ...reqOpt) *result {
	h.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			h.t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, h.srv.URL+path, rd)
	if err != nil {
		h.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for _, o := range opts {
		o(req)
	}
	resp, err := h.client().Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	r := &result{status: resp.StatusCode, header: resp.Header, body: data}
	h.oas.check(h.t, req, r)
	return r
}

// client is the test server's client, which does not follow redirects: the
// tests look at each answer, 303s included.
func (h *harness) client() *http.Client {
	c := *h.srv.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &c
}

// api sends a request with the clinic's token.
func (h *harness) api(method, path string, body any, opts ...reqOpt) *result {
	h.t.Helper()
	return h.do(method, path, body, append([]reqOpt{bearer(h.token)}, opts...)...)
}

// want fails the test unless the response has this status.
func (r *result) want(t testing.TB, status int) *result {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body: %s", r.status, status, r.body)
	}
	return r
}

// wantError fails the test unless the response is an error with this status, code and field.
func (r *result) wantError(t testing.TB, status int, code, field string) errorDetail {
	t.Helper()
	r.want(t, status)
	var e struct {
		Error errorDetail `json:"error"`
	}
	if err := json.Unmarshal(r.body, &e); err != nil {
		t.Fatalf("error body %s: %v", r.body, err)
	}
	if e.Error.Code != code || e.Error.Field != field {
		t.Fatalf("error %+v, want code %q field %q", e.Error, code, field)
	}
	if e.Error.Message == "" {
		t.Fatalf("error %+v has no message", e.Error)
	}
	return e.Error
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field"`
}

// decode reads a JSON body into a T.
func decode[T any](t testing.TB, r *result) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("body %s: %v", r.body, err)
	}
	return v
}

// oasChecker validates responses against the served OpenAPI 3.1 document.
type oasChecker struct {
	doc    *openapi3.T
	router routers.Router
	errs   *openapi3.Schema
}

var (
	oasOnce sync.Once
	oasDoc  *oasChecker
	oasErr  error
)

func init() {
	// Pages and style sheets are checked as plain strings.
	openapi3filter.RegisterBodyDecoder("text/html", openapi3filter.PlainBodyDecoder)
	openapi3filter.RegisterBodyDecoder("text/css", openapi3filter.PlainBodyDecoder)
}

// loadOAS loads the document the server serves at /api/v1/openapi.json.
func loadOAS(t testing.TB, base string) *oasChecker {
	t.Helper()
	oasOnce.Do(func() {
		resp, err := http.Get(base + "/api/v1/openapi.json")
		if err != nil {
			oasErr = err
			return
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		loader := openapi3.NewLoader()
		doc, err := loader.LoadFromData(data)
		if err != nil {
			oasErr = fmt.Errorf("loading the served document: %w", err)
			return
		}
		if !doc.IsOpenAPI31OrLater() {
			oasErr = fmt.Errorf("the served document is OpenAPI %s, not 3.1", doc.OpenAPI)
			return
		}
		if err := doc.Validate(loader.Context); err != nil {
			oasErr = fmt.Errorf("the served document is not valid: %w", err)
			return
		}
		router, err := legacy.NewRouter(doc)
		if err != nil {
			oasErr = err
			return
		}
		oasDoc = &oasChecker{doc: doc, router: router, errs: doc.Components.Schemas["Error"].Value}
	})
	if oasErr != nil {
		t.Fatal(oasErr)
	}
	return oasDoc
}

// check validates one response: against its operation when the document has
// the route, else (an unknown path or a wrong method) against the Error schema.
func (o *oasChecker) check(t testing.TB, req *http.Request, r *result) {
	t.Helper()
	if err := o.validate(req, r); err != nil {
		t.Errorf("%s %s: the %d response does not match the OpenAPI document: %v\nbody: %.2000s", req.Method, req.URL.Path, r.status, err, r.body)
	}
}

func (o *oasChecker) validate(req *http.Request, r *result) error {
	route, params, err := o.router.FindRoute(req)
	for _, v := range params {
		if v == "" {
			// The legacy router matches /clients against /clients/{id} with an
			// empty id; the server does not.
			route, err = nil, fmt.Errorf("no route")
		}
	}
	if err != nil {
		if r.status != http.StatusNotFound && r.status != http.StatusMethodNotAllowed {
			return fmt.Errorf("no operation in the document, yet status %d", r.status)
		}
		var v any
		if err := json.Unmarshal(r.body, &v); err != nil {
			return fmt.Errorf("the body is not JSON: %w", err)
		}
		return o.errs.VisitJSON(v, openapi3.EnableJSONSchema2020())
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request:    req,
			PathParams: params,
			Route:      route,
		},
		Status:  r.status,
		Header:  r.header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	in.SetBodyBytes(r.body)
	return openapi3filter.ValidateResponse(context.Background(), in)
}

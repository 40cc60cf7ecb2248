package faults

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"
)

// bin is the aftercare binary under test, built by TestMain.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "aftercare-faults-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bin = filepath.Join(dir, "aftercare")
	if prebuilt := os.Getenv("AFTERCARE_FAULTS_BIN"); prebuilt != "" {
		// A binary built elsewhere (a release, say) is tested as it is.
		bin = prebuilt
		code := m.Run()
		dropDatabases()
		os.RemoveAll(dir)
		os.Exit(code)
	}
	// Built without the race detector even under go test -race: a raced
	// server starts and runs several times slower, which the crash rounds
	// and the soak cannot afford; scripts/test's own build reuses the cache.
	args := []string{"build", "-o", bin}
	goTool := "go"
	if root := os.Getenv("GOROOT"); root != "" {
		goTool = filepath.Join(root, "bin", "go")
	}
	cmd := exec.Command(goTool, append(args, "aftercare/cmd/aftercare")...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		fmt.Fprintf(os.Stderr, "faults: building aftercare: %v\n", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	dropDatabases()
	os.RemoveAll(dir)
	os.Exit(code)
}

// soakLength returns how long the soak runs and whether the run is a long one:
// 30 s by default (CI), or AFTERCARE_SOAK (such as 10m) by hand.
func soakLength() (time.Duration, bool) {
	if v := os.Getenv("AFTERCARE_SOAK"); v != "" {
		d, err := time.ParseDuration(v)
		if err == nil && d > 0 {
			return d, true
		}
	}
	return 30 * time.Second, false
}

// figures logs a line of results, prints it for go test -v, and appends it
// to $AFTERCARE_FAULTS_REPORT when set, for scripts/test to show.
func figures(t *testing.T, format string, args ...any) {
	t.Helper()
	line := fmt.Sprintf("%s: %s", t.Name(), fmt.Sprintf(format, args...))
	t.Log(line)
	fmt.Println("faults: " + line)
	if path := os.Getenv("AFTERCARE_FAULTS_REPORT"); path != "" {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err != nil {
			t.Errorf("figures: %v", err)
			return
		}
		defer f.Close()
		fmt.Fprintln(f, line)
	}
}

// cleanEnv is the environment of a child process: this one's, less any
// AFTERCARE_ setting of the developer's own.
func cleanEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AFTERCARE_") {
			env = append(env, kv)
		}
	}
	return append(env, extra...)
}

// lockedBuffer keeps the last output of a process for the test's messages.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.buf.Len() > 1<<20 {
		tail := b.buf.Bytes()[b.buf.Len()-(256<<10):]
		b.buf = *bytes.NewBuffer(append([]byte(nil), tail...))
	}
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// tail returns the last n bytes of s.
func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

var servingLine = regexp.MustCompile(`aftercare: serving on http://(\S+)`)

// server is aftercare serve running as a process of its own.
type server struct {
	cmd    *exec.Cmd
	base   string
	stderr *lockedBuffer
	exited chan struct{}
	err    error
}

// startServe starts aftercare serve on a free loopback port with the given
// flags and waits until it listens; the test's end kills it.
func startServe(t *testing.T, args ...string) *server {
	t.Helper()
	s, err := tryServe(args...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.kill() })
	return s
}

func tryServe(args ...string) (*server, error) {
	s := &server{stderr: &lockedBuffer{}, exited: make(chan struct{})}
	full := append([]string{"serve", "--addr", "127.0.0.1:0", "--log-level", "warn"}, args...)
	s.cmd = exec.Command(bin, full...)
	s.cmd.Env = cleanEnv()
	pr, pw := io.Pipe()
	s.cmd.Stderr = pw
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start serve: %v", err)
	}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			s.stderr.Write([]byte(line + "\n"))
			if m := servingLine.FindStringSubmatch(line); m != nil {
				select {
				case found <- m[1]:
				default:
				}
			}
		}
		io.Copy(io.Discard, pr)
	}()
	go func() {
		s.err = s.cmd.Wait()
		pw.Close()
		close(s.exited)
	}()
	select {
	case addr := <-found:
		s.base = "http://" + addr
		return s, nil
	case <-s.exited:
		return nil, fmt.Errorf("serve exited before listening (%v):\n%s", s.err, tail(s.stderr.String(), 4000))
	case <-time.After(60 * time.Second):
		s.kill()
		return nil, fmt.Errorf("serve did not listen within a minute:\n%s", tail(s.stderr.String(), 4000))
	}
}

// kill ends the server with SIGKILL, as a crash or an OOM kill does.
func (s *server) kill() {
	select {
	case <-s.exited:
		return
	default:
	}
	_ = s.cmd.Process.Signal(syscall.SIGKILL)
	<-s.exited
}

// stop ends the server with SIGTERM and waits for its graceful end.
func (s *server) stop(t *testing.T) {
	t.Helper()
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
		if s.err != nil {
			t.Errorf("serve ended with %v after SIGTERM:\n%s", s.err, tail(s.stderr.String(), 4000))
		}
	case <-time.After(45 * time.Second):
		s.kill()
		t.Errorf("serve did not stop within 45 s of SIGTERM")
	}
}

// cli runs an aftercare command to its end and returns its standard output
// and exit code.
func cli(t *testing.T, stdin string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = cleanEnv()
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("aftercare %s: %v", strings.Join(args, " "), err)
	}
	if code != 0 {
		t.Logf("aftercare %s exited %d:\n%s%s", strings.Join(args, " "), code, stdout.String(), stderr.String())
	}
	return stdout.String(), code
}

// mustCLI runs an aftercare command that must succeed.
func mustCLI(t *testing.T, args ...string) string {
	t.Helper()
	out, code := cli(t, "", args...)
	if code != 0 {
		t.Fatalf("aftercare %s exited %d", strings.Join(args, " "), code)
	}
	return out
}

// field reads "name: value" from a command's output.
func field(t *testing.T, out, name string) string {
	t.Helper()
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + `: (\S+)$`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no %q in:\n%s", name, out)
	}
	return m[1]
}

// store is where a test's server keeps its data.
type store struct {
	kind string
	// flags are --data DIR or --database URL.
	flags []string
	dir   string
	url   string
}

var storeKinds = []string{"SQLite", "PostgreSQL"}

// newStore makes an empty store of the given kind for one test.
func newStore(t *testing.T, kind string) *store {
	t.Helper()
	if kind == "PostgreSQL" {
		u := freshDatabase(t, sharedPostgres())
		return &store{kind: kind, flags: []string{"--database", u}, url: u}
	}
	dir := t.TempDir()
	return &store{kind: kind, flags: []string{"--data", dir}, dir: dir}
}

// open returns a database/sql handle on the store's database for reading it back.
func (st *store) open(t *testing.T) *sql.DB {
	t.Helper()
	var db *sql.DB
	var err error
	if st.url != "" {
		db, err = sql.Open("pgx", st.url)
	} else {
		db, err = sql.Open("sqlite", "file:"+filepath.Join(st.dir, "aftercare.db")+"?mode=ro&_busy_timeout=10000")
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// jobArgsSQL reads River's job arguments as JSON text.
func (st *store) jobArgsSQL() string {
	if st.url != "" {
		return `SELECT kind, args::text, state::text FROM river_job`
	}
	return `SELECT kind, json(args), state FROM river_job`
}

// sharedPostgres is the PostgreSQL server the tests make their databases on.
func sharedPostgres() string {
	for _, k := range []string{"AFTERCARE_TEST_POSTGRES", "AFTERCARE_TEST_DATABASE_URL"} {
		if v := os.Getenv(k); v != "" {
			return v
		}
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

var (
	dbMu   sync.Mutex
	toDrop = map[string]string{} // database name → admin URL
)

// freshDatabase creates a database with a unique name on the server at
// admin, and returns its URL; it is dropped when the tests end. Without the
// server the test is skipped, or fails when CI is "true".
func freshDatabase(t *testing.T, admin string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL is unreachable at %s: %v", admin, err)
		}
		t.Skipf("PostgreSQL is unreachable at %s (CI=true makes this fail): %v", admin, err)
	}
	defer conn.Close(context.Background())
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "aftercare_faults_" + hex.EncodeToString(b)
	for attempt := 0; ; attempt++ {
		_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
		if err == nil || attempt == 20 || !strings.Contains(err.Error(), "being accessed by other users") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("create database: %v", err)
	}
	dbMu.Lock()
	toDrop[name] = admin
	dbMu.Unlock()
	u, _ := url.Parse(admin)
	u.Path = "/" + name
	return u.String()
}

// dropDatabases drops every database the tests made.
func dropDatabases() {
	dbMu.Lock()
	defer dbMu.Unlock()
	for name, admin := range toDrop {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		if conn, err := pgx.Connect(ctx, admin); err == nil {
			_, _ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
			conn.Close(ctx)
		}
		cancel()
	}
}

// clinic is a clinic set up through aftercare admin, with an API token.
type clinic struct {
	id    int64
	token string
}

// setupClinic creates a clinic (with any extra create-clinic flags) and a token.
func setupClinic(t *testing.T, st *store, extra ...string) clinic {
	t.Helper()
	out := mustCLI(t, append(append([]string{"admin", "create-clinic", "--name", "Fault Clinic"}, st.flags...), extra...)...)
	id, err := strconv.ParseInt(field(t, out, "clinic_id"), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	out = mustCLI(t, append([]string{"admin", "create-token", "--clinic", strconv.FormatInt(id, 10), "--name", "faults"}, st.flags...)...)
	return clinic{id: id, token: field(t, out, "token")}
}

// api is a client of one server's clinic API.
type api struct {
	base   string
	token  string
	client *http.Client
}

func newAPI(base, token string) *api {
	return &api{base: base, token: token, client: &http.Client{
		Timeout:   15 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: 32, DialContext: (&net.Dialer{Timeout: 2 * time.Second}).DialContext},
	}}
}

// response is what one request got back.
type response struct {
	status int
	header http.Header
	body   []byte
}

// do sends one request; body is JSON (or nil), headers are name, value pairs.
func (a *api) do(ctx context.Context, method, path string, body any, headers ...string) (*response, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, a.base+path, rd)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if a.token != "" {
		req.Header.Set("Authorization", "Bearer "+a.token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := a.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	return &response{status: resp.StatusCode, header: resp.Header, body: data}, nil
}

// must sends a request that must get the wanted status, and decodes its body into v.
func (a *api) must(t *testing.T, method, path string, body any, want int, v any) {
	t.Helper()
	resp, err := a.do(context.Background(), method, path, body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	if resp.status != want {
		t.Fatalf("%s %s: status %d, want %d: %s", method, path, resp.status, want, resp.body)
	}
	if v != nil {
		if err := json.Unmarshal(resp.body, v); err != nil {
			t.Fatalf("%s %s: %v in %s", method, path, err, resp.body)
		}
	}
}

// idOf is the id of a created record in a response body.
type idOf struct {
	ID int64 `json:"id"`
}

// createSession creates a client and a session that ended ago, and returns the session's id.
func (a *api) createSession(t *testing.T, ago time.Duration, email string) int64 {
	t.Helper()
	var c idOf
	body := map[string]any{"name": "Sam Client"}
	if email != "" {
		body["email"] = email
	}
	a.must(t, "POST", "/api/v1/clients", body, http.StatusCreated, &c)
	var s idOf
	a.must(t, "POST", "/api/v1/sessions", sessionBody(c.ID, ago), http.StatusCreated, &s)
	return s.ID
}

func sessionBody(clientID int64, ago time.Duration) map[string]any {
	return map[string]any{
		"client_id": clientID, "style": "deep_tissue", "pressure": "firm",
		"areas_worked": []string{"neck", "lower_back"},
		"ended_at":     time.Now().Add(-ago).UTC().Format(time.RFC3339),
	}
}

// checkInBodies are the check-ins the load sends, from plain soreness to an
// emergency; the second and third are flagged for the clinic.
var checkInBodies = []map[string]any{
	{"soreness": []map[string]any{{"area": "lower_back", "pain": 3}}, "text": "a bit stiff, no numbness"},
	{"soreness": []map[string]any{{"area": "neck", "pain": 5}}, "symptoms": []string{"numbness"}},
	{"symptoms": []string{"chest_pain", "shortness_of_breath"}},
	{"soreness": []map[string]any{{"area": "shoulders", "pain": 2}}},
}

// newKey returns a fresh Idempotency-Key.
func newKey() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return "k-" + hex.EncodeToString(b)
}

// eventually polls cond until it holds or the time is up.
func eventually(t *testing.T, within time.Duration, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(within)
	var why string
	for {
		var ok bool
		if ok, why = cond(); ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("not within %v: %s", within, why)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// freePort returns a loopback port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

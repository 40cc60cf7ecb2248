package httpapi_test

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"aftercare/httpapi"
)

// countingListener counts the writes made on the connections it accepts.
type countingListener struct {
	net.Listener
	writes atomic.Int64
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &countingConn{Conn: c, writes: &l.writes}, nil
}

type countingConn struct {
	net.Conn
	writes *atomic.Int64
}

func (c *countingConn) Write(p []byte) (int, error) {
	c.writes.Add(1)
	return c.Conn.Write(p)
}

// servedAt serves h on a loopback listener whose writes are counted, through
// httpapi.Listener when held is true, as serve does, and as net/http alone
// otherwise.
func servedAt(t *testing.T, h http.Handler, held bool) (addr string, writes *atomic.Int64) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cl := &countingListener{Listener: ln}
	srv := &http.Server{Handler: h}
	var served net.Listener = cl
	if held {
		served = httpapi.Listener(cl)
		srv.ConnContext = httpapi.ConnContext
	}
	var wg sync.WaitGroup
	wg.Go(func() { _ = srv.Serve(served) })
	t.Cleanup(func() { srv.Close(); wg.Wait() })
	return ln.Addr().String(), &cl.writes
}

// exchange sends raw HTTP/1.1 requests on one connection and returns the
// answers, read with their Content-Length.
func exchange(t *testing.T, addr string, reqs ...string) []*http.Response {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	br := bufio.NewReader(c)
	var out []*http.Response
	for _, req := range reqs {
		if _, err := io.WriteString(c, req); err != nil {
			t.Fatal(err)
		}
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body = io.NopCloser(bytes.NewReader(body))
		out = append(out, resp)
	}
	return out
}

func post(body string) string {
	return "POST /api/v1/assessments HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
		"Content-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + body
}

func bodyOf(t *testing.T, r *http.Response) []byte {
	t.Helper()
	b, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestLargeAnswersLeaveInOneWrite(t *testing.T) {
	h := newHarness(t, "SQLite").handler
	assessment := post(`{"style":"deep_tissue","areas_worked":["shoulders"],"hours_since":18,"soreness":[{"area":"shoulders","pain":3}]}`)
	bad := post(`{"style":"shiatsu"}`)

	t.Run("an assessment, larger than net/http's 4 KiB buffer, leaves net/http alone in two writes", func(t *testing.T) {
		addr, writes := servedAt(t, h, false)
		resp := exchange(t, addr, assessment)[0]
		if n := len(bodyOf(t, resp)); resp.StatusCode != 200 || n < 4096 {
			t.Fatalf("status %d, %d bytes: want a 200 answer over 4 KiB", resp.StatusCode, n)
		}
		if got := writes.Load(); got != 2 {
			t.Fatalf("net/http alone wrote the answer in %d writes, want 2 (this test's premise)", got)
		}
	})

	t.Run("through the held listener it leaves in one write, byte for byte the same", func(t *testing.T) {
		plainAddr, _ := servedAt(t, h, false)
		addr, writes := servedAt(t, h, true)
		want := exchange(t, plainAddr, assessment)[0]
		got := exchange(t, addr, assessment)[0]
		if n := writes.Load(); n != 1 {
			t.Fatalf("%d writes, want 1", n)
		}
		if g, w := bodyOf(t, got), bodyOf(t, want); !bytes.Equal(g, w) {
			t.Fatalf("bodies differ:\n%s\n%s", g, w)
		}
		for _, k := range []string{"Content-Type", "Content-Length", "Cache-Control", "X-Content-Type-Options"} {
			if got.Header.Get(k) != want.Header.Get(k) {
				t.Errorf("%s: %q, net/http alone %q", k, got.Header.Get(k), want.Header.Get(k))
			}
		}
	})

	t.Run("a kept-alive connection answers request after request, one write each", func(t *testing.T) {
		addr, writes := servedAt(t, h, true)
		reqs := []string{assessment, bad, assessment, assessment, bad, assessment}
		resps := exchange(t, addr, reqs...)
		for i, r := range resps {
			want := 200
			if reqs[i] == bad {
				want = 400
			}
			if r.StatusCode != want {
				t.Fatalf("answer %d: status %d, want %d", i, r.StatusCode, want)
			}
			if want == 400 && !strings.Contains(string(bodyOf(t, r)), `"field":"style"`) {
				t.Fatalf("answer %d is not the error naming style", i)
			}
		}
		if n := writes.Load(); n != int64(len(reqs)) {
			t.Fatalf("%d writes for %d answers, want one each", n, len(reqs))
		}
	})

	t.Run("a page that is not JSON is written as net/http writes it", func(t *testing.T) {
		addr, _ := servedAt(t, h, true)
		resp := exchange(t, addr, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")[0]
		if resp.StatusCode != 200 || !strings.Contains(string(bodyOf(t, resp)), "</html>") {
			t.Fatalf("home page: status %d", resp.StatusCode)
		}
	})
}

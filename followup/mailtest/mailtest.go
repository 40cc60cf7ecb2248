// Package mailtest starts a real SMTP server for tests (mailpit) and reads
// back what it received. Tests only.
package mailtest

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Server is a real SMTP server for tests (mailpit), read back through its HTTP API.
type Server struct {
	SMTPHost string
	SMTPPort int
	api      string
}

// mailpitBinary finds mailpit: $MAILPIT, then <module root>/.tools/bin/mailpit,
// then PATH. Install it with
//
//	cd /tmp && GOBIN=<module root>/.tools/bin go install github.com/axllent/mailpit@v1.33.1
func mailpitBinary(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("MAILPIT"); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("MAILPIT=%s: %v", p, err)
		}
		return p
	}
	if root, err := moduleRoot(); err == nil {
		p := filepath.Join(root, ".tools", "bin", "mailpit")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("mailpit"); err == nil {
		return p
	}
	msg := "mailpit not found (set MAILPIT, or install it: cd /tmp && GOBIN=<module root>/.tools/bin " +
		"go install github.com/axllent/mailpit@v1.33.1)"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg + "; skipping the tests that need a real SMTP server")
	return ""
}

func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}

// Start starts a mailpit of the test's own on free loopback ports, with
// any extra flags, and stops it when the test ends.
func Start(t testing.TB, flags ...string) *Server {
	t.Helper()
	bin := mailpitBinary(t)
	var lastErr error
	for try := 0; try < 3; try++ { // a free port can be taken between finding and binding it
		smtpPort, httpPort := freePort(t), freePort(t)
		dir := t.TempDir()
		logFile := filepath.Join(dir, "mailpit.log")
		cmd := exec.Command(bin,
			"--smtp", fmt.Sprintf("127.0.0.1:%d", smtpPort),
			"--listen", fmt.Sprintf("127.0.0.1:%d", httpPort),
			"--database", filepath.Join(dir, "mailpit.db"),
			"--smtp-disable-rdns",
			"--disable-version-check",
			"--log-file", logFile,
		)
		cmd.Args = append(cmd.Args, flags...)
		// Settings of a developer's own mailpit (MP_* variables) must not leak in.
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, "MP_") {
				cmd.Env = append(cmd.Env, kv)
			}
		}
		if err := cmd.Start(); err != nil {
			t.Fatalf("start mailpit: %v", err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		mp := &Server{SMTPHost: "127.0.0.1", SMTPPort: smtpPort, api: fmt.Sprintf("http://127.0.0.1:%d", httpPort)}
		if err := mp.waitReady(exited); err != nil {
			_ = cmd.Process.Kill()
			<-exited
			log, _ := os.ReadFile(logFile)
			lastErr = fmt.Errorf("%v; log:\n%s", err, log)
			continue
		}
		t.Cleanup(func() {
			_ = cmd.Process.Kill()
			<-exited
		})
		return mp
	}
	t.Fatalf("mailpit did not start: %v", lastErr)
	return nil
}

func (m *Server) waitReady(exited <-chan error) error {
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			return fmt.Errorf("mailpit exited: %v", err)
		default:
		}
		resp, err := http.Get(m.api + "/api/v1/messages")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				if c, err := net.DialTimeout("tcp", net.JoinHostPort(m.SMTPHost, strconv.Itoa(m.SMTPPort)), time.Second); err == nil {
					c.Close()
					return nil
				}
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("mailpit API at %s did not answer in time", m.api)
}

func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// Message is one received message as mailpit's API shows it.
type Message struct {
	ID      string    `json:"ID"`
	From    Address   `json:"From"`
	To      []Address `json:"To"`
	Subject string    `json:"Subject"`
	Text    string    `json:"Text"`
	HTML    string    `json:"HTML"`
}

// Address is a sender or recipient of a message.
type Address struct {
	Name    string `json:"Name"`
	Address string `json:"Address"`
}

// MessagesTo returns every message received for the address, with its text.
func (m *Server) MessagesTo(t testing.TB, addr string) []Message {
	t.Helper()
	var list struct {
		Messages []Message `json:"messages"`
	}
	m.getJSON(t, "/api/v1/messages?limit=500", &list)
	var out []Message
	for _, msg := range list.Messages {
		for _, to := range msg.To {
			if strings.EqualFold(to.Address, addr) {
				var full Message
				m.getJSON(t, "/api/v1/message/"+msg.ID, &full)
				out = append(out, full)
				break
			}
		}
	}
	return out
}

// WaitForMail waits until n messages for addr arrived, and returns them.
func (m *Server) WaitForMail(t testing.TB, addr string, n int) []Message {
	t.Helper()
	var got []Message
	Eventually(t, 20*time.Second, func() (bool, string) {
		got = m.MessagesTo(t, addr)
		return len(got) >= n, fmt.Sprintf("%d messages to %s, want %d", len(got), addr, n)
	})
	return got
}

func (m *Server) getJSON(t testing.TB, path string, v any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, m.api+path, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("mailpit GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("mailpit GET %s: %s", path, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("mailpit GET %s: %v", path, err)
	}
}

// Eventually polls cond until it holds, failing the test with cond's last
// message at the deadline.
func Eventually(t testing.TB, timeout time.Duration, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ok, msg := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("gave up after %s: %s", timeout, msg)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

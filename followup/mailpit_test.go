package followup_test

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

// mailpit is a real SMTP server for tests, read back through its HTTP API.
type mailpit struct {
	SMTPHost string
	SMTPPort int
	api      string
}

// mailpitBinary finds mailpit: $MAILPIT, then <module root>/.tools/bin/mailpit,
// then PATH. Install it with
//
//	cd /tmp && GOBIN=<module root>/.tools/bin go install github.com/axllent/mailpit@v1.33.1
func mailpitBinary(t *testing.T) string {
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

// startMailpit starts a mailpit of the test's own on free loopback ports, with
// any extra flags, and stops it when the test ends.
func startMailpit(t *testing.T, flags ...string) *mailpit {
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
		mp := &mailpit{SMTPHost: "127.0.0.1", SMTPPort: smtpPort, api: fmt.Sprintf("http://127.0.0.1:%d", httpPort)}
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

func (m *mailpit) waitReady(exited <-chan error) error {
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

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// mailMessage is one received message as mailpit's API shows it.
type mailMessage struct {
	ID      string        `json:"ID"`
	From    mailAddress   `json:"From"`
	To      []mailAddress `json:"To"`
	Subject string        `json:"Subject"`
	Text    string        `json:"Text"`
	HTML    string        `json:"HTML"`
}

type mailAddress struct {
	Name    string `json:"Name"`
	Address string `json:"Address"`
}

// messagesTo returns every message received for the address, with its text.
func (m *mailpit) messagesTo(t *testing.T, addr string) []mailMessage {
	t.Helper()
	var list struct {
		Messages []mailMessage `json:"messages"`
	}
	m.getJSON(t, "/api/v1/messages?limit=500", &list)
	var out []mailMessage
	for _, msg := range list.Messages {
		for _, to := range msg.To {
			if strings.EqualFold(to.Address, addr) {
				var full mailMessage
				m.getJSON(t, "/api/v1/message/"+msg.ID, &full)
				out = append(out, full)
				break
			}
		}
	}
	return out
}

// waitForMail waits until n messages for addr arrived, and returns them.
func (m *mailpit) waitForMail(t *testing.T, addr string, n int) []mailMessage {
	t.Helper()
	var got []mailMessage
	eventually(t, 20*time.Second, func() (bool, string) {
		got = m.messagesTo(t, addr)
		return len(got) >= n, fmt.Sprintf("%d messages to %s, want %d", len(got), addr, n)
	})
	return got
}

func (m *mailpit) getJSON(t *testing.T, path string, v any) {
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

// eventually polls cond until it holds, failing the test with cond's last
// message at the deadline.
func eventually(t *testing.T, timeout time.Duration, cond func() (bool, string)) {
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

package main

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"aftercare"
	"aftercare/httpapi"
)

var servingLine = regexp.MustCompile(`aftercare: serving on https?://(\S+)\n`)

// server is aftercare serve running in-process.
type server struct {
	addr   string
	stderr *syncBuffer
	cancel context.CancelFunc
	done   chan error
}

// startServe runs aftercare serve on a free port and waits until it listens.
func startServe(t *testing.T, env map[string]string, args ...string) *server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &server{stderr: &syncBuffer{}, cancel: cancel, done: make(chan error, 1)}
	getenv := func(k string) string { return env[k] }
	go func() {
		s.done <- run(ctx, append([]string{"aftercare", "serve"}, args...), getenv, strings.NewReader(""), io.Discard, s.stderr)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-s.done:
		case <-time.After(30 * time.Second):
			t.Error("serve did not stop")
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if m := servingLine.FindStringSubmatch(s.stderr.String()); m != nil {
			s.addr = m[1]
			return s
		}
		select {
		case err := <-s.done:
			t.Fatalf("serve ended before listening: %v\n%s", err, s.stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("serve did not listen in time:\n%s", s.stderr.String())
	return nil
}

// stop cancels serve's context, as SIGTERM does, and returns what run returned.
func (s *server) stop(t *testing.T) error {
	t.Helper()
	s.cancel()
	select {
	case err := <-s.done:
		s.done <- err
		return err
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
	return nil
}

const assessBody = `{"style":"deep_tissue","hours_since":30,"soreness":[{"area":"lower_back","pain":4}]}`

func TestServe(t *testing.T) {
	for _, kind := range storeKinds {
		t.Run("on "+kind, func(t *testing.T) {
			s := startServe(t, nil, append([]string{"--addr", "127.0.0.1:0"}, storeArgs(t, kind)...)...)
			base := "http://" + s.addr
			t.Run("healthz answers", func(t *testing.T) {
				resp, err := http.Get(base + "/healthz")
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != 200 {
					t.Errorf("status %d", resp.StatusCode)
				}
			})
			t.Run("readyz answers", func(t *testing.T) {
				resp, err := http.Get(base + "/readyz")
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != 200 {
					t.Errorf("status %d", resp.StatusCode)
				}
			})
			t.Run("an assessment is answered", func(t *testing.T) {
				resp, err := http.Post(base+"/api/v1/assessments", "application/json", strings.NewReader(assessBody))
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				var got aftercare.Response
				if err := json.NewDecoder(resp.Body).Decode(&got); err != nil || resp.StatusCode != 200 || got.Level != aftercare.SelfCare {
					t.Errorf("status %d, level %v, %v", resp.StatusCode, got.Level, err)
				}
			})
			t.Run("the home page is served", func(t *testing.T) {
				resp, err := http.Get(base + "/")
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 || !strings.Contains(string(body), "Sore after a massage?") {
					t.Errorf("status %d", resp.StatusCode)
				}
			})
			t.Run("a request in flight completes after the shutdown begins", func(t *testing.T) {
				conn, err := net.Dial("tcp", s.addr)
				if err != nil {
					t.Fatal(err)
				}
				defer conn.Close()
				half := len(assessBody) / 2
				fmt.Fprintf(conn, "POST /api/v1/assessments HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", s.addr, len(assessBody), assessBody[:half])
				time.Sleep(200 * time.Millisecond) // the server is now reading the body
				s.cancel()
				select {
				case err := <-s.done:
					s.done <- err
					t.Fatalf("serve stopped with a request in flight: %v", err)
				case <-time.After(300 * time.Millisecond):
				}
				if _, err := io.WriteString(conn, assessBody[half:]); err != nil {
					t.Fatal(err)
				}
				resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				var got aftercare.Response
				if err := json.NewDecoder(resp.Body).Decode(&got); err != nil || resp.StatusCode != 200 || got.Level == aftercare.LevelNone {
					t.Errorf("status %d, level %v, %v", resp.StatusCode, got.Level, err)
				}
			})
			t.Run("serve stops cleanly and refuses new connections", func(t *testing.T) {
				if err := s.stop(t); err != nil {
					t.Fatalf("serve returned %v\n%s", err, s.stderr.String())
				}
				if c, err := net.DialTimeout("tcp", s.addr, time.Second); err == nil {
					c.Close()
					t.Error("the port still accepts connections")
				}
			})
		})
	}
}

func TestServeConfiguration(t *testing.T) {
	t.Run("the address comes from AFTERCARE_ADDR", func(t *testing.T) {
		s := startServe(t, map[string]string{"AFTERCARE_ADDR": "127.0.0.1:0", "AFTERCARE_DATA": t.TempDir()})
		if !strings.HasPrefix(s.addr, "127.0.0.1:") {
			t.Errorf("addr %q", s.addr)
		}
	})
	t.Run("a flag wins over its variable", func(t *testing.T) {
		s := startServe(t, map[string]string{"AFTERCARE_ADDR": "127.0.0.1:1", "AFTERCARE_DATA": t.TempDir()}, "--addr", "127.0.0.1:0")
		if s.addr == "127.0.0.1:1" {
			t.Error("the variable won")
		}
	})
	t.Run("the log level comes from AFTERCARE_LOG_LEVEL", func(t *testing.T) {
		s := startServe(t, map[string]string{"AFTERCARE_LOG_LEVEL": "warn"}, "--addr", "127.0.0.1:0", "--data", t.TempDir())
		resp, err := http.Get("http://" + s.addr + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if err := s.stop(t); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(s.stderr.String(), `"http request"`) {
			t.Error("an info access log was written at level warn")
		}
	})
	refused := []struct {
		name string
		env  map[string]string
		args []string
		code int
		says string
	}{
		{"an unknown log level", nil, []string{"--log-level", "loud"}, 2, "--log-level"},
		{"a bad variable value", map[string]string{"AFTERCARE_SMTP_PORT": "many"}, nil, 2, "AFTERCARE_SMTP_PORT"},
		{"an unknown flag", nil, []string{"--colour"}, 2, "colour"},
		{"a stray argument", nil, []string{"now"}, 2, "unexpected argument"},
		{"a database that is not PostgreSQL", nil, []string{"--database", "mysql://x"}, 1, "postgres://"},
		{"a missing knowledge file", nil, []string{"--knowledge", "/nonexistent/knowledge.yaml"}, 1, "knowledge"},
		{"an address that cannot be listened on", nil, []string{"--addr", "127.0.0.1:-1"}, 1, "listening"},
		{"an SMTP server without a sender", nil, []string{"--smtp-host", "mail.example"}, 1, "sender"},
	}
	for _, tt := range refused {
		t.Run("serve with "+tt.name+" exits", func(t *testing.T) {
			out := runCommand(t, tt.env, "", append([]string{"serve", "--data", t.TempDir()}, tt.args...)...)
			if out.code != tt.code || !strings.Contains(out.stderr, tt.says) {
				t.Errorf("exit %d (want %d), stderr %q (want %q)", out.code, tt.code, out.stderr, tt.says)
			}
		})
	}
}

// writeCert writes a self-signed certificate for 127.0.0.1 and its key as
// PEM files, and returns their paths and a pool that trusts the certificate.
func writeCert(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "aftercare test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// TestFirstOwner follows the README's "First owner" steps: create a clinic,
// create its owner with the password on standard input, serve with TLS, sign
// in at /login and use the clinic API with the sign-in.
func TestFirstOwner(t *testing.T) {
	data := t.TempDir()
	out := runCommand(t, nil, "", "admin", "create-clinic", "--name", "Calm Hands", "--data", data)
	clinicID := clinicIDLine.FindStringSubmatch(out.stdout)[1]
	const email, pw = "owner@calm.example", "a long first password"
	if out := runCommand(t, nil, pw+"\n", "admin", "create-user", "--clinic", clinicID, "--email", email, "--role", "owner", "--data", data); out.code != 0 {
		t.Fatalf("create-user: exit %d: %s", out.code, out.stderr)
	}
	certFile, keyFile, pool := writeCert(t)
	s := startServe(t, nil, "--addr", "127.0.0.1:0", "--data", data, "--tls-cert", certFile, "--tls-key", keyFile)
	if !strings.Contains(s.stderr.String(), "serving on https://") {
		t.Fatalf("serve did not say it serves HTTPS:\n%s", s.stderr.String())
	}
	base := "https://" + s.addr
	jar, _ := cookiejar.New(nil)
	client := &http.Client{
		Jar:           jar,
		Transport:     &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	t.Run("plain HTTP is not served on the TLS port", func(t *testing.T) {
		resp, err := http.Get("http://" + s.addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				t.Error("plain HTTP answered 200")
			}
		}
	})
	t.Run("answers over TLS carry HSTS", func(t *testing.T) {
		resp, err := client.Get(base + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Strict-Transport-Security"); got != httpapi.StrictTransportSecurity {
			t.Errorf("HSTS %q", got)
		}
	})
	t.Run("the owner signs in with a Secure cookie", func(t *testing.T) {
		resp, err := client.PostForm(base+"/login", url.Values{"email": {email}, "password": {pw}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/staff" {
			t.Fatalf("status %d, Location %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		cs := resp.Cookies()
		if len(cs) != 1 || cs[0].Name != httpapi.SessionCookie || !cs[0].Secure || !cs[0].HttpOnly || cs[0].SameSite != http.SameSiteLaxMode {
			t.Errorf("cookies %+v", cs)
		}
	})
	t.Run("the signed-in owner uses the clinic API and reads the audit log", func(t *testing.T) {
		req, _ := http.NewRequest("POST", base+"/api/v1/clients", strings.NewReader(`{"name":"First Client"}`))
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("status %d", resp.StatusCode)
		}
		resp, err = client.Get(base + "/api/v1/audit")
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			Entries []aftercare.AuditEntry `json:"entries"`
		}
		err = json.NewDecoder(resp.Body).Decode(&got)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 || len(got.Entries) < 2 {
			t.Fatalf("status %d, %v, %+v", resp.StatusCode, err, got.Entries)
		}
	})
	t.Run("the staff pages open", func(t *testing.T) {
		resp, err := client.Get(base + "/staff")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("status %d", resp.StatusCode)
		}
	})
	t.Run("the audit command prints the sign-in", func(t *testing.T) {
		out := runCommand(t, nil, "", "admin", "audit", "--clinic", clinicID, "--data", data)
		if out.code != 0 || !strings.Contains(out.stdout, "login") || !strings.Contains(out.stdout, "POST /api/v1/clients") {
			t.Errorf("exit %d:\n%s", out.code, out.stdout)
		}
	})
}

func TestServeRefusesBadSecuritySettings(t *testing.T) {
	certFile, keyFile, _ := writeCert(t)
	refused := []struct {
		name string
		args []string
		code int
		says string
	}{
		{"a certificate without its key", []string{"--tls-cert", certFile}, 2, "--tls-cert and --tls-key go together"},
		{"a key without its certificate", []string{"--tls-key", keyFile}, 2, "--tls-cert and --tls-key go together"},
		{"a certificate file that does not exist", []string{"--tls-cert", certFile + ".nope", "--tls-key", keyFile}, 1, "--tls-cert"},
		{"a key that is not the certificate's", []string{"--tls-cert", certFile, "--tls-key", certFile}, 1, "--tls-key"},
		{"a trusted proxy that is not an address", []string{"--trusted-proxy", "10.0.0.0/8,proxy.example"}, 2, "proxy.example"},
		{"an assessment rate of 0", []string{"--assess-rate", "0"}, 2, "--assess-rate"},
	}
	for _, tt := range refused {
		t.Run("serve with "+tt.name+" exits", func(t *testing.T) {
			out := runCommand(t, nil, "", append([]string{"serve", "--addr", "127.0.0.1:0", "--data", t.TempDir()}, tt.args...)...)
			if out.code != tt.code || !strings.Contains(out.stderr, tt.says) {
				t.Errorf("exit %d (want %d), stderr %q (want %q)", out.code, tt.code, out.stderr, tt.says)
			}
		})
	}
}

package followup_test

import (
	"aftercare/followup"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestMailer(t *testing.T) {
	mp := startMailpit(t)
	m, err := followup.NewMailer(followup.MailConfig{Host: mp.SMTPHost, Port: mp.SMTPPort, From: "Aftercare <aftercare@clinic.test>", TLS: "none"})
	if err != nil {
		t.Fatal(err)
	}

	t.Run("a mail arrives with its recipient, subject and body", func(t *testing.T) {
		body := "How are you feeling 24 hours after your massage?\nCheck in here: http://127.0.0.1:8080/c/c_abc\n"
		if err := m.Send(context.Background(), "sam@client.test", "Checking in — after your massage", body); err != nil {
			t.Fatal(err)
		}
		got := mp.WaitForMail(t, "sam@client.test", 1)
		if len(got) != 1 {
			t.Fatalf("got %d messages, want 1", len(got))
		}
		msg := got[0]
		if msg.Subject != "Checking in — after your massage" {
			t.Errorf("subject = %q", msg.Subject)
		}
		if msg.From.Address != "aftercare@clinic.test" || msg.From.Name != "Aftercare" {
			t.Errorf("from = %+v", msg.From)
		}
		if strings.TrimSpace(normalizeNewlines(msg.Text)) != strings.TrimSpace(body) {
			t.Errorf("text = %q, want %q", msg.Text, body)
		}
		if msg.HTML != "" {
			t.Errorf("the mail has an HTML part; want plain text only")
		}
	})

	t.Run("a malformed recipient is a permanent error", func(t *testing.T) {
		err := m.Send(context.Background(), "not an address", "s", "b")
		if !errors.Is(err, followup.ErrInvalidAddress) {
			t.Fatalf("err = %v, want followup.ErrInvalidAddress", err)
		}
	})

	t.Run("mandatory STARTTLS refuses a server without it", func(t *testing.T) {
		m, err := followup.NewMailer(followup.MailConfig{Host: mp.SMTPHost, Port: mp.SMTPPort, From: "aftercare@clinic.test", TLS: "starttls"})
		if err != nil {
			t.Fatal(err)
		}
		if err := m.Send(context.Background(), "kim@client.test", "s", "b"); err == nil {
			t.Fatal("sent in plain text although STARTTLS was required")
		}
	})
}

func TestNewMailer(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  followup.MailConfig
	}{
		{"a config without a host is refused", followup.MailConfig{From: "a@b.test"}},
		{"a config without a sender is refused", followup.MailConfig{Host: "localhost"}},
		{"a malformed sender is refused", followup.MailConfig{Host: "localhost", From: "not an address"}},
		{"an unknown TLS mode is refused", followup.MailConfig{Host: "localhost", From: "a@b.test", TLS: "ssl"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := followup.NewMailer(tc.cfg); err == nil {
				t.Fatal("NewMailer accepted it")
			}
		})
	}
}

func normalizeNewlines(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }

func TestMailerTLS(t *testing.T) {
	certFile, keyFile, roots := selfSignedCert(t)
	authFile := filepath.Join(t.TempDir(), "smtp-auth")
	if err := os.WriteFile(authFile, []byte("aftercare:s3cret-pass\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	trusted := &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
	ctx := context.Background()

	t.Run("STARTTLS with a login delivers the mail", func(t *testing.T) {
		mp := startMailpit(t, "--smtp-tls-cert", certFile, "--smtp-tls-key", keyFile, "--smtp-require-starttls",
			"--smtp-auth-file", authFile)
		m, err := followup.NewMailer(followup.MailConfig{Host: mp.SMTPHost, Port: mp.SMTPPort, From: "aftercare@clinic.test",
			TLS: "starttls", Username: "aftercare", Password: "s3cret-pass", TLSConfig: trusted})
		if err != nil {
			t.Fatal(err)
		}
		if err := m.Send(ctx, "ola@client.test", "Over STARTTLS", "hello"); err != nil {
			t.Fatal(err)
		}
		if got := mp.WaitForMail(t, "ola@client.test", 1); got[0].Subject != "Over STARTTLS" {
			t.Errorf("subject = %q", got[0].Subject)
		}

		t.Run("and a wrong password is refused", func(t *testing.T) {
			m, err := followup.NewMailer(followup.MailConfig{Host: mp.SMTPHost, Port: mp.SMTPPort, From: "aftercare@clinic.test",
				TLS: "starttls", Username: "aftercare", Password: "wrong", TLSConfig: trusted})
			if err != nil {
				t.Fatal(err)
			}
			if err := m.Send(ctx, "ola@client.test", "s", "b"); err == nil {
				t.Fatal("sent with a wrong password")
			} else if !strings.Contains(strings.ToLower(err.Error()), "auth") {
				t.Fatalf("err = %v, want an authentication error", err)
			}
		})

		t.Run("and a certificate the mailer does not trust is refused", func(t *testing.T) {
			m, err := followup.NewMailer(followup.MailConfig{Host: mp.SMTPHost, Port: mp.SMTPPort, From: "aftercare@clinic.test",
				TLS: "starttls", Username: "aftercare", Password: "s3cret-pass"})
			if err != nil {
				t.Fatal(err)
			}
			if err := m.Send(ctx, "ola@client.test", "s", "b"); err == nil {
				t.Fatal("sent to a server with an untrusted certificate")
			} else if !strings.Contains(err.Error(), "certificate") {
				t.Fatalf("err = %v, want a certificate error", err)
			}
		})
	})

	t.Run("implicit TLS delivers the mail", func(t *testing.T) {
		mp := startMailpit(t, "--smtp-tls-cert", certFile, "--smtp-tls-key", keyFile, "--smtp-require-tls")
		m, err := followup.NewMailer(followup.MailConfig{Host: mp.SMTPHost, Port: mp.SMTPPort, From: "aftercare@clinic.test",
			TLS: "tls", TLSConfig: trusted})
		if err != nil {
			t.Fatal(err)
		}
		if err := m.Send(ctx, "ola@client.test", "Over TLS", "hello"); err != nil {
			t.Fatal(err)
		}
		if got := mp.WaitForMail(t, "ola@client.test", 1); got[0].Subject != "Over TLS" {
			t.Errorf("subject = %q", got[0].Subject)
		}
	})
}

// selfSignedCert writes a certificate for 127.0.0.1 and its key, and returns
// their files and a pool that trusts the certificate.
func selfSignedCert(t *testing.T) (certFile, keyFile string, roots *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "mailpit test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:              []string{"localhost"},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	roots = x509.NewCertPool()
	roots.AddCert(cert)
	return certFile, keyFile, roots
}

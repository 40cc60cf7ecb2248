package followup

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"time"

	mail "github.com/wneessen/go-mail"
)

// ErrInvalidAddress marks a sender or recipient address that no retry can fix.
var ErrInvalidAddress = errors.New("followup: invalid email address")

// MailConfig says how to reach the SMTP server that sends follow-up mail.
type MailConfig struct {
	Host string
	// Port is the SMTP port; 0 picks 25 for "none", 587 for "starttls" and 465 for "tls".
	Port int
	// From is the sender address, such as "Aftercare <aftercare@clinic.example>".
	From string
	// Username and Password, when Username is set, authenticate with the best mechanism the server offers.
	Username, Password string
	// TLS is "none" (plain text, for a relay on the same host), "starttls"
	// (mandatory STARTTLS; the default when empty) or "tls" (implicit TLS).
	TLS string
	// Timeout bounds connecting to the server; 0 means 15 seconds.
	Timeout time.Duration
	// TLSConfig, when set, replaces the default TLS settings (the system's
	// roots, with Host as the server name), say for a server with a private CA.
	TLSConfig *tls.Config
}

// Mailer sends plain-text mail over SMTP, one SMTP conversation per message.
type Mailer struct {
	cfg  MailConfig
	opts []mail.Option
}

// NewMailer checks cfg and returns a mailer for it.
func NewMailer(cfg MailConfig) (*Mailer, error) {
	if cfg.Host == "" {
		return nil, errors.New("followup: mail: no SMTP host")
	}
	if cfg.From == "" {
		return nil, errors.New("followup: mail: no sender address")
	}
	if err := mail.NewMsg().From(cfg.From); err != nil {
		return nil, fmt.Errorf("followup: mail: sender %q: %w", cfg.From, ErrInvalidAddress)
	}
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = 15 * time.Second
	}
	opts := []mail.Option{mail.WithTimeout(timeout)}
	port := cfg.Port
	switch cfg.TLS {
	case "none":
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
		if port == 0 {
			port = 25
		}
	case "", "starttls":
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
		if port == 0 {
			port = 587
		}
	case "tls":
		opts = append(opts, mail.WithSSL())
		if port == 0 {
			port = 465
		}
	default:
		return nil, fmt.Errorf("followup: mail: TLS mode %q; allowed: none, starttls, tls", cfg.TLS)
	}
	opts = append(opts, mail.WithPort(port))
	if cfg.TLSConfig != nil {
		tc := cfg.TLSConfig.Clone()
		if tc.ServerName == "" {
			tc.ServerName = cfg.Host
		}
		opts = append(opts, mail.WithTLSConfig(tc))
	}
	if cfg.Username != "" {
		opts = append(opts,
			mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover),
			mail.WithUsername(cfg.Username),
			mail.WithPassword(cfg.Password))
	}
	// Build a client once so that a bad option fails at start-up, not at the first send.
	if _, err := mail.NewClient(cfg.Host, opts...); err != nil {
		return nil, fmt.Errorf("followup: mail: %w", err)
	}
	return &Mailer{cfg: cfg, opts: opts}, nil
}

// Send mails a plain-text message to one recipient.
func (m *Mailer) Send(ctx context.Context, to, subject, text string) error {
	msg := mail.NewMsg()
	if err := msg.From(m.cfg.From); err != nil {
		return fmt.Errorf("followup: mail: sender: %w", ErrInvalidAddress)
	}
	if err := msg.To(to); err != nil {
		return fmt.Errorf("followup: mail: recipient: %w", ErrInvalidAddress)
	}
	msg.Subject(subject)
	msg.SetDate()
	msg.SetMessageID()
	// Automatic mail: out-of-office replies should not answer it (RFC 3834).
	msg.SetGenHeader(mail.Header("Auto-Submitted"), "auto-generated")
	msg.SetGenHeader(mail.HeaderXAutoResponseSuppress, "All")
	msg.SetBodyString(mail.TypeTextPlain, text)

	// A client per message: go-mail's Client holds one connection, and workers
	// send concurrently.
	c, err := mail.NewClient(m.cfg.Host, m.opts...)
	if err != nil {
		return fmt.Errorf("followup: mail: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("followup: mail via %s: %w", m.cfg.Host, err)
	}
	return nil
}

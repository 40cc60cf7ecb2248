package followup

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"aftercare"
)

// SignatureHeader is the HTTP header that carries a webhook's signature.
const SignatureHeader = "Aftercare-Signature"

// Webhook event types.
const (
	// EventReminder tells the clinic that a client was asked to check in.
	EventReminder = "checkin.reminder"
	// EventFlagged tells the clinic that a check-in was graded consult or above.
	EventFlagged = "checkin.flagged"
)

// Signature verification errors.
var (
	// ErrNoSignature means the signature header is missing or malformed.
	ErrNoSignature = errors.New("followup: no valid webhook signature header")
	// ErrSignatureExpired means the signature's timestamp is outside the tolerance.
	ErrSignatureExpired = errors.New("followup: webhook signature timestamp outside tolerance")
	// ErrSignatureMismatch means no signature in the header matches the body.
	ErrSignatureMismatch = errors.New("followup: webhook signature does not match")
)

// Event is the JSON body of every webhook.
type Event struct {
	// ID identifies the event; a retried delivery carries the same ID, so receivers can drop duplicates.
	ID   string `json:"id"`
	Type string `json:"type"`
	// CreatedAt is when this delivery was made.
	CreatedAt time.Time `json:"created_at"`
	Data      any       `json:"data"`
}

// WebhookSender posts signed events to clinics' webhook URLs.
type WebhookSender struct {
	client *http.Client
	now    func() time.Time
}

// NewWebhookSender returns a sender that posts with client, or with a client
// that times out after 15 seconds and follows no redirects when client is nil.
func NewWebhookSender(client *http.Client) *WebhookSender {
	if client == nil {
		client = &http.Client{
			Timeout:   15 * time.Second,
			Transport: guardedTransport(),
			// A redirected POST would turn into a GET or go somewhere unchecked; a
			// 3xx answer is a failed delivery instead.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
	}
	return &WebhookSender{client: client, now: time.Now}
}

// Send posts an event of the given type with payload as its data, under a new
// random event id, signed with secret.
func (s *WebhookSender) Send(ctx context.Context, url, secret string, event string, payload any) error {
	return s.SendEvent(ctx, url, secret, Event{ID: newEventID(), Type: event, Data: payload})
}

// SendEvent posts ev, signed with secret; a zero ID or CreatedAt is filled in,
// and any answer but a 2xx is an error so that the job retries.
func (s *WebhookSender) SendEvent(ctx context.Context, rawURL, secret string, ev Event) error {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("followup: webhook URL must be an absolute http or https URL")
	}
	now := s.now()
	if ev.ID == "" {
		ev.ID = newEventID()
	}
	if ev.CreatedAt.IsZero() {
		ev.CreatedAt = now.UTC()
	}
	body, err := json.Marshal(ev)
	if err != nil {
		return fmt.Errorf("followup: encode webhook %s: %w", ev.Type, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("followup: webhook request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "aftercare-webhooks/1")
	req.Header.Set(SignatureHeader, Sign(secret, now, body))
	resp, err := s.client.Do(req)
	if err != nil {
		// The error can name the URL, which is the clinic's own setting: fine in logs.
		return fmt.Errorf("followup: post webhook %s: %w", ev.Type, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("followup: webhook %s answered %s", ev.Type, resp.Status)
	}
	return nil
}

// Sign returns the signature header value for body at time t:
// "t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">".
func Sign(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac(secret, ts, body))
}

// VerifySignature checks a signature header against body and secret, and that
// its timestamp is within tolerance of now (a tolerance ≤ 0 skips that check).
func VerifySignature(secret string, header string, body []byte, now time.Time, tolerance time.Duration) error {
	var ts string
	var sigs [][]byte
	for _, part := range strings.Split(header, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			continue
		}
		switch k {
		case "t":
			ts = v
		case "v1":
			if b, err := hex.DecodeString(v); err == nil && len(b) == sha256.Size {
				sigs = append(sigs, b)
			}
		}
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || len(sigs) == 0 {
		return ErrNoSignature
	}
	if tolerance > 0 {
		if d := now.Sub(time.Unix(sec, 0)); d > tolerance || d < -tolerance {
			return ErrSignatureExpired
		}
	}
	want := mac(secret, ts, body)
	for _, sig := range sigs {
		if hmac.Equal(sig, want) {
			return nil
		}
	}
	return ErrSignatureMismatch
}

func mac(secret, ts string, body []byte) []byte {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write([]byte(ts))
	h.Write([]byte{'.'})
	h.Write(body)
	return h.Sum(nil)
}

func newEventID() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic("followup: no randomness: " + err.Error())
	}
	return "evt_" + hex.EncodeToString(b)
}

// stableEventID names an event by what it is about, so that every delivery
// attempt of the same event carries the same id.
func stableEventID(parts ...any) string {
	h := sha256.Sum256(fmt.Appendf(nil, "%v", parts))
	return "evt_" + hex.EncodeToString(h[:16])
}

// guardedTransport is the default transport with a dialer that refuses
// link-local and cloud metadata addresses, whatever name resolved to them:
// a webhook URL checked when it was saved can point elsewhere later.
func guardedTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	d := &net.Dialer{
		Timeout: 10 * time.Second,
		Control: func(_, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil || aftercare.ForbiddenWebhookAddr(ap.Addr()) {
				return fmt.Errorf("webhook: refusing to connect to %s, a link-local or cloud metadata address", address)
			}
			return nil
		},
	}
	t.DialContext = d.DialContext
	return t
}

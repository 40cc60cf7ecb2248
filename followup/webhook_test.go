package followup_test

import (
	"aftercare/followup"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// webhookRecorder is a receiver that keeps every delivery.
type webhookRecorder struct {
	mu         sync.Mutex
	deliveries []delivery
	status     int
}

type delivery struct {
	header http.Header
	body   []byte
	at     time.Time
}

func newWebhookRecorder(t *testing.T) (*webhookRecorder, *httptest.Server) {
	r := &webhookRecorder{status: http.StatusNoContent}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.deliveries = append(r.deliveries, delivery{header: req.Header.Clone(), body: body, at: time.Now()})
		status := r.status
		r.mu.Unlock()
		w.WriteHeader(status)
	}))
	t.Cleanup(srv.Close)
	return r, srv
}

func (r *webhookRecorder) all() []delivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]delivery(nil), r.deliveries...)
}

func (r *webhookRecorder) setStatus(code int) {
	r.mu.Lock()
	r.status = code
	r.mu.Unlock()
}

func TestWebhookSender(t *testing.T) {
	const secret = "whsec_test"
	ctx := context.Background()
	rec, srv := newWebhookRecorder(t)
	s := followup.NewWebhookSender(nil)

	t.Run("a delivery to a link-local or metadata address is refused when connecting", func(t *testing.T) {
		for _, u := range []string{"http://169.254.169.254/latest/meta-data/", "http://[fe80::1]:8080/hook"} {
			err := s.Send(ctx, u, secret, followup.EventReminder, map[string]any{})
			if err == nil || !strings.Contains(err.Error(), "link-local or cloud metadata") {
				t.Errorf("send to %s: %v, want refused", u, err)
			}
		}
	})
	t.Run("a delivery is signed JSON that verifies", func(t *testing.T) {
		payload := map[string]any{"session_id": 7, "hours": 24}
		if err := s.Send(ctx, srv.URL+"/hooks", secret, followup.EventReminder, payload); err != nil {
			t.Fatal(err)
		}
		got := rec.all()
		if len(got) != 1 {
			t.Fatalf("%d deliveries, want 1", len(got))
		}
		d := got[0]
		if ct := d.header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("Content-Type = %q", ct)
		}
		if err := followup.VerifySignature(secret, d.header.Get(followup.SignatureHeader), d.body, time.Now(), 5*time.Minute); err != nil {
			t.Fatalf("signature does not verify: %v (header %q)", err, d.header.Get(followup.SignatureHeader))
		}
		var ev struct {
			ID        string         `json:"id"`
			Type      string         `json:"type"`
			CreatedAt time.Time      `json:"created_at"`
			Data      map[string]any `json:"data"`
		}
		if err := json.Unmarshal(d.body, &ev); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(ev.ID, "evt_") || ev.Type != followup.EventReminder || ev.CreatedAt.IsZero() {
			t.Errorf("envelope = %+v", ev)
		}
		if ev.Data["session_id"] != float64(7) || ev.Data["hours"] != float64(24) {
			t.Errorf("data = %v", ev.Data)
		}
	})

	t.Run("each event gets its own id", func(t *testing.T) {
		if err := s.Send(ctx, srv.URL, secret, followup.EventReminder, nil); err != nil {
			t.Fatal(err)
		}
		got := rec.all()
		var a, b struct{ ID string }
		_ = json.Unmarshal(got[len(got)-2].body, &a)
		_ = json.Unmarshal(got[len(got)-1].body, &b)
		if a.ID == "" || a.ID == b.ID {
			t.Errorf("event ids %q and %q", a.ID, b.ID)
		}
	})

	t.Run("a tampered body fails verification", func(t *testing.T) {
		d := rec.all()[0]
		tampered := []byte(strings.Replace(string(d.body), `"hours":24`, `"hours":48`, 1))
		if string(tampered) == string(d.body) {
			t.Fatal("test did not change the body")
		}
		if err := followup.VerifySignature(secret, d.header.Get(followup.SignatureHeader), tampered, time.Now(), 5*time.Minute); !errors.Is(err, followup.ErrSignatureMismatch) {
			t.Fatalf("err = %v, want followup.ErrSignatureMismatch", err)
		}
	})

	t.Run("another secret fails verification", func(t *testing.T) {
		d := rec.all()[0]
		if err := followup.VerifySignature("whsec_other", d.header.Get(followup.SignatureHeader), d.body, time.Now(), 5*time.Minute); !errors.Is(err, followup.ErrSignatureMismatch) {
			t.Fatalf("err = %v, want followup.ErrSignatureMismatch", err)
		}
	})

	t.Run("an old signature fails verification", func(t *testing.T) {
		d := rec.all()[0]
		if err := followup.VerifySignature(secret, d.header.Get(followup.SignatureHeader), d.body, time.Now().Add(10*time.Minute), 5*time.Minute); !errors.Is(err, followup.ErrSignatureExpired) {
			t.Fatalf("err = %v, want followup.ErrSignatureExpired", err)
		}
	})

	t.Run("a missing or malformed header fails verification", func(t *testing.T) {
		for _, h := range []string{"", "v1=abcd", "t=123", "t=x,v1=00", "t=123,v1=zz"} {
			if err := followup.VerifySignature(secret, h, []byte("{}"), time.Unix(123, 0), time.Minute); !errors.Is(err, followup.ErrNoSignature) {
				t.Errorf("header %q: err = %v, want followup.ErrNoSignature", h, err)
			}
		}
	})

	t.Run("a header with a rotated-out signature beside a good one verifies", func(t *testing.T) {
		body := []byte(`{"id":"evt_1"}`)
		at := time.Unix(1_700_000_000, 0)
		good := followup.Sign(secret, at, body)
		old := followup.Sign("whsec_old", at, body)
		_, oldSig, _ := strings.Cut(old, ",")
		if err := followup.VerifySignature(secret, good+","+oldSig, body, at, time.Minute); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("a non-2xx answer is an error", func(t *testing.T) {
		for _, code := range []int{http.StatusMovedPermanently, http.StatusBadRequest, http.StatusGone, http.StatusInternalServerError, http.StatusServiceUnavailable} {
			rec.setStatus(code)
			if err := s.Send(ctx, srv.URL, secret, followup.EventFlagged, nil); err == nil {
				t.Errorf("answer %d: no error", code)
			}
		}
		rec.setStatus(http.StatusOK)
		if err := s.Send(ctx, srv.URL, secret, followup.EventFlagged, nil); err != nil {
			t.Errorf("answer 200: %v", err)
		}
	})

	t.Run("an unreachable receiver is an error", func(t *testing.T) {
		dead := httptest.NewServer(http.NotFoundHandler())
		dead.Close()
		if err := s.Send(ctx, dead.URL, secret, followup.EventFlagged, nil); err == nil {
			t.Fatal("no error")
		}
	})

	t.Run("a URL that is not http or https is refused", func(t *testing.T) {
		for _, u := range []string{"", "ftp://example.test/x", "file:///etc/passwd", "/relative"} {
			if err := s.Send(ctx, u, secret, followup.EventFlagged, nil); err == nil {
				t.Errorf("%q: no error", u)
			}
		}
	})
}

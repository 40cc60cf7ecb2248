package followup_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"aftercare"
	"aftercare/followup"
)

// waitForDelivery waits until the follow-up's last delivery attempt is delivery.
func (e *env) waitForDelivery(t *testing.T, s *aftercare.Session, hours int, delivery string) aftercare.FollowUp {
	t.Helper()
	var f aftercare.FollowUp
	eventually(t, 30*time.Second, func() (bool, string) {
		f = e.followUp(t, s, hours)
		return f.Delivery == delivery, fmt.Sprintf("the %d h follow-up's delivery is %q (%s), want %q", hours, f.Delivery, f.DeliveryError, delivery)
	})
	return f
}

func TestDeliveryStatus(t *testing.T) {
	t.Run("a webhook answering 500 leaves the reminder failed with the answer though the mail went, then delivered once it answers 2xx", func(t *testing.T) {
		e := newEnv(t)
		e.hooks.setStatus(http.StatusInternalServerError)
		ana := e.newClient(t, "Ana Reis", "ana@client.test")
		s := e.newSession(t, ana, 25*time.Hour)
		e.start(t)

		f := e.waitForDelivery(t, s, 24, aftercare.DeliveryFailed)
		if !strings.HasPrefix(f.DeliveryError, "webhook: ") || !strings.Contains(f.DeliveryError, "500 Internal Server Error") {
			t.Errorf("the failure says %q, want the webhook's answer", f.DeliveryError)
		}
		if f.DeliveryAt == nil || f.Status != followup.StatusScheduled {
			t.Errorf("follow-up %+v, want still scheduled with the time of the attempt", f)
		}
		if got := e.mail.WaitForMail(t, ana.Email, 1); len(got) != 1 {
			t.Errorf("%d mails reached the mail server, want 1", len(got))
		}

		e.hooks.setStatus(http.StatusOK)
		f = e.waitForDelivery(t, s, 24, aftercare.DeliveryDelivered)
		if f.DeliveryError != "" || f.Status != followup.StatusSent {
			t.Errorf("follow-up %+v after the webhook took it, want sent and delivered without an error", f)
		}
		if got := e.mail.MessagesTo(t, ana.Email); len(got) != 1 {
			t.Errorf("%d mails after the retry, want the first one only", len(got))
		}
	})

	t.Run("a mail server refusing the client's address leaves the reminder failed with its refusal", func(t *testing.T) {
		e := newEnv(t)
		e.mail = startMailpit(t, "--smtp-allowed-recipients", `@clinic\.test$`)
		bo := e.newClient(t, "Bo Lund", "bo@client.test")
		s := e.newSession(t, bo, 25*time.Hour)
		e.start(t)

		f := e.waitForDelivery(t, s, 24, aftercare.DeliveryFailed)
		if !strings.HasPrefix(f.DeliveryError, "email: ") || !strings.Contains(f.DeliveryError, "55") {
			t.Errorf("the failure says %q, want the mail server's refusal", f.DeliveryError)
		}
		t.Logf("the refusal kept: %s", f.DeliveryError)
		if got := e.mail.MessagesTo(t, bo.Email); len(got) != 0 {
			t.Errorf("%d mails accepted for a refused address", len(got))
		}
	})

	t.Run("a reminder both channels took is delivered", func(t *testing.T) {
		e := newEnv(t)
		cy := e.newClient(t, "Cy Moss", "cy@client.test")
		s := e.newSession(t, cy, 25*time.Hour)
		e.start(t)

		f := e.waitForDelivery(t, s, 24, aftercare.DeliveryDelivered)
		if f.DeliveryError != "" || f.DeliveryAt == nil {
			t.Errorf("follow-up %+v", f)
		}
		if f := e.followUp(t, s, 48); f.Delivery != "" {
			t.Errorf("the 48 h follow-up, not yet due, says %q", f.Delivery)
		}
	})
}

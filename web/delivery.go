package web

import (
	"time"

	"aftercare"
)

// The workspace says honestly whether reminders reach the client: a
// reminder is mailed to the client when a mail server is set up
// (Deps.Mail) and the client has an email address, and posted to the
// clinic's webhook when it has one. Without either, the follow-up worker
// still marks each reminder "sent" when its time comes; the pages say
// that nothing was delivered. Where a delivery was tried, the pages say what
// became of the last attempt: delivered (the mail server accepted the mail,
// the webhook answered 2xx) or failed, with why.

// reach says how reminders can reach a client of the clinic; Why is empty when they can.
type reach struct {
	OK  bool
	Why string
}

// reachOf says whether reminders can reach client (nil: any client of the clinic).
func (h *handler) reachOf(clinic *aftercare.Clinic, client *aftercare.Client) reach {
	switch {
	case clinic.WebhookURL != "":
		return reach{OK: true}
	case !h.d.Mail:
		return reach{Why: "Reminders are not being sent: no mail server is set up and the clinic has no webhook. " +
			"To send them, start the server with --smtp-host and --smtp-from (AFTERCARE_SMTP_HOST, AFTERCARE_SMTP_FROM), " +
			"or give the clinic a webhook. Until then, send clients their check-in link yourself."}
	case client != nil && client.Email == "":
		return reach{Why: "Reminders cannot reach " + client.Name + ": there is no email address for them. Send the check-in link yourself."}
	}
	return reach{OK: true}
}

// followUpView is one follow-up as the workspace says it.
type followUpView struct {
	Hours int
	// Text is its state in words.
	Text string
	// Failed is set when its last delivery attempt failed.
	Failed bool
}

// followUps says each follow-up of a session as it is, its times in time zone loc.
func (h *handler) followUps(s *aftercare.Session, r reach, loc *time.Location) []followUpView {
	out := make([]followUpView, 0, len(s.FollowUps))
	for _, fu := range s.FollowUps {
		v := followUpView{Hours: fu.Hours}
		switch {
		case fu.Delivery == aftercare.DeliveryFailed:
			// What the last attempt met, whatever the reach: a refusal is news.
			v.Text, v.Failed = "failed: "+fu.DeliveryError, true
			if fu.DeliveryAt != nil {
				v.Text += " (" + aftercare.ShowTime(*fu.DeliveryAt, loc) + ")"
			}
			if fu.Status == aftercare.FollowUpScheduled {
				v.Text += "; it will be tried again"
			}
		case fu.Delivery == aftercare.DeliveryDelivered:
			v.Text = "delivered"
			if fu.DeliveryAt != nil {
				v.Text += " " + aftercare.ShowTime(*fu.DeliveryAt, loc)
			}
		case fu.Status == aftercare.FollowUpScheduled && r.OK:
			v.Text = "due " + aftercare.ShowTime(fu.DueAt, loc)
		case fu.Status == aftercare.FollowUpScheduled:
			v.Text = "due " + aftercare.ShowTime(fu.DueAt, loc) + ", will not be sent"
		case fu.Status == aftercare.FollowUpSent && r.OK:
			v.Text = "sent"
			if fu.SentAt != nil {
				v.Text += " " + aftercare.ShowTime(*fu.SentAt, loc)
			}
		case fu.Status == aftercare.FollowUpSent:
			v.Text = "not delivered: nothing was set up to send it"
		case fu.Status == aftercare.FollowUpSkipped:
			v.Text = "not needed (the client had checked in, or the link had ended)"
		default:
			v.Text = fu.Status
		}
		out = append(out, v)
	}
	return out
}

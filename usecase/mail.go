package usecase

import (
	"context"
	"fmt"
	"strings"
	"time"

	"aftercare"
)

// Mailer sends a plain-text message to one address: the service's mail
// server (followup.Mailer).
type Mailer interface {
	Send(ctx context.Context, to, subject, text string) error
}

// EmailLink mails client the check-in link of one of their sessions, in the
// clinic's name, by m: the same mail a therapist would write, with the
// link, how long it works and the emergency number. No mail server (a nil
// m) is EUNAVAILABLE naming "mail"; a client with no email address is
// EINVALID naming "email"; a message the server refuses is EUNAVAILABLE,
// and nothing is stored either way.
func EmailLink(ctx context.Context, m Mailer, clinic *aftercare.Clinic, client *aftercare.Client, link string, expires time.Time) error {
	if err := CanEmailLink(m, client); err != nil {
		return err
	}
	subject, body := LinkMail(clinic, client, link, expires)
	if err := m.Send(ctx, client.Email, subject, body); err != nil {
		refused := aftercare.Errorf(aftercare.EUNAVAILABLE, "mail", "the mail server did not take the message: try again, or copy the link")
		return fmt.Errorf("%v: %w", err, refused)
	}
	return nil
}

// CanEmailLink says why a link cannot be emailed to client by m, before one
// is made for it: no mail server (EUNAVAILABLE naming "mail") or no email
// address (EINVALID naming "email"); nil when it can.
func CanEmailLink(m Mailer, client *aftercare.Client) error {
	if m == nil {
		return aftercare.Errorf(aftercare.EUNAVAILABLE, "mail", "no mail server is set up, so the link cannot be emailed: copy it or show the QR code")
	}
	if strings.TrimSpace(client.Email) == "" {
		return aftercare.Errorf(aftercare.EINVALID, "email", "%s has no email address: copy the link or show the QR code", client.Name)
	}
	return nil
}

// LinkMail is the subject and text of the mail that sends a client their check-in link.
func LinkMail(clinic *aftercare.Clinic, client *aftercare.Client, link string, expires time.Time) (subject, body string) {
	subject = "Your check-in link after your massage"
	if clinic.Name != "" {
		subject = clinic.Name + ": your check-in link after your massage"
	}
	return subject, ClientMail(clinic, client, "Here is your private link to tell us how you feel after your massage:\n\n"+link, expires)
}

// ClientMail is the text of a mail to a client that carries their check-in
// link: a greeting, intro (which holds the link), what the check-in is, how
// long the link works, the emergency number and the clinic's name.
func ClientMail(clinic *aftercare.Clinic, client *aftercare.Client, intro string, expires time.Time) string {
	var b strings.Builder
	if f := strings.Fields(client.Name); len(f) > 0 {
		fmt.Fprintf(&b, "Hello %s,\n\n", f[0])
	} else {
		b.WriteString("Hello,\n\n")
	}
	b.WriteString(intro + "\n\n")
	b.WriteString("It takes a minute: say where you feel sore and how much, and you will get calm advice " +
		"on what helps and what to watch for.\n\n")
	fmt.Fprintf(&b, "The link is just for you and works until %s.\n", aftercare.ShowTime(expires, clinic.Location()))
	emergency := "your local emergency number"
	if clinic.EmergencyNumber != "" {
		emergency = clinic.EmergencyNumber
	}
	fmt.Fprintf(&b, "If you feel very unwell or think it may be an emergency, call %s now.\n", emergency)
	if clinic.Name != "" {
		fmt.Fprintf(&b, "\n%s\n", clinic.Name)
	}
	return b.String()
}

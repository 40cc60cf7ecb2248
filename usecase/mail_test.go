package usecase_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"aftercare"
	"aftercare/followup"
	"aftercare/followup/mailtest"
	"aftercare/usecase"
)

func TestEmailLink(t *testing.T) {
	clinic := &aftercare.Clinic{Name: "Calm Hands", EmergencyNumber: "112"}
	expires := time.Date(2026, 12, 21, 10, 0, 0, 0, time.UTC)
	link := "https://aftercare.example/c/c_x"
	mp := mailtest.Start(t)
	mailer := func(port int) usecase.Mailer {
		m, err := followup.NewMailer(followup.MailConfig{Host: mp.SMTPHost, Port: port, TLS: "none", From: "desk@calm.example", Timeout: 5 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	// A port nothing listens on: the connection is refused.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().(*net.TCPAddr).Port
	l.Close()
	tests := []struct {
		name   string
		mailer usecase.Mailer
		client aftercare.Client
		code   string
		field  string
	}{
		{"with no mail server it is unavailable, naming the mail", nil, aftercare.Client{Name: "Ana", Email: "ana@client.test"}, aftercare.EUNAVAILABLE, "mail"},
		{"a client with no address is refused, naming the email", mailer(mp.SMTPPort), aftercare.Client{Name: "Bo"}, aftercare.EINVALID, "email"},
		{"a mail server that cannot be reached is unavailable", mailer(closed), aftercare.Client{Name: "Cy", Email: "cy@client.test"}, aftercare.EUNAVAILABLE, "mail"},
		{"a client with an address is sent the link", mailer(mp.SMTPPort), aftercare.Client{Name: "Dee Long", Email: "dee@client.test"}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := usecase.EmailLink(context.Background(), tt.mailer, clinic, &tt.client, link, expires)
			var e *aftercare.Error
			if tt.code != "" {
				if aftercare.ErrorCode(err) != tt.code || !errors.As(err, &e) || e.Field != tt.field {
					t.Fatalf("error %v, want %s naming %s", err, tt.code, tt.field)
				}
				if tt.client.Email != "" && len(mp.MessagesTo(t, tt.client.Email)) != 0 {
					t.Error("sent despite the refusal")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := mp.WaitForMail(t, tt.client.Email, 1)
			if len(got) != 1 || got[0].Subject != "Calm Hands: your check-in link after your massage" {
				t.Fatalf("received %+v", got)
			}
			text := got[0].Text
			if !strings.HasSuffix(strings.TrimSpace(text), "Calm Hands") {
				t.Errorf("the mail is not signed by the clinic:\n%s", text)
			}
			for _, want := range []string{"Hello Dee,", link, "works until Mon 21 Dec 2026", "call 112 now"} {
				if !strings.Contains(text, want) {
					t.Errorf("the mail lacks %q:\n%s", want, text)
				}
			}
		})
	}
}

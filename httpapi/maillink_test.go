package httpapi_test

import (
	"fmt"
	"strings"
	"testing"

	"aftercare"
	"aftercare/followup"
	"aftercare/followup/mailtest"
	"aftercare/httpapi"
)

type emailedLink struct {
	SessionID int64  `json:"session_id"`
	EmailedTo string `json:"emailed_to"`
}

func TestTheAPIEmailsTheClientAFreshLink(t *testing.T) {
	mp := mailtest.Start(t)
	m, err := followup.NewMailer(followup.MailConfig{Host: mp.SMTPHost, Port: mp.SMTPPort, TLS: "none", From: "desk@calm.example"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		mailer bool
		email  string
		status int
		field  string
	}{
		{"with no mail server, no link is made and the answer says so", false, "nia@client.test", 503, "mail"},
		{"for a client with no address, no link is made and the answer names the field", true, "", 400, "email"},
		{"with a mail server and an address, a fresh link is emailed and the earlier one retired", true, "ola@client.test", 201, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, "SQLite", func(d *httpapi.Deps) {
				if tt.mailer {
					d.Mailer = m
				}
			})
			c := decode[aftercare.Client](t, h.api("POST", "/api/v1/clients", map[string]any{"name": "Ola Link", "email": tt.email}).want(t, 201))
			sess := h.createSession(t, map[string]any{"client_id": c.ID})
			earlier := linkToken(sess.CheckInURL)
			r := h.api("POST", fmt.Sprintf("/api/v1/sessions/%d/links/email", sess.ID), nil)
			stillWorks := h.do("GET", "/api/v1/checkin/"+earlier, nil).status == 200
			if tt.status != 201 {
				r.wantError(t, tt.status, map[int]string{503: aftercare.EUNAVAILABLE, 400: aftercare.EINVALID}[tt.status], tt.field)
				if !stillWorks {
					t.Error("a refused call retired the client's earlier link")
				}
				return
			}
			got := decode[emailedLink](t, r.want(t, 201))
			if got.SessionID != sess.ID || got.EmailedTo != tt.email || strings.Contains(string(r.body), "/c/c_") {
				t.Errorf("answer %s", r.body)
			}
			msgs := mp.WaitForMail(t, tt.email, 1)
			i := strings.Index(msgs[0].Text, baseURL+"/c/c_")
			if i < 0 {
				t.Fatalf("the mail has no link:\n%s", msgs[0].Text)
			}
			token := linkToken(strings.Fields(msgs[0].Text[i:])[0])
			if h.do("GET", "/api/v1/checkin/"+token, nil).status != 200 {
				t.Error("the emailed link does not open")
			}
			if stillWorks {
				t.Error("the earlier link still works after a fresh one was emailed")
			}
		})
	}
}

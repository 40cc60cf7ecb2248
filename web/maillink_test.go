package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"aftercare"
	"aftercare/followup"
	"aftercare/followup/mailtest"
	"aftercare/web"
)

// withMail has the pages email links through a real SMTP server.
func withMail(t *testing.T) (*mailtest.Server, func(*web.Deps)) {
	t.Helper()
	mp := mailtest.Start(t)
	m, err := followup.NewMailer(followup.MailConfig{Host: mp.SMTPHost, Port: mp.SMTPPort, TLS: "none", From: "Calm Hands <desk@calm.example>"})
	if err != nil {
		t.Fatal(err)
	}
	return mp, func(d *web.Deps) { d.Mailer, d.Mail = m, true }
}

// postWith sends a form with the cookies a page was given, as the browser does.
func (s *staffSite) postWith(t *testing.T, shown shownPage, path string, form url.Values) page {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, c := range shown.cookies {
		req.AddCookie(c)
	}
	resp, err := s.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return read(t, resp)
}

// shownPage is a session's page with the cookies that show its link.
type shownPage struct {
	page
	cookies []*http.Cookie
	path    string
}

// recordSession records a session of the client through the session form
// and returns the page that shows its link.
func (s *staffSite) recordSession(t *testing.T, client *aftercare.Client) shownPage {
	t.Helper()
	clientPath := fmt.Sprintf("/staff/clients/%d", client.ID)
	v := url.Values{"client_id": {fmt.Sprint(client.ID)}, "style": {"swedish"}, "pressure": {"medium"}, "pressure_neck": {"medium"},
		"key": {formKeyOf(t, s.get(t, clientPath).body)}}
	sent := s.post(t, "/staff/sessions", v)
	p := s.follow(t, sent)
	if p.status != 200 || !linkURL.MatchString(p.body) {
		t.Fatalf("the session's page shows no link: status %d", p.status)
	}
	return shownPage{page: p, cookies: (&http.Response{Header: sent.header}).Cookies(), path: sent.header.Get("Location")}
}

// otherKey is a one-time key of the right shape that no page gave.
var otherKey = "k_" + strings.Repeat("Q", 43)

var emailForm = regexp.MustCompile(`<form method="post" action="(/staff/sessions/\d+/email-link)" class="inline" data-email-link><input type="hidden" name="key" value="([^"]+)">`)

func TestTheLinkIsEmailedFromTheSessionPage(t *testing.T) {
	mp, mail := withMail(t)
	s := newStaffSite(t, mail)
	clinic, _ := s.clinicWithClient(t, "Nobody")
	s.as(owner(clinic.ID))
	ctx := context.Background()
	ada := &aftercare.Client{ClinicID: clinic.ID, Name: "Ada Mail", Email: "ada@client.test"}
	if err := s.store.CreateClient(ctx, ada); err != nil {
		t.Fatal(err)
	}
	shown := s.recordSession(t, ada)
	link := "https://aftercare.example" + linkURL.FindStringSubmatch(shown.body)[1]
	form := emailForm.FindStringSubmatch(shown.body)
	if form == nil {
		t.Fatalf("the session's page offers no form to email the link: %.3000s", shown.body)
	}
	if !strings.Contains(shown.body, "Email the link to the client</button> <span class=\"muted\">to ada@client.test</span>") {
		t.Error("the button does not say where the link goes")
	}
	v := url.Values{"key": {form[2]}}

	first := s.postWith(t, shown, form[1], v)
	t.Run("the post is answered with a redirect to the page, which says the link was sent", func(t *testing.T) {
		if first.status != http.StatusSeeOther || first.header.Get("Location") != shown.path+"?mailed=1" {
			t.Fatalf("status %d, to %q: %.1000s", first.status, first.header.Get("Location"), first.body)
		}
		p := s.follow(t, shownPageAt(first, shown))
		if !strings.Contains(p.body, "The link was emailed to ada@client.test.") || !linkURL.MatchString(p.body) {
			t.Errorf("the page after sending: %.3000s", p.body)
		}
	})
	t.Run("the mail arrives at the client's address with the link, in the clinic's name", func(t *testing.T) {
		got := mp.WaitForMail(t, "ada@client.test", 1)
		if len(got) != 1 {
			t.Fatalf("%d messages", len(got))
		}
		m := got[0]
		if !strings.Contains(m.Text, link) || !strings.HasPrefix(m.Subject, "Calm Hands:") || !strings.HasPrefix(m.Text, "Hello Ada,") {
			t.Errorf("subject %q, text:\n%s", m.Subject, m.Text)
		}
		if !strings.Contains(m.Text, "works until") || !strings.Contains(m.Text, "emergency") {
			t.Errorf("the mail does not say how long the link works, or what to do in an emergency:\n%s", m.Text)
		}
	})
	t.Run("the same form sent again goes where the first went, and mails nothing more", func(t *testing.T) {
		again := s.postWith(t, shown, form[1], v)
		if again.status != http.StatusSeeOther || again.header.Get("Location") != first.header.Get("Location") {
			t.Errorf("status %d, to %q", again.status, again.header.Get("Location"))
		}
		if got := mp.MessagesTo(t, "ada@client.test"); len(got) != 1 {
			t.Errorf("%d messages after the form was sent twice", len(got))
		}
	})
	t.Run("without the link shown, nothing is mailed and the page says to make a new one", func(t *testing.T) {
		p := s.post(t, form[1], url.Values{"key": {otherKey}})
		if p.status != http.StatusConflict || !strings.Contains(p.body, "The link is no longer shown here, so it cannot be emailed: make a new one.") {
			t.Errorf("status %d: %.2000s", p.status, p.body)
		}
		if got := mp.MessagesTo(t, "ada@client.test"); len(got) != 1 {
			t.Errorf("%d messages", len(got))
		}
	})
	t.Run("a client with no email address gets no form, and the page says why", func(t *testing.T) {
		bo := &aftercare.Client{ClinicID: clinic.ID, Name: "Bo Nomail"}
		if err := s.store.CreateClient(ctx, bo); err != nil {
			t.Fatal(err)
		}
		p := s.recordSession(t, bo)
		if emailForm.MatchString(p.body) || !strings.Contains(p.body, "Bo Nomail has no email address on file, so the link cannot be emailed") {
			t.Errorf("%.3000s", p.body)
		}
	})
}

// shownPageAt is a redirect answer carrying the cookies of the page it came from.
func shownPageAt(p page, from shownPage) page {
	h := p.header.Clone()
	for _, c := range from.cookies {
		h.Add("Set-Cookie", c.String())
	}
	return page{status: p.status, header: h, body: p.body}
}

func TestWithoutAMailServerThePageSaysTheLinkCannotBeEmailed(t *testing.T) {
	s := newStaffSite(t)
	clinic, _ := s.clinicWithClient(t, "Nobody")
	s.as(owner(clinic.ID))
	cy := &aftercare.Client{ClinicID: clinic.ID, Name: "Cy Nomailserver", Email: "cy@client.test"}
	if err := s.store.CreateClient(context.Background(), cy); err != nil {
		t.Fatal(err)
	}
	shown := s.recordSession(t, cy)
	if emailForm.MatchString(shown.body) || !strings.Contains(shown.body, "The link cannot be emailed from here: no mail server is set up for this service.") {
		t.Errorf("the page offers to email the link with no mail server: %.3000s", shown.body)
	}
	t.Run("a post anyway is refused as unavailable, and the page says so", func(t *testing.T) {
		p := s.postWith(t, shown, shown.path+"/email-link", url.Values{"key": {otherKey}})
		if p.status != http.StatusServiceUnavailable || !strings.Contains(p.body, "No mail server is set up, so the link cannot be emailed: copy it or show the QR code.") {
			t.Errorf("status %d: %.2000s", p.status, p.body)
		}
	})
}

package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"aftercare"
)

// flaggedClient stores a client with phone, a session and a check-in that
// raises a flag, and returns the client and the flag.
func (s *staffSite) flaggedClient(t *testing.T, clinic *aftercare.Clinic, name, phone string) (*aftercare.Client, *aftercare.Flag) {
	t.Helper()
	ctx := context.Background()
	client := &aftercare.Client{ClinicID: clinic.ID, Name: name, Phone: phone}
	if err := s.store.CreateClient(ctx, client); err != nil {
		t.Fatal(err)
	}
	ended := s.now().Add(-30 * time.Hour)
	sess := &aftercare.Session{ClinicID: clinic.ID, ClientID: client.ID, Style: "deep_tissue", AreasWorked: []string{"calves"},
		EndedAt: ended, LinkExpiresAt: ended.Add(14 * 24 * time.Hour), CreatedAt: ended,
		FollowUps: []aftercare.FollowUp{{Hours: 24, DueAt: ended.Add(24 * time.Hour), Status: "scheduled"}, {Hours: 48, DueAt: ended.Add(48 * time.Hour), Status: "scheduled"}}}
	_, hash := aftercare.NewSecret("c_")
	if err := s.store.CreateSession(ctx, sess, hash); err != nil {
		t.Fatal(err)
	}
	hours := 20.0
	req := aftercare.Request{HoursSince: &hours, Symptoms: []string{"calf_swelling"}}
	resp, err := realEngine(t).Assess(req, s.now())
	if err != nil {
		t.Fatal(err)
	}
	f, err := s.store.CreateCheckIn(ctx, &aftercare.CheckIn{ClinicID: clinic.ID, SessionID: sess.ID, HoursSince: hours, Request: req, Assessment: *resp})
	if err != nil || f == nil {
		t.Fatalf("flag %+v, err %v", f, err)
	}
	return client, f
}

// formOf returns the fields of the form whose opening tag holds marker.
func formOf(t *testing.T, body, marker string) url.Values {
	t.Helper()
	i := strings.Index(body, marker)
	if i < 0 {
		t.Fatalf("no form %s in %.3000s", marker, body)
	}
	form := body[i:]
	form = form[:strings.Index(form, "</form>")]
	v := url.Values{}
	for _, m := range regexp.MustCompile(`<input type="hidden" name="([a-z_]+)" value="([^"]*)">`).FindAllStringSubmatch(form, -1) {
		v.Set(m[1], html.UnescapeString(m[2]))
	}
	return v
}

func TestAFlagIsCalledBackAcknowledgedWithItsOutcomeAndUndone(t *testing.T) {
	s := newStaffSite(t)
	clinic, _ := s.clinicWithClient(t, "Ana Lima")
	client, flag := s.flaggedClient(t, clinic, "Bea Costa", "+44 (20) 7946-0958")
	s.as(owner(clinic.ID))
	ackMarker := fmt.Sprintf(`data-ack="%d"`, flag.ID)

	d := s.get(t, "/staff")
	t.Run("the flag offers to call the client, dialable", func(t *testing.T) {
		if !strings.Contains(d.body, `href="tel:&#43;442079460958"`) && !strings.Contains(d.body, `href="tel:+442079460958"`) {
			t.Errorf("no tel: link with the number's digits: %.4000s", d.body)
		}
	})
	t.Run("the acknowledgement form offers every outcome", func(t *testing.T) {
		for _, c := range aftercare.Outcomes.Codes() {
			if !strings.Contains(d.body, fmt.Sprintf(`name="outcome" value="%s"> %s`, c.Code, html.EscapeString(c.Label))) {
				t.Errorf("no choice of %s", c.Code)
			}
		}
	})
	form := formOf(t, d.body, ackMarker)
	t.Run("a bad outcome is refused naming the allowed ones, and the flag stays open", func(t *testing.T) {
		bad := formOf(t, d.body, ackMarker)
		bad.Set("key", formKeyOf(t, s.get(t, "/staff").body))
		bad.Set("outcome", "phoned")
		p := s.post(t, fmt.Sprintf("/staff/flags/%d/ack", flag.ID), bad)
		if p.status != 400 || !strings.Contains(p.body, "advised_doctor") {
			t.Errorf("status %d: %.2000s", p.status, p.body)
		}
		if open, _ := s.store.ListFlags(context.Background(), clinic.ID); len(open) != 1 {
			t.Errorf("%d open flags, want 1", len(open))
		}
	})
	form.Set("outcome", "called")
	form.Set("outcome_note", "Resting, will see GP")
	acked := s.follow(t, s.post(t, fmt.Sprintf("/staff/flags/%d/ack", flag.ID), form))
	t.Run("acknowledging shows the outcome and a way to undo it", func(t *testing.T) {
		if !strings.Contains(acked.body, `data-outcome="called">Called the client`) || !strings.Contains(acked.body, "Resting, will see GP") ||
			!strings.Contains(acked.body, fmt.Sprintf(`data-undo="%d"`, flag.ID)) || !strings.Contains(acked.body, "No open flags") {
			t.Errorf("the page after acknowledging: %.4000s", acked.body)
		}
	})
	undo := formOf(t, acked.body, fmt.Sprintf(`data-undo="%d"`, flag.ID))
	back := s.follow(t, s.post(t, fmt.Sprintf("/staff/flags/%d/undo", flag.ID), undo))
	t.Run("undoing brings the flag back, its outcome cleared", func(t *testing.T) {
		if !strings.Contains(back.body, ackMarker) {
			t.Errorf("the flag is not back: %.4000s", back.body)
		}
		f, err := s.store.FindFlag(context.Background(), clinic.ID, flag.ID)
		if err != nil || f.AckedAt != nil || f.Outcome != "" {
			t.Errorf("flag %+v, err %v", f, err)
		}
	})
	t.Run("the same acknowledgement form sent again stores nothing more", func(t *testing.T) {
		s.post(t, fmt.Sprintf("/staff/flags/%d/ack", flag.ID), form)
		if f, _ := s.store.FindFlag(context.Background(), clinic.ID, flag.ID); f.AckedAt != nil {
			t.Errorf("the flag was acknowledged again by a resent form: %+v", f)
		}
	})
	t.Run("ten minutes after acknowledging, undoing is refused saying why", func(t *testing.T) {
		again := formOf(t, s.get(t, "/staff").body, ackMarker)
		again.Set("outcome", "no_answer")
		page := s.follow(t, s.post(t, fmt.Sprintf("/staff/flags/%d/ack", flag.ID), again))
		undo := formOf(t, page.body, fmt.Sprintf(`data-undo="%d"`, flag.ID))
		s.advance(11 * time.Minute)
		if p := s.get(t, fmt.Sprintf("/staff/clients/%d", client.ID)); strings.Contains(p.body, fmt.Sprintf(`data-undo="%d"`, flag.ID)) {
			t.Error("the client page still offers to undo")
		}
		p := s.post(t, fmt.Sprintf("/staff/flags/%d/undo", flag.ID), undo)
		if p.status != 409 || !strings.Contains(p.body, "10 minutes") {
			t.Errorf("status %d: %.2000s", p.status, p.body)
		}
		if f, _ := s.store.FindFlag(context.Background(), clinic.ID, flag.ID); f.AckedAt == nil || f.Outcome != "no_answer" {
			t.Errorf("flag %+v, want it still acknowledged", f)
		}
	})
}

func TestAClientsPhoneIsShownAndChanged(t *testing.T) {
	s := newStaffSite(t)
	clinic, client := s.clinicWithClient(t, "Ana Lima")
	s.as(owner(clinic.ID))
	path := fmt.Sprintf("/staff/clients/%d", client.ID)
	edit := func(t *testing.T, phone string) page {
		t.Helper()
		v := formOf(t, s.get(t, path).body, fmt.Sprintf(`action="/staff/clients/%d"`, client.ID))
		v.Set("name", client.Name)
		v.Set("phone", phone)
		return s.post(t, path, v)
	}
	t.Run("a phone saved on the client's page is shown there as a tel: link", func(t *testing.T) {
		p := s.follow(t, edit(t, "020 7946 0000"))
		if !strings.Contains(p.body, `<a href="tel:02079460000" data-call>020 7946 0000</a>`) {
			t.Errorf("no tel: link: %.3000s", p.body)
		}
	})
	t.Run("a bad phone is refused saying the allowed form, and the old one is kept", func(t *testing.T) {
		p := edit(t, "ask reception")
		if p.status != 400 || !strings.Contains(p.body, "phone must be a phone number of 6 to 20 digits") {
			t.Errorf("status %d: %.2000s", p.status, p.body)
		}
		if c, _ := s.store.FindClient(context.Background(), clinic.ID, client.ID); c.Phone != "020 7946 0000" {
			t.Errorf("phone %q", c.Phone)
		}
	})
	t.Run("a client added with a phone keeps it", func(t *testing.T) {
		v := url.Values{"key": {formKeyOf(t, s.get(t, "/staff").body)}, "name": {"Cy Dale"}, "phone": {"+1 (555) 010-4477"}}
		p := s.follow(t, s.post(t, "/staff/clients", v))
		if !strings.Contains(p.body, `href="tel:&#43;15550104477"`) && !strings.Contains(p.body, `href="tel:+15550104477"`) {
			t.Errorf("no tel: link: %.3000s", p.body)
		}
	})
}

func TestTheClientsEditFormShowsItsErrorBesideTheField(t *testing.T) {
	s := newStaffSite(t)
	clinic, client := s.clinicWithClient(t, "Ana Lima")
	s.as(owner(clinic.ID))
	path := fmt.Sprintf("/staff/clients/%d", client.ID)
	for _, tt := range []struct {
		name, field, value, says string
	}{
		{"a phone that is not one", "phone", "ask <reception>", "phone must be a phone number"},
		{"an email that is not one", "email", "ana at home", "email"},
		{"an empty name", "name", "  ", "name"},
	} {
		t.Run(tt.name+" is shown beside its field on the client's page, kept, and nothing is stored", func(t *testing.T) {
			before, err := s.store.FindClient(context.Background(), clinic.ID, client.ID)
			if err != nil {
				t.Fatal(err)
			}
			v := formOf(t, s.get(t, path).body, fmt.Sprintf(`action="/staff/clients/%d"`, client.ID))
			v.Set("name", before.Name)
			v.Set(tt.field, tt.value)
			p := s.post(t, path, v)
			if p.status != http.StatusBadRequest || p.header.Get("Location") != "" {
				t.Fatalf("status %d, Location %q", p.status, p.header.Get("Location"))
			}
			input := regexp.MustCompile(`<input id="edit-` + tt.field + `"[^>]*>`).FindString(p.body)
			if !strings.Contains(input, `aria-invalid="true"`) || !strings.Contains(input, `aria-describedby="err-`+tt.field+`"`) {
				t.Errorf("the field is not marked: %s", input)
			}
			if !strings.Contains(input, `value="`+template(tt.value)+`"`) {
				t.Errorf("the value typed is not kept: %s", input)
			}
			beside := regexp.MustCompile(`<p class="field-error" id="err-` + tt.field + `">([^<]*)</p>`).FindStringSubmatch(p.body)
			if beside == nil || !strings.Contains(beside[1], tt.says) {
				t.Errorf("no error beside the field: %v", beside)
			}
			if n := strings.Count(p.body, `aria-invalid="true"`); n != 1 {
				t.Errorf("%d fields are marked invalid, want 1", n)
			}
			if !strings.Contains(p.body, `<details class="client-edit" open>`) || !strings.Contains(p.body, `role="alert" id="edit-error" data-field="`+tt.field+`"`) {
				t.Error("the form is not open with its error")
			}
			if strings.Contains(p.body, "Please check the form") {
				t.Error("a general error page in place of the client's")
			}
			after, err := s.store.FindClient(context.Background(), clinic.ID, client.ID)
			if err != nil || after.Name != before.Name || after.Email != before.Email || after.Phone != before.Phone {
				t.Errorf("stored %+v, want %+v (%v)", after, before, err)
			}
		})
	}
	t.Run("another clinic's client is not found, whatever the form holds", func(t *testing.T) {
		_, theirs := s.clinicWithClient(t, "Bo Nils")
		p := s.post(t, fmt.Sprintf("/staff/clients/%d", theirs.ID), url.Values{"name": {"X"}, "phone": {"ask reception"}})
		if p.status != http.StatusNotFound || strings.Contains(p.body, "Bo Nils") {
			t.Errorf("status %d", p.status)
		}
	})
}

func TestFollowUpDeliveryIsShownAsItIs(t *testing.T) {
	s := newStaffSite(t)
	ctx := context.Background()
	clinic := &aftercare.Clinic{Name: "Hooked", WebhookURL: "https://hooks.example/aftercare"}
	if err := s.store.CreateClinic(ctx, clinic); err != nil {
		t.Fatal(err)
	}
	client, flag := s.flaggedClient(t, clinic, "Di Fox", "")
	if err := s.store.MarkDelivery(ctx, clinic.ID, flag.SessionID, 24, aftercare.DeliveryFailed, "webhook: webhook checkin.reminder answered 500 Internal Server Error", s.now()); err != nil {
		t.Fatal(err)
	}
	if err := s.store.MarkDelivery(ctx, clinic.ID, flag.SessionID, 48, aftercare.DeliveryDelivered, "", s.now()); err != nil {
		t.Fatal(err)
	}
	s.as(owner(clinic.ID))
	for _, path := range []string{sessionPath(flag.SessionID), fmt.Sprintf("/staff/clients/%d", client.ID)} {
		t.Run("the page "+path+" says which reminder failed, why, and which was delivered", func(t *testing.T) {
			p := s.get(t, path)
			for _, want := range []string{"failed: webhook: webhook checkin.reminder answered 500 Internal Server Error", "will be tried again", "delivered"} {
				if !strings.Contains(p.body, want) {
					t.Errorf("lacks %q: %.4000s", want, p.body)
				}
			}
		})
	}
}

package aftercare_test

import (
	"errors"
	"strings"
	"testing"
	"unicode"

	"aftercare"
)

// wantValid checks that err is nil when field is "", and otherwise an
// EINVALID error naming field.
func wantValid(t *testing.T, err error, field string) {
	t.Helper()
	if field == "" {
		if err != nil {
			t.Fatalf("refused: %v", err)
		}
		return
	}
	var e *aftercare.Error
	if !errors.As(err, &e) || e.Code != aftercare.EINVALID || e.Field != field {
		t.Fatalf("err %v; want EINVALID naming %q", err, field)
	}
	if e.Message == "" {
		t.Error("the error has no message")
	}
}

// TestValidate holds every entity's Validate to what it admits and to the
// field its error names.
func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		entity interface{ Validate() error }
		field  string
	}{
		{"client: a name alone is enough", &aftercare.Client{Name: "Ana Lima"}, ""},
		{"client: a name and an email are kept", &aftercare.Client{Name: "Ana Lima", Email: "ana@example.com"}, ""},
		{"client: a missing name is refused", &aftercare.Client{Email: "ana@example.com"}, "name"},
		{"client: a name of spaces is refused", &aftercare.Client{Name: "   "}, "name"},
		{"client: a name of 201 characters is refused", &aftercare.Client{Name: strings.Repeat("é", 201)}, "name"},
		{"client: a name of 200 characters is kept", &aftercare.Client{Name: strings.Repeat("é", 200)}, ""},
		{"client: a name with a control character is refused", &aftercare.Client{Name: "Ana\x00"}, "name"},
		{"client: a name that is not UTF-8 is refused", &aftercare.Client{Name: "Ana \xff"}, "name"},
		{"client: an email without a domain dot is refused", &aftercare.Client{Name: "Ana", Email: "ana@localhost"}, "email"},
		{"client: an email with a display name is refused", &aftercare.Client{Name: "Ana", Email: "Ana <ana@example.com>"}, "email"},
		{"client: two emails are refused", &aftercare.Client{Name: "Ana", Email: "ana@example.com, bo@example.com"}, "email"},
		{"client: an email of 255 bytes is refused", &aftercare.Client{Name: "Ana", Email: strings.Repeat("a", 243) + "@example.com"}, "email"},
		{"client: a phone with spaces, brackets, a hyphen and a plus is kept", &aftercare.Client{Name: "Ana", Phone: "+44 (20) 7946-0958"}, ""},
		{"client: a phone of five digits is refused", &aftercare.Client{Name: "Ana", Phone: "12345"}, "phone"},
		{"client: a phone with dots is refused", &aftercare.Client{Name: "Ana", Phone: "06.12.34.56.78"}, "phone"},
		{"client: a phone with letters is refused", &aftercare.Client{Name: "Ana", Phone: "0800 FLOWERS"}, "phone"},
		{"acknowledgement: no outcome is an acknowledgement", &aftercare.FlagAck{By: "ana@example.com"}, ""},
		{"acknowledgement: every outcome is kept", &aftercare.FlagAck{By: "ana@example.com", Outcome: "advised_emergency", Note: "ambulance called"}, ""},
		{"acknowledgement: nobody acknowledging is refused", &aftercare.FlagAck{By: " ", Outcome: "called"}, "acked_by"},
		{"acknowledgement: an unknown outcome is refused", &aftercare.FlagAck{By: "ana@example.com", Outcome: "phoned"}, "outcome"},
		{"acknowledgement: a note without an outcome is refused", &aftercare.FlagAck{By: "ana@example.com", Note: "rang"}, "outcome_note"},
		{"acknowledgement: a note of 501 characters is refused", &aftercare.FlagAck{By: "ana@example.com", Outcome: "other", Note: strings.Repeat("é", 501)}, "outcome_note"},
		{"acknowledgement: a note with a control character is refused", &aftercare.FlagAck{By: "ana@example.com", Outcome: "other", Note: "a\x07"}, "outcome_note"},
		{"screening: no health answers is a screening", &aftercare.Screening{}, ""},
		{"screening: known answers are kept", &aftercare.Screening{Health: []string{"pregnant", "blood_thinners"}}, ""},
		{"screening: an unknown answer is refused by its place in the list", &aftercare.Screening{Health: []string{"pregnant", "flu"}}, "health[1]"},
		{"screening: an empty answer is refused", &aftercare.Screening{Health: []string{""}}, "health[0]"},
		{"screening: notes longer than the limit are refused", &aftercare.Screening{Notes: strings.Repeat("x", aftercare.MaxTextBytes+1)}, "notes"},
		{"session: a client alone is a session", &aftercare.Session{ClientID: 1}, ""},
		{"session: every code known is a session", &aftercare.Session{ClientID: 1, Style: "deep_tissue", Pressure: "firm", AreasWorked: []string{"neck"}, AreaPressure: map[string]string{"calves": "deep"}}, ""},
		{"session: no client is refused", &aftercare.Session{Style: "swedish"}, "client_id"},
		{"session: an unknown style is refused", &aftercare.Session{ClientID: 1, Style: "shiatsu"}, "style"},
		{"session: an unknown pressure is refused", &aftercare.Session{ClientID: 1, Pressure: "crushing"}, "pressure"},
		{"session: an unknown area is refused by its place in the list", &aftercare.Session{ClientID: 1, AreasWorked: []string{"neck", "elbow"}}, "areas_worked[1]"},
		{"session: a pressure for an unknown area is refused", &aftercare.Session{ClientID: 1, AreaPressure: map[string]string{"elbow": "firm"}}, "area_pressure.elbow"},
		{"session: an unknown pressure for an area is refused", &aftercare.Session{ClientID: 1, AreaPressure: map[string]string{"neck": "hard"}}, "area_pressure.neck"},
		{"session: notes longer than the limit are refused", &aftercare.Session{ClientID: 1, Notes: strings.Repeat("x", aftercare.MaxTextBytes+1)}, "notes"},
		{"user: an owner is a user", &aftercare.User{Email: "owner@example.com", Role: aftercare.RoleOwner}, ""},
		{"user: a therapist is a user", &aftercare.User{Email: "ana@example.com", Role: aftercare.RoleTherapist}, ""},
		{"user: no email is refused", &aftercare.User{Role: aftercare.RoleOwner}, "email"},
		{"user: a bad email is refused", &aftercare.User{Email: "nobody", Role: aftercare.RoleOwner}, "email"},
		{"user: an unknown role is refused", &aftercare.User{Email: "ana@example.com", Role: "boss"}, "role"},
		{"clinic: a name alone is a clinic", &aftercare.Clinic{Name: "Calm Hands"}, ""},
		{"clinic: every setting given is a clinic", &aftercare.Clinic{Name: "Calm Hands", NotifyEmail: "desk@calm.example", WebhookURL: "https://calm.example/hook", FollowUpHours: []int{12, 36}}, ""},
		{"clinic: no name is refused", &aftercare.Clinic{}, "name"},
		{"clinic: a bad notification address is refused", &aftercare.Clinic{Name: "X", NotifyEmail: "desk"}, "notify_email"},
		{"clinic: a webhook that is not http is refused", &aftercare.Clinic{Name: "X", WebhookURL: "ftp://x.example"}, "webhook_url"},
		{"clinic: a relative webhook is refused", &aftercare.Clinic{Name: "X", WebhookURL: "/hook"}, "webhook_url"},
		{"clinic: a follow-up at the session's end is refused", &aftercare.Clinic{Name: "X", FollowUpHours: []int{24, 0}}, "follow_up_hours[1]"},
		{"clinic: a follow-up past a year is refused", &aftercare.Clinic{Name: "X", FollowUpHours: []int{aftercare.MaxHours + 1}}, "follow_up_hours[0]"},
		{"clinic: an IANA time zone is kept", &aftercare.Clinic{Name: "X", TimeZone: "America/Los_Angeles"}, ""},
		{"clinic: UTC is a time zone", &aftercare.Clinic{Name: "X", TimeZone: "UTC"}, ""},
		{"clinic: no time zone is kept (UTC)", &aftercare.Clinic{Name: "X"}, ""},
		{"clinic: a time zone in words is refused", &aftercare.Clinic{Name: "X", TimeZone: "Pacific Time"}, "time_zone"},
		{"clinic: a misspelt time zone is refused", &aftercare.Clinic{Name: "X", TimeZone: "Europe/Londn"}, "time_zone"},
		{"clinic: the server's own zone is refused", &aftercare.Clinic{Name: "X", TimeZone: "Local"}, "time_zone"},
		{"clinic: a path for a time zone is refused", &aftercare.Clinic{Name: "X", TimeZone: "../../etc/passwd"}, "time_zone"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantValid(t, tt.entity.Validate(), tt.field) })
	}
}

func TestValidatePhone(t *testing.T) {
	tests := []struct {
		name  string
		phone string
		ok    bool
	}{
		{"an international number with spaces is kept", "+44 20 7946 0958", true},
		{"a national number with brackets and a hyphen is kept", "(555) 010-4477", true},
		{"a number with dots is kept", "06.12.34.56.78", true},
		{"a short emergency number is kept", "112", true},
		{"fifteen digits are kept", "+123456789012345", true},
		{"sixteen digits are refused", "+1234567890123456", false},
		{"two digits are refused", "12", false},
		{"an empty number is refused", "", false},
		{"a plus inside the number is refused", "44+20 7946 0958", false},
		{"letters are refused", "0800 FLOWERS", false},
		{"an unclosed bracket is refused", "(555 010-4477", false},
		{"a second pair of brackets is refused", "(555) (010) 4477", false},
		{"a closing bracket first is refused", ")555( 010-4477", false},
		{"an extension is refused", "555 0104 ext. 12", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			field := ""
			if !tt.ok {
				field = "phone"
			}
			wantValid(t, aftercare.ValidatePhone("phone", tt.phone), field)
		})
	}
}

func TestValidateClientPhone(t *testing.T) {
	tests := []struct {
		name  string
		phone string
		ok    bool
	}{
		{"an international number with spaces is kept", "+44 20 7946 0958", true},
		{"a national number with brackets and a hyphen is kept", "(555) 010-4477", true},
		{"six digits are kept", "123 456", true},
		{"twenty digits are kept", "+1234 5678 9012 3456 7890", true},
		{"five digits are refused", "12 345", false},
		{"twenty-one digits are refused", "+1234 5678 9012 3456 78901", false},
		{"dots are refused", "06.12.34.56.78", false},
		{"a plus inside the number is refused", "44+20 7946 0958", false},
		{"an unclosed bracket is refused", "(555 010-4477", false},
		{"an extension is refused", "555 0104 ext. 12", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			field := ""
			if !tt.ok {
				field = "phone"
			}
			err := aftercare.ValidateClientPhone("phone", tt.phone)
			wantValid(t, err, field)
			if err != nil && !strings.Contains(err.Error(), "digits, spaces, +, - and brackets") {
				t.Errorf("the error %q does not say the allowed form", err)
			}
		})
	}
}

// FuzzValidatePhone checks any text as a phone number: no panic, and what is
// admitted holds MinPhoneDigits to MaxPhoneDigits digits and nothing but the
// separators a person writes.
func FuzzValidatePhone(f *testing.F) {
	for _, seed := range []string{"+44 20 7946 0958", "(555) 010-4477", "112", "", "+", "((1))", "١٢٣٤"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, phone string) {
		if aftercare.ValidatePhone("phone", phone) != nil {
			return
		}
		digits := 0
		for i, c := range phone {
			switch {
			case c >= '0' && c <= '9':
				digits++
			case c == '+' && i == 0, strings.ContainsRune("(). -", c):
			default:
				t.Fatalf("%q admitted with %q", phone, c)
			}
		}
		if digits < aftercare.MinPhoneDigits || digits > aftercare.MaxPhoneDigits {
			t.Fatalf("%q admitted with %d digits", phone, digits)
		}
	})
}

// FuzzValidateEmail checks any text as an email address: no panic, and what
// is admitted is one bare address with a dot in its domain, within the limit.
func FuzzValidateEmail(f *testing.F) {
	for _, seed := range []string{"ana@example.com", "Ana <ana@example.com>", "ana@localhost", "", "a@b.c", "\"a b\"@example.com"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, email string) {
		if aftercare.ValidateEmail("email", email) != nil {
			return
		}
		at := strings.LastIndexByte(email, '@')
		if len(email) > aftercare.MaxEmailBytes || at < 1 || !strings.Contains(email[at+1:], ".") {
			t.Fatalf("%q admitted", email)
		}
		if strings.ContainsAny(email, "<>,") || strings.IndexFunc(email, unicode.IsControl) >= 0 {
			t.Fatalf("%q admitted", email)
		}
	})
}

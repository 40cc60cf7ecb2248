package aftercare

import (
	"maps"
	"net/mail"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits of the clinic's text fields.
const (
	// MaxNameChars bounds a client's or a clinic's name.
	MaxNameChars = 200
	// MaxEmailBytes bounds an email address (RFC 5321's path limit).
	MaxEmailBytes = 254
	// MinPhoneDigits and MaxPhoneDigits bound the digits of a phone number
	// (E.164 allows at most 15).
	MinPhoneDigits = 3
	MaxPhoneDigits = 15
	// MinClientPhoneDigits and MaxClientPhoneDigits bound the digits of a
	// client's phone number, which may carry an extension.
	MinClientPhoneDigits = 6
	MaxClientPhoneDigits = 20
	// MaxOutcomeNoteChars bounds the note of a flag's outcome.
	MaxOutcomeNoteChars = 500
)

// Validate checks a client before it is stored: a name of printable text, at
// most MaxNameChars characters, an email address when one is given, and a
// phone number (ValidateClientPhone) when one is given. Each error is
// EINVALID and names its field.
func (c *Client) Validate() error {
	if err := ValidateName("name", c.Name); err != nil {
		return err
	}
	if c.Email != "" {
		if err := ValidateEmail("email", c.Email); err != nil {
			return err
		}
	}
	if c.Phone != "" {
		return ValidateClientPhone("phone", c.Phone)
	}
	return nil
}

// Validate checks an acknowledgement before it is stored: who acknowledges,
// the outcome a code of Outcomes when one is given, and a note of printable
// text of at most MaxOutcomeNoteChars characters, only with an outcome.
func (a *FlagAck) Validate() error {
	if strings.TrimSpace(a.By) == "" {
		return Errorf(EINVALID, "acked_by", "acked_by is required: who acknowledges the flag")
	}
	if a.Outcome != "" && !Outcomes.Has(a.Outcome) {
		return unknownCode(Outcomes, "outcome", a.Outcome)
	}
	if a.Note == "" {
		return nil
	}
	if a.Outcome == "" {
		return Errorf(EINVALID, "outcome_note", "outcome_note goes with an outcome; allowed outcomes: %s", Outcomes.Allowed())
	}
	if n := utf8.RuneCountInString(a.Note); n > MaxOutcomeNoteChars {
		return Errorf(EINVALID, "outcome_note", "outcome_note is %d characters long; at most %d are allowed", n, MaxOutcomeNoteChars)
	}
	if !printable(a.Note) {
		return Errorf(EINVALID, "outcome_note", "outcome_note must be printable text")
	}
	return nil
}

// Validate checks a screening before it is stored: every health answer a
// code of Health, and notes of at most MaxTextBytes.
func (s *Screening) Validate() error {
	for i, h := range s.Health {
		if !Health.Has(h) {
			return unknownCode(Health, entry("health", i), h)
		}
	}
	return validateNotes(s.Notes)
}

// Validate checks a session before it is stored: a client, the style and
// pressure as codes (or empty), every area worked a code of Areas, every
// per-area pressure a code of Pressures for a code of Areas, and notes of at
// most MaxTextBytes. When the session ended is the use case's to judge, as it
// depends on the time of recording.
func (s *Session) Validate() error {
	if s.ClientID <= 0 {
		return Errorf(EINVALID, "client_id", "client_id is required: the id of one of the clinic's clients, a positive number")
	}
	if s.Style != "" && !Styles.Has(s.Style) {
		return unknownCode(Styles, "style", s.Style)
	}
	if s.Pressure != "" && !Pressures.Has(s.Pressure) {
		return unknownCode(Pressures, "pressure", s.Pressure)
	}
	for i, a := range s.AreasWorked {
		if !Areas.Has(a) {
			return unknownCode(Areas, entry("areas_worked", i), a)
		}
	}
	for _, area := range slices.Sorted(maps.Keys(s.AreaPressure)) {
		field := "area_pressure." + area
		if !Areas.Has(area) {
			return Errorf(EINVALID, field, "unknown area %q in area_pressure; allowed: %s", area, Areas.Allowed())
		}
		if p := s.AreaPressure[area]; !Pressures.Has(p) {
			return unknownCode(Pressures, field, p)
		}
	}
	return validateNotes(s.Notes)
}

// Validate checks a staff user before it is stored: an email address and a
// role, RoleOwner or RoleTherapist.
func (u *User) Validate() error {
	if u.Email == "" {
		return Errorf(EINVALID, "email", "email is required: the user's address, such as ana@example.com")
	}
	if err := ValidateEmail("email", u.Email); err != nil {
		return err
	}
	if u.Role != RoleOwner && u.Role != RoleTherapist {
		return Errorf(EINVALID, "role", "unknown role %q; allowed: %s, %s", u.Role, RoleOwner, RoleTherapist)
	}
	return nil
}

// Validate checks a clinic before it is stored: a name, the address for
// flagged check-ins when one is given, the webhook as CheckWebhookURL
// admits it when one is given, and each follow-up time a whole number of
// hours from 1 to MaxHours (none means DefaultFollowUpHours), and the time
// zone an IANA name when one is given (none means DefaultTimeZone).
func (c *Clinic) Validate() error {
	if err := ValidateName("name", c.Name); err != nil {
		return err
	}
	if c.TimeZone != "" {
		if err := ValidateTimeZone("time_zone", c.TimeZone); err != nil {
			return err
		}
	}
	if c.NotifyEmail != "" {
		if err := ValidateEmail("notify_email", c.NotifyEmail); err != nil {
			return err
		}
	}
	if c.WebhookURL != "" {
		if err := CheckWebhookURL(c.WebhookURL); err != nil {
			return err
		}
	}
	for i, h := range c.FollowUpHours {
		if h < 1 || h > MaxHours {
			return Errorf(EINVALID, entry("follow_up_hours", i), "follow_up_hours must be whole numbers of hours from 1 to %d, not %d", MaxHours, h)
		}
	}
	return nil
}

// ValidateName checks a name: present, printable text, at most MaxNameChars
// characters. The error is EINVALID for field.
func ValidateName(field, name string) error {
	if strings.TrimSpace(name) == "" {
		return Errorf(EINVALID, field, "%s is required", field)
	}
	if n := utf8.RuneCountInString(name); n > MaxNameChars {
		return Errorf(EINVALID, field, "%s is %d characters long; at most %d are allowed", field, n, MaxNameChars)
	}
	if !printable(name) {
		return Errorf(EINVALID, field, "%s must be printable text", field)
	}
	return nil
}

// ValidateEmail checks one bare email address, such as ana@example.com: at
// most MaxEmailBytes, no display name or angle brackets, and a dot in the
// domain. The error is EINVALID for field.
func ValidateEmail(field, email string) error {
	if len(email) > MaxEmailBytes {
		return Errorf(EINVALID, field, "%s is %d bytes long; at most %d are allowed", field, len(email), MaxEmailBytes)
	}
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || !strings.Contains(email[strings.LastIndexByte(email, '@')+1:], ".") {
		return Errorf(EINVALID, field, "%s must be one address such as ana@example.com, not %q", field, email)
	}
	return nil
}

// ValidatePhone checks a phone number as a person writes it: an optional
// leading "+", then digits, with spaces, dots, hyphens and one pair of
// brackets between them, MinPhoneDigits to MaxPhoneDigits digits in all
// (+44 20 7946 0958, (555) 010-4477, 112). The error is EINVALID for field.
func ValidatePhone(field, phone string) error {
	if !phoneShape(phone, ". -", MinPhoneDigits, MaxPhoneDigits) {
		return Errorf(EINVALID, field, "%s must be a phone number of %d to %d digits, such as +44 20 7946 0958, not %q", field, MinPhoneDigits, MaxPhoneDigits, phone)
	}
	return nil
}

// ValidateClientPhone checks a client's phone number: an optional leading
// "+", then digits, with spaces, hyphens and one pair of brackets between
// them, MinClientPhoneDigits to MaxClientPhoneDigits digits in all
// (+44 20 7946 0958, (555) 010-4477). The error is EINVALID for field.
func ValidateClientPhone(field, phone string) error {
	if !phoneShape(phone, " -", MinClientPhoneDigits, MaxClientPhoneDigits) {
		return Errorf(EINVALID, field, "%s must be a phone number of %d to %d digits written with digits, spaces, +, - and brackets, such as +44 20 7946 0958, not %q", field, MinClientPhoneDigits, MaxClientPhoneDigits, phone)
	}
	return nil
}

// phoneShape reports whether phone is an optional leading "+", then digits
// with the separators seps and one pair of brackets between them, holding
// min to max digits.
func phoneShape(phone, seps string, min, max int) bool {
	digits, open, closed := 0, false, false
	for i, c := range phone {
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == '+':
			if i != 0 {
				return false
			}
		case c == '(':
			if open {
				return false
			}
			open = true
		case c == ')':
			if !open || closed {
				return false
			}
			closed = true
		case strings.ContainsRune(seps, c):
		default:
			return false
		}
	}
	return digits >= min && digits <= max && open == closed
}

// validateNotes checks a record's free-text notes.
func validateNotes(notes string) error {
	if len(notes) > MaxTextBytes {
		return Errorf(EINVALID, "notes", "notes are %d bytes long; at most %d are allowed", len(notes), MaxTextBytes)
	}
	return nil
}

// printable reports whether s is valid UTF-8 without control characters.
func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, c := range s {
		if unicode.IsControl(c) {
			return false
		}
	}
	return true
}

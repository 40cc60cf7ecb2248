package export

import (
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"aftercare"
)

// ICSProductID is the PRODID of the calendars written here.
const ICSProductID = "-//Aftercare//Follow-up reminders//EN"

// FollowUpsICS writes an iCalendar file (RFC 5545) of a client's follow-up
// check-in times: one VEVENT per follow-up of each session, starting at the
// follow-up's time in UTC, with a display alarm 15 minutes before. The events
// say only when to check in and with which clinic: no health data. A
// follow-up the client no longer needs (status "skipped") is a cancelled
// event. now is the DTSTAMP. Sessions of another client are refused.
func FollowUpsICS(w io.Writer, clinic aftercare.Clinic, client aftercare.Client, sessions []aftercare.Session, now time.Time) error {
	if client.ClinicID != clinic.ID {
		return fmt.Errorf("export: client %d belongs to clinic %d, not %d", client.ID, client.ClinicID, clinic.ID)
	}
	var c calendar
	c.line("BEGIN:VCALENDAR")
	c.line("VERSION:2.0")
	c.line("PRODID:" + ICSProductID)
	c.line("CALSCALE:GREGORIAN")
	c.line("METHOD:PUBLISH")
	c.line("X-WR-CALNAME:" + escapeText("Check-ins with "+clinicName(clinic)))
	stamp := icsTime(now)
	for _, s := range sessions {
		if err := owned(client, "session", s.ID, s.ClinicID, s.ClientID); err != nil {
			return err
		}
		for _, f := range s.FollowUps {
			summary := "Check in with " + clinicName(clinic) + " after your massage"
			c.line("BEGIN:VEVENT")
			c.line(fmt.Sprintf("UID:aftercare-followup-%d-%d-%dh@aftercare", s.ClinicID, s.ID, f.Hours))
			c.line("DTSTAMP:" + stamp)
			c.line("DTSTART:" + icsTime(f.DueAt))
			c.line("DURATION:PT15M")
			c.line("SUMMARY:" + escapeText(summary))
			c.line("DESCRIPTION:" + escapeText(description(clinic, f)))
			if f.Status == "skipped" {
				c.line("STATUS:CANCELLED")
			} else {
				c.line("STATUS:CONFIRMED")
			}
			c.line("TRANSP:TRANSPARENT")
			c.line("BEGIN:VALARM")
			c.line("ACTION:DISPLAY")
			c.line("DESCRIPTION:" + escapeText(summary))
			c.line("TRIGGER:-PT15M")
			c.line("END:VALARM")
			c.line("END:VEVENT")
		}
	}
	c.line("END:VCALENDAR")
	_, err := io.WriteString(w, c.b.String())
	return err
}

func clinicName(c aftercare.Clinic) string {
	if strings.TrimSpace(c.Name) == "" {
		return "your clinic"
	}
	return c.Name
}

// description says what the follow-up is for, without health data.
func description(clinic aftercare.Clinic, f aftercare.FollowUp) string {
	d := fmt.Sprintf("About %d hours after your massage, %s would like to hear how you feel. "+
		"Open the check-in link from their email or message to answer a few short questions.", f.Hours, clinicName(clinic))
	if clinic.EmergencyNumber != "" {
		d += "\nIf you feel very unwell, call " + clinic.EmergencyNumber + "."
	}
	return d
}

// calendar accumulates content lines, folded and ended with CRLF.
type calendar struct{ b strings.Builder }

// line writes one content line folded at 75 octets (RFC 5545 §3.1): a longer
// line goes on in lines that start with a space, and no UTF-8 sequence is split.
func (c *calendar) line(s string) {
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		c.b.WriteString(s[:cut])
		c.b.WriteString("\r\n ")
		s = s[cut:]
		limit = 74 // the leading space counts
	}
	c.b.WriteString(s)
	c.b.WriteString("\r\n")
}

// escapeText escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon and
// comma are escaped, line breaks become \n, and other control characters,
// which TEXT may not hold, are dropped.
func escapeText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\' || r == ';' || r == ',':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n' || r == '\r':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			// dropped
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// icsTime formats t as a UTC DATE-TIME, such as 20260302T173000Z.
func icsTime(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

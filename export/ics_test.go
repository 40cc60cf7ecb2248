package export

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-ical"

	"aftercare"
)

func writeICS(t *testing.T) string {
	t.Helper()
	var buf bytes.Buffer
	if err := FollowUpsICS(&buf, clinic, client, sessions(), now); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestTheFollowUpCalendarReadsBackWithAnICalendarLibrary(t *testing.T) {
	raw := writeICS(t)
	cal, err := ical.NewDecoder(strings.NewReader(raw)).Decode()
	if err != nil {
		t.Fatalf("go-ical cannot read the calendar: %v\n%s", err, raw)
	}
	t.Run("the calendar is version 2.0 with our product id", func(t *testing.T) {
		if v, _ := cal.Props.Text(ical.PropVersion); v != "2.0" {
			t.Errorf("VERSION %q", v)
		}
		if p, _ := cal.Props.Text(ical.PropProductID); p != ICSProductID {
			t.Errorf("PRODID %q", p)
		}
	})
	events := cal.Events()
	var want []aftercare.FollowUp
	var sessionOf []int64
	for _, s := range sessions() {
		for _, f := range s.FollowUps {
			want = append(want, f)
			sessionOf = append(sessionOf, s.ID)
		}
	}
	if len(events) != len(want) {
		t.Fatalf("got %d events, want one per follow-up (%d)", len(events), len(want))
	}
	summary := "Check in with " + clinic.Name + " after your massage"
	uids := map[string]bool{}
	for i, e := range events {
		f := want[i]
		t.Run("the follow-up "+f.DueAt.Format(time.RFC3339)+" is an event at that time with a reminder", func(t *testing.T) {
			start, err := e.DateTimeStart(time.UTC)
			if err != nil || !start.Equal(f.DueAt) || !strings.HasSuffix(e.Props.Get(ical.PropDateTimeStart).Value, "Z") {
				t.Errorf("DTSTART %v (%v), want %v in UTC", start, err, f.DueAt)
			}
			stamp, err := e.Props.DateTime(ical.PropDateTimeStamp, time.UTC)
			if err != nil || !stamp.Equal(now) {
				t.Errorf("DTSTAMP %v (%v), want %v", stamp, err, now)
			}
			uid, _ := e.Props.Text(ical.PropUID)
			if uid == "" || uids[uid] || !strings.Contains(uid, "-"+itoa(sessionOf[i])+"-") {
				t.Errorf("UID %q is empty, repeated or not of session %d", uid, sessionOf[i])
			}
			uids[uid] = true
			if got, err := e.Props.Text(ical.PropSummary); err != nil || got != summary {
				t.Errorf("SUMMARY %q (%v), want %q", got, err, summary)
			}
			desc, err := e.Props.Text(ical.PropDescription)
			if err != nil || !strings.Contains(desc, clinic.Name) || !strings.Contains(desc, "\nIf you feel very unwell, call 999.") {
				t.Errorf("DESCRIPTION %q (%v)", desc, err)
			}
			status, _ := e.Status()
			if wantStatus := map[bool]ical.EventStatus{true: ical.EventCancelled, false: ical.EventConfirmed}[f.Status == "skipped"]; status != wantStatus {
				t.Errorf("STATUS %q, want %q", status, wantStatus)
			}
			if len(e.Children) != 1 || e.Children[0].Name != ical.CompAlarm {
				t.Fatalf("children %+v, want one VALARM", e.Children)
			}
			alarm := e.Children[0]
			if a, _ := alarm.Props.Text(ical.PropAction); a != "DISPLAY" {
				t.Errorf("ACTION %q", a)
			}
			if d, _ := alarm.Props.Text(ical.PropDescription); d != summary {
				t.Errorf("alarm DESCRIPTION %q", d)
			}
			trigger := alarm.Props.Get(ical.PropTrigger)
			if trigger == nil {
				t.Fatal("no TRIGGER")
			}
			if d, err := trigger.Duration(); err != nil || d != -15*time.Minute {
				t.Errorf("TRIGGER %q = %v (%v), want -15m", trigger.Value, d, err)
			}
		})
	}
}

func itoa(v int64) string { return id(v) }

func TestTheFollowUpCalendarFollowsRFC5545(t *testing.T) {
	raw := writeICS(t)
	lines := strings.Split(strings.TrimSuffix(raw, "\r\n"), "\r\n")
	t.Run("every line ends with CRLF and no bare LF or CR is left", func(t *testing.T) {
		if !strings.HasSuffix(raw, "\r\n") || strings.Count(raw, "\n") != strings.Count(raw, "\r\n") || strings.Count(raw, "\r") != strings.Count(raw, "\r\n") {
			t.Error("line ends are not all CRLF")
		}
	})
	t.Run("no line is longer than 75 octets", func(t *testing.T) {
		for _, l := range lines {
			if len(l) > 75 {
				t.Errorf("%d octets: %q", len(l), l)
			}
		}
	})
	t.Run("long lines are folded and folding splits no character", func(t *testing.T) {
		folded := 0
		for _, l := range lines {
			if strings.HasPrefix(l, " ") {
				folded++
			}
			if !utf8.ValidString(l) {
				t.Errorf("line %q splits a UTF-8 sequence", l)
			}
		}
		if folded == 0 {
			t.Error("no line was folded; the test data should need folding")
		}
	})
	t.Run("text is escaped", func(t *testing.T) {
		unfolded := strings.ReplaceAll(raw, "\r\n ", "")
		if !strings.Contains(unfolded, `SUMMARY:Check in with Kneads\; Needs\, "Studio" — Straße after your massage`) {
			t.Errorf("SUMMARY not escaped:\n%s", unfolded)
		}
		if !strings.Contains(unfolded, `\nIf you feel very unwell`) {
			t.Error("the line break in DESCRIPTION is not \\n")
		}
	})
	t.Run("no health data is in the calendar", func(t *testing.T) {
		lower := strings.ToLower(strings.ReplaceAll(raw, "\r\n ", ""))
		for _, word := range []string{"deep tissue", "deep_tissue", "pressure", "neck", "calves", "headache", "consult", "pain", "warfarin", "blood", client.Email, "hyperlink"} {
			if strings.Contains(lower, strings.ToLower(word)) {
				t.Errorf("the calendar says %q", word)
			}
		}
	})
}

func TestTheFollowUpCalendarRefusesAnotherClientsSession(t *testing.T) {
	s := sessions()
	s[0].ClientID = 99
	var b bytes.Buffer
	if err := FollowUpsICS(&b, clinic, client, s, now); err == nil || b.Len() != 0 {
		t.Errorf("err %v, wrote %d bytes", err, b.Len())
	}
}

func TestEscapeText(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"a backslash is doubled", `a\b`, `a\\b`},
		{"a semicolon and a comma are escaped", "a;b,c", `a\;b\,c`},
		{"CRLF, LF and CR become \\n", "a\r\nb\nc\rd", `a\nb\nc\nd`},
		{"other control characters are dropped", "a\x00b\x1bc\x7f", "abc"},
		{"a tab and non-ASCII text stay", "a\tß—ü", "a\tß—ü"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := escapeText(c.in); got != c.want {
				t.Errorf("escapeText(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

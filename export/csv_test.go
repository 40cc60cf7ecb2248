package export

import (
	"bytes"
	"encoding/csv"
	"reflect"
	"strings"
	"testing"

	"aftercare"
)

func TestSpreadsheetSafe(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"a formula gets an apostrophe", "=1+2", "'=1+2"},
		{"a plus sign gets an apostrophe", "+1 better", "'+1 better"},
		{"a minus sign gets an apostrophe", "-kb", "'-kb"},
		{"an at sign gets an apostrophe", "@SUM(A1)", "'@SUM(A1)"},
		{"a leading tab gets an apostrophe", "\tx", "'\tx"},
		{"a leading carriage return gets an apostrophe", "\rx", "'\rx"},
		{"plain text stays as it is", "lower_back", "lower_back"},
		{"a sign inside the text stays as it is", "a=b", "a=b"},
		{"an empty cell stays empty", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := SpreadsheetSafe(c.in); got != c.want {
				t.Errorf("SpreadsheetSafe(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

func TestTheCheckInCSV(t *testing.T) {
	rows, err := CheckInRows(client, sessions())
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteCheckInsCSV(&buf, rows); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	records, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("the CSV does not read back: %v\n%s", err, out)
	}
	name := `'=HYPERLINK("http://evil.example")`
	want := [][]string{
		CSVHeader,
		{"3", "12", name, "40", "2026-03-01T17:30:00Z", "7", "2026-03-02T23:30:00Z", "30", "consult", "neck", "4", "headache;stiffness;warmth_redness", "'-kb+1"},
		{"3", "12", name, "40", "2026-03-01T17:30:00Z", "7", "2026-03-02T23:30:00Z", "30", "consult", "calves", "0", "headache;stiffness;warmth_redness", "'-kb+1"},
		{"3", "12", name, "40", "2026-03-01T17:30:00Z", "8", "2026-03-03T19:45:00Z", "50.25", "self_care", "", "", "", "kb-1"},
	}
	t.Run("it has one row per sore area of each check-in, and one for a check-in without soreness", func(t *testing.T) {
		if !reflect.DeepEqual(records, want) {
			t.Errorf("got\n%q\nwant\n%q", records, want)
		}
	})
	t.Run("no cell starts with a formula character", func(t *testing.T) {
		for _, rec := range records[1:] {
			for _, cell := range rec {
				if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
					t.Errorf("cell %q could run as a formula", cell)
				}
			}
		}
	})
	t.Run("lines end with CRLF", func(t *testing.T) {
		if strings.Count(out, "\r\n") != len(want) || strings.Count(out, "\n") != len(want) {
			t.Errorf("line ends are not CRLF:\n%q", out)
		}
	})
	t.Run("a session without check-ins gives no rows", func(t *testing.T) {
		rows, _ := CheckInRows(client, sessions()[1:])
		if len(rows) != 0 {
			t.Errorf("got %d rows", len(rows))
		}
	})
	t.Run("no rows still give the header", func(t *testing.T) {
		var b bytes.Buffer
		if err := WriteCheckInsCSV(&b, nil); err != nil || b.String() != strings.Join(CSVHeader, ",")+"\r\n" {
			t.Errorf("got %q, %v", b.String(), err)
		}
	})
}

func TestCheckInRowsRefuseAnotherClientsSession(t *testing.T) {
	other := sessions()
	other[1].ClientID = 99
	cases := []struct {
		name     string
		sessions []aftercare.Session
	}{
		{"a session of another client is refused", other},
		{"a session of another clinic is refused", []aftercare.Session{{ID: 1, ClinicID: 4, ClientID: 12}}},
		{"a check-in of another session is refused", []aftercare.Session{{ID: 1, ClinicID: 3, ClientID: 12, CheckIns: []aftercare.CheckIn{{ID: 2, ClinicID: 3, SessionID: 5}}}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := CheckInRows(client, c.sessions); err == nil {
				t.Error("no error")
			}
		})
	}
}

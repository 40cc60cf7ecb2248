package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"aftercare"
)

// CSVHeader is the first line of the check-in CSV.
var CSVHeader = []string{
	"clinic_id", "client_id", "client_name", "session_id", "session_ended_at", "check_in_id",
	"checked_in_at", "hours_since", "level", "area", "pain", "symptoms", "knowledge_version",
}

// CheckInRow is one line of the check-in CSV: one sore area of one check-in,
// or the check-in alone when it names no sore area.
type CheckInRow struct {
	ClinicID       int64
	ClientID       int64
	ClientName     string
	SessionID      int64
	SessionEndedAt time.Time
	CheckInID      int64
	CheckedInAt    time.Time
	HoursSince     float64
	// Level is the triage level's code, or "" when the check-in was not assessed.
	Level string
	// Area is a code of aftercare.Areas, or "" for a check-in without soreness.
	Area string
	// Pain is the 0–10 score of Area, nil without an area.
	Pain *int
	// Symptoms are the check-in's symptom codes: those given and those read
	// from its text (not negated), in that order.
	Symptoms         []string
	KnowledgeVersion string
}

// CheckInRows returns the CSV rows of one client's sessions and their
// check-ins, in the order given. A session of another client or clinic is
// refused, so that one client's export never carries another's data.
func CheckInRows(client aftercare.Client, sessions []aftercare.Session) ([]CheckInRow, error) {
	var rows []CheckInRow
	for _, s := range sessions {
		if err := owned(client, "session", s.ID, s.ClinicID, s.ClientID); err != nil {
			return nil, err
		}
		for _, c := range s.CheckIns {
			if c.ClinicID != s.ClinicID || (c.SessionID != 0 && c.SessionID != s.ID) {
				return nil, fmt.Errorf("export: check-in %d belongs to session %d of clinic %d, not session %d of clinic %d", c.ID, c.SessionID, c.ClinicID, s.ID, s.ClinicID)
			}
			row := CheckInRow{
				ClinicID: s.ClinicID, ClientID: client.ID, ClientName: client.Name,
				SessionID: s.ID, SessionEndedAt: s.EndedAt,
				CheckInID: c.ID, CheckedInAt: c.CreatedAt, HoursSince: c.HoursSince,
				Symptoms:         symptoms(c),
				KnowledgeVersion: c.Assessment.KnowledgeVersion,
			}
			if l := c.Assessment.Level; l > aftercare.LevelNone && l <= aftercare.Emergency {
				row.Level = l.String()
			}
			if len(c.Request.Soreness) == 0 {
				rows = append(rows, row)
			}
			for _, sore := range c.Request.Soreness {
				r := row
				pain := sore.Pain
				r.Area, r.Pain = sore.Area, &pain
				rows = append(rows, r)
			}
		}
	}
	return rows, nil
}

// symptoms returns the symptoms given with a check-in and those read from its
// text, without repeats.
func symptoms(c aftercare.CheckIn) []string {
	seen := map[string]bool{}
	var out []string
	add := func(code string) {
		if code != "" && !seen[code] {
			seen[code] = true
			out = append(out, code)
		}
	}
	for _, s := range c.Request.Symptoms {
		add(s)
	}
	for _, f := range c.Assessment.Findings {
		if f.Type == "symptom" && !f.Negated {
			add(f.Code)
		}
	}
	return out
}

// WriteCheckInsCSV writes rows as CSV (RFC 4180, CRLF line ends) under
// CSVHeader. Times are RFC 3339 in UTC. Every cell that a spreadsheet could
// take for a formula (one starting with =, +, -, @, a tab or a carriage return)
// is written with a leading apostrophe, as OWASP advises against CSV injection.
func WriteCheckInsCSV(w io.Writer, rows []CheckInRow) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	for _, r := range rows {
		pain := ""
		if r.Pain != nil {
			pain = strconv.Itoa(*r.Pain)
		}
		record := []string{
			id(r.ClinicID), id(r.ClientID), r.ClientName, id(r.SessionID), timestamp(r.SessionEndedAt),
			id(r.CheckInID), timestamp(r.CheckedInAt), strconv.FormatFloat(r.HoursSince, 'f', -1, 64),
			r.Level, r.Area, pain, strings.Join(r.Symptoms, ";"), r.KnowledgeVersion,
		}
		for i, cell := range record {
			record[i] = SpreadsheetSafe(cell)
		}
		if err := cw.Write(record); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// SpreadsheetSafe returns cell with a leading apostrophe when it starts with a
// character that makes a spreadsheet read it as a formula: =, +, -, @, tab or
// carriage return (OWASP, CSV injection).
func SpreadsheetSafe(cell string) string {
	if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
		return "'" + cell
	}
	return cell
}

func id(v int64) string { return strconv.FormatInt(v, 10) }

func timestamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// owned refuses a record that does not belong to the client.
func owned(client aftercare.Client, kind string, id, clinicID, clientID int64) error {
	if clientID != client.ID || clinicID != client.ClinicID {
		return fmt.Errorf("export: %s %d belongs to client %d of clinic %d, not client %d of clinic %d", kind, id, clientID, clinicID, client.ID, client.ClinicID)
	}
	return nil
}

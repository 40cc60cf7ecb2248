package triage

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"aftercare"
)

// The messages of textread/testdata/language are read through the same path as
// the CLI door (DecodeRequest, then Assess) and scored as vignettes/score.py
// scores a command: the share triaged appropriately, the count under-triaged,
// and the findings read right. The figures of each file and kind must not fall
// below the floor kept in testdata/language_floor.json. Nobody tunes the reader
// on heldout.jsonl; `go test ./triage -run Language -update` raises the floor to
// today's figures once the reader reads better (and refuses to lower it, unless
// the messages of a group changed, when its floor is taken anew).

// languageFiles are the two halves of the corpus, tune first, and the families
// of wordings written for the reader's own fixes.
var languageFiles = []string{"tune", "heldout", "families"}

const languageFloorFile = "testdata/language_floor.json"

// languageCase is one message with what a careful clinician reads in it.
type languageCase struct {
	vignette
	Pain   *float64  `json:"pain"`
	Hours  []float64 `json:"hours"`
	Kind   string    `json:"kind"`
	Voice  string    `json:"voice"`
	Source string    `json:"source"`
}

// languageScore holds the figures of one group of messages, as counts.
type languageScore struct {
	Messages     string `json:"messages"` // a digest of the group's message ids: the floor holds for these messages only
	Cases        int    `json:"cases"`
	Appropriate  int    `json:"appropriate"`
	UnderTriage  int    `json:"under_triage"`
	FindingsHit  int    `json:"findings_hit"`  // positive findings, pain and time read right
	Findings     int    `json:"findings"`      // positive findings, pain and time labelled
	NegationsHit int    `json:"negations_hit"` // negated findings read as negated
	Negations    int    `json:"negations"`     // negated findings labelled
	NegatedLeak  int    `json:"negated_leak"`  // negated findings read as present
	SymptomsTrue int    `json:"symptoms_true"` // symptom and health findings read as present and labelled present
	SymptomsRead int    `json:"symptoms_read"` // symptom and health findings read as present
}

func (s languageScore) pct(n, d int) string {
	if d == 0 {
		return "   -  "
	}
	return fmt.Sprintf("%5.1f%%", 100*float64(n)/float64(d))
}

// row is the line of the table for one group.
func (s languageScore) row(name string) string {
	return fmt.Sprintf("%-14s %5d %s %5d    %s (%d/%d)   %s (%d/%d)   %s   %d",
		name, s.Cases, s.pct(s.Appropriate, s.Cases), s.UnderTriage,
		s.pct(s.FindingsHit, s.Findings), s.FindingsHit, s.Findings,
		s.pct(s.SymptomsTrue, s.SymptomsRead), s.SymptomsTrue, s.SymptomsRead,
		s.pct(s.NegationsHit, s.Negations), s.NegatedLeak)
}

// worse names every figure of s that is worse than the floor f.
func (s languageScore) worse(f languageScore) []string {
	var out []string
	if s.Messages != f.Messages {
		out = append(out, fmt.Sprintf("the %d messages are not those the floor was taken on (%d); run with -update", s.Cases, f.Cases))
		return out
	}
	check := func(name string, got, floor int, higherIsBetter bool) {
		if (higherIsBetter && got < floor) || (!higherIsBetter && got > floor) {
			out = append(out, fmt.Sprintf("%s %d, floor %d", name, got, floor))
		}
	}
	check("appropriate", s.Appropriate, f.Appropriate, true)
	check("under-triaged", s.UnderTriage, f.UnderTriage, false)
	check("findings read right", s.FindingsHit, f.FindingsHit, true)
	check("negations read right", s.NegationsHit, f.NegationsHit, true)
	check("negated findings read as present", s.NegatedLeak, f.NegatedLeak, false)
	check("symptoms read as present that are not", s.SymptomsRead-s.SymptomsTrue, f.SymptomsRead-f.SymptomsTrue, false)
	check("symptoms read right", s.SymptomsTrue, f.SymptomsTrue, true)
	return out
}

func readLanguageCases(t *testing.T, name string) []languageCase {
	t.Helper()
	path := "../textread/testdata/language/" + name + ".jsonl"
	cases := readJSONLines[languageCase](t, path)
	for _, c := range cases {
		if c.Kind != "real" && c.Kind != "voice" {
			t.Fatalf("%s: %s: kind %q, want real or voice", path, c.ID, c.Kind)
		}
		if len(c.Levels) == 0 {
			t.Fatalf("%s: %s: no levels", path, c.ID)
		}
	}
	return cases
}

// scoreLanguageCase assesses one message and adds its figures to s; it returns
// what went wrong, one line each, for the log.
func scoreLanguageCase(t *testing.T, e *Engine, c languageCase, s *languageScore) []string {
	t.Helper()
	req, err := aftercare.DecodeRequest(c.Request)
	if err != nil {
		t.Fatalf("%s: %v", c.ID, err)
	}
	resp, err := e.Assess(req, requestTime)
	if err != nil {
		t.Fatalf("%s: %v", c.ID, err)
	}
	var notes []string
	s.Cases++
	level := resp.Level.String()
	switch {
	case slices.Contains(c.Levels, level):
		s.Appropriate++
	case levelRank(level) < levelRank(c.Levels[0]):
		s.UnderTriage++
		notes = append(notes, fmt.Sprintf("UNDER-TRIAGE %s, want %v", level, c.Levels))
	default:
		notes = append(notes, fmt.Sprintf("over/off %s, want %v", level, c.Levels))
	}

	present := map[string]bool{}
	negated := map[string]bool{}
	values := map[string]float64{}
	for _, f := range resp.Findings {
		key := f.Type + ":" + f.Code
		if f.Negated {
			negated[key] = true
		} else {
			present[key] = true
			if f.Value != nil {
				values[f.Type] = *f.Value
			}
		}
	}
	labelled := map[string]bool{}
	for _, item := range c.Positive {
		labelled[item] = true
		s.Findings++
		if present[item] {
			s.FindingsHit++
		} else {
			notes = append(notes, "missed "+item)
		}
	}
	for _, item := range c.Negated {
		s.Negations++
		if negated[item] {
			s.NegationsHit++
		} else {
			notes = append(notes, "negation missed "+item)
		}
		if present[item] {
			s.NegatedLeak++
			notes = append(notes, "NEGATED FINDING READ AS PRESENT "+item)
		}
	}
	if c.Pain != nil {
		s.Findings++
		if v, ok := values["pain"]; ok && v == *c.Pain {
			s.FindingsHit++
		} else {
			notes = append(notes, fmt.Sprintf("pain read %v, want %v", valueOrNone(values, "pain"), *c.Pain))
		}
	}
	if len(c.Hours) == 2 {
		s.Findings++
		if v, ok := values["time"]; ok && c.Hours[0] <= v && v <= c.Hours[1] {
			s.FindingsHit++
		} else {
			notes = append(notes, fmt.Sprintf("time read %v, want hours in %v", valueOrNone(values, "time"), c.Hours))
		}
	}
	for key := range present {
		if strings.HasPrefix(key, "symptom:") || strings.HasPrefix(key, "health:") {
			s.SymptomsRead++
			if labelled[key] {
				s.SymptomsTrue++
			} else {
				notes = append(notes, "read as present but not labelled "+key)
			}
		}
	}
	return notes
}

func valueOrNone(values map[string]float64, key string) string {
	if v, ok := values[key]; ok {
		return fmt.Sprint(v)
	}
	return "none"
}

func levelRank(level string) int {
	for i, l := range aftercare.Levels {
		if l.String() == level {
			return i
		}
	}
	return -1
}

func TestLanguageCorpusIsReadNoWorseThanItsFloor(t *testing.T) {
	e := testEngine(t)
	scores := map[string]languageScore{}
	ids := map[string]*strings.Builder{}
	var order []string
	for _, file := range languageFiles {
		for _, c := range readLanguageCases(t, file) {
			group := file + "/" + c.Kind
			if _, ok := scores[group]; !ok {
				order = append(order, group)
				ids[group] = &strings.Builder{}
			}
			ids[group].WriteString(c.ID + "\n")
			s := scores[group]
			notes := scoreLanguageCase(t, e, c, &s)
			scores[group] = s
			if testing.Verbose() && len(notes) > 0 {
				t.Logf("%s %q: %s", c.ID, c.Request, strings.Join(notes, "; "))
			}
		}
	}
	slices.Sort(order)
	for _, g := range order {
		s := scores[g]
		s.Messages = fmt.Sprintf("%x", sha256.Sum256([]byte(ids[g].String())))[:16]
		scores[g] = s
	}
	var table strings.Builder
	table.WriteString("\ngroup          cases appropriate under  findings recall      symptom precision   negations  leaks\n")
	for _, g := range order {
		table.WriteString(scores[g].row(g) + "\n")
	}
	t.Log(table.String())

	var floor map[string]languageScore
	data, err := os.ReadFile(languageFloorFile)
	if err != nil && !(*update && os.IsNotExist(err)) {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if err == nil {
		if err := json.Unmarshal(data, &floor); err != nil {
			t.Fatalf("%s: %v", languageFloorFile, err)
		}
	}
	for _, g := range order {
		t.Run(strings.ReplaceAll(g, "/", " ")+" reads no worse than its floor", func(t *testing.T) {
			f, ok := floor[g]
			switch {
			case !ok && !*update:
				t.Fatalf("no floor for %s in %s (run with -update)", g, languageFloorFile)
			case !ok || *update && scores[g].Messages != f.Messages:
				t.Logf("the corpus of %s changed: its floor is taken anew", g)
				return
			}
			for _, w := range scores[g].worse(f) {
				t.Error(w)
			}
		})
	}
	if *update && !t.Failed() {
		out, err := json.MarshalIndent(scores, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(languageFloorFile, append(out, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

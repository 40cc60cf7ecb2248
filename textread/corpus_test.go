package textread

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"aftercare"
)

// corpusAt is the time of every corpus request: a Wednesday afternoon.
var corpusAt = time.Date(2026, 1, 14, 16, 0, 0, 0, time.UTC)

// corpusCase is one annotated sentence of testdata/corpus.jsonl.
type corpusCase struct {
	Text         string      `json:"text"`
	Present      []string    `json:"present"`
	Negated      []string    `json:"negated"`
	Hypothetical []string    `json:"hypothetical"`
	Historical   []string    `json:"historical"`
	Pain         *float64    `json:"pain"`
	Hours        *[2]float64 `json:"hours"`
	line         int
}

// redFlags are the symptoms whose absence, read as presence, would send a
// client to the emergency department for nothing, and whose presence must
// never be lost.
var redFlags = wordSet(`chest_pain shortness_of_breath coughing_blood fainting sudden_severe_headache confusion
	vision_changes speech_difficulty facial_droop one_sided_weakness saddle_numbness bladder_bowel_change leg_weakness
	calf_swelling dark_urine numbness tingling`)

func loadCorpus(t *testing.T, path string) []corpusCase {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []corpusCase
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var c corpusCase
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			t.Fatalf("%s:%d: %v", path, n, err)
		}
		c.line = n
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// item is a coded finding as "type:code".
func item(f aftercare.Finding) string { return f.Type + ":" + f.Code }

type corpusScore struct {
	tp, fp, fn       int
	negTotal, negHit int
	redFlagLeaks     []string
	misses           []string
	cases            int
}

func (s corpusScore) precision() float64 { return ratio(s.tp, s.tp+s.fp) }
func (s corpusScore) recall() float64    { return ratio(s.tp, s.tp+s.fn) }
func (s corpusScore) negation() float64  { return ratio(s.negHit, s.negTotal) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

func (s corpusScore) String() string {
	return fmt.Sprintf("%d sentences: precision %.1f%% (%d/%d), recall %.1f%% (%d/%d), negation accuracy %.1f%% (%d/%d), red flags read present when negated: %d",
		s.cases, 100*s.precision(), s.tp, s.tp+s.fp, 100*s.recall(), s.tp, s.tp+s.fn, 100*s.negation(), s.negHit,
		s.negTotal, len(s.redFlagLeaks))
}

// scoreCase compares the reader's findings with one annotated sentence.
func scoreCase(r *Reader, c corpusCase, s *corpusScore) {
	fs := r.Read(c.Text, corpusAt)
	present := map[string]bool{}
	negated := map[string]string{} // item -> context
	var pain, hours *float64
	for _, f := range fs {
		switch {
		case f.Type == "pain" && !f.Negated:
			pain = f.Value
		case f.Type == "time":
			hours = f.Value
		case f.Value != nil:
		case f.Negated:
			negated[item(f)] = f.Context
		default:
			present[item(f)] = true
		}
	}
	want := map[string]bool{}
	for _, it := range c.Present {
		want[it] = true
	}
	miss := func(format string, args ...any) {
		s.misses = append(s.misses, fmt.Sprintf("line %d %q: ", c.line, c.Text)+fmt.Sprintf(format, args...))
	}
	for it := range want {
		if present[it] {
			s.tp++
		} else {
			s.fn++
			miss("missed %s", it)
		}
	}
	for it := range present {
		if !want[it] {
			s.fp++
			miss("read %s, not in the text", it)
		}
	}
	if c.Pain != nil {
		if pain != nil && *pain == *c.Pain {
			s.tp++
		} else {
			s.fn++
			if pain != nil {
				s.fp++
			}
			miss("pain %v, want %v", deref(pain), *c.Pain)
		}
	} else if pain != nil {
		s.fp++
		miss("pain %v, want none", *pain)
	}
	if c.Hours != nil {
		if hours != nil && *hours >= c.Hours[0] && *hours <= c.Hours[1] {
			s.tp++
		} else {
			s.fn++
			if hours != nil {
				s.fp++
			}
			miss("hours %v, want %v", deref(hours), *c.Hours)
		}
	} else if hours != nil {
		s.fp++
		miss("hours %v, want none", *hours)
	}
	check := func(items []string, context string) {
		for _, it := range items {
			s.negTotal++
			ctx, ok := negated[it]
			leak := present[it] && !want[it]
			switch {
			case leak:
				miss("NEGATED %s READ AS PRESENT", it)
				if code, ok := strings.CutPrefix(it, "symptom:"); ok && redFlags[code] {
					s.redFlagLeaks = append(s.redFlagLeaks, fmt.Sprintf("line %d %q: %s", c.line, c.Text, it))
				}
			case !ok:
				miss("%s not read as %s", it, context)
			case context != "negated" && ctx != context:
				miss("%s read as %s, want %s", it, ctx, context)
			default:
				s.negHit++
			}
		}
	}
	check(c.Negated, "negated")
	check(c.Hypothetical, "hypothetical")
	check(c.Historical, "historical")
	s.cases++
}

func deref(v *float64) any {
	if v == nil {
		return "none"
	}
	return *v
}

// TestCorpusReadsAsAnnotated scores the reader against the annotated corpus and
// fails under 95% precision, recall or negation accuracy, or on any negated red
// flag read as present.
func TestCorpusReadsAsAnnotated(t *testing.T) {
	cases := loadCorpus(t, "testdata/corpus.jsonl")
	if len(cases) < 220 {
		t.Fatalf("the corpus has %d sentences, want at least 220", len(cases))
	}
	var s corpusScore
	r := Default()
	for _, c := range cases {
		scoreCase(r, c, &s)
	}
	t.Logf("corpus: %s", s)
	if testing.Verbose() || s.precision() < 0.95 || s.recall() < 0.95 || s.negation() < 0.95 {
		for _, m := range s.misses {
			t.Log(m)
		}
	}
	if len(s.redFlagLeaks) > 0 {
		t.Errorf("negated red flags read as present:\n%s", strings.Join(s.redFlagLeaks, "\n"))
	}
	if s.precision() < 0.95 || s.recall() < 0.95 || s.negation() < 0.95 {
		t.Errorf("corpus below 95%%: %s", s)
	}
}

// TestCorpusCoversEveryCode checks that every code of every vocabulary is
// annotated present at least once, and that every annotation names a real code.
func TestCorpusCoversEveryCode(t *testing.T) {
	cases := loadCorpus(t, "testdata/corpus.jsonl")
	seen := map[string]bool{}
	for _, c := range cases {
		for _, list := range [][]string{c.Present, c.Negated, c.Hypothetical, c.Historical} {
			for _, it := range list {
				typ, code, ok := strings.Cut(it, ":")
				if v := aftercare.VocabularyOf(typ); !ok || v == nil || !v.Has(code) {
					t.Errorf("line %d: %q is not a known type:code", c.line, it)
				}
			}
		}
		for _, it := range c.Present {
			seen[it] = true
		}
	}
	var missing []string
	for _, v := range []*aftercare.Vocabulary{aftercare.Symptoms, aftercare.Areas, aftercare.Styles, aftercare.Pressures, aftercare.Health} {
		for _, code := range v.Codes() {
			if !seen[v.Name+":"+code.Code] && !readInCode[code.Code] {
				missing = append(missing, v.Name+":"+code.Code)
			}
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("no corpus sentence has these present: %s", strings.Join(missing, ", "))
	}
}

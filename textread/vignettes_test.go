package textread

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// vignette is one line of ../testdata/vignettes/public.jsonl.
type vignette struct {
	ID      string `json:"id"`
	Request struct {
		Text string `json:"text"`
	} `json:"request"`
	Positive []string    `json:"positive"`
	Negated  []string    `json:"negated"`
	Pain     *float64    `json:"pain"`
	Hours    *[2]float64 `json:"hours"`
}

// TestPublicVignettesReadTheirFindings reads the text of every public vignette
// and checks its findings as the vignette scorer does, at many times of the
// week, since "yesterday" or "this afternoon" must not depend on when one asks.
func TestPublicVignettesReadTheirFindings(t *testing.T) {
	f, err := os.Open("../testdata/vignettes/public.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []vignette
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var v vignette
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatal(err)
		}
		if v.Request.Text != "" {
			cases = append(cases, v)
		}
	}
	if len(cases) == 0 {
		t.Fatal("no vignette has a text")
	}
	start := time.Date(2026, 1, 12, 0, 30, 0, 0, time.UTC) // a Monday
	for _, v := range cases {
		t.Run(fmt.Sprintf("%s reads %s", v.ID, v.Request.Text), func(t *testing.T) {
			for h := 0; h < 7*24; h += 5 {
				at := start.Add(time.Duration(h) * time.Hour)
				if msg := checkVignette(Default(), v, at); msg != "" {
					t.Fatalf("at %s: %s", at.Format("Mon 15:04"), msg)
				}
			}
		})
	}
}

// checkVignette returns what the reader got wrong, or "".
func checkVignette(r *Reader, v vignette, at time.Time) string {
	fs := r.Read(v.Request.Text, at)
	found := map[string]bool{} // "type:code:negated"
	values := map[string]float64{}
	for _, f := range fs {
		found[fmt.Sprintf("%s:%s:%v", f.Type, f.Code, f.Negated)] = true
		if f.Value != nil {
			values[f.Type] = *f.Value
		}
	}
	var errs []string
	for _, it := range v.Positive {
		if !found[it+":false"] {
			errs = append(errs, "missed "+it)
		}
	}
	for _, it := range v.Negated {
		if !found[it+":true"] {
			errs = append(errs, "did not read "+it+" as negated")
		}
		if found[it+":false"] {
			errs = append(errs, "read negated "+it+" as present")
		}
	}
	if v.Pain != nil {
		if p, ok := values["pain"]; !ok || p != *v.Pain {
			errs = append(errs, fmt.Sprintf("pain %v, want %v", values["pain"], *v.Pain))
		}
	}
	if v.Hours != nil {
		if h, ok := values["time"]; !ok || h < v.Hours[0] || h > v.Hours[1] {
			errs = append(errs, fmt.Sprintf("hours %v, want %v", values["time"], *v.Hours))
		}
	}
	if len(errs) > 0 {
		return strings.Join(errs, "; ") + fmt.Sprintf(" (findings: %s)", describe(fs))
	}
	return ""
}

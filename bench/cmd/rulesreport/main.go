// Command rulesreport reads the output of the rule-engine benchmarks
// (several interleaved rounds of BenchmarkRules and BenchmarkAssess) and
// prints the Markdown tables of RULES.md: the median, range and spread per
// engine, and the ratios between engines with their targets.
//
//	rulesreport RULES.txt
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// sample is one benchmark line's figures.
type sample struct{ nsReq, bytesOp, allocsOp float64 }

// ratio is one comparison the report makes: num's time over den's.
type ratio struct {
	num, den string
	target   string
	// ok says whether the median ratio meets the target; nil when there is none.
	ok func(float64) bool
}

var (
	suffix = regexp.MustCompile(`-\d+$`)
	// order is how engines are listed; the names are those of the benchmark lines.
	order = []string{"go", "expr", "cel", "grule", "opa", "assess"}
	label = map[string]string{
		"go":     "hand-written Go (floor)",
		"expr":   "expr (our engine, rules only)",
		"cel":    "cel-go",
		"grule":  "grule",
		"opa":    "OPA (Rego)",
		"assess": "triage Assess (whole answer)",
	}
	ratios = []ratio{
		{"expr", "go", "≤ 2×", func(r float64) bool { return r <= 2 }},
		{"opa", "expr", "≥ 10× (expr at least 10× faster)", func(r float64) bool { return r >= 10 }},
		{"cel", "expr", "", nil},
		{"grule", "expr", "", nil},
		{"assess", "expr", "", nil},
	}
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: rulesreport RESULTS")
		os.Exit(2)
	}
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer f.Close()
	runs, err := parse(f)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := report(os.Stdout, runs); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// parse reads the benchmark lines, keyed by engine, in the order they ran.
func parse(r io.Reader) (map[string][]sample, error) {
	runs := map[string][]sample{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 4 || !strings.HasPrefix(fields[0], "Benchmark") {
			continue
		}
		name := suffix.ReplaceAllString(strings.TrimPrefix(fields[0], "Benchmark"), "")
		name = strings.TrimPrefix(name, "Rules/engine=")
		name = strings.ToLower(name)
		var s sample
		for i := 2; i+1 < len(fields); i += 2 {
			v, err := strconv.ParseFloat(fields[i], 64)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", fields[0], err)
			}
			switch fields[i+1] {
			case "ns/req":
				s.nsReq = v
			case "B/op":
				s.bytesOp = v
			case "allocs/op":
				s.allocsOp = v
			}
		}
		if s.nsReq == 0 {
			return nil, fmt.Errorf("%s: no ns/req", fields[0])
		}
		runs[name] = append(runs[name], s)
	}
	return runs, sc.Err()
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func column(ss []sample, get func(sample) float64) []float64 {
	out := make([]float64, len(ss))
	for i, s := range ss {
		out[i] = get(s)
	}
	return out
}

// num formats a figure with three significant digits or more.
func num(v float64) string {
	switch {
	case v >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

// requests is the number of requests one op evaluates.
const requests = 1000

func report(w io.Writer, runs map[string][]sample) error {
	for _, e := range order {
		if len(runs[e]) == 0 {
			return fmt.Errorf("no results for %s", e)
		}
	}
	fmt.Fprintln(w, "| engine | median ns/req | min | max | spread | B/req | allocs/req | rounds |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, e := range order {
		ns := column(runs[e], func(s sample) float64 { return s.nsReq })
		m := median(ns)
		lo, hi := slices.Min(ns), slices.Max(ns)
		fmt.Fprintf(w, "| %s | %s | %s | %s | ±%.1f%% | %s | %s | %d |\n", label[e], num(m), num(lo), num(hi),
			(hi-lo)/2/m*100,
			num(median(column(runs[e], func(s sample) float64 { return s.bytesOp }))/requests),
			num(median(column(runs[e], func(s sample) float64 { return s.allocsOp }))/requests),
			len(ns))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Spread is half the range (max − min) over the median. Each round ran every engine once, in the same process, so the per-round ratios below compare engines measured seconds apart.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| ratio (time ÷ time) | of medians | per-round range | target | met |")
	fmt.Fprintln(w, "| --- | ---: | ---: | --- | --- |")
	for _, r := range ratios {
		a := column(runs[r.num], func(s sample) float64 { return s.nsReq })
		b := column(runs[r.den], func(s sample) float64 { return s.nsReq })
		m := median(a) / median(b)
		n := min(len(a), len(b))
		per := make([]float64, n)
		for i := range n {
			per[i] = a[i] / b[i]
		}
		target, met := "—", "—"
		if r.ok != nil {
			target, met = r.target, "**no**"
			if r.ok(m) {
				met = "yes"
			}
		}
		fmt.Fprintf(w, "| %s ÷ %s | %s× | %s–%s× | %s | %s |\n", r.num, r.den, num(m), num(slices.Min(per)), num(slices.Max(per)), target, met)
	}
	return nil
}

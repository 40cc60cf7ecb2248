package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"aftercare"
	"aftercare/triage"
)

// listFlag collects a repeatable flag; each value may also be comma separated.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*l = append(*l, p)
		}
	}
	return nil
}

const assessUsage = `usage: aftercare assess [flags] [TEXT]

Grades soreness or symptoms after a massage. With --json and no other flags it
reads one request (JSON, as in the contract) from standard input and writes the
answer as JSON. Run in a terminal with no flags at all, it asks a few questions.

examples:
  aftercare assess --style deep_tissue --hours 30 --pain lower_back=4 --symptom headache
  aftercare assess "my lower back aches since yesterday, about a 4, no numbness"
  echo '{"style":"sports","hours_since":30,"symptoms":["calf_swelling"]}' | aftercare assess --json

flags:
`

func runAssess(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("assess", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() { fmt.Fprint(e.stderr, assessUsage); fs.PrintDefaults() }
	var (
		asJSON                                  = fs.Bool("json", false, "read the request as JSON from standard input (unless other flags give it) and write JSON")
		style                                   = fs.String("style", "", "massage style: "+aftercare.Styles.Allowed())
		pressure                                = fs.String("pressure", "", "pressure: "+aftercare.Pressures.Allowed())
		hours                                   = fs.String("hours", "", "hours since the session ended")
		knowledge                               = fs.String("knowledge", e.getenv("AFTERCARE_KNOWLEDGE"), "a clinic's own knowledge file laid over the built-in one")
		noColor                                 = fs.Bool("no-color", e.getenv("NO_COLOR") != "", "plain text without colour")
		pains, symptoms, health, areas, history listFlag
	)
	fs.Var(&pains, "pain", "AREA=N: pain 0–10 in an area, e.g. lower_back=4 (repeatable)")
	fs.Var(&symptoms, "symptom", "a symptom code (repeatable or comma separated): "+aftercare.Symptoms.Allowed())
	fs.Var(&health, "health", "a health code (repeatable): "+aftercare.Health.Allowed())
	fs.Var(&areas, "area", "an area worked on (repeatable): "+aftercare.Areas.Allowed())
	fs.Var(&history, "history", "HOURS=PAIN: an earlier check-in, oldest first (repeatable), e.g. 24=4")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return errUsage
	}
	text := strings.Join(fs.Args(), " ")
	fromFlags := text != "" || *style != "" || *pressure != "" || *hours != "" ||
		len(pains)+len(symptoms)+len(health)+len(areas)+len(history) > 0

	var req aftercare.Request
	var err error
	switch {
	case fromFlags:
		req, err = requestFromFlags(*style, *pressure, *hours, pains, symptoms, health, areas, history, text)
	case *asJSON || !isTerminal(e.stdin):
		var data []byte
		data, err = io.ReadAll(io.LimitReader(e.stdin, 1<<20+1))
		if err == nil && len(data) > 1<<20 {
			err = aftercare.Errorf(aftercare.ETOOLARGE, "request", "the request is larger than 1 MiB")
		}
		if err == nil {
			req, err = aftercare.DecodeRequest(data)
		}
	default:
		req, err = interview(e)
	}
	if err != nil {
		return badRequest(e, err, *asJSON)
	}

	engine, err := triage.Load(*knowledge)
	if err != nil {
		return err
	}
	resp, err := engine.Assess(req, time.Now())
	if err != nil {
		if aftercare.ErrorCode(err) == aftercare.EINVALID {
			return badRequest(e, err, *asJSON)
		}
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(resp)
	}
	return printResponse(e.stdout, resp, !*noColor && isTerminal(e.stdout))
}

// badRequest reports a refused request on standard error and exits 2.
func badRequest(e *env, err error, asJSON bool) error {
	if asJSON {
		var ae *aftercare.Error
		if !errors.As(err, &ae) {
			ae = aftercare.Errorf(aftercare.EINVALID, "request", "%v", err)
		}
		json.NewEncoder(e.stderr).Encode(map[string]any{"error": ae})
	} else {
		fmt.Fprintln(e.stderr, "aftercare:", err)
	}
	return exitError{code: 2}
}

// requestFromFlags builds a request from the command line; the result is
// validated like one read from JSON, with flag names in the errors.
func requestFromFlags(style, pressure, hours string, pains, symptoms, health, areas, history []string, text string) (aftercare.Request, error) {
	req := aftercare.Request{Style: style, Pressure: pressure, Symptoms: symptoms, Health: health, AreasWorked: areas, Text: text}
	if hours != "" {
		h, err := strconv.ParseFloat(hours, 64)
		if err != nil {
			return req, aftercare.Errorf(aftercare.EINVALID, "hours_since", "--hours must be a number of hours from 0 to %d, not %q", aftercare.MaxHours, hours)
		}
		req.HoursSince = &h
	}
	for _, p := range pains {
		area, n, ok := strings.Cut(p, "=")
		pain, err := strconv.Atoi(n)
		if !ok || err != nil {
			return req, aftercare.Errorf(aftercare.EINVALID, "soreness", "--pain takes AREA=N with N a whole number from 0 to 10, e.g. lower_back=4; got %q", p)
		}
		req.Soreness = append(req.Soreness, aftercare.Soreness{Area: area, Pain: pain})
	}
	for _, h := range history {
		at, n, ok := strings.Cut(h, "=")
		hv, err1 := strconv.ParseFloat(at, 64)
		pain, err2 := strconv.Atoi(n)
		if !ok || err1 != nil || err2 != nil {
			return req, aftercare.Errorf(aftercare.EINVALID, "history", "--history takes HOURS=PAIN, e.g. 24=4; got %q", h)
		}
		req.History = append(req.History, aftercare.HistoryPoint{HoursSince: &hv, Pain: pain})
	}
	// Round-trip through the one decoder so flags and JSON are checked alike.
	data, err := json.Marshal(req)
	if err != nil {
		return req, err
	}
	return aftercare.DecodeRequest(data)
}

// isTerminal reports whether f is an interactive terminal.
func isTerminal(f any) bool {
	file, ok := f.(*os.File)
	if !ok {
		return false
	}
	st, err := file.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// interview asks a few short questions on the terminal.
func interview(e *env) (aftercare.Request, error) {
	in := bufio.NewScanner(e.stdin)
	ask := func(q string) string {
		fmt.Fprint(e.stdout, q)
		if !in.Scan() {
			return ""
		}
		return strings.TrimSpace(in.Text())
	}
	fmt.Fprintln(e.stdout, "Sore after a massage? A few questions (press Enter to skip one).")
	style := ask("What kind of massage (" + aftercare.Styles.Allowed() + ")? ")
	pressure := ask("How firm was it (" + aftercare.Pressures.Allowed() + ")? ")
	hours := ask("How many hours ago did it end? ")
	pains := strings.Fields(strings.ReplaceAll(ask("Where does it hurt, and how much from 0 to 10 (e.g. neck=3 lower_back=5)? "), ",", " "))
	symptoms := strings.Fields(strings.ReplaceAll(ask("Any of these ("+aftercare.Symptoms.Allowed()+")? "), ",", " "))
	health := strings.Fields(strings.ReplaceAll(ask("Any of these ("+aftercare.Health.Allowed()+")? "), ",", " "))
	text := ask("Anything else, in your own words? ")
	return requestFromFlags(style, pressure, hours, pains, symptoms, health, nil, nil, text)
}

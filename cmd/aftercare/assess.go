package main

import (
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
	"aftercare/textread"
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
answer as JSON, with the questions that would settle what the reading is unsure
of in it. Run in a terminal with no flags at all, it asks a few questions, in
words ("yesterday", "lower back 5", "a bit of a headache"), checking each answer
as it is given; Enter skips one, Ctrl-D grades what was given. In a terminal (or
with --ask) it asks the questions of the answer before it grades; otherwise it
prints them, to be answered with --answer ID=VALUE.

examples:
  aftercare assess --style deep_tissue --hours 30 --pain lower_back=4 --symptom headache
  aftercare assess "my lower back aches since yesterday, about a 4, no numbness"
  echo '{"style":"sports","hours_since":30,"symptoms":["calf_swelling"]}' | aftercare assess --json
  aftercare assess --answer symptom.one_sided_weakness=no "can't lift my arm, it's too sore"

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
		askFlag                                 = fs.Bool("ask", false, "ask the answer's questions on standard input before grading (the default in a terminal)")
		pains, symptoms, health, areas, history listFlag
		answers                                 listFlag
	)
	fs.Var(&pains, "pain", "AREA=N: pain 0–10 in an area, e.g. lower_back=4 (repeatable)")
	fs.Var(&symptoms, "symptom", "a symptom code (repeatable or comma separated): "+aftercare.Symptoms.Allowed())
	fs.Var(&health, "health", "a health code (repeatable): "+aftercare.Health.Allowed())
	fs.Var(&areas, "area", "an area worked on (repeatable): "+aftercare.Areas.Allowed())
	fs.Var(&history, "history", "HOURS=PAIN: an earlier check-in, oldest first (repeatable), e.g. 24=4")
	fs.Var(&answers, "answer", "ID=VALUE: the answer to a question, e.g. symptom.one_sided_weakness=no, hours_since=30, pain=4 (repeatable)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return errUsage
	}
	text := strings.Join(fs.Args(), " ")
	fromFlags := text != "" || *style != "" || *pressure != "" || *hours != "" ||
		len(pains)+len(symptoms)+len(health)+len(areas)+len(history)+len(answers) > 0

	engine, err := triage.Load(*knowledge)
	if err != nil {
		return err
	}
	at := time.Now()
	c := &conversation{ctx: ctx, in: e.stdin, out: e.stdout,
		words: words{reader: textread.New(textread.DefaultLexicon(), triage.Bands(engine.Knowledge())), at: at}}

	var req aftercare.Request
	switch {
	case fromFlags:
		req, err = requestFromFlags(*style, *pressure, *hours, pains, symptoms, health, areas, history, text, answers)
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
		req, err = interview(c)
	}
	if errors.Is(err, errEnded) || errors.Is(err, context.Canceled) {
		return stopped(e, err)
	} else if err != nil {
		return badRequest(e, err, *asJSON)
	}

	resp, err := engine.Assess(req, at)
	// A person at a terminal answers the questions before the answer is given.
	for asked := 0; err == nil && len(resp.Questions) > 0 && !*asJSON && asked < 3 &&
		(*askFlag || !fromFlags && isTerminal(e.stdin) || fromFlags && isTerminal(e.stdin) && isTerminal(e.stdout)); asked++ {
		more, askErr := askQuestions(c, resp.Questions)
		if askErr != nil && !errors.Is(askErr, errEnded) {
			return stopped(e, askErr)
		}
		if len(more) > 0 {
			if req.Answers == nil {
				req.Answers = map[string]aftercare.Answer{}
			}
			for id, a := range more {
				req.Answers[id] = a
			}
			resp, err = engine.Assess(req, at)
		}
		if askErr != nil {
			fmt.Fprintln(e.stdout, "The input ended: graded on what is known.")
		}
		if askErr != nil || len(more) == 0 {
			break
		}
	}
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

// stopped says on standard error that the questions ended before anything
// could be graded: the input ended (Ctrl-D) or the command was stopped (Ctrl-C).
func stopped(e *env, err error) error {
	if errors.Is(err, errEnded) {
		fmt.Fprintln(e.stderr, "aftercare: the input ended before anything to grade was given; nothing was assessed")
		return exitError{code: 1}
	}
	fmt.Fprintln(e.stderr, "aftercare: stopped; nothing was assessed")
	return exitError{code: 130}
}

// requestFromFlags builds a request from the command line; the result is
// validated like one read from JSON, with flag names in the errors.
func requestFromFlags(style, pressure, hours string, pains, symptoms, health, areas, history []string, text string, answers []string) (aftercare.Request, error) {
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
	for _, a := range answers {
		id, v, ok := strings.Cut(a, "=")
		if !ok {
			return req, aftercare.Errorf(aftercare.EINVALID, "answers", "--answer takes ID=VALUE, e.g. symptom.numbness=no or pain=4; got %q", a)
		}
		if req.Answers == nil {
			req.Answers = map[string]aftercare.Answer{}
		}
		req.Answers[id] = parseAnswer(v)
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

// parseAnswer reads an answer typed by a person: yes or no, or a number.
// Anything else is kept as a "no number" answer that the request's
// validation refuses with the question's field and allowed values.
func parseAnswer(v string) aftercare.Answer {
	if yes, ok := yesNo(v).(bool); ok {
		return aftercare.YesNoAnswer(yes)
	}
	n, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil {
		return aftercare.Answer{}
	}
	return aftercare.NumberAnswer(n)
}

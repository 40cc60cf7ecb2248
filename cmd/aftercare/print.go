package main

import (
	"fmt"
	"io"
	"strings"

	"aftercare"
)

// levelColour is the ANSI colour of each level.
var levelColour = map[aftercare.Level]string{
	aftercare.SelfCare:  "\033[1;32m",
	aftercare.Monitor:   "\033[1;36m",
	aftercare.Consult:   "\033[1;33m",
	aftercare.Urgent:    "\033[1;35m",
	aftercare.Emergency: "\033[1;41;97m",
}

// printResponse writes the answer for a person: the level first, then why,
// the recovery window, the plan and what to watch for.
func printResponse(w io.Writer, r *aftercare.Response, colour bool) error {
	on, bold, off := "", "", ""
	if colour {
		on, bold, off = levelColour[r.Level], "\033[1m", "\033[0m"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %s  %s\n", on, strings.ToUpper(strings.ReplaceAll(r.Level.String(), "_", " ")), off, r.Headline)
	fmt.Fprintf(&b, "\n%sWhy%s\n", bold, off)
	for _, reason := range r.Reasons {
		fmt.Fprintf(&b, "  - [%s] %s (%s)\n", reason.Level, reason.Text, reason.Source)
	}
	rec := r.Recovery
	fmt.Fprintf(&b, "\n%sRecovery%s\n  Soreness like this usually eases %d–%d hours after the session", bold, off, rec.TypicalHours[0], rec.TypicalHours[1])
	if rec.HoursSince != nil {
		fmt.Fprintf(&b, "; you are at %.0f hours", *rec.HoursSince)
	}
	if rec.Trend != "" {
		fmt.Fprintf(&b, " and your pain is %s", rec.Trend)
	}
	b.WriteString(".\n")
	if rec.CheckAgainInHours > 0 {
		fmt.Fprintf(&b, "  Check in again in %d hours.\n", rec.CheckAgainInHours)
	}
	if len(r.Plan) > 0 {
		fmt.Fprintf(&b, "\n%sWhat helps%s\n", bold, off)
		for i, p := range r.Plan {
			fmt.Fprintf(&b, "  %d. %s: %s\n", i+1, p.Title, p.Why)
			if p.How != "" {
				fmt.Fprintf(&b, "     %s\n", p.How)
			}
		}
	}
	if len(r.WatchFor) > 0 {
		fmt.Fprintf(&b, "\n%sGet help if you notice%s\n", bold, off)
		for _, s := range r.WatchFor {
			fmt.Fprintf(&b, "  - %s\n", s)
		}
	}
	if len(r.Questions) > 0 {
		fmt.Fprintf(&b, "\n%sThis answer is graded on what is known; these would settle it%s\n", bold, off)
		for _, q := range r.Questions {
			how := "yes|no"
			if q.Kind != aftercare.KindYesNo {
				how = "N"
			}
			fmt.Fprintf(&b, "  - %s (--answer %s=%s)\n", q.Text, q.ID, how)
		}
	}
	if len(r.Findings) > 0 {
		fmt.Fprintf(&b, "\n%sWhat we read in your words%s\n", bold, off)
		for _, f := range r.Findings {
			fmt.Fprintf(&b, "  - %q: %s\n", f.Text, describeFinding(f))
		}
	}
	fmt.Fprintf(&b, "\n%s\n(knowledge %s)\n", r.Disclaimer, r.KnowledgeVersion)
	_, err := io.WriteString(w, b.String())
	return err
}

// describeFinding says in words what one finding means.
func describeFinding(f aftercare.Finding) string {
	var what string
	switch {
	case f.Type == "pain" && f.Value != nil:
		what = fmt.Sprintf("pain %.0f/10", *f.Value)
	case f.Type == "time" && f.Value != nil:
		what = fmt.Sprintf("about %.0f hours since the session", *f.Value)
	default:
		what = f.Type + " " + aftercare.VocabularyOf(f.Type).Label(f.Code)
	}
	if f.Negated {
		ctx := f.Context
		if ctx == "" {
			ctx = "negated"
		}
		what += " (" + ctx + ": not counted)"
	}
	return what
}

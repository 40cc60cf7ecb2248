package web

import (
	"fmt"
	"html/template"
	"math"
	"strings"
	"time"

	"aftercare"
	"aftercare/usecase"
)

// levelInfo is how a level is shown: its title, the icon beside it, and what
// it asks of the reader.
type levelInfo struct {
	Title string
	Icon  string
	Do    string
}

var levels = map[aftercare.Level]levelInfo{
	aftercare.SelfCare:  {"Expected soreness", "check", "Look after yourself with the plan below."},
	aftercare.Monitor:   {"Keep an eye on it", "eye", "Follow the plan and check in again."},
	aftercare.Consult:   {"Get medical advice soon", "advice", "Book a doctor or qualified clinician in the next day or two."},
	aftercare.Urgent:    {"Get medical attention today", "alert", "Get seen by a doctor today."},
	aftercare.Emergency: {"Call the emergency number now", "phone", "Call the emergency number now."},
}

// funcs are the template functions of pages shown in time zone loc: the
// staff pages in their clinic's, a client's page in their clinic's until the
// reader's browser rewrites its times into its own zone (app.js), the
// public pages in UTC.
func (h *handler) funcs(loc *time.Location) template.FuncMap {
	return template.FuncMap{
		"asset":        func(file string) string { return "/static/" + file + "?v=" + assetVersion },
		"outcomes":     aftercare.Outcomes.Codes,
		"outcomeLabel": aftercare.Outcomes.Label,
		"tel":          telURL,
		"formKey":      newFormKey,
		"canUndo":      h.canUndo,
		"undoMinutes":  func() int { return int(usecase.UndoWindow / time.Minute) },
		"ackAt":        func(f *aftercare.Flag, next string) ackForm { return ackForm{Flag: f, Next: next} },
		"levelTitle":   func(l aftercare.Level) string { return levels[l].Title },
		"levelIcon":    func(l aftercare.Level) string { return levels[l].Icon },
		"levelDo":      func(l aftercare.Level) string { return levels[l].Do },
		"areaLabel":    aftercare.Areas.Label,
		"styleLabel":   aftercare.Styles.Label,
		"pressureLabel": func(c string) string {
			return aftercare.Pressures.Label(c)
		},
		"healthLabel":  aftercare.Health.Label,
		"findingLabel": findingLabel,
		"hours":        hoursText,
		"cite":         h.cite,
		"isEmergency":  func(l aftercare.Level) bool { return l == aftercare.Emergency },
		"atLeast": func(l aftercare.Level, code string) bool {
			min, err := aftercare.ParseLevel(code)
			return err == nil && l >= min
		},
		"lower":     strings.ToLower,
		"upper1":    upperFirst,
		"join":      strings.Join,
		"seq":       seq,
		"iso":       func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"when":      func(t time.Time) string { return aftercare.ShowTime(t, loc) },
		"day":       func(t time.Time) string { return aftercare.ShowDay(t, loc) },
		"whenDay":   func(t time.Time) string { return whenDay(t, h.d.Now(), loc) },
		"ago":       func(t time.Time) string { return ago(h.d.Now().Sub(t)) },
		"until":     func(t time.Time) string { return until(t.Sub(h.d.Now())) },
		"plusHours": func(t time.Time, hours int) time.Time { return t.Add(time.Duration(hours) * time.Hour) },
		"add":       func(a, b int) int { return a + b },
		"f":         func(v float64) string { return f(math.Round(v*10) / 10) },
	}
}

// whenDay shows a time with its day said as the clinic says it: "today,
// 01:45 PST", "yesterday, 22:10 PST", or the date for an earlier day; the
// days are those of time zone loc, now being today.
func whenDay(t, now time.Time, loc *time.Location) string {
	switch aftercare.DaysBetween(t, now, loc) {
	case 0:
		return "today, " + aftercare.ShowClock(t, loc)
	case 1:
		return "yesterday, " + aftercare.ShowClock(t, loc)
	}
	return aftercare.ShowTime(t, loc)
}

func seq(from, to int) []int {
	var out []int
	for i := from; i <= to; i++ {
		out = append(out, i)
	}
	return out
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// hoursText writes hours as a page says them: to the nearest whole hour
// from 2 hours on, so that every time on a page agrees, and to a tenth below.
func hoursText(h float64) string {
	if h >= 2 {
		h = math.Round(h)
	}
	if h == math.Trunc(h) {
		return fmt.Sprintf("%d", int(h))
	}
	return fmt.Sprintf("%.1f", h)
}

// hoursWords writes hours with their unit, as hoursText does: "1 hour", "26 hours".
func hoursWords(h float64) string {
	if t := hoursText(h); t != "1" {
		return t + " hours"
	}
	return "1 hour"
}

// ago says how long ago something was, in the largest sensible unit.
func ago(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return plural(int(d.Minutes()), "minute") + " ago"
	case d < 48*time.Hour:
		return plural(int(d.Hours()), "hour") + " ago"
	}
	return plural(int(d.Hours()/24), "day") + " ago"
}

// until says how long until something, in the largest sensible unit.
func until(d time.Duration) string {
	switch {
	case d <= 0:
		return "now"
	case d < time.Hour:
		return "in " + plural(max(1, int(math.Round(d.Minutes()))), "minute")
	case d < 48*time.Hour:
		return "in about " + plural(int(math.Round(d.Hours())), "hour")
	}
	return "in about " + plural(int(math.Round(d.Hours()/24)), "day")
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// findingLabel says in words what a finding read from the text is.
func findingLabel(f aftercare.Finding) string {
	var what string
	switch f.Type {
	case "pain":
		if f.Value != nil {
			what = fmt.Sprintf("pain %g out of 10", *f.Value)
		} else {
			what = "a pain score"
		}
	case "time":
		if f.Value != nil {
			what = fmt.Sprintf("about %g hours since the massage", *f.Value)
		} else {
			what = "a time"
		}
	default:
		if v := aftercare.VocabularyOf(f.Type); v != nil {
			what = strings.ToLower(aftercare.FindingTypes.Label(f.Type)) + ": " + v.Label(f.Code)
		} else {
			what = f.Type
		}
	}
	if f.Negated {
		switch f.Context {
		case "hypothetical":
			what += " (mentioned as a possibility, not counted)"
		case "historical":
			what += " (in the past, not counted)"
		default:
			what += " (you said you don't have this)"
		}
	}
	return what
}

// cite writes a source line of an answer or a caution for its reader: the
// knowledge base names its seed article by a working name ("… seed guide
// (2025)"), which the pages replace with the article's own title.
func (h *handler) cite(source string) string {
	if h.kb == nil {
		return source
	}
	for _, src := range h.kb.Sources {
		if !strings.Contains(strings.ToLower(src.Cite), "seed") || !strings.Contains(source, src.Cite) {
			continue
		}
		title := src.Title
		if i := strings.IndexAny(title, "?("); i > 0 {
			title = strings.TrimSpace(title[:i+1])
			title = strings.TrimSuffix(title, "(")
		}
		year := ""
		if i := strings.LastIndex(src.Cite, "("); i >= 0 {
			year = " " + src.Cite[i:]
		}
		source = strings.ReplaceAll(source, src.Cite, "“"+strings.TrimSpace(title)+"”"+year)
	}
	return source
}

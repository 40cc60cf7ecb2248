// Package triage is the engine: it turns an assessment request into an answer
// by reading the request's free text, deriving the facts the knowledge base's
// rules speak of, running every rule, and assembling the level, reasons,
// recovery window, plan and watch list. It is pure: no I/O, no clock (the time
// of the request is passed in), safe for concurrent use.
package triage

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/expr-lang/expr/vm"

	"aftercare"
	"aftercare/knowledge"
)

// TextReader reads free text into findings; package textread implements it.
type TextReader interface {
	Read(text string, at time.Time) []aftercare.Finding
}

// Engine grades assessment requests against one knowledge base.
type Engine struct {
	kb     *knowledge.Base
	reader TextReader
	pool   sync.Pool // *scratch
}

// scratch is the per-call working memory, reused across calls.
type scratch struct {
	vm    vm.VM
	facts knowledge.Facts
	env   knowledge.Env
}

// New returns an engine over the knowledge base, reading text with reader.
func New(kb *knowledge.Base, reader TextReader) *Engine {
	e := &Engine{kb: kb, reader: reader}
	e.pool.New = func() any { return new(scratch) }
	return e
}

// Knowledge returns the knowledge base the engine uses.
func (e *Engine) Knowledge() *knowledge.Base { return e.kb }

// KnowledgeVersion identifies the knowledge base the engine uses.
func (e *Engine) KnowledgeVersion() string { return e.kb.KnowledgeVersion() }

// Cautions returns what a therapist must adjust for these screening answers,
// in the order given; unknown codes are skipped.
func (e *Engine) Cautions(health []string) []aftercare.Caution {
	out := make([]aftercare.Caution, 0, len(health))
	for _, h := range health {
		c := e.kb.Caution(h)
		if c == nil {
			continue
		}
		out = append(out, aftercare.Caution{
			Health: c.Health, Title: c.Title, Advice: c.Advice, MaxPressure: c.MaxPressure,
			AvoidAreas: c.AvoidAreas, SeeDoctorFirst: c.SeeDoctorFirst, Source: e.kb.Cite(c.Sources),
		})
	}
	return out
}

// Assess grades one request made at the given time. The request must be
// valid (see aftercare.Request.Validate); an invalid one is refused.
func (e *Engine) Assess(req aftercare.Request, at time.Time) (*aftercare.Response, error) {
	if err := req.Validate(); err != nil {
		return nil, err
	}
	findings := e.read(&req, at)
	s := e.pool.Get().(*scratch)
	defer e.pool.Put(s)
	s.facts = knowledge.Facts{}
	f := &s.facts
	e.derive(f, &req, findings)
	env := &s.env
	env.Load(f)

	resp := &aftercare.Response{
		Findings:         findings,
		KnowledgeVersion: e.kb.KnowledgeVersion(),
		Disclaimer:       aftercare.Disclaimer,
	}
	level := 0
	var top *knowledge.Rule
	for i := range e.kb.Rules {
		r := &e.kb.Rules[i]
		ok, err := r.Holds(&s.vm, env)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		resp.Reasons = append(resp.Reasons, e.reason(r, f))
		if lv := r.LevelValue(); lv > level || (lv == level && top.Headline == "" && r.Headline != "") {
			level, top = lv, r
		}
	}
	if level == 0 {
		level, top = e.kb.Fallback.LevelValue(), &e.kb.Fallback
		resp.Reasons = append(resp.Reasons, e.reason(top, f))
	}
	slices.SortStableFunc(resp.Reasons, func(a, b aftercare.Reason) int { return int(b.Level) - int(a.Level) })
	resp.Level = aftercare.Level(level)
	info := e.kb.Level(resp.Level.String())
	resp.Headline = info.Headline
	if top.Headline != "" {
		resp.Headline = top.Headline
	}

	f.Level = level
	env.Level = level
	resp.Plan = make([]aftercare.PlanItem, 0, 8)
	for i := range e.kb.Relief {
		r := &e.kb.Relief[i]
		if r.Fits(&s.vm, env) {
			resp.Plan = append(resp.Plan, aftercare.PlanItem{
				ID: r.ID, Title: r.Title, Why: r.Why, How: r.How,
				Evidence: r.Evidence, Source: r.Citation(),
			})
		}
	}
	resp.WatchFor = make([]string, 0, 8)
	for i := range e.kb.WatchFor {
		if w := &e.kb.WatchFor[i]; w.Holds(&s.vm, env) {
			resp.WatchFor = append(resp.WatchFor, w.Text)
		}
	}
	resp.Recovery = e.recovery(f, info.CheckAgainHours)
	if f.HoursKnown {
		h := f.Hours
		resp.Recovery.HoursSince = &h
	}
	return resp, nil
}

// Facts returns the facts the rules see for a request made at the given
// time: the request merged with what its text says, and what is derived from
// both. Assess grades exactly these; tools that evaluate the rules another way
// (the benchmarks) start from them too.
func (e *Engine) Facts(req aftercare.Request, at time.Time) (knowledge.Facts, error) {
	var f knowledge.Facts
	if err := req.Validate(); err != nil {
		return f, err
	}
	e.derive(&f, &req, e.read(&req, at))
	return f, nil
}

// read returns the findings in the request's text, never nil.
func (e *Engine) read(req *aftercare.Request, at time.Time) []aftercare.Finding {
	var findings []aftercare.Finding
	if req.Text != "" && e.reader != nil {
		findings = e.reader.Read(req.Text, at)
	}
	if findings == nil {
		findings = []aftercare.Finding{}
	}
	return findings
}

// reason states one fired rule for the client, with its sources.
func (e *Engine) reason(r *knowledge.Rule, f *knowledge.Facts) aftercare.Reason {
	return aftercare.Reason{
		Rule: r.ID, Level: aftercare.Level(r.LevelValue()),
		Text: e.fill(r.Text, f), Source: r.Citation(),
	}
}

// fill replaces the placeholders a rule text may use.
func (e *Engine) fill(text string, f *knowledge.Facts) string {
	if !strings.Contains(text, "{") {
		return text
	}
	style := "this kind of massage"
	if st := e.kb.Style(f.Style); st != nil {
		style = "a " + strings.ToLower(st.Name) + " massage"
	}
	return strings.NewReplacer(
		"{style}", style,
		"{from}", strconv.Itoa(int(f.WindowFrom)),
		"{to}", strconv.Itoa(int(f.WindowTo)),
		"{hours}", strconv.FormatFloat(f.Hours, 'f', 0, 64),
		"{pain}", strconv.Itoa(f.Pain),
	).Replace(text)
}

// recovery gives the client's own window: the style's window, stretched when
// the pain is more than expected or rising.
func (e *Engine) recovery(f *knowledge.Facts, checkAgain int) aftercare.Recovery {
	from, to := int(f.WindowFrom), int(f.WindowTo)
	if f.Pain > f.ExpectedPain {
		to = min(72, to+24)
	}
	if f.Trend == "rising" && f.HoursKnown {
		to = min(72, max(to, int(f.Hours)+24))
	}
	trend := f.Trend
	if trend == "none" {
		trend = ""
	}
	return aftercare.Recovery{TypicalHours: [2]int{from, to}, CheckAgainInHours: checkAgain, Trend: trend}
}

// String describes the engine, for logs.
func (e *Engine) String() string {
	return fmt.Sprintf("triage engine (knowledge %s)", e.KnowledgeVersion())
}

// Package triage is the engine: it turns an assessment request into an answer
// by reading the request's free text, deriving the facts the knowledge base's
// rules speak of, running every rule, and assembling the level, reasons,
// recovery window, plan and watch list. It is pure: no I/O, no clock (the time
// of the request is passed in), safe for concurrent use.
package triage

import (
	"fmt"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"aftercare"
	"aftercare/knowledge"
	"aftercare/textread"
)

// TextReader reads free text into findings; package textread implements it.
type TextReader interface {
	Read(text string, at time.Time) []aftercare.Finding
}

// fullReader is a TextReader that also says what it is unsure of and the
// course of the pain told (textread.Reader).
type fullReader interface {
	ReadAll(text string, at time.Time) textread.Reading
}

// Engine grades assessment requests against one knowledge base.
type Engine struct {
	kb     *knowledge.Base
	reader TextReader
	pool   sync.Pool // *scratch
}

// scratch is the per-call working memory, reused across calls.
type scratch struct {
	facts  knowledge.Facts
	fired  []uint64 // the rules that hold, one bit per rule of the knowledge base
	alt    []uint64 // the same, for the answers a question could get
	relief []uint64 // the relief measures that fit, one bit per measure
	watch  []uint64 // the signs worth watching for, one bit per sign
}

// New returns an engine over the knowledge base, reading text with reader.
func New(kb *knowledge.Base, reader TextReader) *Engine {
	e := &Engine{kb: kb, reader: reader}
	e.pool.New = func() any {
		nr, nw := kb.AdviceWords()
		return &scratch{fired: make([]uint64, kb.RuleWords()), alt: make([]uint64, kb.RuleWords()), relief: make([]uint64, nr), watch: make([]uint64, nw)}
	}
	return e
}

// Knowledge returns the knowledge base the engine uses.
func (e *Engine) Knowledge() *knowledge.Base { return e.kb }

// KnowledgeVersion identifies the knowledge base the engine uses.
func (e *Engine) KnowledgeVersion() string { return e.kb.KnowledgeVersion() }

// Cautions returns what a therapist must adjust for these screening answers,
// in the order given; unknown codes are skipped (see knowledge.Base.CautionsFor).
func (e *Engine) Cautions(health []string) []aftercare.Caution { return e.kb.CautionsFor(health) }

// Guidance returns what a flag raised by these rules means for the client's
// next session (see knowledge.Base.GuidanceFor).
func (e *Engine) Guidance(rules []string) []aftercare.Guidance { return e.kb.GuidanceFor(rules) }

// Assess grades one request made at the given time. The request must be
// valid (see aftercare.Request.Validate); an invalid one is refused.
func (e *Engine) Assess(req aftercare.Request, at time.Time) (*aftercare.Response, error) {
	if err := req.Validate(); err != nil {
		return nil, err
	}
	rd := e.read(&req, at)
	findings := rd.Findings
	s := e.pool.Get().(*scratch)
	defer e.pool.Put(s)
	s.facts = knowledge.Facts{}
	f := &s.facts
	e.derive(f, &req, &rd)
	if err := e.kb.EvalRules(f, s.fired); err != nil {
		return nil, err
	}

	resp := &aftercare.Response{
		Findings:         findings,
		KnowledgeVersion: e.kb.KnowledgeVersion(),
		Disclaimer:       aftercare.Disclaimer,
	}
	fired := 1 // the fallback's reason, when no rule fires
	for _, w := range s.fired {
		fired += bits.OnesCount64(w)
	}
	resp.Reasons = make([]aftercare.Reason, 0, fired)
	level := 0
	var top *knowledge.Rule
	for k, w := range s.fired {
		for ; w != 0; w &= w - 1 {
			r := &e.kb.Rules[64*k+bits.TrailingZeros64(w)]
			resp.Reasons = append(resp.Reasons, e.reason(r, f))
			if lv := r.LevelValue(); lv > level || (lv == level && top.Headline == "" && r.Headline != "") {
				level, top = lv, r
			}
		}
	}
	if level == 0 {
		level, top = e.kb.Fallback.LevelValue(), &e.kb.Fallback
		resp.Reasons = append(resp.Reasons, e.reason(top, f))
	}
	slices.SortStableFunc(resp.Reasons, func(a, b aftercare.Reason) int { return int(b.Level) - int(a.Level) })
	resp.Level = aftercare.Level(level)
	if req.Text != "" || len(req.Answers) > 0 {
		if qs := e.questions(&req, &rd, f, level, s.alt); len(qs) > 0 {
			resp.Questions = qs
		}
	}
	info := e.kb.Level(resp.Level.String())
	resp.Headline = info.Headline
	if top.Headline != "" {
		resp.Headline = top.Headline
	}

	f.Level = level
	e.kb.EvalAdvice(f, s.relief, s.watch)
	resp.Plan = make([]aftercare.PlanItem, 0, 8)
	for k, w := range s.relief {
		for ; w != 0; w &= w - 1 {
			r := &e.kb.Relief[64*k+bits.TrailingZeros64(w)]
			resp.Plan = append(resp.Plan, aftercare.PlanItem{
				ID: r.ID, Title: r.Title, Why: r.Why, How: r.How,
				Evidence: r.Evidence, Source: r.Citation(),
			})
		}
	}
	resp.WatchFor = make([]string, 0, 8)
	for k, w := range s.watch {
		for ; w != 0; w &= w - 1 {
			resp.WatchFor = append(resp.WatchFor, e.kb.WatchFor[64*k+bits.TrailingZeros64(w)].Text)
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
	rd := e.read(&req, at)
	e.derive(&f, &req, &rd)
	return f, nil
}

// read reads the request's text; its findings are never nil.
func (e *Engine) read(req *aftercare.Request, at time.Time) textread.Reading {
	var rd textread.Reading
	if req.Text != "" && e.reader != nil {
		if fr, ok := e.reader.(fullReader); ok {
			rd = fr.ReadAll(req.Text, at)
		} else {
			rd.Findings = e.reader.Read(req.Text, at)
		}
	}
	if rd.Findings == nil {
		rd.Findings = []aftercare.Finding{}
	}
	return rd
}

// reason states one fired rule for the client, with its sources.
func (e *Engine) reason(r *knowledge.Rule, f *knowledge.Facts) aftercare.Reason {
	return aftercare.Reason{
		Rule: r.ID, Level: aftercare.Level(r.LevelValue()),
		Text: e.fill(r.Text, f), Source: r.Citation(),
	}
}

// fill replaces the placeholders a rule text may use: {style}, {from},
// {to}, {hours} and {pain}. Any other brace is kept as it is.
func (e *Engine) fill(text string, f *knowledge.Facts) string {
	i := strings.IndexByte(text, '{')
	if i < 0 {
		return text
	}
	b := make([]byte, 0, len(text)+32)
	for i >= 0 {
		b = append(b, text[:i]...)
		text = text[i:]
		switch {
		case strings.HasPrefix(text, "{style}"):
			if st := e.kb.Style(f.Style); st != nil {
				b = append(b, "a "...)
				b = append(b, strings.ToLower(st.Name)...)
				b = append(b, " massage"...)
			} else {
				b = append(b, "this kind of massage"...)
			}
			text = text[len("{style}"):]
		case strings.HasPrefix(text, "{from}"):
			b = strconv.AppendInt(b, int64(int(f.WindowFrom)), 10)
			text = text[len("{from}"):]
		case strings.HasPrefix(text, "{to}"):
			b = strconv.AppendInt(b, int64(int(f.WindowTo)), 10)
			text = text[len("{to}"):]
		case strings.HasPrefix(text, "{hours}"):
			b = strconv.AppendFloat(b, f.Hours, 'f', 0, 64)
			text = text[len("{hours}"):]
		case strings.HasPrefix(text, "{pain}"):
			b = strconv.AppendInt(b, int64(f.Pain), 10)
			text = text[len("{pain}"):]
		default:
			b = append(b, '{')
			text = text[1:]
		}
		i = strings.IndexByte(text, '{')
	}
	return string(append(b, text...))
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

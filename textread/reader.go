package textread

import (
	"math"
	"sort"
	"sync"
	"time"

	"aftercare"
)

// Bands maps pain words to the configured 0-10 bands (default mild 1-3, moderate 4-6, severe 7-10).
type Bands struct{ Mild, Moderate, Severe [2]int }

// DefaultBands returns the default pain bands: mild 1-3, moderate 4-6, severe 7-10.
func DefaultBands() Bands {
	return Bands{Mild: [2]int{1, 3}, Moderate: [2]int{4, 6}, Severe: [2]int{7, 10}}
}

// valid reports whether the bands lie in 0-10, each from low to high, in order.
func (b Bands) valid() bool {
	bs := [][2]int{b.Mild, b.Moderate, b.Severe}
	for i, x := range bs {
		if x[0] < 0 || x[1] > 10 || x[0] > x[1] || i > 0 && x[0] <= bs[i-1][1] {
			return false
		}
	}
	return true
}

// Reader reads free text into findings; it is immutable and safe for concurrent use.
type Reader struct {
	lex   *Lexicon
	bands Bands
}

// New returns a reader of lex with the given pain bands; a nil lexicon means
// the default lexicon, and bands that are not ordered within 0-10 mean the
// default bands.
func New(lex *Lexicon, bands Bands) *Reader {
	if lex == nil {
		lex = DefaultLexicon()
	}
	if !bands.valid() {
		bands = DefaultBands()
	}
	return &Reader{lex: lex, bands: bands}
}

var defaultReader = sync.OnceValue(func() *Reader { return New(DefaultLexicon(), DefaultBands()) })

// Default returns the reader of the default lexicon and the default bands.
func Default() *Reader { return defaultReader() }

// Read returns the findings in text, in order of Start. at is the time of the
// request (for "this morning", "since Tuesday").
//
// Coded findings (symptom, area, style, pressure, health) are returned for
// every mention, present or not; a mention that is negated, hypothetical or
// historical has Negated set and says why in Context. At most one pain finding
// (the highest score the text gives for now) and one time finding (the hours
// since the session) are returned.
func (r *Reader) Read(text string, at time.Time) []aftercare.Finding {
	return r.ReadAll(text, at).Findings
}

// Reading is all that a text says: its findings, what the reader is unsure of,
// and the course of the pain it tells.
type Reading struct {
	Findings []aftercare.Finding
	// Unsure lists the mentions the reader cannot be sure of, in order.
	Unsure []Unsure
	// Earlier holds the pain scores the text gives before the current one,
	// oldest first: "was 2, then 4, now 7" gives [2 4] (and the pain finding 7).
	Earlier []float64
	// Trend is "rising" or "falling" when the words say so ("getting worse",
	// "not easing", "better every day"), else "".
	Trend string
	// Sore says that the text says something hurts now, whether or not it
	// names where or how much ("still sore after four days").
	Sore bool
	// SignHours is how long the text says a sign it reads as present has
	// lasted ("a headache for five days", "they haven't gone away in a
	// month"), in hours; 0 when it does not say.
	SignHours float64
	// Cupping says that the text speaks of cupping, gua sha or a scraping
	// tool, which leave round marks or streaks as they are meant to.
	Cupping bool
	// Well says that the text says the client is well now ("feels great",
	// "no problems since"); with Sore false, the places it names are not sore.
	Well bool
}

// ReadAll reads text as Read does and returns the whole reading.
func (r *Reader) ReadAll(text string, at time.Time) Reading {
	ws := tokenize(text)
	if len(ws) == 0 {
		return Reading{}
	}
	r.lex.lookup(ws)
	fs := r.lex.match(ws)
	lit := make([]bool, len(ws))
	for _, f := range fs {
		if layer(f.typ) <= 1 {
			for k := f.start; k < f.end; k++ {
				if !f.inGap(k) {
					lit[k] = true
				}
			}
		}
	}
	trigs := findTriggers(ws, lit)
	cl := segment(ws, fs)
	applyContext(ws, fs, trigs, cl)
	before := treatedBefore(ws)
	rd := Reading{Unsure: status(ws, fs, cl, before), Trend: trendWords(ws)}
	rd.Sore = saysSore(ws, fs, trigs, cl, before)
	rd.Well = saysWell(ws)
	rd.Cupping = saysCupping(ws)
	fs = calfPain(ws, fs, cl)
	fs = temperature(ws, fs)

	out := make([]aftercare.Finding, 0, len(fs)+2)
	span := func(from, end int) (int, int, string) {
		s, e := ws[from].start, ws[end-1].end
		return s, e, text[s:e]
	}
	for _, f := range fs {
		if f.typ == "pain" {
			continue
		}
		s, e, t := span(f.from, f.end)
		out = append(out, aftercare.Finding{Type: f.typ, Code: f.code, Negated: f.ctx != "", Context: f.ctx,
			Text: t, Start: s, End: e})
	}

	used := make([]bool, len(ws))
	times := timesIn(ws, at, used)
	p, past, ok, earlier := r.pain(ws, fs, trigs, used, cl)
	rd.Earlier = earlier
	if ok {
		v := math.Max(0, math.Min(10, math.Floor(p.v+0.5)))
		s, e, t := span(p.start, p.end)
		f := aftercare.Finding{Type: "pain", Value: &v, Text: t, Start: s, End: e}
		if past {
			f.Negated, f.Context = true, "historical"
		}
		out = append(out, f)
	}
	rd.SignHours = signHours(ws, times, fs)
	if te, ok := sessionTime(ws, times, fs, trigs, cl); ok {
		h := math.Round(te.hours*10) / 10
		s, e, t := span(te.start, te.end)
		out = append(out, aftercare.Finding{Type: "time", Value: &h, Text: t, Start: s, End: e})
	}
	sort.SliceStable(out, func(a, b int) bool {
		if out[a].Start != out[b].Start {
			return out[a].Start < out[b].Start
		}
		return out[a].End < out[b].End
	})
	rd.Findings = out
	return rd
}

// pain chooses the pain value: numeric scores first; pain words ("a bit sore",
// "excruciating") only when the text gives no number.
func (r *Reader) pain(ws []word, fs []found, trigs []trigger, used []bool, cl clauses) (painVal, bool, bool, []float64) {
	hypothetical := func(start int) bool {
		for _, t := range trigs {
			if t.kind == tHypo && t.end <= start && cl.coarse[t.start] == cl.coarse[start] && start-t.end <= hypoWindow {
				return true
			}
		}
		return false
	}
	var vals []painVal
	for _, p := range painScores(ws, used, fs, cl) {
		if !hypothetical(p.start) {
			vals = append(vals, p)
		}
	}
	if len(vals) == 0 {
		for _, f := range fs {
			if f.typ != "pain" || f.ctx == "negated" || f.ctx == "hypothetical" {
				continue
			}
			p := painVal{v: r.bands.bandValue(f.code), start: f.start, end: f.end, tense: tenseOf(ws, f.start, f.end, cl)}
			if f.ctx == "historical" || p.tense == tenseWas && wasSore(ws, f.start, cl) || inSession(ws, cl, f.start) && !clauseSaysNow(ws, f.start, cl) || describesSession(ws, fs, f.end) {
				p.tense = tensePast // "it was torture": a word of how the session felt
			}
			vals = append(vals, p)
		}
	}
	p, past, ok := choosePain(vals)
	return p, past, ok, earlierPain(vals, p, ok && !past)
}

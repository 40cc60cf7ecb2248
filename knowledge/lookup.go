package knowledge

import (
	"fmt"
	"slices"
	"strings"

	"aftercare"
)

// Source returns the source with this id, or nil.
func (b *Base) Source(id string) *Source { return b.sources[id] }

// Style returns the style with this code, or nil.
func (b *Base) Style(code string) *Style { return b.styles[code] }

// Pressure returns the pressure with this code, or nil.
func (b *Base) Pressure(code string) *Pressure { return b.pressures[code] }

// Intensity returns the intensity with this code, or nil.
func (b *Base) Intensity(code string) *Intensity { return b.intensities[code] }

// Level returns what is said for the level with this code, or nil.
func (b *Base) Level(code string) *LevelInfo { return b.levels[code] }

// Caution returns the caution for this screening answer, or nil.
func (b *Base) Caution(health string) *Caution { return b.cautions[health] }

// Cite returns the short citations of the given source ids, joined by "; ".
func (b *Base) Cite(ids []string) string {
	var sb strings.Builder
	for i, id := range ids {
		if i > 0 {
			sb.WriteString("; ")
		}
		if s := b.sources[id]; s != nil {
			sb.WriteString(s.Cite)
		} else {
			sb.WriteString(id)
		}
	}
	return sb.String()
}

// Citation is the rule's sources, cited in short.
func (r *Rule) Citation() string { return r.cite }

// Citation is the relief measure's sources, cited in short.
func (r *Relief) Citation() string { return r.cite }

// LevelValue is the rule's level (1 self_care … 5 emergency).
func (r *Rule) LevelValue() int { return r.level }

// Holds reports whether the rule's condition holds for the facts. An error
// means the rule could not be judged; the engine refuses to answer rather
// than drop a rule silently.
func (r *Rule) Holds(f *Facts) (bool, error) {
	ok, err := r.cond.Test(f)
	if err != nil {
		return false, fmt.Errorf("knowledge: rule %s: %w", r.ID, err)
	}
	return ok, nil
}

// EvalRules sets bit i of fired (fired[i/64] & (1 << (i%64))) when rule
// b.Rules[i] holds for the facts, and clears it otherwise; fired must have
// RuleWords() words. It fails, naming the rule, when a rule cannot be judged.
func (b *Base) EvalRules(f *Facts, fired []uint64) error {
	r := newRun(f)
	defer r.done()
	clear(fired)
	for i := range b.Rules {
		ok, err := b.Rules[i].cond.run(r)
		if err != nil {
			return fmt.Errorf("knowledge: rule %s: %w", b.Rules[i].ID, err)
		}
		setBit(fired, i, ok)
	}
	return nil
}

// EvalAdvice sets bit i of relief (relief[i/64] & (1 << (i%64))) when the
// relief measure b.Relief[i] is to be offered for the facts, and bit i of
// watch when the sign b.WatchFor[i] is worth watching for; relief and watch
// must have AdviceWords() words. As with Fits and Holds, a condition that
// cannot be judged counts as not holding.
func (b *Base) EvalAdvice(f *Facts, relief, watch []uint64) {
	r := newRun(f)
	defer r.done()
	clear(relief)
	for i := range b.Relief {
		m := &b.Relief[i]
		setBit(relief, i, holds(m.when, r) && (m.unless == nil || !holds(m.unless, r)))
	}
	clear(watch)
	for i := range b.WatchFor {
		setBit(watch, i, holds(b.WatchFor[i].cond, r))
	}
}

func setBit(bits []uint64, i int, on bool) {
	if on {
		bits[i/64] |= 1 << (i % 64)
	}
}

// words is the number of uint64 words a bitset of n entries needs.
func words(n int) int { return (n + 63) / 64 }

// AdviceWords is the number of uint64 words EvalAdvice's relief and watch bitsets need.
func (b *Base) AdviceWords() (relief, watch int) { return words(len(b.Relief)), words(len(b.WatchFor)) }

// RuleWords is the number of uint64 words a bitset of the rules needs.
func (b *Base) RuleWords() int { return words(len(b.Rules)) }

// Fits reports whether the relief measure is to be offered for the facts.
// A condition that cannot be judged counts as not holding.
func (r *Relief) Fits(f *Facts) bool {
	run := newRun(f)
	defer run.done()
	return holds(r.when, run) && (r.unless == nil || !holds(r.unless, run))
}

// Holds reports whether the sign is worth watching for, given the facts.
func (w *Watch) Holds(f *Facts) bool {
	r := newRun(f)
	defer r.done()
	return holds(w.cond, r)
}

// holds reports whether the condition holds; one that cannot be judged does not.
func holds(c *Cond, r *run) bool {
	ok, err := c.run(r)
	return err == nil && ok
}

// Link returns where the source can be read: its URL, else its DOI or its
// PubMed record as a URL; empty for the seed article, which has none.
func (s *Source) Link() string {
	switch {
	case s.URL != "":
		return s.URL
	case s.DOI != "":
		return "https://doi.org/" + s.DOI
	case s.PMID != "":
		return "https://pubmed.ncbi.nlm.nih.gov/" + s.PMID + "/"
	}
	return ""
}

// Citation is one source as an entry cites it: the short citation, what
// the source says that backs the entry, and where to read it.
type Citation struct {
	ID    string
	Cite  string
	Claim string
	Link  string
}

// Citations returns the sources an entry cites, in order, each with the
// claim the entry names for it.
func (b *Base) Citations(ids []string, bk *Backing) []Citation {
	out := make([]Citation, 0, len(ids))
	for _, id := range ids {
		c := Citation{ID: id, Cite: id, Claim: bk.Claims[id]}
		if s := b.sources[id]; s != nil {
			c.Cite, c.Link = s.Cite, s.Link()
		}
		out = append(out, c)
	}
	return out
}

// CautionsFor returns what a therapist must adjust for these screening
// answers, in the order given; unknown codes are skipped. The advice ends
// with the questions to ask the client.
func (b *Base) CautionsFor(health []string) []aftercare.Caution {
	out := make([]aftercare.Caution, 0, len(health))
	for _, h := range health {
		c := b.cautions[h]
		if c == nil {
			continue
		}
		advice := c.Advice
		if len(c.Ask) > 0 {
			advice += " Ask: " + strings.Join(c.Ask, " ")
		}
		out = append(out, aftercare.Caution{
			Health: c.Health, Title: c.Title, Advice: advice, MaxPressure: c.MaxPressure,
			AvoidAreas: c.AvoidAreas, SeeDoctorFirst: c.SeeDoctorFirst, Source: b.Cite(c.Sources),
		})
	}
	return out
}

// FlagGuidance returns what a flagged check-in means for the next session:
// the guidance of every entry one of whose rules fired, in the order of the
// file, each once.
func (b *Base) FlagGuidance(fired []string) []FlagGuide {
	var out []FlagGuide
	for _, f := range b.Flags {
		if slices.ContainsFunc(f.Rules, func(id string) bool { return slices.Contains(fired, id) }) {
			out = append(out, f)
		}
	}
	return out
}

// GuidanceFor returns what a flag raised by these rules means for the
// client's next session, each entry of FlagGuidance in words: its advice,
// then the areas not to treat and until when, with its sources. The
// workspace and the API both show this text, so they say the same thing.
func (b *Base) GuidanceFor(rules []string) []aftercare.Guidance {
	guides := b.FlagGuidance(rules)
	if len(guides) == 0 {
		return nil
	}
	out := make([]aftercare.Guidance, 0, len(guides))
	for _, g := range guides {
		text := g.Advice
		if len(g.AvoidAreas) > 0 {
			areas := make([]string, len(g.AvoidAreas))
			for i, a := range g.AvoidAreas {
				areas[i] = lowerFirst(aftercare.Areas.Label(a))
			}
			text += " Do not treat: " + strings.Join(areas, ", ")
			if g.UntilCleared {
				text += ", until a clinician has cleared the client"
			}
			text += "."
		} else if g.UntilCleared {
			text += " No massage until a clinician has cleared the client."
		}
		sources := make([]aftercare.GuidanceSource, 0, len(g.Sources))
		for _, id := range g.Sources {
			src := aftercare.GuidanceSource{ID: id, Title: id}
			if s := b.sources[id]; s != nil {
				src.Title, src.URL = s.Title, s.Link()
			}
			sources = append(sources, src)
		}
		out = append(out, aftercare.Guidance{
			ID: g.ID, Title: g.Title, Text: text, AvoidAreas: g.AvoidAreas, UntilCleared: g.UntilCleared,
			Source: b.Cite(g.Sources), Sources: sources,
		})
	}
	return out
}

// lowerFirst lowers the first letter of a label for use inside a sentence.
func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

package knowledge

import (
	"fmt"
	"strings"
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

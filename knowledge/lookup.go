package knowledge

import (
	"fmt"
	"strings"

	"github.com/expr-lang/expr/vm"
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

// Holds reports whether the rule's condition holds for the facts, using the VM
// given. An error means the rule could not be judged; the engine refuses to
// answer rather than drop a rule silently.
func (r *Rule) Holds(m *vm.VM, f *Env) (bool, error) {
	out, err := m.Run(r.program, f)
	if err != nil {
		return false, fmt.Errorf("knowledge: rule %s: %w", r.ID, err)
	}
	ok, _ := out.(bool)
	return ok, nil
}

// Fits reports whether the relief measure is to be offered for the facts.
func (r *Relief) Fits(m *vm.VM, f *Env) bool {
	return run(m, r.when, f) && (r.unless == nil || !run(m, r.unless, f))
}

// Holds reports whether the sign is worth watching for, given the facts.
func (w *Watch) Holds(m *vm.VM, f *Env) bool { return run(m, w.program, f) }

func run(m *vm.VM, p *vm.Program, f *Env) bool {
	out, err := m.Run(p, f)
	if err != nil {
		return false
	}
	ok, _ := out.(bool)
	return ok
}

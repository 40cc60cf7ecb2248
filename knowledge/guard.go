package knowledge

import (
	"strings"
)

// Guards let a set of conditions skip most of its work. A guard is a list of
// atoms, each a test that some bytes of Facts are not all zero (a bool field
// is true; an int or float field is not 0). The compiler gives a condition a
// guard when the condition cannot hold unless one of the guard's atoms does:
// symptom.fever && symptom.stiff_neck is guarded by symptom.stiff_neck (or
// fever), a || b by the union of their guards, pain >= 5 by pain != 0. When
// the condition is nothing but its guard (symptom.tingling ||
// symptom.numbness) the guard is exact and decides it alone.
//
// CondSet turns this around: it reads each 8-byte word of Facts that some
// guard looks at once, and for every non-zero byte in it marks the
// conditions that byte may make true. Facts are sparse (a request has a few
// symptoms out of 34), so a set of 50 rules typically reads about a dozen
// words and runs the closures of only the few conditions its facts wake up.

// atom holds when the little-endian word of Facts at off, masked, is not
// zero; or, for a predicate atom (pred not nil), when pred holds.
type atom struct {
	off  uintptr
	mask uint64
	// pred is a comparison of fields or of a field and a constant (a single
	// test ending in pcTrue or pcFalse), which a CondSet evaluates once per
	// Eval; key names it, so that conditions share it.
	pred *instr
	key  string
	// weight guesses how often the atom holds (1 rarely … 10 usually); a
	// conjunction keeps the lightest of its operands' guards.
	weight int
}

// boolAtom is the atom of a bool field: its byte is not zero.
func boolAtom(f field) atom {
	return atom{off: f.off &^ 7, mask: 0xff << (8 * (f.off & 7)), weight: weightOf(f.path)}
}

// numGuard is the guard of field op k when that implies the field is not 0
// (an int or float64 field, whose eight bytes are then not all zero); nil
// otherwise.
func numGuard(op string, f field, k float64) []atom {
	var nonZero bool
	switch op {
	case "==":
		nonZero = k != 0
	case "!=":
		nonZero = k == 0
	case ">":
		nonZero = k >= 0
	case ">=":
		nonZero = k > 0
	case "<":
		nonZero = k <= 0
	case "<=":
		nonZero = k < 0
	}
	if !nonZero || f.off%8 != 0 {
		return nil
	}
	return []atom{{off: f.off, mask: ^uint64(0), weight: weightOf(f.path)}}
}

// weightOf guesses how often a field is set: symptoms and screening answers
// rarely, areas now and then, the facts every request has (sore, pain,
// hours) nearly always.
func weightOf(path string) int {
	switch {
	case strings.HasPrefix(path, "symptom."), strings.HasPrefix(path, "health."), path == "anticoagulated":
		return 1
	case strings.HasPrefix(path, "worked."), strings.HasPrefix(path, "sore_in."), strings.HasPrefix(path, "area_pain."):
		return 4
	case path == "neck_work", path == "leg_work", path == "checkins", path == "rise", path == "level", path == "peak_pain":
		return 6
	}
	return 10
}

// heavy is the weight from which a comparison is too likely to hold to be
// worth evaluating as a guard.
const heavy = 8

// predWeight guesses how often a comparison holds from its operator: an
// equality or a lower bound (band == 'severe', hours > 72) seldom, an upper
// bound or an inequality (pain <= 2, trend != 'falling') usually.
func predWeight(op string) int {
	switch op {
	case "==", ">", ">=":
		return 3
	}
	return heavy
}

func weight(g []atom) int {
	w := 0
	for _, a := range g {
		w += a.weight
	}
	return w
}

// nonZeroBytes returns x with only the top bit of each non-zero byte set.
func nonZeroBytes(x uint64) uint64 {
	const lo7, hi = 0x7f7f7f7f7f7f7f7f, 0x8080808080808080
	return ((x & lo7) + lo7 | x) & hi
}

// CondError is a condition of a CondSet that could not be judged.
type CondError struct {
	// Index is the condition's place in the set.
	Index int
	// Err is what the VM reported.
	Err error
}

// Error describes the failure.
func (e *CondError) Error() string { return e.Err.Error() }

// Unwrap returns the VM's error.
func (e *CondError) Unwrap() error { return e.Err }

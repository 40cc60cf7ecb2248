package knowledge

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
	"unsafe"
)

// CondSet evaluates a list of conditions on one Facts at once. It links
// their code into one list of tests in a few fixed shapes (no indirect jump
// per test), and does the work in three passes:
//
//  1. atoms: the comparisons that guard conditions (hours > window_to,
//     band == 'severe', …), each distinct one evaluated once, by typed loops
//     without branches on the data, into a bit vector; in the linked code a
//     comparison that is an atom, or an int or string atom's negation
//     (band != 'severe'), is a test of its bit.
//  2. guards (guard.go): the words of Facts that guards look at are read,
//     and every non-zero byte among them, and every predicate atom that
//     holds, marks the conditions it may make true. Facts are sparse, so few are.
//  3. the marked conditions that their guard does not decide alone run their
//     linked code (from what is left after the guard, when the guard is a
//     single atom).
//
// A CondSet is safe for concurrent use.
type CondSet struct {
	conds []*Cond
	nw    int // words in a bitset of len(conds)

	code []linked
	// entry[i] is where condition i starts when it is a candidate; pcVM
	// when it runs on the expr VM.
	entry []int32

	run   []uint64 // conditions to run whatever the facts (no guard, or on the VM)
	exact []uint64 // conditions decided by their guard alone

	natoms         int
	atomIndex      map[string]int // atomKey → atom
	intK, intF     []numAtom
	floatK, floatF []numAtom
	strs           []strAtom
	funcs          []funcAtom
	preds          []predWake
	words          []guardWord
	wake           []uint64 // wake[(8*i+b)*nw:][:nw]: the conditions byte b of words[i] may make true

	vmConds, compiledConds, linkedTests int
}

// linked is one test of a CondSet's code, in one of a few shapes that run
// without an indirect jump:
//
//   - sel 0, 1: the word at off in Facts (0) or in the atom vector (1),
//     masked, is not zero (or, with all, has every bit of mask set);
//   - sel 2: a comparison of the number at off (a float64 with isFloat, else
//     an int) with the constant k (a float64's bits with isFloat) or, with
//     field2, the number at off2; ord is the set of outcomes that make it hold;
//   - sel 3: the string at off equals s (differs, with ne);
//   - sel 4: fn holds.
type linked struct {
	t, f    int32
	off     uint32
	off2    uint32
	sel     uint8
	ord     uint8
	all     bool
	isFloat bool
	field2  bool
	ne      bool
	mask    uint64 // sel 0, 1
	k       uint64 // sel 2
	s       string
	fn      func(*Facts) bool
}

// numAtom is one comparison of a number field with a constant (k: an int,
// or a float64's bits) or with another field (off2). ord is the set of
// outcomes that make it true: 1 less, 2 equal, 4 greater, 8 unordered (NaN).
type numAtom struct {
	off, off2 uint32
	k         uint64
	ord       uint8
	bit       uint32
}

// strAtom is string field == s (or != s, with ne).
type strAtom struct {
	off uint32
	ne  bool
	s   string
	bit uint32
}

type funcAtom struct {
	fn  func(*Facts) bool
	bit uint32
}

// predWake is a predicate atom that guards conditions: when its bit is set,
// the conditions of wake are candidates.
type predWake struct {
	bit  uint32
	wake []uint64
}

// guardWord is one 8-byte word of Facts that guards look at, with the bytes
// they look at.
type guardWord struct {
	off  uintptr
	mask uint64
}

// pcVM marks a condition of a CondSet that runs on the expr VM.
const pcVM int32 = -3

// maxStackAtoms is how many atoms Eval keeps on the stack; a set with more
// allocates its atom vector.
const maxStackAtoms = 256

// ordOf is the outcome set of each comparison, in the order of cmpOps.
var ordOf = [6]uint8{
	0: 2,         // ==
	1: 1 | 4 | 8, // != (NaN != x holds, as in Go and expr)
	2: 1,         // <
	3: 1 | 2,     // <=
	4: 4,         // >
	5: 4 | 2,     // >=
}

// NewCondSet prepares the conditions to be evaluated together; bit i of
// Eval's result stands for conds[i].
func NewCondSet(conds []*Cond) *CondSet {
	nw := (len(conds) + 63) / 64
	s := &CondSet{conds: conds, nw: nw, entry: make([]int32, len(conds)),
		run: make([]uint64, nw), exact: make([]uint64, nw), atomIndex: map[string]int{}}
	at := map[uintptr]int{}
	preds := map[int]int{}
	// The guards' predicates are the atoms, evaluated before anything else.
	for _, c := range conds {
		for _, a := range c.guard {
			if a.pred != nil && c.compiled {
				s.atom(a.pred)
			}
		}
	}
	for i, c := range conds {
		k, bit := i/64, uint64(1)<<(i%64)
		if !c.compiled {
			s.entry[i] = pcVM
			s.run[k] |= bit
			s.vmConds++
			continue
		}
		s.compiledConds++
		p := c.code
		if c.guard != nil && c.after != nil {
			p = *c.after
		}
		s.entry[i] = s.link(p)
		if c.guard == nil {
			s.run[k] |= bit
			continue
		}
		if c.exact {
			s.exact[k] |= bit
		}
		for _, a := range c.guard {
			if a.pred != nil {
				j := s.atom(a.pred)
				w, ok := preds[j]
				if !ok {
					w = len(s.preds)
					preds[j] = w
					s.preds = append(s.preds, predWake{bit: uint32(j), wake: make([]uint64, nw)})
				}
				s.preds[w].wake[k] |= bit
				continue
			}
			w, ok := at[a.off]
			if !ok {
				w = len(s.words)
				at[a.off] = w
				s.words = append(s.words, guardWord{off: a.off})
				s.wake = append(s.wake, make([]uint64, 8*nw)...)
			}
			s.words[w].mask |= a.mask
			for b := range 8 {
				if a.mask>>(8*b)&0xff != 0 {
					s.wake[(8*w+b)*nw+k] |= bit
				}
			}
		}
	}
	return s
}

// link appends a program's code to the set's, each test in its linked
// shape, and returns where it starts.
func (s *CondSet) link(p program) int32 {
	base := int32(len(s.code))
	move := func(pc int32) int32 {
		if pc < 0 {
			return pc
		}
		return pc + base
	}
	for i := range p.code {
		in := &p.code[i]
		l := linked{t: move(in.t), f: move(in.f)}
		j, isAtom := s.atomIndex[atomKey(in)]
		if neg, ok := negation(in); ok && !isAtom {
			// x <= y is !(x > y) for ints and strings: test the atom, swap the targets.
			if j, isAtom = s.atomIndex[atomKey(&neg)]; isAtom {
				l.t, l.f = l.f, l.t
			}
		}
		switch {
		case in.op == opBool:
			l.off, l.mask = in.off&^7, nativeByteMask(uint64(0xff)<<(8*(in.off&7)))
		case in.op == opAny || in.op == opAll:
			l.off, l.mask, l.all = in.off, nativeByteMask(in.k), in.op == opAll && in.k&(in.k-1) != 0
		case isAtom && in.op != opFunc:
			l.sel, l.off, l.mask = 1, uint32(8*(j/64)), 1<<(j%64)
		case in.op >= opIntEQ && in.op <= opFloatFieldGE:
			c := in.op - opIntEQ // int const, int field, float const, float field; six operators each
			l.sel, l.off, l.off2, l.k, l.ord = 2, in.off, in.off2, in.k, ordOf[c%6]
			l.isFloat, l.field2 = c >= 12, c/6%2 == 1
		case in.op == opStrEQ || in.op == opStrNE:
			l.sel, l.off, l.s, l.ne = 3, in.off, in.s, in.op == opStrNE
		default:
			l.sel, l.fn = 4, in.fn
		}
		s.code = append(s.code, l)
		s.linkedTests++
	}
	return move(p.entry)
}

// atom returns the index of the comparison test in as an atom of the set,
// adding it when it is new.
func (s *CondSet) atom(in *instr) int {
	// Closures are never shared: two of them are not known to be equal.
	key := atomKey(in)
	if j, ok := s.atomIndex[key]; ok && in.op != opFunc {
		return j
	}
	j := s.natoms
	s.natoms++
	if in.op != opFunc {
		s.atomIndex[key] = j
	}
	bit := uint32(j)
	switch {
	case in.op >= opIntEQ && in.op <= opIntGE:
		s.intK = append(s.intK, numAtom{off: in.off, k: in.k, ord: ordOf[in.op-opIntEQ], bit: bit})
	case in.op >= opIntFieldEQ && in.op <= opIntFieldGE:
		s.intF = append(s.intF, numAtom{off: in.off, off2: in.off2, ord: ordOf[in.op-opIntFieldEQ], bit: bit})
	case in.op >= opFloatEQ && in.op <= opFloatGE:
		s.floatK = append(s.floatK, numAtom{off: in.off, k: in.k, ord: ordOf[in.op-opFloatEQ], bit: bit})
	case in.op >= opFloatFieldEQ && in.op <= opFloatFieldGE:
		s.floatF = append(s.floatF, numAtom{off: in.off, off2: in.off2, ord: ordOf[in.op-opFloatFieldEQ], bit: bit})
	case in.op == opStrEQ || in.op == opStrNE:
		s.strs = append(s.strs, strAtom{off: in.off, ne: in.op == opStrNE, s: in.s, bit: bit})
	case in.op == opFunc:
		s.funcs = append(s.funcs, funcAtom{fn: in.fn, bit: bit})
	default:
		panic(fmt.Sprintf("knowledge: op %d is not a comparison", in.op))
	}
	return j
}

// negation returns the test that fails exactly when in holds, for the
// comparisons that have one (ints and strings; not floats, where NaN makes
// both x <= y and x > y fail).
func negation(in *instr) (instr, bool) {
	neg := *in
	switch {
	case in.op >= opIntEQ && in.op <= opIntFieldGE:
		c := (in.op - opIntEQ) % 6
		neg.op = in.op - c + [6]op{1, 0, 5, 4, 3, 2}[c] // == !=, != ==, < >=, <= >, > <=, >= <
	case in.op == opStrEQ:
		neg.op = opStrNE
	case in.op == opStrNE:
		neg.op = opStrEQ
	default:
		return instr{}, false
	}
	return neg, true
}

// atomKey identifies a comparison test, so that equal ones share an atom.
func atomKey(in *instr) string {
	return fmt.Sprintf("%d %d %d %d %q", in.op, in.off, in.off2, in.k, in.s)
}

// nativeByteMask turns a mask over the little-endian reading of a word into
// the same bytes' mask over its native reading.
func nativeByteMask(le uint64) uint64 {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], le)
	return binary.NativeEndian.Uint64(b[:])
}

// Len is the number of conditions in the set.
func (s *CondSet) Len() int { return len(s.conds) }

// Words is the number of uint64 words Eval's result needs.
func (s *CondSet) Words() int { return s.nw }

// Stats describes how the set runs: how many of its conditions are compiled
// and how many run on the expr VM, and how many distinct comparisons (atoms)
// and linked tests its code has.
func (s *CondSet) Stats() string {
	return fmt.Sprintf("%d conditions compiled, %d on the expr VM; %d atoms, %d guard predicates, %d guard words, %d linked tests",
		s.compiledConds, s.vmConds, s.natoms, len(s.preds), len(s.words), s.linkedTests)
}

// b2u is 1 for true and 0 for false (the compiler makes it a SETcc, no branch).
func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// ordInt is the outcome of comparing two ints: 1 less, 2 equal, 4 greater.
func ordInt(l, r int) uint8 { return uint8(b2u(l < r) | b2u(l == r)<<1 | b2u(l > r)<<2) }

// ordFloat is the outcome of comparing two floats: 1 less, 2 equal, 4
// greater, 8 unordered (a NaN).
func ordFloat(l, r float64) uint8 {
	return uint8(b2u(l < r) | b2u(l == r)<<1 | b2u(l > r)<<2 | (b2u(l != l)|b2u(r != r))<<3)
}

// atoms evaluates every atom of the set into the bit vector a.
func (s *CondSet) atoms(f *Facts, a []uint64) {
	if len(a) == 1 {
		a[0] = s.atoms64(f)
		return
	}
	p := unsafe.Pointer(f)
	set := func(bit uint32, ok bool) { a[bit/64] |= b2u(ok) << (bit % 64) }
	for _, x := range s.intK {
		set(x.bit, ordInt(*(*int)(unsafe.Add(p, x.off)), int(x.k))&x.ord != 0)
	}
	for _, x := range s.intF {
		set(x.bit, ordInt(*(*int)(unsafe.Add(p, x.off)), *(*int)(unsafe.Add(p, x.off2)))&x.ord != 0)
	}
	for _, x := range s.floatK {
		set(x.bit, ordFloat(*(*float64)(unsafe.Add(p, x.off)), math.Float64frombits(x.k))&x.ord != 0)
	}
	for _, x := range s.floatF {
		set(x.bit, ordFloat(*(*float64)(unsafe.Add(p, x.off)), *(*float64)(unsafe.Add(p, x.off2)))&x.ord != 0)
	}
	for _, x := range s.strs {
		set(x.bit, (*(*string)(unsafe.Add(p, x.off)) == x.s) != x.ne)
	}
	for _, x := range s.funcs {
		set(x.bit, x.fn(f))
	}
}

// atoms64 is atoms for up to 64 atoms, accumulated in a register.
func (s *CondSet) atoms64(f *Facts) uint64 {
	p := unsafe.Pointer(f)
	var a uint64
	for _, x := range s.intK {
		a |= b2u(ordInt(*(*int)(unsafe.Add(p, x.off)), int(x.k))&x.ord != 0) << (x.bit % 64)
	}
	for _, x := range s.intF {
		a |= b2u(ordInt(*(*int)(unsafe.Add(p, x.off)), *(*int)(unsafe.Add(p, x.off2)))&x.ord != 0) << (x.bit % 64)
	}
	for _, x := range s.floatK {
		a |= b2u(ordFloat(*(*float64)(unsafe.Add(p, x.off)), math.Float64frombits(x.k))&x.ord != 0) << (x.bit % 64)
	}
	for _, x := range s.floatF {
		a |= b2u(ordFloat(*(*float64)(unsafe.Add(p, x.off)), *(*float64)(unsafe.Add(p, x.off2)))&x.ord != 0) << (x.bit % 64)
	}
	for _, x := range s.strs {
		a |= b2u((*(*string)(unsafe.Add(p, x.off)) == x.s) != x.ne) << (x.bit % 64)
	}
	for _, x := range s.funcs {
		a |= b2u(x.fn(f)) << (x.bit % 64)
	}
	return a
}

// Eval sets bit i of out (out[i/64] & (1 << (i%64))) when condition i holds
// for the facts, and clears it otherwise; out must have Words() words. It
// fails only when a condition that runs on the VM fails; the error is then a
// *CondError that carries that condition's index.
func (s *CondSet) Eval(f *Facts, out []uint64) error {
	var stack [maxStackAtoms / 64]uint64
	var a []uint64
	if s.natoms > maxStackAtoms {
		a = make([]uint64, (s.natoms+63)/64)
	} else {
		a = stack[:max(1, (s.natoms+63)/64)]
	}
	s.atoms(f, a)
	if s.nw == 1 {
		return s.eval1(f, a, &out[0])
	}
	cand := make([]uint64, s.nw)
	copy(cand, s.run)
	for i := range s.preds {
		p := &s.preds[i]
		on := -(a[p.bit/64] >> (p.bit % 64) & 1)
		for k := range cand {
			cand[k] |= p.wake[k] & on
		}
	}
	for i, w := range s.words {
		x := word(f, w.off) & w.mask
		if x == 0 {
			continue
		}
		for y := nonZeroBytes(x); y != 0; y &= y - 1 {
			wake := s.wake[(8*i+bits.TrailingZeros64(y)/8)*s.nw:][:s.nw]
			for k := range cand {
				cand[k] |= wake[k]
			}
		}
	}
	for k, c := range cand {
		out[k] = c & s.exact[k]
		if err := s.test(f, a, k, c&^s.exact[k], &out[k]); err != nil {
			return err
		}
	}
	return nil
}

// eval1 is Eval for sets of up to 64 conditions, without slices of bitsets.
func (s *CondSet) eval1(f *Facts, a []uint64, out *uint64) error {
	cand := s.run[0]
	for i := range s.preds {
		p := &s.preds[i]
		cand |= p.wake[0] & -(a[p.bit/64] >> (p.bit % 64) & 1)
	}
	for i := range s.words {
		w := &s.words[i]
		x := word(f, w.off) & w.mask
		if x == 0 {
			continue
		}
		for y := nonZeroBytes(x); y != 0; y &= y - 1 {
			cand |= s.wake[8*i+bits.TrailingZeros64(y)/8]
		}
	}
	*out = cand & s.exact[0]
	return s.test(f, a, 0, cand&^s.exact[0], out)
}

// test runs the candidate conditions of word k and sets the bits of those that hold.
func (s *CondSet) test(f *Facts, a []uint64, k int, cand uint64, out *uint64) error {
	for ; cand != 0; cand &= cand - 1 {
		j := bits.TrailingZeros64(cand)
		var ok bool
		if pc := s.entry[64*k+j]; pc != pcVM {
			ok = runLinked(s.code, pc, f, unsafe.Pointer(&a[0]))
		} else {
			var err error
			if ok, err = s.conds[64*k+j].TestVM(f); err != nil {
				return &CondError{Index: 64*k + j, Err: err}
			}
		}
		*out |= b2u(ok) << j
	}
	return nil
}

// runLinked evaluates the linked condition that starts at pc.
func runLinked(code []linked, pc int32, f *Facts, atoms unsafe.Pointer) bool {
	base := [2]unsafe.Pointer{unsafe.Pointer(f), atoms}
	for pc >= 0 {
		in := &code[pc]
		var ok bool
		switch {
		case in.sel < 2:
			w := *(*uint64)(unsafe.Add(base[in.sel], in.off)) & in.mask
			ok = w != 0
			if in.all {
				ok = w == in.mask
			}
		case in.sel == 2:
			r := unsafe.Pointer(&in.k)
			if in.field2 {
				r = unsafe.Add(base[0], in.off2)
			}
			lb, rb := *(*uint64)(unsafe.Add(base[0], in.off)), *(*uint64)(r)
			o := ordInt(int(lb), int(rb))
			if in.isFloat {
				o = ordFloat(math.Float64frombits(lb), math.Float64frombits(rb))
			}
			ok = o&in.ord != 0
		case in.sel == 3:
			ok = (*(*string)(unsafe.Add(base[0], in.off)) == in.s) != in.ne
		default:
			ok = in.fn(f)
		}
		next := in.f
		if ok {
			next = in.t
		}
		pc = next
	}
	return pc == pcTrue
}

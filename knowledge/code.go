package knowledge

import (
	"encoding/binary"
	"math"
	"unsafe"
)

// A compiled condition is a list of tests, each with where to go next when
// it holds and when it fails: && and || become jumps (short-circuit
// evaluation, as in any compiler), ! swaps the two targets, and a ?: picks a
// branch. run steps through the list, one typed test (a switch on its op)
// at a time; an opFunc test is a Go closure, for the rarer operand shapes.
// A rule costs a few loads and compares, not an interpreter's stack of boxed
// values. (A CondSet links the same lists into its own shape, set.go.)

// op is what a test does.
type op uint8

// The tests. Comparisons take the field at off and a constant (k: an int, or
// a float64's bits) or the field at off2.
const (
	opFunc op = iota // fn(f)
	opBool           // the bool field at off
	opAny            // the word at off has a bit of mask k set (one of several bool fields is true)
	opAll            // the word at off has every bit of mask k set
	opIntEQ
	opIntNE
	opIntLT
	opIntLE
	opIntGT
	opIntGE
	opIntFieldEQ
	opIntFieldNE
	opIntFieldLT
	opIntFieldLE
	opIntFieldGT
	opIntFieldGE
	opFloatEQ
	opFloatNE
	opFloatLT
	opFloatLE
	opFloatGT
	opFloatGE
	opFloatFieldEQ
	opFloatFieldNE
	opFloatFieldLT
	opFloatFieldLE
	opFloatFieldGT
	opFloatFieldGE
	opStrEQ // the string field at off equals s
	opStrNE
)

// cmpOps orders the comparison operators as the op constants do.
var cmpOps = map[string]op{"==": 0, "!=": 1, "<": 2, "<=": 3, ">": 4, ">=": 5}

// The ends of a condition: jumping to one stops with that answer.
const (
	pcTrue  int32 = -1
	pcFalse int32 = -2
)

// instr is one test with its two successors.
type instr struct {
	op   op
	t, f int32 // next test when this one holds / fails, or pcTrue / pcFalse
	off  uint32
	off2 uint32
	k    uint64
	s    string
	fn   func(*Facts) bool
}

// run evaluates the condition that starts at pc in code.
func run(code []instr, pc int32, f *Facts) bool {
	for pc >= 0 {
		in := &code[pc]
		next := in.f
		if in.holds(f) {
			next = in.t
		}
		pc = next
	}
	return pc == pcTrue
}

// holds runs one test.
func (in *instr) holds(f *Facts) bool {
	p := unsafe.Pointer(f)
	switch in.op {
	case opBool:
		return *(*bool)(unsafe.Add(p, in.off))
	case opAny:
		return word(f, uintptr(in.off))&in.k != 0
	case opAll:
		return word(f, uintptr(in.off))&in.k == in.k
	case opIntEQ:
		return *(*int)(unsafe.Add(p, in.off)) == int(in.k)
	case opIntNE:
		return *(*int)(unsafe.Add(p, in.off)) != int(in.k)
	case opIntLT:
		return *(*int)(unsafe.Add(p, in.off)) < int(in.k)
	case opIntLE:
		return *(*int)(unsafe.Add(p, in.off)) <= int(in.k)
	case opIntGT:
		return *(*int)(unsafe.Add(p, in.off)) > int(in.k)
	case opIntGE:
		return *(*int)(unsafe.Add(p, in.off)) >= int(in.k)
	case opIntFieldEQ:
		return *(*int)(unsafe.Add(p, in.off)) == *(*int)(unsafe.Add(p, in.off2))
	case opIntFieldNE:
		return *(*int)(unsafe.Add(p, in.off)) != *(*int)(unsafe.Add(p, in.off2))
	case opIntFieldLT:
		return *(*int)(unsafe.Add(p, in.off)) < *(*int)(unsafe.Add(p, in.off2))
	case opIntFieldLE:
		return *(*int)(unsafe.Add(p, in.off)) <= *(*int)(unsafe.Add(p, in.off2))
	case opIntFieldGT:
		return *(*int)(unsafe.Add(p, in.off)) > *(*int)(unsafe.Add(p, in.off2))
	case opIntFieldGE:
		return *(*int)(unsafe.Add(p, in.off)) >= *(*int)(unsafe.Add(p, in.off2))
	case opFloatEQ:
		return *(*float64)(unsafe.Add(p, in.off)) == math.Float64frombits(in.k)
	case opFloatNE:
		return *(*float64)(unsafe.Add(p, in.off)) != math.Float64frombits(in.k)
	case opFloatLT:
		return *(*float64)(unsafe.Add(p, in.off)) < math.Float64frombits(in.k)
	case opFloatLE:
		return *(*float64)(unsafe.Add(p, in.off)) <= math.Float64frombits(in.k)
	case opFloatGT:
		return *(*float64)(unsafe.Add(p, in.off)) > math.Float64frombits(in.k)
	case opFloatGE:
		return *(*float64)(unsafe.Add(p, in.off)) >= math.Float64frombits(in.k)
	case opFloatFieldEQ:
		return *(*float64)(unsafe.Add(p, in.off)) == *(*float64)(unsafe.Add(p, in.off2))
	case opFloatFieldNE:
		return *(*float64)(unsafe.Add(p, in.off)) != *(*float64)(unsafe.Add(p, in.off2))
	case opFloatFieldLT:
		return *(*float64)(unsafe.Add(p, in.off)) < *(*float64)(unsafe.Add(p, in.off2))
	case opFloatFieldLE:
		return *(*float64)(unsafe.Add(p, in.off)) <= *(*float64)(unsafe.Add(p, in.off2))
	case opFloatFieldGT:
		return *(*float64)(unsafe.Add(p, in.off)) > *(*float64)(unsafe.Add(p, in.off2))
	case opFloatFieldGE:
		return *(*float64)(unsafe.Add(p, in.off)) >= *(*float64)(unsafe.Add(p, in.off2))
	case opStrEQ:
		return *(*string)(unsafe.Add(p, in.off)) == in.s
	case opStrNE:
		return *(*string)(unsafe.Add(p, in.off)) != in.s
	case opFunc:
		return in.fn(f)
	}
	panic("knowledge: unknown test")
}

// word reads the 8 bytes of Facts at off (a multiple of 8) as a little-endian
// number, whatever the machine's byte order, so that masks mean the same
// everywhere.
func word(f *Facts, off uintptr) uint64 {
	return binary.LittleEndian.Uint64((*[8]byte)(unsafe.Add(unsafe.Pointer(f), off))[:])
}

// program is a condition's tests laid out in execution order, with its entry.
type program struct {
	code  []instr
	entry int32
}

// emitProgram lays out the tests of a boolean expression.
func emitProgram(b *boolExpr) program {
	var code []instr
	entry := emit(&code, b, pcTrue, pcFalse)
	// emit appends the last test first; reverse, so that the code runs forwards.
	n := int32(len(code))
	moved := func(pc int32) int32 {
		if pc < 0 {
			return pc
		}
		return n - 1 - pc
	}
	for i, j := 0, len(code)-1; i < j; i, j = i+1, j-1 {
		code[i], code[j] = code[j], code[i]
	}
	for i := range code {
		code[i].t, code[i].f = moved(code[i].t), moved(code[i].f)
	}
	return program{code: code, entry: moved(entry)}
}

// emit appends the tests of b, which goes on to t when b holds and to f when
// it does not, and returns where b starts.
func emit(code *[]instr, b *boolExpr, t, f int32) int32 {
	switch b.kind {
	case exprConst:
		if b.konst {
			return t
		}
		return f
	case exprTest:
		in := b.test
		in.t, in.f = t, f
		*code = append(*code, in)
		return int32(len(*code) - 1)
	case exprNot:
		return emit(code, b.kids[0], f, t)
	case exprAnd:
		at := t
		for i := len(b.kids) - 1; i >= 0; i-- {
			at = emit(code, b.kids[i], at, f)
		}
		return at
	case exprOr:
		at := f
		for i := len(b.kids) - 1; i >= 0; i-- {
			at = emit(code, b.kids[i], t, at)
		}
		return at
	case exprCond:
		yes := emit(code, b.kids[1], t, f)
		no := emit(code, b.kids[2], t, f)
		return emit(code, b.kids[0], yes, no)
	}
	panic("knowledge: unknown expression kind")
}

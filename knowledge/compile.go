package knowledge

import (
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/expr-lang/expr/ast"
)

// The condition compiler turns expr's checked (and optimised) syntax tree of
// a condition into a boolExpr tree of typed tests over *Facts, which code.go
// lays out as a list of tests with jumps (and set.go links into a CondSet).
// Each field read is a load at the field's offset in Facts, computed once here
// by reflection; and/or chains are flattened, and runs of plain bool fields
// that share an 8-byte word of Facts become one masked load. Numbers and
// strings inside a comparison that is not a plain field against a constant or
// a field (arithmetic, len, ?:) become Go closures. A node kind or an operand
// type it does not know makes the whole condition run on the expr VM instead
// (an error from compileBool), so that nothing is ever guessed: the supported
// subset is field reads (bool, int, float64, string), literals, ! not - +,
// && and || or, == != < <= > >= on numbers, strings and (== !=) bools,
// + - * / ** on numbers, + on strings, in on a constant list, contains,
// startsWith, endsWith, the ternary ?:, and len and abs.

// field is one leaf field of Facts as conditions name it (e.g. symptom.numbness).
type field struct {
	path string
	off  uintptr
	kind reflect.Kind
}

// fields maps each leaf path of Facts ("pain", "symptom.numbness") to its
// place and kind; struct-valued paths ("symptom") map to kind Struct.
var fields = func() map[string]field {
	m := map[string]field{}
	var walk func(t reflect.Type, prefix string, base uintptr)
	walk = func(t reflect.Type, prefix string, base uintptr) {
		for i := range t.NumField() {
			sf := t.Field(i)
			name := sf.Tag.Get("expr")
			if name == "" {
				name = sf.Name
			}
			path := prefix + name
			m[path] = field{path: path, off: base + sf.Offset, kind: sf.Type.Kind()}
			if sf.Type.Kind() == reflect.Struct {
				walk(sf.Type, path+".", base+sf.Offset)
			}
		}
	}
	walk(reflect.TypeFor[Facts](), "", 0)
	return m
}()

// factsSize is the size of Facts; no load may reach past it.
const factsSize = unsafe.Sizeof(Facts{})

// unsupported is why a condition cannot be compiled to closures.
type unsupported struct{ what string }

// Error says what is not supported.
func (u unsupported) Error() string { return "not compiled: " + u.what }

func fail(format string, args ...any) { panic(unsupported{fmt.Sprintf(format, args...)}) }

// compileBool compiles a checked boolean expression. It returns an error
// (never panics) when some part of it is not supported.
func compileBool(n ast.Node) (b *boolExpr, err error) {
	defer func() {
		if r := recover(); r != nil {
			u, ok := r.(unsupported)
			if !ok {
				panic(r)
			}
			b, err = nil, u
		}
	}()
	return toBool(n), nil
}

// exprKind is the shape of a boolExpr.
type exprKind uint8

const (
	exprTest  exprKind = iota // one test (test)
	exprConst                 // a constant (konst)
	exprNot                   // !kids[0]
	exprAnd                   // kids[0] && kids[1] && …
	exprOr                    // kids[0] || kids[1] || …
	exprCond                  // kids[0] ? kids[1] : kids[2]
)

// boolExpr is a compiled boolean expression, before it is laid out as code
// (code.go): a tree of tests under !, &&, || and ?:, with its guard (guard.go).
type boolExpr struct {
	kind  exprKind
	test  instr
	konst bool
	kids  []*boolExpr
	field *field // set when the expression is a plain bool field read
	guard []atom
	exact bool
	// afterGuard, when not nil, lists what is left to test once the guard,
	// a single atom, is known to hold (empty: nothing, the guard decides).
	afterGuard []*boolExpr
}

// testExpr is an expression of one test.
func testExpr(in instr) *boolExpr { return &boolExpr{kind: exprTest, test: in} }

// funcExpr is an expression of one test run as a Go closure.
func funcExpr(fn func(*Facts) bool) *boolExpr { return testExpr(instr{op: opFunc, fn: fn}) }

// closure returns the expression as a Go closure, for use inside a number or
// a string (c ? x : y).
func (b *boolExpr) closure() func(*Facts) bool {
	if b.kind == exprTest && b.test.op == opFunc {
		return b.test.fn
	}
	p := emitProgram(b)
	return func(f *Facts) bool { return run(p.code, p.entry, f) }
}

// numExpr is a compiled number: int or float64, with what it is when it is a
// plain field or a constant.
type numExpr struct {
	isFloat bool
	i       func(*Facts) int
	f       func(*Facts) float64
	field   *field
	konstI  *int
	konstF  *float64
}

// asFloat returns the number as a float64 closure (ints converted, as expr does).
func (n *numExpr) asFloat() func(*Facts) float64 {
	if n.isFloat {
		return n.f
	}
	i := n.i
	return func(f *Facts) float64 { return float64(i(f)) }
}

// constFloat returns the number as a float64 constant when it is one.
func (n *numExpr) constFloat() (float64, bool) {
	switch {
	case n.konstF != nil:
		return *n.konstF, true
	case n.konstI != nil:
		return float64(*n.konstI), true
	}
	return 0, false
}

type strExpr struct {
	fn    func(*Facts) string
	field *field
	konst *string
}

func load[T any](off uintptr) func(*Facts) T {
	return func(f *Facts) T { return *(*T)(unsafe.Add(unsafe.Pointer(f), off)) }
}

// path returns the dotted Facts path a node reads ("symptom.numbness"), or "".
func path(n ast.Node) string {
	switch n := n.(type) {
	case *ast.IdentifierNode:
		return n.Value
	case *ast.MemberNode:
		prop, ok := n.Property.(*ast.StringNode)
		if !ok || n.Method {
			return ""
		}
		if p := path(n.Node); p != "" {
			return p + "." + prop.Value
		}
	}
	return ""
}

// leaf resolves a node that reads a Facts field, checking the kind the
// checker gave it against the field's own.
func leaf(n ast.Node) (field, bool) {
	p := path(n)
	if p == "" {
		return field{}, false
	}
	f, ok := fields[p]
	if !ok {
		fail("unknown field %s", p)
	}
	if f.kind == reflect.Struct {
		fail("%s is a group of fields, not a value", p)
	}
	if t := n.Type(); t == nil || t.Kind() != f.kind {
		fail("%s: checked type %v, field kind %v", p, t, f.kind)
	}
	return f, true
}

// kindOf is the kind of value a node gives, as checked.
func kindOf(n ast.Node) reflect.Kind {
	t := n.Type()
	if t == nil {
		return reflect.Invalid
	}
	switch k := t.Kind(); k {
	case reflect.Bool, reflect.Int, reflect.Float64, reflect.String:
		return k
	}
	return reflect.Invalid
}

func unwrap(n ast.Node) ast.Node {
	for {
		c, ok := n.(*ast.ChainNode)
		if !ok {
			return n
		}
		n = c.Node
	}
}

func toBool(n ast.Node) *boolExpr {
	n = unwrap(n)
	if kindOf(n) != reflect.Bool {
		fail("%s is %v, not bool", n, n.Type())
	}
	if f, ok := leaf(n); ok {
		b := testExpr(instr{op: opBool, off: uint32(f.off)})
		b.field, b.guard, b.exact, b.afterGuard = &f, []atom{boolAtom(f)}, true, []*boolExpr{}
		return b
	}
	switch n := n.(type) {
	case *ast.BoolNode:
		return constBool(n.Value)
	case *ast.ConstantNode:
		if v, ok := n.Value.(bool); ok {
			return constBool(v)
		}
	case *ast.UnaryNode:
		if n.Operator == "!" || n.Operator == "not" {
			return not(toBool(n.Node))
		}
	case *ast.BinaryNode:
		switch n.Operator {
		case "&&", "and":
			return and(flatten(n, "&&", "and"))
		case "||", "or":
			return or(flatten(n, "||", "or"))
		case "==", "!=", "<", "<=", ">", ">=":
			return compare(n.Operator, n.Left, n.Right)
		case "in":
			return in(n.Left, n.Right)
		case "contains", "startsWith", "endsWith":
			return strOp(n.Operator, n.Left, n.Right)
		}
	case *ast.ConditionalNode:
		return &boolExpr{kind: exprCond, kids: []*boolExpr{toBool(n.Cond), toBool(n.Exp1), toBool(n.Exp2)}}
	}
	fail("%T %s", n, n)
	return nil
}

func constBool(v bool) *boolExpr {
	b := &boolExpr{kind: exprConst, konst: v}
	if !v {
		// false holds for no facts: an empty guard, exactly.
		b.guard, b.exact = []atom{}, true
	}
	return b
}

func not(x *boolExpr) *boolExpr {
	switch x.kind {
	case exprConst:
		return constBool(!x.konst)
	case exprNot:
		return x.kids[0]
	}
	return &boolExpr{kind: exprNot, kids: []*boolExpr{x}}
}

// flatten lists the operands of a chain of one operator (a && b && c).
func flatten(n ast.Node, ops ...string) []*boolExpr {
	n = unwrap(n)
	if b, ok := n.(*ast.BinaryNode); ok && (b.Operator == ops[0] || b.Operator == ops[1]) {
		return append(flatten(b.Left, ops...), flatten(b.Right, ops...)...)
	}
	return []*boolExpr{toBool(n)}
}

// masked groups the plain bool fields among xs by the 8-byte word of Facts
// they lie in, and returns one masked test per word (any: one of the fields
// is true; all: every one is) followed by the other operands, in order.
func masked(xs []*boolExpr, all bool) []*boolExpr {
	var words []uintptr
	masks := map[uintptr]uint64{}
	single := map[uintptr]*boolExpr{}
	var rest []*boolExpr
	for _, x := range xs {
		if x.field == nil {
			rest = append(rest, x)
			continue
		}
		w, sh := x.field.off&^7, 8*(x.field.off&7)
		if _, seen := masks[w]; !seen {
			words = append(words, w)
			single[w] = x
		}
		masks[w] |= 1 << sh
	}
	out := make([]*boolExpr, 0, len(words)+len(rest))
	for _, w := range words {
		m := masks[w]
		switch {
		case m&(m-1) == 0:
			// A single field: a byte load is as cheap as a word's.
			out = append(out, single[w])
		case all:
			out = append(out, testExpr(instr{op: opAll, off: uint32(w), k: m}))
		default:
			out = append(out, testExpr(instr{op: opAny, off: uint32(w), k: m}))
		}
	}
	return append(out, rest...)
}

func and(xs []*boolExpr) *boolExpr {
	var kept []*boolExpr
	for _, x := range xs {
		if x.kind == exprConst {
			if !x.konst {
				return constBool(false)
			}
			continue
		}
		kept = append(kept, x)
	}
	if len(kept) == 0 {
		return constBool(true)
	}
	if len(kept) == 1 {
		return kept[0]
	}
	// The guard of a conjunction is the guard of any operand: the rarest.
	g := -1
	for i, x := range kept {
		if x.guard != nil && (g < 0 || weight(x.guard) < weight(kept[g].guard)) {
			g = i
		}
	}
	b := &boolExpr{kind: exprAnd, kids: masked(kept, true)}
	if g >= 0 {
		b.guard = kept[g].guard
		if after := kept[g].afterGuard; after != nil && len(b.guard) == 1 {
			// Once the guard holds, the operand it came from needs only its
			// own rest, and the other operands.
			b.afterGuard = append(slices.Clip(after), kept[:g]...)
			b.afterGuard = append(b.afterGuard, kept[g+1:]...)
		}
	}
	return b
}

func or(xs []*boolExpr) *boolExpr {
	var kept []*boolExpr
	for _, x := range xs {
		if x.kind == exprConst {
			if x.konst {
				return constBool(true)
			}
			continue
		}
		kept = append(kept, x)
	}
	if len(kept) == 0 {
		return constBool(false)
	}
	if len(kept) == 1 {
		return kept[0]
	}
	// The guard of a disjunction is the union of its operands' guards, when
	// every operand has one; it is exact when every operand's is.
	guard, exact := []atom{}, true
	for _, x := range kept {
		if x.guard == nil {
			guard, exact = nil, false
			break
		}
		guard = append(guard, x.guard...)
		exact = exact && x.exact
	}
	return &boolExpr{kind: exprOr, kids: masked(kept, false), guard: guard, exact: exact}
}

// compare compiles a comparison. Numbers compare as float64 when either side
// is a float (as expr's runtime does), else as ints.
func compare(op string, l, r ast.Node) *boolExpr {
	lk, rk := kindOf(unwrap(l)), kindOf(unwrap(r))
	switch {
	case isNum(lk) && isNum(rk):
		return compareNum(op, toNum(l), toNum(r))
	case lk == reflect.String && rk == reflect.String:
		return compareStr(op, toStr(l), toStr(r))
	case lk == reflect.Bool && rk == reflect.Bool && (op == "==" || op == "!="):
		a, b := toBool(l).closure(), toBool(r).closure()
		if op == "==" {
			return funcExpr(func(f *Facts) bool { return a(f) == b(f) })
		}
		return funcExpr(func(f *Facts) bool { return a(f) != b(f) })
	}
	fail("%s between %v and %v", op, l.Type(), r.Type())
	return nil
}

func isNum(k reflect.Kind) bool { return k == reflect.Int || k == reflect.Float64 }

// flip turns c op x into x flip(op) c.
var flip = map[string]string{"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}

func compareNum(op string, l, r *numExpr) *boolExpr {
	if l.field == nil && r.field != nil {
		l, r, op = r, l, flip[op]
	}
	c := cmpOps[op]
	if !l.isFloat && !r.isFloat {
		if l.field != nil && r.konstI != nil {
			k := *r.konstI
			in := instr{op: opIntEQ + c, off: uint32(l.field.off), k: uint64(k)}
			if (op == ">" && k == 0) || (op == ">=" && k == 1) || (op == "!=" && k == 0) {
				// Guarded as cheaply by the field's word not being zero (exactly, for !=).
				b := testExpr(in)
				b.guard, b.exact = numGuard(op, *l.field, 0), op == "!="
				return b
			}
			return predicate(in, op, l.field, nil, k, numGuard(op, *l.field, float64(k)))
		}
		if l.field != nil && r.field != nil {
			in := instr{op: opIntFieldEQ + c, off: uint32(l.field.off), off2: uint32(r.field.off)}
			return predicate(in, op, l.field, r.field, nil, nil)
		}
		return funcExpr(cmp(op, l.i, r.i))
	}
	if k, ok := r.constFloat(); ok && l.field != nil && l.isFloat {
		in := instr{op: opFloatEQ + c, off: uint32(l.field.off), k: math.Float64bits(k)}
		return predicate(in, op, l.field, nil, k, numGuard(op, *l.field, k))
	}
	if k, ok := r.constFloat(); ok && l.field != nil {
		// An int field against a float constant: convert the field, as expr does.
		off := l.field.off
		in := instr{op: opFunc, fn: cmp(op, func(f *Facts) float64 {
			return float64(*(*int)(unsafe.Add(unsafe.Pointer(f), off)))
		}, func(*Facts) float64 { return k })}
		return predicate(in, op, l.field, nil, k, numGuard(op, *l.field, k))
	}
	if l.field != nil && r.field != nil && l.isFloat && r.isFloat {
		in := instr{op: opFloatFieldEQ + c, off: uint32(l.field.off), off2: uint32(r.field.off)}
		return predicate(in, op, l.field, r.field, nil, nil)
	}
	return funcExpr(cmp(op, l.asFloat(), r.asFloat()))
}

func compareStr(op string, l, r *strExpr) *boolExpr {
	if l.field == nil && r.field != nil {
		l, r, op = r, l, flip[op]
	}
	if l.field != nil && r.konst != nil && (op == "==" || op == "!=") {
		in := instr{op: opStrEQ, off: uint32(l.field.off), s: *r.konst}
		if op == "!=" {
			in.op = opStrNE
		}
		return predicate(in, op, l.field, nil, *r.konst, nil)
	}
	return funcExpr(cmp(op, l.fn, r.fn))
}

// predicate is a comparison of a field with a constant (k) or another field
// (rf), as the test in. When it is likely to be false (see predWeight) it
// guards itself, exactly: a CondSet evaluates it once and wakes the
// conditions it guards. Otherwise its guard is zero (the word atom of
// numGuard) or none.
func predicate(in instr, op string, lf, rf *field, k any, zero []atom) *boolExpr {
	b := testExpr(in)
	w := predWeight(op)
	if w >= heavy {
		b.guard = zero
		return b
	}
	var key string
	if rf != nil {
		key = fmt.Sprintf("%s %s %s", lf.path, op, rf.path)
	} else {
		key = fmt.Sprintf("%s %s %#v", lf.path, op, k)
	}
	in.t, in.f = pcTrue, pcFalse
	b.guard, b.exact, b.afterGuard = []atom{{pred: &in, key: key, weight: w}}, true, []*boolExpr{}
	return b
}

type ordered interface{ ~int | ~float64 | ~string }

func cmp[T ordered](op string, a, b func(*Facts) T) func(*Facts) bool {
	switch op {
	case "==":
		return func(f *Facts) bool { return a(f) == b(f) }
	case "!=":
		return func(f *Facts) bool { return a(f) != b(f) }
	case "<":
		return func(f *Facts) bool { return a(f) < b(f) }
	case "<=":
		return func(f *Facts) bool { return a(f) <= b(f) }
	case ">":
		return func(f *Facts) bool { return a(f) > b(f) }
	case ">=":
		return func(f *Facts) bool { return a(f) >= b(f) }
	}
	fail("operator %s", op)
	return nil
}

// in compiles x in [constants] (which expr's optimiser has made a set, or
// folded into a constant list when some element was not a plain literal):
// for a field and a few constants, as x == a || x == b …
func in(l, r ast.Node) *boolExpr {
	r = unwrap(r)
	c, ok := r.(*ast.ConstantNode)
	if !ok {
		fail("in on %T", r)
	}
	value := c.Value
	if list, ok := value.([]any); ok {
		value = constSet(list)
	}
	switch set := value.(type) {
	case map[string]struct{}:
		if kindOf(unwrap(l)) != reflect.String {
			break
		}
		x := toStr(l)
		if x.field != nil && len(set) <= 8 {
			var eqs []*boolExpr
			for _, k := range slices.Sorted(maps.Keys(set)) {
				eqs = append(eqs, testExpr(instr{op: opStrEQ, off: uint32(x.field.off), s: k}))
			}
			return or(eqs)
		}
		fn := x.fn
		return funcExpr(func(f *Facts) bool { _, ok := set[fn(f)]; return ok })
	case map[int]struct{}:
		if kindOf(unwrap(l)) != reflect.Int {
			break
		}
		x := toNum(l)
		if x.field != nil && len(set) <= 8 {
			var eqs []*boolExpr
			for _, k := range slices.Sorted(maps.Keys(set)) {
				eqs = append(eqs, testExpr(instr{op: opIntEQ, off: uint32(x.field.off), k: uint64(k)}))
			}
			return or(eqs)
		}
		fn := x.i
		return funcExpr(func(f *Facts) bool { _, ok := set[fn(f)]; return ok })
	}
	fail("in %T with %v", c.Value, l.Type())
	return nil
}

// constSet turns a constant list of only ints or only strings into a set,
// and leaves any other list as it is (to be refused).
func constSet(list []any) any {
	ints, strs := map[int]struct{}{}, map[string]struct{}{}
	for _, v := range list {
		switch v := v.(type) {
		case int:
			ints[v] = struct{}{}
		case string:
			strs[v] = struct{}{}
		default:
			return list
		}
	}
	switch {
	case len(strs) == 0:
		return ints
	case len(ints) == 0:
		return strs
	}
	return list
}

func strOp(op string, l, r ast.Node) *boolExpr {
	if kindOf(unwrap(l)) != reflect.String || kindOf(unwrap(r)) != reflect.String {
		fail("%s on %v and %v", op, l.Type(), r.Type())
	}
	a, b := toStr(l).fn, toStr(r).fn
	var g func(s, sub string) bool
	switch op {
	case "contains":
		g = strings.Contains
	case "startsWith":
		g = strings.HasPrefix
	case "endsWith":
		g = strings.HasSuffix
	}
	return funcExpr(func(f *Facts) bool { return g(a(f), b(f)) })
}

func toNum(n ast.Node) *numExpr {
	n = unwrap(n)
	k := kindOf(n)
	if !isNum(k) {
		fail("%s is %v, not a number", n, n.Type())
	}
	if f, ok := leaf(n); ok {
		if k == reflect.Float64 {
			return &numExpr{isFloat: true, f: load[float64](f.off), field: &f}
		}
		return &numExpr{i: load[int](f.off), field: &f}
	}
	switch n := n.(type) {
	case *ast.IntegerNode:
		if k == reflect.Int {
			v := n.Value
			return &numExpr{i: func(*Facts) int { return v }, konstI: &v}
		}
	case *ast.FloatNode:
		if k == reflect.Float64 {
			v := n.Value
			return &numExpr{isFloat: true, f: func(*Facts) float64 { return v }, konstF: &v}
		}
	case *ast.ConstantNode:
		switch v := n.Value.(type) {
		case int:
			return &numExpr{i: func(*Facts) int { return v }, konstI: &v}
		case float64:
			return &numExpr{isFloat: true, f: func(*Facts) float64 { return v }, konstF: &v}
		}
	case *ast.UnaryNode:
		x := toNum(n.Node)
		switch n.Operator {
		case "+":
			return x
		case "-":
			if x.isFloat {
				g := x.f
				return &numExpr{isFloat: true, f: func(f *Facts) float64 { return -g(f) }}
			}
			g := x.i
			return &numExpr{i: func(f *Facts) int { return -g(f) }}
		}
	case *ast.BinaryNode:
		return arith(n.Operator, n.Left, n.Right, k)
	case *ast.ConditionalNode:
		c, a, b := toBool(n.Cond).closure(), toNum(n.Exp1), toNum(n.Exp2)
		if k == reflect.Float64 && a.isFloat && b.isFloat {
			x, y := a.f, b.f
			return &numExpr{isFloat: true, f: func(f *Facts) float64 {
				if c(f) {
					return x(f)
				}
				return y(f)
			}}
		}
		if k == reflect.Int && !a.isFloat && !b.isFloat {
			x, y := a.i, b.i
			return &numExpr{i: func(f *Facts) int {
				if c(f) {
					return x(f)
				}
				return y(f)
			}}
		}
	case *ast.BuiltinNode:
		return builtinNum(n, k)
	}
	fail("%T %s", n, n)
	return nil
}

func arith(op string, l, r ast.Node, k reflect.Kind) *numExpr {
	a, b := toNum(l), toNum(r)
	if op == "/" || op == "**" || op == "^" {
		if k != reflect.Float64 {
			fail("%s typed %v", op, k)
		}
		x, y := a.asFloat(), b.asFloat()
		if op == "/" {
			return &numExpr{isFloat: true, f: func(f *Facts) float64 { return x(f) / y(f) }}
		}
		return &numExpr{isFloat: true, f: func(f *Facts) float64 { return math.Pow(x(f), y(f)) }}
	}
	if !a.isFloat && !b.isFloat {
		if k != reflect.Int {
			fail("%s of ints typed %v", op, k)
		}
		x, y := a.i, b.i
		switch op {
		case "+":
			return &numExpr{i: func(f *Facts) int { return x(f) + y(f) }}
		case "-":
			return &numExpr{i: func(f *Facts) int { return x(f) - y(f) }}
		case "*":
			return &numExpr{i: func(f *Facts) int { return x(f) * y(f) }}
		}
		fail("operator %s on ints", op)
	}
	if k != reflect.Float64 {
		fail("%s of floats typed %v", op, k)
	}
	x, y := a.asFloat(), b.asFloat()
	switch op {
	case "+":
		return &numExpr{isFloat: true, f: func(f *Facts) float64 { return x(f) + y(f) }}
	case "-":
		return &numExpr{isFloat: true, f: func(f *Facts) float64 { return x(f) - y(f) }}
	case "*":
		return &numExpr{isFloat: true, f: func(f *Facts) float64 { return x(f) * y(f) }}
	}
	fail("operator %s on floats", op)
	return nil
}

func builtinNum(n *ast.BuiltinNode, k reflect.Kind) *numExpr {
	if len(n.Arguments) != 1 || n.Map != nil || n.Threshold != nil {
		fail("builtin %s", n.Name)
	}
	arg := n.Arguments[0]
	switch n.Name {
	case "len":
		if kindOf(unwrap(arg)) == reflect.String && k == reflect.Int {
			s := toStr(arg).fn
			return &numExpr{i: func(f *Facts) int { return utf8.RuneCountInString(s(f)) }}
		}
	case "abs":
		x := toNum(arg)
		if x.isFloat && k == reflect.Float64 {
			g := x.f
			return &numExpr{isFloat: true, f: func(f *Facts) float64 {
				if v := g(f); v < 0 {
					return -v
				} else {
					return v
				}
			}}
		}
		if !x.isFloat && k == reflect.Int {
			g := x.i
			return &numExpr{i: func(f *Facts) int {
				if v := g(f); v < 0 {
					return -v
				} else {
					return v
				}
			}}
		}
	}
	fail("builtin %s", n.Name)
	return nil
}

func toStr(n ast.Node) *strExpr {
	n = unwrap(n)
	if kindOf(n) != reflect.String {
		fail("%s is %v, not a string", n, n.Type())
	}
	if f, ok := leaf(n); ok {
		return &strExpr{fn: load[string](f.off), field: &f}
	}
	switch n := n.(type) {
	case *ast.StringNode:
		v := n.Value
		return &strExpr{fn: func(*Facts) string { return v }, konst: &v}
	case *ast.ConstantNode:
		if v, ok := n.Value.(string); ok {
			return &strExpr{fn: func(*Facts) string { return v }, konst: &v}
		}
	case *ast.BinaryNode:
		if n.Operator == "+" {
			a, b := toStr(n.Left).fn, toStr(n.Right).fn
			return &strExpr{fn: func(f *Facts) string { return a(f) + b(f) }}
		}
	case *ast.ConditionalNode:
		c, a, b := toBool(n.Cond).closure(), toStr(n.Exp1).fn, toStr(n.Exp2).fn
		return &strExpr{fn: func(f *Facts) string {
			if c(f) {
				return a(f)
			}
			return b(f)
		}}
	}
	fail("%T %s", n, n)
	return nil
}

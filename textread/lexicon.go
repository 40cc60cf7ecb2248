package textread

import (
	_ "embed"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"aftercare"

	"go.yaml.in/yaml/v3"
)

//go:embed lexicon.yaml
var defaultLexiconYAML []byte

// maxGap is the most words a "..." in a phrase stands for; "...N" (N from 1
// to 6) sets another bound.
const (
	maxGap      = 3
	maxGapBound = 6
)

// maxExpansions bounds how many phrases one written phrase may expand to.
const maxExpansions = 5000

// painBands are the codes of the "pain" section of a lexicon.
var painBands = []string{"none", "mild", "moderate", "severe"}

// Lexicon is the validated word list: for each finding type and code, the
// phrases people write for it. It is immutable and safe for concurrent use.
type Lexicon struct {
	phrases []phrase
	ids     map[string]int32    // stem -> id
	first   map[int32][]int32   // id of a first word -> phrases whose second part is not a plain word
	pair    map[uint64][]int32  // ids of a phrase's first two words -> phrases
	numLead []int32             // phrases that start with a number
	fuzzy   fuzzyIndex          // spelling correction toward lexicon words
	codes   map[string][]string // type -> codes that have phrases
	words   map[string][]word   // while loading: the words of each phrase field
}

type partKind uint8

const (
	partWord  partKind = iota // a word, matched on its stem
	partExact                 // "=word": matched on its exact form
	partNum                   // "#": any number
	partGap                   // "...": up to maxGap words of the same clause
	partSet                   // "[a|b|c]": any one of these words
)

type part struct {
	kind  partKind
	id    int32
	max   int8 // most words of a gap
	norm  string
	ids   []int32  // of a set, sorted
	norms []string // of a set
}

// phrase is one expanded, compiled phrase of the lexicon.
type phrase struct {
	typ, code string
	parts     []part
	except    []string // the phrase does not match when followed by one of these
	lits      int      // words that must match (all parts but the gap)
	src       string   // the phrase as written, for messages
	line      int
}

type lexError struct{ file, entry, reason string }

func (e *lexError) Error() string { return e.file + ": " + e.entry + ": " + e.reason }

// LoadLexicon parses and validates a lexicon file (YAML); name is used in
// errors, which read "file: entry: reason".
func LoadLexicon(data []byte, name string) (*Lexicon, error) {
	fail := func(entry, format string, args ...any) (*Lexicon, error) {
		return nil, &lexError{name, entry, fmt.Sprintf(format, args...)}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return fail("document", "not valid YAML: %v", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return fail("document", "is empty; want a mapping of finding types")
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return fail("document", "line %d: want a mapping of finding types (symptom, area, ...), got %s", root.Line, kindName(root))
	}
	lx := &Lexicon{
		ids:   map[string]int32{},
		first: map[int32][]int32{},
		pair:  map[uint64][]int32{},
		codes: map[string][]string{},
		words: map[string][]word{},
	}
	type seen struct {
		entry string
		line  int
	}
	byKey := map[string]seen{}
	seenType := map[string]int{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		kn, vn := root.Content[i], root.Content[i+1]
		typ := kn.Value
		if kn.Kind != yaml.ScalarNode {
			return fail(fmt.Sprintf("line %d", kn.Line), "a finding type must be a word")
		}
		if !knownType(typ) {
			return fail(typ, "line %d: unknown finding type %q; allowed: symptom, area, style, pressure, health, pain", kn.Line, typ)
		}
		if l, dup := seenType[typ]; dup {
			return fail(typ, "line %d: type listed twice (first at line %d)", kn.Line, l)
		}
		seenType[typ] = kn.Line
		if vn.Kind != yaml.MappingNode {
			return fail(typ, "line %d: want a mapping of codes to lists of phrases, got %s", vn.Line, kindName(vn))
		}
		seenCode := map[string]int{}
		for j := 0; j+1 < len(vn.Content); j += 2 {
			cn, pn := vn.Content[j], vn.Content[j+1]
			code := cn.Value
			entry := typ + "/" + code
			if cn.Kind != yaml.ScalarNode {
				return fail(typ, "line %d: a code must be a word", cn.Line)
			}
			if !knownCode(typ, code) {
				return fail(entry, "line %d: unknown %s code %q; allowed: %s", cn.Line, typ, code, allowedCodes(typ))
			}
			if l, dup := seenCode[code]; dup {
				return fail(entry, "line %d: code listed twice (first at line %d)", cn.Line, l)
			}
			seenCode[code] = cn.Line
			if pn.Kind != yaml.SequenceNode {
				return fail(entry, "line %d: want a list of phrases, got %s", pn.Line, kindName(pn))
			}
			if len(pn.Content) == 0 {
				return fail(entry, "line %d: has no phrases", pn.Line)
			}
			lx.codes[typ] = append(lx.codes[typ], code)
			for k, item := range pn.Content {
				if item.Kind != yaml.ScalarNode || item.Tag == "!!null" {
					return fail(entry, "phrase %d (line %d): want a string, got %s", k+1, item.Line, kindName(item))
				}
				src := item.Value
				if strings.TrimSpace(src) == "" {
					return fail(entry, "phrase %d (line %d) is empty", k+1, item.Line)
				}
				expanded, err := expand(src)
				if err != nil {
					return fail(entry, "phrase %q (line %d): %v", src, item.Line, err)
				}
				for _, text := range expanded {
					ph, err := lx.compile(text)
					if err != nil {
						return fail(entry, "phrase %q (line %d): %v", src, item.Line, err)
					}
					ph.typ, ph.code, ph.src, ph.line = typ, code, src, item.Line
					key := ph.key()
					if prev, dup := byKey[key]; dup {
						if prev.entry == entry {
							continue
						}
						return fail(entry, "phrase %s (line %d) reads the same as a phrase of %s (line %d); a phrase may name one code only",
							shown(src, text), item.Line, prev.entry, prev.line)
					}
					byKey[key] = seen{entry, item.Line}
					lx.phrases = append(lx.phrases, ph)
				}
			}
		}
	}
	if len(lx.phrases) == 0 {
		return fail("document", "has no phrases")
	}
	for i := range lx.phrases {
		p := &lx.phrases[i]
		switch p0 := p.parts[0]; {
		case p0.kind == partNum:
			lx.numLead = append(lx.numLead, int32(i))
		case p0.kind == partSet:
			for _, id := range p0.ids {
				lx.first[id] = append(lx.first[id], int32(i))
			}
		case len(p.parts) > 1 && (p.parts[1].kind == partWord || p.parts[1].kind == partExact):
			k := pairKey(p0.id, p.parts[1].id)
			lx.pair[k] = append(lx.pair[k], int32(i))
		default:
			lx.first[p0.id] = append(lx.first[p0.id], int32(i))
		}
	}
	lx.fuzzy = buildFuzzy(lx)
	lx.words = nil
	return lx, nil
}

var (
	defaultOnce sync.Once
	defaultLex  *Lexicon
)

// DefaultLexicon returns the embedded lexicon (lexicon.yaml), loaded once.
func DefaultLexicon() *Lexicon {
	defaultOnce.Do(func() {
		lx, err := LoadLexicon(defaultLexiconYAML, "lexicon.yaml")
		if err != nil {
			panic("textread: embedded lexicon: " + err.Error())
		}
		defaultLex = lx
	})
	return defaultLex
}

func knownType(t string) bool { return t == "pain" || aftercare.VocabularyOf(t) != nil }

func knownCode(t, code string) bool {
	if t == "pain" {
		for _, b := range painBands {
			if b == code {
				return true
			}
		}
		return false
	}
	return aftercare.VocabularyOf(t).Has(code)
}

func allowedCodes(t string) string {
	if t == "pain" {
		return strings.Join(painBands, ", ")
	}
	return aftercare.VocabularyOf(t).Allowed()
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "nothing"
		}
		return fmt.Sprintf("%q", n.Value)
	case yaml.AliasNode:
		return "an alias"
	}
	return "nothing"
}

// expand writes out the alternatives of a phrase: "{a|b} c" is "a c" and "b c".
// An empty alternative makes a part optional: "{|very} sore".
func expand(src string) ([]string, error) {
	out := []string{""}
	rest := src
	for rest != "" {
		open := strings.IndexAny(rest, "{}|[]")
		if open < 0 {
			for i := range out {
				out[i] += rest
			}
			break
		}
		if rest[open] == '[' {
			end := strings.IndexAny(rest[open+1:], "[]{}")
			if end < 0 || rest[open+1+end] != ']' {
				return nil, fmt.Errorf("unbalanced brackets")
			}
			end += open + 2
			for i := range out {
				out[i] += rest[:end]
			}
			rest = rest[end:]
			continue
		}
		if rest[open] != '{' {
			return nil, fmt.Errorf("%q outside braces or brackets", rest[open])
		}
		closeAt := strings.IndexAny(rest[open+1:], "{}")
		if closeAt < 0 || rest[open+1+closeAt] != '}' {
			return nil, fmt.Errorf("unbalanced braces")
		}
		closeAt += open + 1
		alts := strings.Split(rest[open+1:closeAt], "|")
		if len(alts) < 2 {
			return nil, fmt.Errorf("braces need at least two alternatives separated by |")
		}
		if len(out)*len(alts) > maxExpansions {
			return nil, fmt.Errorf("expands to more than %d phrases", maxExpansions)
		}
		next := make([]string, 0, len(out)*len(alts))
		for _, o := range out {
			for _, a := range alts {
				next = append(next, o+rest[:open]+a)
			}
		}
		out, rest = next, rest[closeAt+1:]
	}
	return out, nil
}

// compile reads one expanded phrase into parts.
func (lx *Lexicon) compile(text string) (phrase, error) {
	var ph phrase
	fields := strings.Fields(text)
	if len(fields) == 0 {
		return ph, fmt.Errorf("has no words")
	}
	for fi, f := range fields {
		switch {
		case strings.HasPrefix(f, "..."):
			n := maxGap
			if len(f) > 3 {
				if len(f) != 4 || f[3] < '1' || f[3] > '0'+maxGapBound {
					return ph, fmt.Errorf("%q: a gap is ... or ...N with N from 1 to %d", f, maxGapBound)
				}
				n = int(f[3] - '0')
			}
			if len(ph.parts) == 0 {
				return ph, fmt.Errorf(`cannot start with a "..." gap`)
			}
			gaps := 0
			for _, p := range ph.parts {
				if p.kind == partGap {
					gaps++
				}
			}
			if gaps >= 2 {
				return ph, fmt.Errorf("may hold two ... at most")
			}
			if ph.parts[len(ph.parts)-1].kind == partGap {
				return ph, fmt.Errorf("two ... cannot follow each other")
			}
			ph.parts = append(ph.parts, part{kind: partGap, max: int8(n)})
		case f == "#":
			ph.parts = append(ph.parts, part{kind: partNum, id: -1})
			ph.lits++
		case strings.HasPrefix(f, "!"):
			for _, g := range fields[fi:] {
				if !strings.HasPrefix(g, "!") || len(g) == 1 {
					return ph, fmt.Errorf("!word exclusions must come last")
				}
				ws := tokenize(g[1:])
				if len(ws) != 1 {
					return ph, fmt.Errorf("%q must be one word", g)
				}
				ph.except = append(ph.except, ws[0].norm)
			}
			if len(ph.parts) == 0 {
				return ph, fmt.Errorf("has no words")
			}
			if ph.parts[len(ph.parts)-1].kind == partGap {
				return ph, fmt.Errorf(`cannot end with a "..." gap`)
			}
			return ph, nil
		case strings.HasPrefix(f, "["):
			if !strings.HasSuffix(f, "]") || len(f) < 3 {
				return ph, fmt.Errorf("%q: a set is [word|word|...] without spaces", f)
			}
			pt := part{kind: partSet, id: -1}
			for _, a := range strings.Split(f[1:len(f)-1], "|") {
				ws := tokenize(a)
				if len(ws) != 1 || ws[0].num {
					return ph, fmt.Errorf("%q: each word of a set must be one word", f)
				}
				id := lx.intern(ws[0].stem)
				if !slices.Contains(pt.ids, id) {
					pt.ids = append(pt.ids, id)
				}
				pt.norms = append(pt.norms, ws[0].norm)
			}
			slices.Sort(pt.ids)
			ph.parts = append(ph.parts, pt)
			ph.lits++
		case strings.HasPrefix(f, "="):
			ws := tokenize(f[1:])
			if len(ws) != 1 || ws[0].num {
				return ph, fmt.Errorf("%q must be one word", f)
			}
			ph.parts = append(ph.parts, part{kind: partExact, id: lx.intern(ws[0].stem), norm: ws[0].norm})
			ph.lits++
		default:
			ws, ok := lx.words[f]
			if !ok {
				ws = tokenize(f)
				lx.words[f] = ws
			}
			if len(ws) == 0 {
				if strings.Trim(f, ",.;:!?-/()'\"") == "" {
					continue
				}
				return ph, fmt.Errorf("%q has no letters or digits", f)
			}
			for _, w := range ws {
				ph.parts = append(ph.parts, part{kind: partWord, id: lx.intern(w.stem), norm: w.norm})
				ph.lits++
			}
		}
	}
	if len(ph.parts) == 0 {
		return ph, fmt.Errorf("has no words")
	}
	if ph.parts[len(ph.parts)-1].kind == partGap {
		return ph, fmt.Errorf(`cannot end with a "..." gap`)
	}
	return ph, nil
}

func pairKey(a, b int32) uint64 { return uint64(uint32(a))<<32 | uint64(uint32(b)) }

// shown names a phrase for a message: as written, and as expanded when it differs.
func shown(src, text string) string {
	if src == text {
		return fmt.Sprintf("%q", src)
	}
	return fmt.Sprintf("%q (from %q)", text, src)
}

func (lx *Lexicon) intern(stem string) int32 {
	if id, ok := lx.ids[stem]; ok {
		return id
	}
	id := int32(len(lx.ids))
	lx.ids[stem] = id
	return id
}

// key is what a phrase reads as once inflections are removed; two phrases with
// the same key match the same words.
func (p *phrase) key() string {
	b := make([]byte, 0, 8*len(p.parts))
	for i, pt := range p.parts {
		if i > 0 {
			b = append(b, ' ')
		}
		switch pt.kind {
		case partGap:
			b = append(b, "..."...)
			b = strconv.AppendInt(b, int64(pt.max), 10)
		case partNum:
			b = append(b, '#')
		case partExact:
			b = append(b, '=')
			b = append(b, pt.norm...)
		case partSet:
			b = append(b, '[')
			for k, id := range pt.ids {
				if k > 0 {
					b = append(b, ',')
				}
				b = strconv.AppendInt(b, int64(id), 10)
			}
			b = append(b, ']')
		default:
			b = strconv.AppendInt(b, int64(pt.id), 10)
		}
	}
	for _, e := range p.except {
		b = append(b, " !"...)
		b = append(b, e...)
	}
	return string(b)
}

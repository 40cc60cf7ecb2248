package textread

import (
	"slices"
	"strings"
)

// Spelling correction: a word of the text (six letters or more) that the
// lexicon does not know is read as a lexicon word of seven letters or more
// when the two differ by one letter (one missing, extra, changed or two
// swapped) and start with the same letter: "tinglng" reads as "tingling",
// "swolen" as "swollen". Shorter words are never corrected ("tired" is not
// "tried"); their common misspellings are listed in the lexicon instead, and
// real English words near a lexicon word are never corrected (fuzzystop.go).

const (
	fuzzyMinTarget = 7  // shortest lexicon word to correct toward
	fuzzyMinWord   = 6  // shortest text word to correct
	fuzzyMaxWord   = 24 // longest text word to correct
)

type fuzzyTarget struct {
	norm string
	id   int32
}

type fuzzyIndex struct {
	targets []fuzzyTarget
	dels    map[string][]int32 // a target and each of its one-letter deletions -> targets
}

// wordSet makes a set of the space-separated words of s.
func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

func buildFuzzy(lx *Lexicon) fuzzyIndex {
	f := fuzzyIndex{dels: map[string][]int32{}}
	seen := map[string]bool{}
	var buf [fuzzyMaxWord + 2]byte
	// every written form, even of phrases dropped as repeats ("hamstrings"
	// beside "hamstring"), in a fixed order
	fields := make([]string, 0, len(lx.words))
	for field := range lx.words {
		fields = append(fields, field)
	}
	slices.Sort(fields)
	for _, field := range fields {
		for _, w := range lx.words[field] {
			if id, ok := lx.ids[w.stem]; ok {
				f.add(w.norm, id, seen, &buf)
			}
		}
	}
	for i := range lx.phrases {
		for _, pt := range lx.phrases[i].parts {
			if pt.kind == partSet {
				for _, norm := range pt.norms {
					f.add(norm, lx.ids[stem(norm)], seen, &buf)
				}
			}
		}
	}
	return f
}

func (f *fuzzyIndex) add(norm string, id int32, seen map[string]bool, buf *[fuzzyMaxWord + 2]byte) {
	if len(norm) < fuzzyMinTarget || len(norm) > fuzzyMaxWord+1 || seen[norm] || !isASCIIWord(norm) {
		return
	}
	seen[norm] = true
	t := int32(len(f.targets))
	f.targets = append(f.targets, fuzzyTarget{norm, id})
	f.dels[norm] = append(f.dels[norm], t)
	for k := 0; k < len(norm); k++ {
		n := copy(buf[:], norm[:k])
		n += copy(buf[n:], norm[k+1:])
		d := string(buf[:n])
		f.dels[d] = appendUnique(f.dels[d], t)
	}
}

func appendUnique(s []int32, v int32) []int32 {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}

func isASCIIWord(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}

// correct returns the lexicon id that a misspelt word stands for. Where
// several lexicon words lie one letter away, a word of the same length (a
// changed or swapped letter) is preferred, then the longer word.
func (f *fuzzyIndex) correct(norm string) (int32, bool) {
	if len(norm) < fuzzyMinWord || len(norm) > fuzzyMaxWord || !isASCIIWord(norm) || fuzzyStop[norm] {
		return -1, false
	}
	best := int32(-1)
	bestLen := -1
	consider := func(ts []int32) {
		for _, t := range ts {
			tg := f.targets[t]
			if tg.norm[0] != norm[0] || !withinOne(norm, tg.norm) {
				continue
			}
			score := len(tg.norm)
			if len(tg.norm) == len(norm) {
				score += 100
			}
			if score > bestLen {
				best, bestLen = tg.id, score
			}
		}
	}
	consider(f.dels[norm])
	var buf [fuzzyMaxWord]byte
	for k := 0; k < len(norm); k++ {
		n := copy(buf[:], norm[:k])
		n += copy(buf[n:], norm[k+1:])
		consider(f.dels[string(buf[:n])])
	}
	return best, best >= 0
}

// withinOne reports whether a and b differ by at most one insertion, deletion,
// substitution or transposition of adjacent letters.
func withinOne(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b)-len(a) > 1 {
		return false
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	if i == len(a) {
		return true
	}
	if len(a) == len(b) {
		if a[i+1:] == b[i+1:] {
			return true
		}
		return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
	}
	return a[i:] == b[i+1:]
}

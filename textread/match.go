package textread

import "sort"

// found is a lexicon phrase matched in the text.
type found struct {
	ph         int32 // index of the phrase in the lexicon
	typ, code  string
	start, end int // word range [start, end)
	gapped
	lits   int
	ctx    string // "", "negated", "hypothetical" or "historical"
	from   int    // first word of the finding's text (a negation trigger may come first)
	passed bool   // negated by a trigger that says it has passed ("fine now", "went away")
}

// layer groups the findings that compete for the same words: a body area may
// sit inside a symptom phrase ("calf is swollen"), a pain word beside both.
func layer(typ string) int {
	switch typ {
	case "area":
		return 1
	case "pain":
		return 2
	}
	return 0
}

// gapBreakers are words a "..." never stands for: they join or oppose clauses.
var gapBreakers = wordSet(`and or but nor however although though because then except plus also whereas yet while whilst cos`)

// lookup gives each word its lexicon id, correcting misspellings.
func (lx *Lexicon) lookup(ws []word) {
	for i := range ws {
		w := &ws[i]
		if id, ok := lx.ids[w.stem]; ok {
			w.id = id
			continue
		}
		if w.num {
			continue
		}
		if id, ok := lx.fuzzy.correct(w.norm); ok {
			w.id, w.fuzzy = id, true
		}
	}
}

// match finds the phrases of the lexicon in the words and keeps, where phrases
// overlap, the one that names more words (then the shorter span).
func (lx *Lexicon) match(ws []word) []found {
	var cands []found
	try := func(i int, pi int32) {
		p := &lx.phrases[pi]
		var g gapped
		if end, ok := matchParts(ws, i, p.parts, true, p.except, &g); ok {
			cands = append(cands, found{ph: pi, typ: p.typ, code: p.code, start: i, end: end, gapped: g, lits: p.lits, from: i})
		}
	}
	for i := range ws {
		if ws[i].id >= 0 {
			for _, pi := range lx.first[ws[i].id] {
				try(i, pi)
			}
			if i+1 < len(ws) && ws[i+1].id >= 0 && ws[i+1].sep == sepNone {
				for _, pi := range lx.pair[pairKey(ws[i].id, ws[i+1].id)] {
					try(i, pi)
				}
			}
		}
		if ws[i].num {
			for _, pi := range lx.numLead {
				try(i, pi)
			}
		}
	}
	if len(cands) == 0 {
		return nil
	}
	sort.Slice(cands, func(a, b int) bool {
		x, y := &cands[a], &cands[b]
		if la, lb := layer(x.typ), layer(y.typ); la != lb {
			return la < lb
		}
		if x.lits != y.lits {
			return x.lits > y.lits
		}
		if sx, sy := x.end-x.start, y.end-y.start; sx != sy {
			return sx < sy
		}
		if x.start != y.start {
			return x.start < y.start
		}
		return x.ph < y.ph
	})
	taken := make([]uint8, len(ws)) // bit per layer
	out := cands[:0]
	for _, c := range cands {
		bit := uint8(1) << layer(c.typ)
		free := true
		for k := c.start; k < c.end; k++ {
			if taken[k]&bit != 0 {
				free = false
				break
			}
		}
		if !free {
			continue
		}
		for k := c.start; k < c.end; k++ {
			taken[k] |= bit
		}
		out = append(out, c)
	}
	// The chest named in a symptom ("chest pain", "tight chest") is not a sore
	// area, nor are the feet of "unsteady on my feet".
	kept := make([]found, 0, len(out))
	for _, c := range out {
		if c.typ == "area" && (c.code == "chest" && (inSymptom(out, c.start) || nearCode(ws, out, c, "chest_pain")) ||
			insideIdiom(out, c)) {
			continue
		}
		kept = append(kept, c)
	}
	oneSided(ws, kept)
	upgrade(ws, kept)
	kept = warmth(ws, kept)
	sort.SliceStable(kept, func(a, b int) bool { return kept[a].start < kept[b].start })
	return kept
}

// gapped records the word ranges that the "..." of a phrase stood for.
type gapped struct {
	gaps  [2][2]int
	ngaps int
}

// matchParts matches parts from word j on, the shortest gaps first; first
// says that j is the phrase's first word.
func matchParts(ws []word, j int, parts []part, first bool, except []string, f *gapped) (int, bool) {
	for k, pt := range parts {
		if pt.kind == partGap {
			for g := 0; g <= int(pt.max) && j+g < len(ws); g++ {
				if g > 0 {
					w := &ws[j+g-1]
					if w.sep != sepNone || gapBreakers[w.norm] {
						break
					}
				}
				if end, ok := matchParts(ws, j+g, parts[k+1:], false, except, f); ok {
					f.gaps[f.ngaps] = [2]int{j, j + g}
					f.ngaps++
					return end, true
				}
			}
			return 0, false
		}
		if j >= len(ws) || !first && ws[j].sep != sepNone || !partMatches(pt, &ws[j]) {
			return 0, false
		}
		first = false
		j++
	}
	if excluded(ws, j, except) {
		return 0, false
	}
	return j, true
}

// inGap reports whether word k is one that a "..." stood for.
func (f *gapped) inGap(k int) bool {
	for g := 0; g < f.ngaps; g++ {
		if k >= f.gaps[g][0] && k < f.gaps[g][1] {
			return true
		}
	}
	return false
}

func partMatches(pt part, w *word) bool {
	switch pt.kind {
	case partNum:
		return w.num
	case partExact:
		return w.norm == pt.norm
	case partSet:
		for _, id := range pt.ids {
			if id == w.id {
				return true
			}
		}
		return false
	}
	return w.id == pt.id
}

func excluded(ws []word, end int, except []string) bool {
	if len(except) == 0 || end >= len(ws) || ws[end].sep != sepNone {
		return false
	}
	for _, e := range except {
		if ws[end].norm == e {
			return true
		}
	}
	return false
}

// inSymptom reports whether word k lies inside a symptom finding: the chest of
// "tight chest" is the symptom's, the rib of "displaced a rib" (an injury) is
// a sore place.
func inSymptom(fs []found, k int) bool {
	for _, f := range fs {
		if f.typ == "symptom" && k >= f.start && k < f.end {
			return true
		}
	}
	return false
}

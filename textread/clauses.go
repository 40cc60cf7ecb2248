package textread

// Clauses bound the scope of negation and context triggers. A clause ends at
// the end of a sentence (. ! ? ; or a line break), at an opposing conjunction
// ("but", "however", "although", "except", "though", "just"), at a causal one
// ("because", "so I"), and at a comma or "and" that starts a new statement. A
// comma, "and", "or" or "nor" between two findings joins a list instead: "no
// numbness, tingling or swelling" is one clause, "no swelling, my calves are
// sore" two.

var (
	terminators = wordSet(`but however although though except yet whereas apart aside besides anyway otherwise still unlike instead just only`)
	causal      = wordSet(`because cos coz then`)
	// "so" starts a clause before a subject ("so I iced it"), not before an adjective ("so weak").
	soSubjects   = wordSet(`i im ive id we it its the my that this she he they there theres now then`)
	coordinators = wordSet(`and or nor plus`)
	listFillers  = wordSet(`any some a an even also maybe possibly much real really slight slightly bit of`)
	orFillers    = wordSet(`my the your`)
	pronouns     = wordSet(`i im ive id we theres she he`)
	newSubject   = wordSet(`now today currently this still my i im ive id it its the but since yet then we there theres`)
)

// clauses holds, for each word, the number of its fine clause (split also at
// "and"), of its coarse clause (split only at commas, sentence ends and
// opposing conjunctions) and of its past clause (a fine clause, joined to the
// next when that goes on without a new subject: "had a massage last year and
// bruised badly").
type clauses struct {
	fine, coarse, past, sentence []int
}

// segment splits the words into clauses, given the findings that lists join.
func segment(ws []word, fs []found) clauses {
	n := len(ws)
	endsAt := make([]bool, n+1)
	endsNoun := make([]bool, n+1) // a symptom or an area ends here
	startsAt := make([]bool, n+1)
	for _, f := range fs {
		if layer(f.typ) <= 1 {
			endsAt[f.end] = true
			startsAt[f.start] = true
			endsNoun[f.end] = endsNoun[f.end] || f.typ == "symptom" || f.typ == "area"
		}
	}
	// nextFinding skips list fillers from k and reports whether a finding starts there.
	nextFinding := func(k int, afterOr bool) (int, bool) {
		for k < n && (listFillers[ws[k].norm] || afterOr && orFillers[ws[k].norm]) && !startsAt[k] {
			if k > 0 && ws[k].sep != sepNone {
				return k, false
			}
			k++
		}
		return k, k < n && startsAt[k] && ws[k].sep == sepNone
	}
	// endOf returns the end of the finding that starts at k.
	endOf := func(k int) int {
		e := k + 1
		for _, f := range fs {
			if f.start == k && layer(f.typ) <= 1 && f.end > e {
				e = f.end
			}
		}
		return e
	}
	// listAhead reports whether the items from a comma go on to an "or"/"and" item.
	var listAhead func(k, depth int) bool
	listAhead = func(k, depth int) bool {
		if depth > 8 {
			return false
		}
		e := endOf(k)
		if e >= n {
			return false
		}
		if ws[e].sep == sepNone && coordinators[ws[e].norm] {
			_, ok := nextFinding(e+1, ws[e].norm != "and")
			return ok
		}
		if ws[e].sep == sepSoft {
			if k2, ok := nextFindingSoft(ws, e, startsAt); ok {
				return listAhead(k2, depth+1)
			}
		}
		return false
	}
	c := clauses{fine: make([]int, n), coarse: make([]int, n), past: make([]int, n), sentence: make([]int, n)}
	fine, coarse, past, sent := 0, 0, 0, 0
	for j := 0; j < n; j++ {
		w := &ws[j]
		if j > 0 {
			f0, c0 := fine, coarse
			switch {
			case w.sep == sepHard:
				fine, coarse, sent = fine+1, coarse+1, sent+1
			case terminators[w.norm] || causal[w.norm] || w.norm == "so" && j+1 < n && soSubjects[ws[j+1].norm]:
				fine, coarse = fine+1, coarse+1
			case w.sep == sepSoft:
				joined := false
				if endsAt[j] {
					k, ok := nextFindingSoft(ws, j, startsAt)
					joined = ok && listAhead(k, 0)
					if !joined && coordinators[w.norm] {
						_, joined = nextFinding(j+1, w.norm != "and")
					}
				}
				if !joined {
					fine, coarse = fine+1, coarse+1
				}
			case coordinators[w.norm]:
				// "or"/"nor" before a finding go on with the clause even after a word the
				// lexicon does not know: "no heat or redness"; "and" may start a statement.
				if _, ok := nextFinding(j+1, w.norm != "and"); !(ok && (endsAt[j] || w.norm == "or" || w.norm == "nor")) {
					fine++
				}
			case pronouns[w.norm] && endsAt[j] || w.norm == "my" && endsNoun[j]:
				fine++ // "no numbness my calf is swollen"
			}
			switch {
			case coarse != c0:
				past++
			case fine != f0:
				k := j
				if coordinators[ws[k].norm] && k+1 < n {
					k++
				}
				if newSubject[ws[k].norm] || ws[k].sep != sepNone && k != j {
					past++
				}
			}
		}
		c.fine[j], c.coarse[j], c.past[j], c.sentence[j] = fine, coarse, past, sent
	}
	return c
}

// nextFindingSoft looks past a comma at word j (which may be "and", "or") for
// the next list item.
func nextFindingSoft(ws []word, j int, startsAt []bool) (int, bool) {
	k := j
	afterOr := false
	for k < len(ws) && !startsAt[k] {
		if k > j && ws[k].sep != sepNone {
			return k, false
		}
		switch {
		case coordinators[ws[k].norm]:
			afterOr = ws[k].norm != "and"
		case listFillers[ws[k].norm] || afterOr && orFillers[ws[k].norm]:
		default:
			return k, false
		}
		k++
	}
	return k, k < len(ws) && startsAt[k] && (k == j || ws[k].sep == sepNone)
}

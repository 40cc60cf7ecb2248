package textread

import (
	"strings"
	"testing"
)

// TestTriggersNameOneKindEach checks that no trigger phrase is listed under two
// kinds, which would make its reading depend on list order.
func TestTriggersNameOneKindEach(t *testing.T) {
	seen := map[string]trigKind{}
	for kind, list := range triggerLists {
		for _, tr := range strings.Split(list, "|") {
			var norms []string
			for _, w := range tokenize(strings.TrimSpace(tr)) {
				norms = append(norms, w.norm)
			}
			key := strings.Join(norms, " ")
			if key == "" {
				t.Errorf("an empty trigger in list %d", kind)
				continue
			}
			if k, dup := seen[key]; dup && k != kind {
				t.Errorf("trigger %q is listed as kind %d and kind %d", key, k, kind)
			}
			seen[key] = kind
		}
	}
}

// TestStemReadsInflectionsAlike checks the inflections the lexicon relies on.
func TestStemReadsInflectionsAlike(t *testing.T) {
	groups := [][]string{
		{"bruise", "bruised", "bruises", "bruising"},
		{"tingle", "tingled", "tingles", "tingling"},
		{"swell", "swelled", "swells", "swelling"},
		{"ache", "ached", "aches", "aching"},
		{"stab", "stabs", "stabbing"},
		{"hamstring", "hamstrings"},
		{"injury", "injuries"},
		{"give", "gives", "giving"},
	}
	for _, g := range groups {
		for _, w := range g[1:] {
			if stem(w) != stem(g[0]) {
				t.Errorf("stem(%q) = %q, stem(%q) = %q; want them alike", w, stem(w), g[0], stem(g[0]))
			}
		}
	}
	for _, pair := range [][2]string{{"calf", "calves"}, {"should", "shoulder"}, {"being", "be"}, {"thing", "th"}} {
		if stem(pair[0]) == stem(pair[1]) {
			t.Errorf("stem reads %q and %q alike", pair[0], pair[1])
		}
	}
}

// TestMisspellingsAreCorrected checks the one-letter spelling correction.
func TestMisspellingsAreCorrected(t *testing.T) {
	lx := DefaultLexicon()
	for typo, want := range map[string]string{"numbneess": "numbness", "swolllen": "swollen", "hamstrngs": "hamstrings",
		"exhuasted": "exhausted", "vomitting": "vomiting", "tinglign": "tingling", "diziness": "dizziness"} {
		id, ok := lx.fuzzy.correct(typo)
		if !ok || id != lx.ids[stem(want)] {
			t.Errorf("%q is not read as %q", typo, want)
		}
	}
	for _, word := range []string{"tried", "should", "though", "cruise", "shouting"} {
		if _, ok := lx.fuzzy.correct(word); ok {
			t.Errorf("the real word %q is corrected", word)
		}
	}
}

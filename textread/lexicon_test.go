package textread

import (
	"strings"
	"testing"
	"time"

	"aftercare"
)

// TestLoadLexiconNamesFileEntryAndReason feeds broken lexicons and checks that
// each error reads "file: entry: reason".
func TestLoadLexiconNamesFileEntryAndReason(t *testing.T) {
	cases := []struct {
		name, yaml, entry, reason string
	}{
		{"an unknown type is refused", "smell:\n  bad: [stinky]\n", "smell", `unknown finding type "smell"`},
		{"an unknown code is refused", "symptom:\n  itchy: [itch]\n", "symptom/itchy", `unknown symptom code "itchy"`},
		{"an unknown pain band is refused", "pain:\n  awful: [awful]\n", "pain/awful", `unknown pain code "awful"`},
		{"an empty phrase is refused", "symptom:\n  numbness: [numb, \"\"]\n", "symptom/numbness", "phrase 2 (line 2) is empty"},
		{"a blank phrase is refused", "symptom:\n  numbness:\n    - numb\n    - \"   \"\n", "symptom/numbness", "phrase 2 (line 4) is empty"},
		{"a missing phrase is refused", "symptom:\n  numbness:\n    - numb\n    -\n", "symptom/numbness", "phrase 2 (line 4): want a string"},
		{"a phrase given to two codes is refused", "symptom:\n  numbness: [numb]\n  tingling: [tingly, numb]\n",
			"symptom/tingling", `phrase "numb" (line 3) reads the same as a phrase of symptom/numbness (line 2)`},
		{"an inflection of another code's phrase is refused", "symptom:\n  bruising_light: [bruise]\nhealth:\n  bleeding_disorder: [bruised]\n",
			"health/bleeding_disorder", `phrase "bruised" (line 4) reads the same as a phrase of symptom/bruising_light`},
		{"an expanded phrase given to two codes is refused", "symptom:\n  numbness: [numb]\n  tingling: [\"{tingly|numb}\"]\n",
			"symptom/tingling", `phrase "numb" (from "{tingly|numb}") (line 3) reads the same as a phrase of symptom/numbness`},
		{"a code listed twice is refused", "symptom:\n  numbness: [numb]\n  numbness: [numbness]\n", "symptom/numbness", "code listed twice"},
		{"a type listed twice is refused", "area:\n  neck: [neck]\narea:\n  jaw: [jaw]\n", "area", "type listed twice"},
		{"a code without phrases is refused", "symptom:\n  numbness: []\n", "symptom/numbness", "has no phrases"},
		{"a code whose phrases are not a list is refused", "symptom:\n  numbness: numb\n", "symptom/numbness", "want a list of phrases"},
		{"a type that is not a mapping is refused", "symptom: [numb]\n", "symptom", "want a mapping of codes"},
		{"a document that is not a mapping is refused", "- numb\n", "document", "want a mapping of finding types"},
		{"an empty document is refused", "", "document", "is empty"},
		{"invalid YAML is refused", "symptom:\n  numbness: [numb\n", "document", "not valid YAML"},
		{"unbalanced braces are refused", "symptom:\n  numbness: [\"{numb|dead\"]\n", "symptom/numbness", "unbalanced braces"},
		{"a lone alternative is refused", "symptom:\n  numbness: [\"{numb}\"]\n", "symptom/numbness", "at least two alternatives"},
		{"a bar outside braces is refused", "symptom:\n  numbness: [\"numb|dead\"]\n", "symptom/numbness", "outside braces"},
		{"a gap first is refused", "symptom:\n  numbness: [\"... numb\"]\n", "symptom/numbness", `cannot start with a "..." gap`},
		{"a gap last is refused", "symptom:\n  numbness: [\"numb ...\"]\n", "symptom/numbness", `cannot end with a "..." gap`},
		{"three gaps are refused", "symptom:\n  numbness: [\"a ... b ... c ... d\"]\n", "symptom/numbness", "two ... at most"},
		{"a bad gap bound is refused", "symptom:\n  numbness: [\"arm ...9 numb\"]\n", "symptom/numbness", "...N with N from 1 to 6"},
		{"a set of phrases is refused", "symptom:\n  numbness: [\"[no feeling|numb]\"]\n", "symptom/numbness", "a set is [word|word|...]"},
		{"an exclusion before words is refused", "symptom:\n  numbness: [\"numb !to arm\"]\n", "symptom/numbness", "exclusions must come last"},
		{"an exact form of two words is refused", "symptom:\n  numbness: [\"=pins-needles\"]\n", "symptom/numbness", "must be one word"},
		{"a phrase of punctuation is refused", "symptom:\n  numbness: [\"?!\"]\n", "symptom/numbness", "has no words"},
		{"a non-string phrase is refused", "symptom:\n  numbness: [[numb]]\n", "symptom/numbness", "want a string"},
		{"a huge expansion is refused", "symptom:\n  numbness: [\"" + strings.Repeat("{a|b|c|d|e|f|g|h|i|j} ", 4) + "\"]\n",
			"symptom/numbness", "expands to more than"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			lx, err := LoadLexicon([]byte(c.yaml), "custom.yaml")
			if err == nil {
				t.Fatalf("loaded %d phrases, want an error", len(lx.phrases))
			}
			want := "custom.yaml: " + c.entry + ": "
			if !strings.HasPrefix(err.Error(), want) {
				t.Errorf("error %q does not start with %q", err, want)
			}
			if !strings.Contains(err.Error(), c.reason) {
				t.Errorf("error %q does not say %q", err, c.reason)
			}
		})
	}
}

// TestLoadLexiconReadsItsOwnWords checks that a small custom lexicon loads and
// drives a reader, phrase syntax included.
func TestLoadLexiconReadsItsOwnWords(t *testing.T) {
	src := `
symptom:
  numbness: ["{numb|dead}", "=arm ... asleep"]
  swelling: [swollen]
area:
  calves: [calf]
  upper_arms: ["[arm|arms]"]
health:
  pregnant: ["i'm # weeks", "expecting !to"]
pain:
  mild: ["{a bit|a little} sore"]
`
	lx, err := LoadLexicon([]byte(src), "small.yaml")
	if err != nil {
		t.Fatal(err)
	}
	r := New(lx, DefaultBands())
	at := time.Date(2026, 1, 14, 16, 0, 0, 0, time.UTC)
	cases := []struct{ text, want string }{
		{"my calf is a bit sore", `area:calves "calf", pain=2 "a bit sore"`},
		{"my arm fell asleep", `area:upper_arms "arm", symptom:numbness "arm fell asleep"`},
		{"my arms fell asleep", `area:upper_arms "arms"`},
		{"I'm 20 weeks", `health:pregnant "I'm 20 weeks"`},
		{"I was expecting to be sore", ``},
		{"my calf is not swollen", `area:calves(negated) "calf", symptom:calf_swelling(negated) "is not swollen"`},
	}
	for _, c := range cases {
		t.Run(c.text, func(t *testing.T) {
			if got := describe(r.Read(c.text, at)); got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
}

// readInCode are the codes the reader finds by rule rather than by phrase
// (status.go); the rule's own test covers them.
var readInCode = map[string]bool{calfPainCode: true}

// TestDefaultLexiconHasWordsForEveryCode checks that the embedded lexicon has
// phrases for every code of every vocabulary and for every pain band.
func TestDefaultLexiconHasWordsForEveryCode(t *testing.T) {
	lx := DefaultLexicon()
	if lx != DefaultLexicon() {
		t.Error("DefaultLexicon loads anew on each call")
	}
	for _, v := range []*aftercare.Vocabulary{aftercare.Symptoms, aftercare.Areas, aftercare.Styles, aftercare.Pressures, aftercare.Health} {
		have := map[string]bool{}
		for _, c := range lx.codes[v.Name] {
			have[c] = true
		}
		for _, c := range v.Codes() {
			if !have[c.Code] && !readInCode[c.Code] {
				t.Errorf("no phrase for %s:%s", v.Name, c.Code)
			}
		}
	}
	for _, b := range painBands {
		if !strings.Contains(strings.Join(lx.codes["pain"], " "), b) {
			t.Errorf("no phrase for pain band %s", b)
		}
	}
}

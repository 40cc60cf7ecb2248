package textread

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// sepKind is the strongest separator that stands between two words.
type sepKind uint8

const (
	sepNone sepKind = iota // only spaces, hyphens or slashes
	sepSoft                // a comma or a spaced dash: may end a clause, may join a list
	sepHard                // . ! ? ; or a line break: ends the sentence
)

// word is one word or number of the text, with its byte offsets.
type word struct {
	start, end int     // byte offsets in the text
	norm       string  // lower case, apostrophes removed ("can't" -> "cant")
	stem       string  // norm with simple inflections removed
	id         int32   // the lexicon's id of stem, or -1
	sep        sepKind // separator between the previous word and this one
	slash      bool    // a "/" stands between the previous word and this one
	num        bool    // the word is a number ("4", "6.5", "four")
	val        float64 // its value when num
	fuzzy      bool    // id was found by spelling correction
	sent       int32   // the number of the word's sentence
}

func isApostrophe(r rune) bool { return r == '\'' || r == '\u2019' || r == '\u2018' || r == '`' }

// tokenize splits text into words, recording the separators between them.
// Letters and digits never share a word ("20wks" is "20" "wks").
func tokenize(text string) []word {
	ws := make([]word, 0, len(text)/5+2)
	pending, slash := sepNone, false
	sent := int32(0)
	emit := func(start, end int, norm string) {
		w := word{start: start, end: end, norm: norm, sep: pending, slash: slash, id: -1}
		if len(ws) == 0 {
			w.sep = sepNone
		}
		if w.sep == sepHard {
			sent++
		}
		w.sent = sent
		w.stem = stem(norm)
		if v, ok := numberWords[norm]; ok {
			w.num, w.val = true, v
		}
		ws = append(ws, w)
		pending, slash = sepNone, false
	}
	i := 0
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case r >= '0' && r <= '9':
			j := i
			for j < len(text) && text[j] >= '0' && text[j] <= '9' {
				j++
			}
			if j+1 < len(text) && (text[j] == '.' || text[j] == ',') && text[j+1] >= '0' && text[j+1] <= '9' {
				k := j + 1
				for k < len(text) && text[k] >= '0' && text[k] <= '9' {
					k++
				}
				if text[j] == '.' {
					j = k
				}
			}
			emit(i, j, text[i:j])
			w := &ws[len(ws)-1]
			w.num, w.val = true, parseDecimal(text[i:j])
			i = j
			continue
		case unicode.IsLetter(r):
			j := i + size
			apos := false
			for j < len(text) {
				r2, s2 := utf8.DecodeRuneInString(text[j:])
				if unicode.IsLetter(r2) || unicode.Is(unicode.Mn, r2) {
					j += s2
					continue
				}
				if isApostrophe(r2) && j+s2 < len(text) {
					r3, _ := utf8.DecodeRuneInString(text[j+s2:])
					if unicode.IsLetter(r3) {
						apos = true
						j += s2
						continue
					}
				}
				break
			}
			emit(i, j, normalize(text[i:j], apos))
			i = j
			continue
		case r == '+' && i > 0 && text[i-1] >= '0' && text[i-1] <= '9':
			// "10+ times": more than a number, read as the number
		case r == '&' || r == '+':
			emit(i, i+size, "and")
		case r == ',' || r == '(' || r == ')' || r == '"' || r == '\u201c' || r == '\u201d':
			if r == ',' && pending < sepSoft {
				pending = sepSoft
			}
		case r == '.' || r == '!' || r == '?' || r == ';' || r == '\n' || r == '\u2026':
			pending = sepHard
		case r == '-' || r == '\u2013' || r == '\u2014' || r == '~':
			spaced := r != '-' || (i > 0 && text[i-1] == ' ') || (i+1 < len(text) && text[i+1] == ' ')
			if spaced && pending < sepSoft {
				pending = sepSoft
			}
		case r == '/':
			slash = true
		}
		i += size
	}
	return ws
}

// normalize lower-cases a word and removes its apostrophes; "'ll", "'re" and
// "'s" endings are dropped so that "I'll" is not "ill", "we're" is not "were"
// and "my calf's swollen" reads as "my calf swollen".
func normalize(s string, apos bool) string {
	s = strings.ToLower(s)
	if !apos {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range s {
		if isApostrophe(r) {
			rest := s[i+utf8.RuneLen(r):]
			if rest == "ll" || rest == "re" || rest == "s" {
				break
			}
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func parseDecimal(s string) float64 {
	v, frac, div := 0.0, false, 1.0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '.':
			frac = true
		case c >= '0' && c <= '9':
			if frac {
				div *= 10
				v += float64(c-'0') / div
			} else {
				v = v*10 + float64(c-'0')
				if v > 1e9 {
					return v
				}
			}
		}
	}
	return v
}

// stem removes simple English inflections so that "bruised", "bruises" and
// "bruising" all read as "bruis". It is applied alike to the lexicon and to the
// text, so it needs to be consistent, not linguistically exact.
func stem(s string) string {
	n := len(s)
	if n < 4 || s[0] >= '0' && s[0] <= '9' {
		return s
	}
	// plurals and third persons first, so that "hamstrings" and "hamstring",
	// "feelings" and "feeling" go on alike
	switch {
	case strings.HasSuffix(s, "ies") && n > 4:
		return s[:n-3] + "y"
	case strings.HasSuffix(s, "ied") && n > 4:
		return s[:n-3] + "y"
	case strings.HasSuffix(s, "es") && n-2 >= 3 && !strings.HasSuffix(s, "ing"):
		s = s[:n-2]
	case strings.HasSuffix(s, "s") && !strings.HasSuffix(s, "ss") && !strings.HasSuffix(s, "us") &&
		!strings.HasSuffix(s, "is") && n-1 >= 3:
		s = s[:n-1]
	}
	n = len(s)
	stripped := false
	switch {
	case strings.HasSuffix(s, "ing") && n-3 >= 3:
		s, stripped = s[:n-3], true
	case strings.HasSuffix(s, "ed") && n-2 >= 3:
		s, stripped = s[:n-2], true
	}
	n = len(s)
	if stripped && n >= 4 && s[n-1] == s[n-2] && !strings.ContainsRune("aeioulsz", rune(s[n-1])) {
		return s[:n-1]
	}
	if n >= 4 && s[n-1] == 'e' {
		return s[:n-1]
	}
	return s
}

// phraseAt reports whether the words from k are those of p, with no
// sentence break inside: "getting worse", "nothing new", "on the table".
func phraseAt(ws []word, k int, p []string) bool {
	if k+len(p) > len(ws) {
		return false
	}
	for j, w := range p {
		if ws[k+j].norm != w || j > 0 && ws[k+j].sep == sepHard {
			return false
		}
	}
	return true
}

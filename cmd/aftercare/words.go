package main

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"aftercare"
	"aftercare/textread"
)

// words turns what a person types at the terminal into the values of a
// request: numbers, codes, and what the free-text reader understands
// ("yesterday", "lower back 5", "a bit of a headache"). It never refuses an
// answer itself: words it cannot place are passed on as they were typed, for
// the request's own validation to refuse with the field and what is allowed.
type words struct {
	reader *textread.Reader // the engine's reader, with the knowledge base's pain bands
	at     time.Time        // the time of the request, for "yesterday" and "this morning"
}

// number matches a plain number as a person types one ("5", "30", "2.5", "-1").
var number = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

// trailingScore matches a pain score at the end of an answer: "lower back 5",
// "neck=3", "calves: 4/10".
var trailingScore = regexp.MustCompile(`[\s=:]*(-?[0-9]+(?:\.[0-9]+)?)(?:\s*/\s*10)?\s*$`)

// noneWords are the answers that mean "nothing to say here".
var noneWords = map[string]bool{"no": true, "none": true, "nothing": true, "nope": true, "nowhere": true, "n/a": true, "-": true}

// yesNoWords are the words read as a yes or a no.
var yesNoWords = map[string]bool{
	"y": true, "yes": true, "yeah": true, "yep": true, "yup": true, "true": true,
	"n": false, "no": false, "nope": false, "nah": false, "false": false,
}

// plain lowers s and turns the separators of codes and labels into spaces, so
// that "Deep tissue", "deep-tissue" and "deep_tissue" compare equal.
func plain(s string) string {
	s = strings.NewReplacer("_", " ", "-", " ", "/", " ", "(", " ", ")", " ").Replace(strings.ToLower(s))
	return strings.Join(strings.Fields(s), " ")
}

// named returns the code that s names: the code itself, its label, or a part
// of a label with two names ("relaxation" of "Swedish / relaxation", "quads"
// of "Front of thighs (quads)").
func named(v *aftercare.Vocabulary, s string) (string, bool) {
	p := plain(s)
	for _, c := range v.Codes() {
		if p == plain(c.Code) || p == plain(c.Label) {
			return c.Code, true
		}
		for _, name := range strings.FieldsFunc(c.Label, func(r rune) bool { return r == '/' || r == '(' || r == ')' }) {
			if p == plain(name) {
				return c.Code, true
			}
		}
	}
	return "", false
}

// none reports whether an answer says there is nothing: "no", "none".
func none(line string) bool {
	return noneWords[strings.Trim(strings.ToLower(strings.TrimSpace(line)), ".!")]
}

// parts splits a list answer at its commas and semicolons.
func parts(line string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(line, func(r rune) bool { return r == ',' || r == ';' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// present returns the codes of type typ that the reader finds present (not
// negated, hypothetical or historical) in text, in order, and whether it
// found any mention of that type at all.
func (w words) present(typ, text string) (codes []string, mentioned bool) {
	for _, f := range w.reader.ReadAll(text, w.at).Findings {
		if f.Type != typ {
			continue
		}
		mentioned = true
		if !f.Negated {
			codes = append(codes, f.Code)
		}
	}
	return codes, mentioned
}

// value returns the value the reader finds for typ ("pain" or "time") in text.
func (w words) value(typ, text string) (float64, bool) {
	for _, f := range w.reader.ReadAll(text, w.at).Findings {
		if f.Type == typ && f.Value != nil && !f.Negated {
			return *f.Value, true
		}
	}
	return 0, false
}

// choice reads one answer to a numbered list: its number, its code, its
// label, or words the reader places in the vocabulary.
func (w words) choice(v *aftercare.Vocabulary, s string) []string {
	s = strings.TrimSpace(s)
	if n, err := strconv.Atoi(s); err == nil {
		if n >= 1 && n <= len(v.Codes()) {
			return []string{v.Codes()[n-1].Code}
		}
		return []string{s}
	}
	if c, ok := named(v, s); ok {
		return []string{c}
	}
	codes, mentioned := w.present(v.Name, s)
	if len(codes) > 0 || mentioned {
		return codes
	}
	return []string{s}
}

// code reads the answer to a question with one choice, such as the style.
func (w words) code(v *aftercare.Vocabulary, line string) any {
	if c := w.choice(v, line); len(c) > 0 {
		return c[0]
	}
	return strings.TrimSpace(line)
}

// codes reads the answer to a question with several choices, such as the
// health conditions: "2, 8", "pregnant", "on blood thinners and diabetic".
// Numbers may also be given with spaces between them ("2 8").
func (w words) codes(v *aftercare.Vocabulary, line string) []string {
	var out []string
	for _, p := range parts(line) {
		fields := strings.Fields(p)
		allNumbers := len(fields) > 1
		for _, f := range fields {
			allNumbers = allNumbers && number.MatchString(f)
		}
		if allNumbers {
			for _, f := range fields {
				out = append(out, w.choice(v, f)...)
			}
			continue
		}
		out = append(out, w.choice(v, p)...)
	}
	return out
}

// hours reads how long ago the session ended: a number of hours, or words
// the reader understands ("yesterday", "this morning", "2 days ago", "3 hours").
func (w words) hours(line string) any {
	s := strings.TrimSpace(line)
	if number.MatchString(s) {
		v, _ := strconv.ParseFloat(s, 64)
		return v
	}
	if v, ok := w.value("time", s); ok {
		return v
	}
	// "3 hours" and "2 days" are read as "3 hours ago" and "2 days ago".
	if v, ok := w.value("time", s+" ago"); ok {
		return v
	}
	return s
}

// pain reads a pain score: a number, or words the reader places on the
// 0–10 scale with the knowledge base's bands ("mild", "about a 4", "really bad").
func (w words) pain(line string) any {
	s := strings.TrimSpace(line)
	if m := trailingScore.FindStringSubmatch(s); m != nil && strings.TrimSpace(s[:len(s)-len(m[0])]) == "" {
		v, _ := strconv.ParseFloat(m[1], 64)
		return v
	}
	if v, ok := w.value("pain", "pain: "+s); ok {
		return v
	}
	return s
}

// soreness reads where it hurts and how much: "lower back 5, neck 3",
// "shoulders and neck 4". Each entry is a map with the area and the pain; an
// area the words do not name is passed on as typed. The areas named without
// a score ("lower back") are returned apart, to be asked their pain.
func (w words) soreness(line string) (scored []map[string]any, unscored []string) {
	for _, p := range parts(line) {
		where, score := p, any(nil)
		if m := trailingScore.FindStringSubmatchIndex(p); m != nil {
			v, _ := strconv.ParseFloat(p[m[2]:m[3]], 64)
			where, score = strings.TrimSpace(p[:m[0]]), v
		} else if v, ok := w.value("pain", "pain: "+p); ok {
			score = v
		}
		var areas []string
		if c, ok := named(aftercare.Areas, where); ok {
			areas = []string{c}
		} else {
			areas, _ = w.present("area", where)
		}
		if areas == nil {
			// Not an area: the request's validation says which are.
			scored = append(scored, map[string]any{"area": where, "pain": score})
			continue
		}
		for _, a := range areas {
			if score == nil {
				unscored = append(unscored, a)
			} else {
				scored = append(scored, map[string]any{"area": a, "pain": score})
			}
		}
	}
	return scored, unscored
}

// symptoms reads the symptoms in a person's words: "a bit of a headache,
// tingling in my hand". A part that names no symptom is passed on as typed;
// one that names a symptom only to deny it ("no numbness") adds none.
func (w words) symptoms(line string) []string {
	var out []string
	for _, p := range parts(line) {
		out = append(out, w.choice(aftercare.Symptoms, p)...)
	}
	return out
}

// yesNo reads a yes or a no from its first word ("yes", "nope, it's fine");
// anything else is passed on as typed.
func yesNo(line string) any {
	s := strings.TrimSpace(line)
	first, _, _ := strings.Cut(strings.ToLower(s), " ")
	if v, ok := yesNoWords[strings.Trim(first, ",.!")]; ok {
		return v
	}
	return s
}

package aftercare

import (
	"encoding/json"
	"unicode/utf8"
)

// decodeWireFast decodes the request shapes clients actually send without
// encoding/json's reflection, which cost over a tenth of the assessment
// door's CPU.
// It fills w exactly as encoding/json (with DisallowUnknownFields and nothing
// but whitespace after the object) would, or reports false, leaving w partly
// filled, for anything it is not sure of: an escape in a string, invalid
// UTF-8, a key that is not exactly a field's tag (encoding/json also matches
// keys case-insensitively), a key given twice (encoding/json merges the
// second value into the first), a value of an unexpected type, a string or
// literal where a raw number is kept, malformed JSON, or trailing data. The
// caller then decodes with encoding/json, so that every refusal keeps its
// message.
func decodeWireFast(data []byte, w *wireRequest) bool {
	s := fastScanner{data: data}
	var seen uint16
	ok := s.object(func(key []byte) bool {
		switch string(key) {
		case "style":
			return once(&seen, 1<<0) && s.stringPtr(Styles, &w.Style)
		case "pressure":
			return once(&seen, 1<<1) && s.stringPtr(Pressures, &w.Pressure)
		case "areas_worked":
			return once(&seen, 1<<2) && s.stringList(Areas, &w.AreasWorked)
		case "hours_since":
			return once(&seen, 1<<3) && s.raw(&w.HoursSince)
		case "soreness":
			return once(&seen, 1<<4) && entries(&s, &w.Soreness, s.sorenessField)
		case "symptoms":
			return once(&seen, 1<<5) && s.stringList(Symptoms, &w.Symptoms)
		case "health":
			return once(&seen, 1<<6) && s.stringList(Health, &w.Health)
		case "history":
			return once(&seen, 1<<7) && entries(&s, &w.History, s.historyField)
		case "text":
			return once(&seen, 1<<8) && s.stringPtr(nil, &w.Text)
		}
		return false
	})
	s.space()
	return ok && s.pos == len(s.data)
}

// once marks bit as seen and reports whether it was not seen before: a key
// given twice is left to encoding/json, which merges the two values.
func once(seen *uint16, bit uint16) bool {
	if *seen&bit != 0 {
		return false
	}
	*seen |= bit
	return true
}

// fastScanner reads data from pos on; every method reports false on input
// it does not handle and then leaves pos anywhere.
type fastScanner struct {
	data []byte
	pos  int
	// ptrs backs the *string fields, so that they cost one allocation
	// between them; a pointer into an outgrown array stays valid.
	ptrs []string
	// raws backs the json.RawMessage fields: encoding/json copies a raw
	// value out of the body, which the caller may reuse, and so must we.
	raws []byte
}

// space skips JSON's whitespace: space, tab, CR and LF, nothing else.
func (s *fastScanner) space() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\r', '\n':
			s.pos++
		default:
			return
		}
	}
}

// consume steps over c, after any whitespace, if it comes next.
func (s *fastScanner) consume(c byte) bool {
	s.space()
	if s.pos < len(s.data) && s.data[s.pos] == c {
		s.pos++
		return true
	}
	return false
}

// null steps over the literal null, after any whitespace, if it comes next;
// whatever follows it is checked by the caller, which expects , ] or }.
func (s *fastScanner) null() bool {
	s.space()
	if len(s.data)-s.pos >= 4 && string(s.data[s.pos:s.pos+4]) == "null" {
		s.pos += 4
		return true
	}
	return false
}

// object reads an object, calling field with each key once the colon after
// it is read; field reads the value.
func (s *fastScanner) object(field func(key []byte) bool) bool {
	if !s.consume('{') {
		return false
	}
	if s.consume('}') {
		return true
	}
	for {
		key, ok := s.str()
		if !ok || !s.consume(':') || !field(key) {
			return false
		}
		if !s.consume(',') {
			return s.consume('}')
		}
	}
}

// array reads an array, calling elem for each element. An array, even an
// empty one, is never null to encoding/json, so the caller makes its slice
// before calling.
func (s *fastScanner) array(elem func() bool) bool {
	if !s.consume('[') {
		return false
	}
	if s.consume(']') {
		return true
	}
	for {
		if !elem() {
			return false
		}
		if !s.consume(',') {
			return s.consume(']')
		}
	}
}

// str reads a string holding no escape and no control character and
// returns its bytes between the quotes, refusing invalid UTF-8, which
// encoding/json would replace with U+FFFD.
func (s *fastScanner) str() ([]byte, bool) {
	s.space()
	if s.pos >= len(s.data) || s.data[s.pos] != '"' {
		return nil, false
	}
	start := s.pos + 1
	ascii := true
	for i := start; i < len(s.data); i++ {
		if plainASCII[s.data[i]] {
			continue
		}
		switch c := s.data[i]; {
		case c == '"':
			b := s.data[start:i]
			if !ascii && !utf8.Valid(b) {
				return nil, false
			}
			s.pos = i + 1
			return b, true
		case c >= utf8.RuneSelf:
			ascii = false
		default: // a backslash or a control character
			return nil, false
		}
	}
	return nil, false
}

// plainASCII holds the bytes that stand for themselves inside a string:
// ASCII but for the quote, the backslash and the control characters.
var plainASCII = func() (t [256]bool) {
	for c := ' '; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// text reads a string as str does; a code of vocabulary v (nil for free
// text) is returned as the vocabulary's own string, so that the common case
// allocates nothing.
func (s *fastScanner) text(v *Vocabulary) (string, bool) {
	b, ok := s.str()
	if !ok {
		return "", false
	}
	if v != nil {
		if i, known := v.index[string(b)]; known {
			return v.codes[i].Code, true
		}
	}
	return string(b), true
}

// stringPtr reads a string or null into a *string field.
func (s *fastScanner) stringPtr(v *Vocabulary, dst **string) bool {
	if s.null() {
		return true
	}
	t, ok := s.text(v)
	if !ok {
		return false
	}
	if s.ptrs == nil {
		s.ptrs = make([]string, 0, 8)
	}
	s.ptrs = append(s.ptrs, t)
	*dst = &s.ptrs[len(s.ptrs)-1]
	return true
}

// stringList reads a list of strings, or null, into a []string field; a null
// element is "" to encoding/json.
func (s *fastScanner) stringList(v *Vocabulary, dst *[]string) bool {
	if s.null() {
		return true
	}
	out := make([]string, 0, 4)
	ok := s.array(func() bool {
		if s.null() {
			out = append(out, "")
			return true
		}
		t, ok := s.text(v)
		out = append(out, t)
		return ok
	})
	*dst = out
	return ok
}

// entries reads a list of objects, or null, into a []E field, calling
// field with each key of an element to read its value; field returns a bit
// of its own for each key, so that a key given twice is refused. A null
// element is a zero E to encoding/json.
func entries[E any](s *fastScanner, dst *[]E, field func(e *E, key []byte) (bit uint16, ok bool)) bool {
	if s.null() {
		return true
	}
	out := make([]E, 0, 4)
	ok := s.array(func() bool {
		var zero E
		out = append(out, zero)
		if s.null() {
			return true
		}
		e := &out[len(out)-1]
		var seen uint16
		return s.object(func(key []byte) bool {
			bit, ok := field(e, key)
			return ok && once(&seen, bit)
		})
	})
	*dst = out
	return ok
}

// sorenessField reads one key of a soreness entry.
func (s *fastScanner) sorenessField(e *wireSoreness, key []byte) (uint16, bool) {
	switch string(key) {
	case "area":
		return 1 << 0, s.stringPtr(Areas, &e.Area)
	case "pain":
		return 1 << 1, s.raw(&e.Pain)
	}
	return 0, false
}

// historyField reads one key of a history entry.
func (s *fastScanner) historyField(e *wireHistory, key []byte) (uint16, bool) {
	switch string(key) {
	case "hours_since":
		return 1 << 0, s.raw(&e.HoursSince)
	case "pain":
		return 1 << 1, s.raw(&e.Pain)
	}
	return 0, false
}

// raw reads a number or null into a json.RawMessage field, keeping its bytes
// as written ("4.50", "-0", "1e3") as encoding/json does. Any other value
// (strings, true, lists) is left to encoding/json; request() refuses them.
func (s *fastScanner) raw(dst *json.RawMessage) bool {
	if s.null() {
		*dst = s.keep(s.data[s.pos-4 : s.pos])
		return true
	}
	start := s.pos
	if !s.number() {
		return false
	}
	*dst = s.keep(s.data[start:s.pos])
	return true
}

// number steps over a number written exactly as JSON's grammar allows:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (s *fastScanner) number() bool {
	d, i := s.data, s.pos
	if i < len(d) && d[i] == '-' {
		i++
	}
	switch {
	case i < len(d) && d[i] == '0':
		i++
	case i < len(d) && '1' <= d[i] && d[i] <= '9':
		i = digits(d, i+1)
	default:
		return false
	}
	if i < len(d) && d[i] == '.' {
		if i++; i >= len(d) || !isDigit(d[i]) {
			return false
		}
		i = digits(d, i)
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		if i++; i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if i >= len(d) || !isDigit(d[i]) {
			return false
		}
		i = digits(d, i)
	}
	s.pos = i
	return true
}

// digits returns the index of the first byte from i on that is not a digit.
func digits(d []byte, i int) int {
	for i < len(d) && isDigit(d[i]) {
		i++
	}
	return i
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// keep copies b into raws and returns the copy with its capacity cut to its
// length, so that appending to one raw value cannot overwrite the next.
func (s *fastScanner) keep(b []byte) json.RawMessage {
	if cap(s.raws)-len(s.raws) < len(b) {
		s.raws = make([]byte, 0, max(64, len(b)))
	}
	n := len(s.raws)
	s.raws = append(s.raws, b...)
	return s.raws[n:len(s.raws):len(s.raws)]
}

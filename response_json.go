package aftercare

import (
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"
)

// AppendJSON appends the answer as JSON to b: the bytes encoding/json's
// Marshal writes for it with HTML escaping off (json.Encoder.SetEscapeHTML(false)),
// without the Encoder's newline. It is the answer door's encoder: written out
// by hand, with no reflection and no allocation beyond b's growth, because
// encoding the answer with encoding/json was a quarter of that door's CPU.
// Tests hold it byte-equal to encoding/json on generated answers and by fuzzing;
// a value encoding/json refuses (a level out of range, a NaN or infinite
// number) is refused here too.
func (r *Response) AppendJSON(b []byte) ([]byte, error) {
	var err error
	b = append(b, `{"level":`...)
	if b, err = appendLevel(b, r.Level); err != nil {
		return b, err
	}
	b = append(b, `,"headline":`...)
	b = appendJSONString(b, r.Headline)
	b = append(b, `,"reasons":`...)
	if b, err = appendArray(b, r.Reasons, appendReason); err != nil {
		return b, err
	}
	b = append(b, `,"recovery":{"typical_hours":[`...)
	b = strconv.AppendInt(b, int64(r.Recovery.TypicalHours[0]), 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(r.Recovery.TypicalHours[1]), 10)
	b = append(b, `],"check_again_in_hours":`...)
	b = strconv.AppendInt(b, int64(r.Recovery.CheckAgainInHours), 10)
	if r.Recovery.HoursSince != nil {
		b = append(b, `,"hours_since":`...)
		if b, err = appendJSONFloat(b, *r.Recovery.HoursSince); err != nil {
			return b, err
		}
	}
	b = appendOmitEmpty(b, `,"trend":`, r.Recovery.Trend)
	b = append(b, `},"plan":`...)
	if b, err = appendArray(b, r.Plan, appendPlanItem); err != nil {
		return b, err
	}
	b = append(b, `,"watch_for":`...)
	if b, err = appendArray(b, r.WatchFor, appendStringItem); err != nil {
		return b, err
	}
	b = append(b, `,"findings":`...)
	if b, err = appendArray(b, r.Findings, appendFinding); err != nil {
		return b, err
	}
	b = append(b, `,"knowledge_version":`...)
	b = appendJSONString(b, r.KnowledgeVersion)
	b = append(b, `,"disclaimer":`...)
	b = appendJSONString(b, r.Disclaimer)
	return append(b, '}'), nil
}

// appendArray appends xs as a JSON array, each element by each, or null for
// a nil slice as encoding/json writes it.
func appendArray[T any](b []byte, xs []T, each func([]byte, *T) ([]byte, error)) ([]byte, error) {
	if xs == nil {
		return append(b, "null"...), nil
	}
	b = append(b, '[')
	for i := range xs {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = each(b, &xs[i]); err != nil {
			return b, err
		}
	}
	return append(b, ']'), nil
}

func appendStringItem(b []byte, s *string) ([]byte, error) {
	return appendJSONString(b, *s), nil
}

func appendReason(b []byte, x *Reason) ([]byte, error) {
	var err error
	b = append(b, `{"rule":`...)
	b = appendJSONString(b, x.Rule)
	b = append(b, `,"level":`...)
	if b, err = appendLevel(b, x.Level); err != nil {
		return b, err
	}
	b = append(b, `,"text":`...)
	b = appendJSONString(b, x.Text)
	b = append(b, `,"source":`...)
	b = appendJSONString(b, x.Source)
	return append(b, '}'), nil
}

func appendPlanItem(b []byte, p *PlanItem) ([]byte, error) {
	b = append(b, `{"id":`...)
	b = appendJSONString(b, p.ID)
	b = append(b, `,"title":`...)
	b = appendJSONString(b, p.Title)
	b = append(b, `,"why":`...)
	b = appendJSONString(b, p.Why)
	b = appendOmitEmpty(b, `,"how":`, p.How)
	b = appendOmitEmpty(b, `,"evidence":`, p.Evidence)
	b = appendOmitEmpty(b, `,"source":`, p.Source)
	return append(b, '}'), nil
}

func appendFinding(b []byte, f *Finding) ([]byte, error) {
	var err error
	b = append(b, `{"type":`...)
	b = appendJSONString(b, f.Type)
	b = appendOmitEmpty(b, `,"code":`, f.Code)
	if f.Value != nil {
		b = append(b, `,"value":`...)
		if b, err = appendJSONFloat(b, *f.Value); err != nil {
			return b, err
		}
	}
	b = append(b, `,"negated":`...)
	b = strconv.AppendBool(b, f.Negated)
	b = appendOmitEmpty(b, `,"context":`, f.Context)
	b = append(b, `,"text":`...)
	b = appendJSONString(b, f.Text)
	b = append(b, `,"start":`...)
	b = strconv.AppendInt(b, int64(f.Start), 10)
	b = append(b, `,"end":`...)
	b = strconv.AppendInt(b, int64(f.End), 10)
	return append(b, '}'), nil
}

// appendOmitEmpty appends a key and its string value unless the value is
// empty, as encoding/json does for a field tagged omitempty.
func appendOmitEmpty(b []byte, key, s string) []byte {
	if s == "" {
		return b
	}
	return appendJSONString(append(b, key...), s)
}

// appendLevel appends a level's public code as a JSON string, refusing what
// Level.MarshalText refuses.
func appendLevel(b []byte, l Level) ([]byte, error) {
	if l <= LevelNone || int(l) >= len(levelCodes) {
		return b, fmt.Errorf("aftercare: cannot encode %v", l)
	}
	b = append(b, '"')
	b = append(b, levelCodes[l]...)
	return append(b, '"'), nil
}

// appendJSONFloat appends f as encoding/json writes a float64: the shortest
// decimal that reads back as f, in exponent form below 1e-6 or from 1e21.
func appendJSONFloat(b []byte, f float64) ([]byte, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return b, fmt.Errorf("aftercare: cannot encode the number %v in JSON", f)
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// encoding/json writes e-7, not e-07.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, nil
}

const (
	lows  = 0x0101010101010101
	highs = 0x8080808080808080
)

// plain8 reports whether none of the 8 bytes of x needs escaping in a JSON
// string: no control character, quote, backslash or non-ASCII byte.
func plain8(x uint64) bool {
	control := (x - 0x20*lows) &^ x
	q := x ^ '"'*lows
	quote := (q - lows) &^ q
	bs := x ^ '\\'*lows
	backslash := (bs - lows) &^ bs
	return (control|quote|backslash|x)&highs == 0
}

// load8 reads s[i:i+8] as a little-endian word (one load once compiled).
func load8(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// appendJSONString appends s as a JSON string exactly as encoding/json does
// with HTML escaping off: \" \\ \b \f \n \r \t, other control characters as
// \u00XX, invalid UTF-8 as \ufffd, and U+2028 and U+2029 escaped. Runs of
// eight plain ASCII bytes are copied without looking at each byte.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start, i := 0, 0
	for i < len(s) {
		if i+8 <= len(s) && plain8(load8(s, i)) {
			i += 8
			continue
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

const hexDigits = "0123456789abcdef"

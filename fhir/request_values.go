package fhir

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"aftercare"
)

func invalid(field, format string, args ...any) *aftercare.Error {
	return aftercare.Errorf(aftercare.EINVALID, field, format, args...)
}

// expected says in words which answer a question takes, for error messages.
func expected(q question) string {
	switch q.kind {
	case kindCoding:
		return fmt.Sprintf("valueCoding with a code of %s (allowed: %s)", q.system, q.vocab.Allowed())
	case kindPain:
		return "valueInteger, a whole number from 0 to 10 (the 0–10 pain scale)"
	case kindHours:
		return fmt.Sprintf("valueDecimal, a number of hours from 0 to %d", aftercare.MaxHours)
	}
	return "valueString, free text"
}

func wrongType(field, want, got string) error {
	return invalid(field, "%s must be %s, not %s", field, want, got)
}

// value returns the one value[x] of an answer and its key, such as "valueInteger".
func value(a map[string]json.RawMessage, field, want string) (string, json.RawMessage, error) {
	var key string
	for k := range a {
		if strings.HasPrefix(k, "value") {
			if key != "" {
				return "", nil, invalid(field, "an answer of %s holds one value, not several; it must be %s", field, want)
			}
			key = k
		}
	}
	if key == "" {
		return "", nil, invalid(field, "an answer of %s holds no value; it must be %s", field, want)
	}
	return key, a[key], nil
}

// jsonNumber matches a JSON number, the only form FHIR's numbers take.
var jsonNumber = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)

func painValue(raw json.RawMessage, field string) (int, error) {
	s := strings.TrimSpace(string(raw))
	n, err := strconv.Atoi(s)
	if err != nil || !jsonNumber.MatchString(s) || n < 0 || n > 10 {
		return 0, invalid(field, "%s must be a whole number from 0 to 10 (the 0–10 pain scale), not %s", field, clip(s))
	}
	return n, nil
}

func hoursValue(raw json.RawMessage, field string) (float64, error) {
	s := strings.TrimSpace(string(raw))
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || !jsonNumber.MatchString(s) || math.IsInf(v, 0) || math.IsNaN(v) || v < 0 || v > aftercare.MaxHours {
		return 0, invalid(field, "%s must be a number of hours from 0 to %d, not %s", field, aftercare.MaxHours, clip(s))
	}
	if v == 0 {
		v = 0 // -0 reads as 0
	}
	return v, nil
}

// object decodes a JSON object, or refuses it naming the field.
func object(raw json.RawMessage, field string) (map[string]json.RawMessage, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return nil, invalid(field, "%s must be a JSON object, not %s", field, shown(raw))
	}
	return m, nil
}

// list decodes a JSON array (absent or null is empty), or refuses it naming the field.
func list(raw json.RawMessage, field string) ([]json.RawMessage, error) {
	if len(raw) == 0 || strings.TrimSpace(string(raw)) == "null" {
		return nil, nil
	}
	var l []json.RawMessage
	if err := json.Unmarshal(raw, &l); err != nil {
		return nil, invalid(field, "%s must be a JSON array, not %s", field, shown(raw))
	}
	return l, nil
}

func jsonString(raw json.RawMessage) (string, bool) {
	var s string
	if len(raw) == 0 || json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

// shown quotes a raw JSON value for a message, shortened; "nothing" when absent.
func shown(raw json.RawMessage) string {
	s := strings.TrimSpace(string(raw))
	if s == "" {
		return "nothing"
	}
	return clip(s)
}

func clip(s string) string {
	const max = 60
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !isRuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// fromRequestError renames the request field of an error from
// aftercare.Request.Validate to the questionnaire item it came from.
func fromRequestError(err error) error {
	var e *aftercare.Error
	if !errors.As(err, &e) {
		return invalid("item", "%v", err)
	}
	out := *e
	name := e.Field
	if i := strings.IndexAny(name, "[."); i >= 0 {
		name = name[:i]
	}
	switch name {
	case "request":
		out.Field = "item"
		out.Message = "nothing to assess: answer item soreness (with the pain item of each sore area), symptoms or text"
	case LinkHistory:
		// "history[2].hours_since" → "item[history][2]"
		out.Field = "item[history]"
		if rest := strings.TrimPrefix(e.Field, "history"); strings.HasPrefix(rest, "[") {
			if j := strings.Index(rest, "]"); j > 0 {
				out.Field += rest[:j+1]
			}
		}
	case "":
		out.Field = "item"
	default:
		out.Field = "item[" + name + "].answer"
	}
	return &out
}

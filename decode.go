package aftercare

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// wireRequest mirrors Request with raw numbers and answers, so that each
// value can be checked with its exact field path and nothing is coerced
// silently.
type wireRequest struct {
	Style       *string                   `json:"style"`
	Pressure    *string                   `json:"pressure"`
	AreasWorked []string                  `json:"areas_worked"`
	HoursSince  jsontext.Value            `json:"hours_since"`
	Soreness    []wireSoreness            `json:"soreness"`
	Symptoms    []string                  `json:"symptoms"`
	Health      []string                  `json:"health"`
	History     []wireHistory             `json:"history"`
	Answers     map[string]jsontext.Value `json:"answers"`
	Text        *string                   `json:"text"`
}

type wireSoreness struct {
	Area *string        `json:"area"`
	Pain jsontext.Value `json:"pain"`
}

type wireHistory struct {
	HoursSince jsontext.Value `json:"hours_since"`
	Pain       jsontext.Value `json:"pain"`
}

// decodeOptions are json v2's defaults (keys matched exactly, a key given
// twice refused, strings held to valid UTF-8, one value and nothing after
// it) with unknown keys refused too.
var decodeOptions = jsonv2.RejectUnknownMembers(true)

// DecodeRequest reads one assessment request from JSON and validates it.
// Unknown fields, wrong types, unknown codes and values out of range are
// refused with an *Error naming the field and the allowed values.
func DecodeRequest(data []byte) (Request, error) {
	var w wireRequest
	if err := jsonv2.Unmarshal(data, &w, decodeOptions); err != nil {
		return Request{}, decodeError(data, err)
	}
	return w.request()
}

// decodeError turns an error of json v2 reading data into an *Error that
// names the field.
func decodeError(data []byte, err error) error {
	var sem *jsonv2.SemanticError
	var syn *jsontext.SyntacticError
	switch {
	case len(bytes.Trim(data, " \t\r\n")) == 0:
		return Errorf(EINVALID, "request", "the body is empty; send one JSON object")
	case errors.As(err, &sem):
		field := pointerField(sem.JSONPointer)
		switch {
		case errors.Is(sem.Err, jsonv2.ErrUnknownName):
			name := sem.JSONPointer.LastToken()
			if name == "" {
				field = "request"
			}
			return Errorf(EINVALID, field, "unknown field %q; allowed: %s", name, jsonFields(sem.GoType))
		case field == "":
			return Errorf(EINVALID, "request", "the body must be a JSON object, not %s", kindName(sem.JSONKind))
		}
		return Errorf(EINVALID, field, "%s must be %s, not %s", field, goKindName(sem.GoType), kindName(sem.JSONKind))
	case errors.As(err, &syn):
		if errors.Is(syn.Err, jsontext.ErrDuplicateName) {
			field := pointerField(syn.JSONPointer)
			return Errorf(EINVALID, field, "%s is given twice; give each field once", field)
		}
		if _, first := jsontext.NewDecoder(bytes.NewReader(data)).ReadValue(); first == nil {
			return Errorf(EINVALID, "request", "the body must hold exactly one JSON object")
		}
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return Errorf(EINVALID, "request", "the JSON ends too early")
		}
		return Errorf(EINVALID, "request", "malformed JSON at byte %d: %v", syn.ByteOffset, syn.Err)
	}
	return Errorf(EINVALID, "request", "malformed JSON: %v", err)
}

// pointerField returns the field path, such as soreness[1].pain, of a JSON
// pointer into a request, such as /soreness/1/pain: a token under a list
// field of the request is an index, any other a name.
func pointerField(p jsontext.Pointer) string {
	var b strings.Builder
	depth := 0
	for tok := range p.Tokens() {
		switch {
		case depth == 1 && slices.Contains(listFields, b.String()):
			b.WriteString("[" + tok + "]")
		case depth > 0:
			b.WriteString("." + tok)
		default:
			b.WriteString(tok)
		}
		depth++
	}
	return b.String()
}

// listFields are the request's fields that hold a list.
var listFields = []string{"areas_worked", "soreness", "symptoms", "health", "history"}

// jsonFields lists the JSON names of the fields of struct type t.
func jsonFields(t reflect.Type) string {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return allowedFields
	}
	var names []string
	for f := range t.Fields() {
		if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); name != "" && name != "-" {
			names = append(names, name)
		}
	}
	return strings.Join(names, ", ")
}

// kindName names a JSON kind in an error message.
func kindName(k jsontext.Kind) string {
	switch k {
	case 'n':
		return "null"
	case 't', 'f':
		return "true or false"
	case '"':
		return "a string"
	case '0':
		return "a number"
	case '{':
		return "an object"
	case '[':
		return "a list"
	}
	return "another value"
}

// goKindName says what JSON a field of Go type t takes.
func goKindName(t reflect.Type) string {
	if t == nil {
		return "of another type"
	}
	return jsonKind(t.Kind().String())
}

// DecodeJSONError turns an encoding/json error into an *Error that names the
// field; it is shared by every door that reads JSON.
func DecodeJSONError(err error) error { return jsonError(err) }

func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return Errorf(EINVALID, "request", "the body is empty; send one JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return Errorf(EINVALID, "request", "the JSON ends too early")
	case errors.As(err, &syn):
		return Errorf(EINVALID, "request", "malformed JSON at byte %d: %s", syn.Offset, syn.Error())
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return Errorf(EINVALID, "request", "the body must be a JSON object, not %s", typ.Value)
		}
		return Errorf(EINVALID, field, "%s must be %s, not %s", field, jsonKind(typ.Type.Kind().String()), typ.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		field := name
		if field == "" {
			field = "request"
		}
		return Errorf(EINVALID, field, "unknown field %q; allowed: %s", name, allowedFields)
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return Errorf(EINVALID, "request", "malformed JSON: %v", err)
}

const allowedFields = "style, pressure, areas_worked, hours_since, soreness, symptoms, health, history, answers, text"

func jsonKind(k string) string {
	switch k {
	case "string", "ptr":
		return "a string"
	case "slice":
		return "a list"
	case "struct", "map":
		return "an object"
	case "int", "int64", "float64":
		return "a number"
	case "bool":
		return "true or false"
	}
	return "of another type"
}

func (w *wireRequest) request() (Request, error) {
	var r Request
	var err error
	if w.Style != nil {
		if r.Style, err = code(Styles, "style", *w.Style); err != nil {
			return Request{}, err
		}
	}
	if w.Pressure != nil {
		if r.Pressure, err = code(Pressures, "pressure", *w.Pressure); err != nil {
			return Request{}, err
		}
	}
	if r.AreasWorked, err = codes(Areas, "areas_worked", w.AreasWorked); err != nil {
		return Request{}, err
	}
	if r.HoursSince, err = hours(fieldName{leaf: "hours_since"}, w.HoursSince); err != nil {
		return Request{}, err
	}
	for i, s := range w.Soreness {
		if s.Area == nil {
			field := entry("soreness", i)
			return Request{}, Errorf(EINVALID, field+".area", "%s.area is required; allowed: %s", field, Areas.Allowed())
		}
		area := *s.Area
		if !Areas.Has(area) {
			return Request{}, unknownCode(Areas, entry("soreness", i)+".area", area)
		}
		for j, earlier := range r.Soreness {
			if earlier.Area == area {
				field := entry("soreness", i)
				return Request{}, Errorf(EINVALID, field+".area", "%s is given twice (soreness[%d] and %s); give each area once with its worst pain", area, j, field)
			}
		}
		pain, err := painScore(fieldName{"soreness", i, "pain"}, s.Pain)
		if err != nil {
			return Request{}, err
		}
		r.Soreness = append(r.Soreness, Soreness{Area: area, Pain: pain})
	}
	if r.Symptoms, err = codes(Symptoms, "symptoms", w.Symptoms); err != nil {
		return Request{}, err
	}
	if r.Health, err = codes(Health, "health", w.Health); err != nil {
		return Request{}, err
	}
	if len(w.History) > MaxHistory {
		return Request{}, Errorf(EINVALID, "history", "history holds %d check-ins; at most %d are allowed", len(w.History), MaxHistory)
	}
	for i, h := range w.History {
		at, err := hours(fieldName{"history", i, "hours_since"}, h.HoursSince)
		if err != nil {
			return Request{}, err
		}
		pain, err := painScore(fieldName{"history", i, "pain"}, h.Pain)
		if err != nil {
			return Request{}, err
		}
		r.History = append(r.History, HistoryPoint{HoursSince: at, Pain: pain})
	}
	if w.Text != nil {
		r.Text = *w.Text
	}
	if len(w.Answers) > 0 {
		r.Answers = make(map[string]Answer, len(w.Answers))
		for _, id := range slices.Sorted(maps.Keys(w.Answers)) {
			raw := w.Answers[id]
			a, ok := parseAnswer(raw)
			if !ok {
				field := "answers." + id
				kind, _, known := ParseQuestionID(id)
				if !known {
					return Request{}, unknownQuestion(field, id)
				}
				return Request{}, badAnswer(field, kind, string(raw))
			}
			r.Answers[id] = a
		}
	}
	if err := r.Validate(); err != nil {
		return Request{}, err
	}
	return r, nil
}

// Validate checks a request built in code (the decoder checks one read from
// JSON the same way): known codes, values in range, history in order, and
// something to assess.
func (r *Request) Validate() error {
	if r.Style != "" && !Styles.Has(r.Style) {
		return unknownCode(Styles, "style", r.Style)
	}
	if r.Pressure != "" && !Pressures.Has(r.Pressure) {
		return unknownCode(Pressures, "pressure", r.Pressure)
	}
	for i, a := range r.AreasWorked {
		if !Areas.Has(a) {
			return unknownCode(Areas, fmt.Sprintf("areas_worked[%d]", i), a)
		}
	}
	if r.HoursSince != nil {
		if err := checkHours(fieldName{leaf: "hours_since"}, *r.HoursSince); err != nil {
			return err
		}
	}
	for i, s := range r.Soreness {
		if !Areas.Has(s.Area) {
			return unknownCode(Areas, fmt.Sprintf("soreness[%d].area", i), s.Area)
		}
		if s.Pain < 0 || s.Pain > 10 {
			return painRange(fmt.Sprintf("soreness[%d].pain", i), strconv.Itoa(s.Pain))
		}
	}
	for i, s := range r.Symptoms {
		if !Symptoms.Has(s) {
			return unknownCode(Symptoms, fmt.Sprintf("symptoms[%d]", i), s)
		}
	}
	for i, h := range r.Health {
		if !Health.Has(h) {
			return unknownCode(Health, fmt.Sprintf("health[%d]", i), h)
		}
	}
	last := -1.0
	for i, h := range r.History {
		if h.Pain < 0 || h.Pain > 10 {
			return painRange(entry("history", i)+".pain", strconv.Itoa(h.Pain))
		}
		if h.HoursSince == nil {
			continue
		}
		if err := checkHours(fieldName{"history", i, "hours_since"}, *h.HoursSince); err != nil {
			return err
		}
		field := entry("history", i)
		if *h.HoursSince < last {
			return Errorf(EINVALID, field+".hours_since", "history must be oldest first: %s.hours_since is %g, before the check-in above it (%g)", field, *h.HoursSince, last)
		}
		last = *h.HoursSince
		if r.HoursSince != nil && *h.HoursSince > *r.HoursSince {
			return Errorf(EINVALID, field+".hours_since", "%s.hours_since (%g) is later than hours_since (%g); history holds earlier check-ins", field, *h.HoursSince, *r.HoursSince)
		}
	}
	if len(r.Text) > MaxTextBytes {
		return Errorf(EINVALID, "text", "text is %d bytes long; at most %d are allowed", len(r.Text), MaxTextBytes)
	}
	if !utf8.ValidString(r.Text) {
		return Errorf(EINVALID, "text", "text must be valid UTF-8")
	}
	if len(r.Answers) > 0 {
		for _, id := range slices.Sorted(maps.Keys(r.Answers)) {
			if err := checkAnswer(id, r.Answers[id]); err != nil {
				return err
			}
		}
	}
	if len(r.Soreness) == 0 && len(r.Symptoms) == 0 && strings.TrimSpace(r.Text) == "" {
		return Errorf(EINVALID, "request", "nothing to assess: give soreness, symptoms or text")
	}
	return nil
}

func code(v *Vocabulary, field, s string) (string, error) {
	if !v.Has(s) {
		return "", unknownCode(v, field, s)
	}
	return s, nil
}

func codes(v *Vocabulary, field string, in []string) ([]string, error) {
	if len(in) == 0 {
		return nil, nil
	}
	// The known codes are kept in place: in is the decoder's own, and out
	// is never longer than the part of in already read.
	out := in[:0]
	for i, s := range in {
		if !v.Has(s) {
			return nil, unknownCode(v, entry(field, i), s)
		}
		// out holds known codes once each, so it never outgrows the
		// vocabulary: the scan is short whatever the input's length.
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out, nil
}

func unknownCode(v *Vocabulary, field, s string) error {
	if s == "" {
		return Errorf(EINVALID, field, "%s is empty; allowed: %s", field, v.Allowed())
	}
	return Errorf(EINVALID, field, "unknown %s %q; allowed: %s", v.Name, s, v.Allowed())
}

func painRange(field, got string) error {
	return Errorf(EINVALID, field, "%s must be a whole number from 0 to 10 (the 0–10 pain scale), not %s", field, got)
}

// number parses a raw JSON number; ok is false when the value is null or absent.
func number(f fieldName, raw jsontext.Value) (v float64, ok bool, err error) {
	// Read in place: the number becomes a string only in an error message.
	s := bytes.TrimSpace(raw)
	if len(s) == 0 || string(s) == "null" {
		return 0, false, nil
	}
	if s[0] != '-' && (s[0] < '0' || s[0] > '9') {
		field := f.String()
		return 0, false, Errorf(EINVALID, field, "%s must be a number, not %s", field, s)
	}
	v, err = strconv.ParseFloat(string(s), 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		field := f.String()
		return 0, false, Errorf(EINVALID, field, "%s must be a finite number, not %s", field, s)
	}
	return v, true, nil
}

func hours(f fieldName, raw jsontext.Value) (*float64, error) {
	v, ok, err := number(f, raw)
	if err != nil || !ok {
		return nil, err
	}
	if err := checkHours(f, v); err != nil {
		return nil, err
	}
	return &v, nil
}

func checkHours(f fieldName, v float64) error {
	if v < 0 || v > MaxHours || math.IsNaN(v) {
		field := f.String()
		return Errorf(EINVALID, field, "%s must be a number of hours from 0 to %d, not %g", field, MaxHours, v)
	}
	return nil
}

func painScore(f fieldName, raw jsontext.Value) (int, error) {
	v, ok, err := number(f, raw)
	if err != nil {
		field := f.String()
		return 0, Errorf(EINVALID, field, "%s must be a whole number from 0 to 10 (the 0–10 pain scale), not %s", field, strings.TrimSpace(string(raw)))
	}
	if !ok {
		field := f.String()
		return 0, Errorf(EINVALID, field, "%s is required: a whole number from 0 to 10", field)
	}
	if v != math.Trunc(v) || v < 0 || v > 10 {
		return 0, painRange(f.String(), strings.TrimSpace(string(raw)))
	}
	return int(v), nil
}

// fieldName is the path of a field in a request, such as history[2].pain,
// kept in parts so that the string is built only for an error message.
type fieldName struct {
	list  string // the list the field is in, or "" for a top-level field
	index int    // the entry of list
	leaf  string // the field's own name, or "" for the entry itself
}

// String returns the path as error messages and Error.Field give it.
func (f fieldName) String() string {
	if f.list == "" {
		return f.leaf
	}
	if f.leaf == "" {
		return entry(f.list, f.index)
	}
	return entry(f.list, f.index) + "." + f.leaf
}

// entry names the i-th entry of a list field, such as symptoms[3].
func entry(list string, i int) string {
	return list + "[" + strconv.Itoa(i) + "]"
}

package aftercare_test

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"aftercare"
	"aftercare/triage"
	"aftercare/triage/triagetest"
)

// stdJSON is what encoding/json writes for r as the answer door used to:
// an Encoder with HTML escaping off, without its trailing newline.
func stdJSON(r *aftercare.Response) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// sameJSON fails the test unless AppendJSON and encoding/json agree on r:
// the same bytes, or both refusing it.
func sameJSON(t *testing.T, r *aftercare.Response) {
	t.Helper()
	want, wantErr := stdJSON(r)
	got, err := r.AppendJSON(nil)
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("AppendJSON error %v, encoding/json error %v", err, wantErr)
	}
	if err == nil && !bytes.Equal(got, want) {
		t.Fatalf("AppendJSON differs from encoding/json:\n got %s\nwant %s", got, want)
	}
}

func TestAppendJSONWritesWhatEncodingJSONWrites(t *testing.T) {
	eng, err := triage.Default()
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	texts := []string{"", "my lower back aches since yesterday, about a 4/10, no numbness",
		"neck stiff — \"really\" sore\tand a headache <since> 2 days & worse", "sore calves 3/10\u2028not swollen"}
	t.Run("on the answers to the benchmark's thousand generated requests, with and without free text", func(t *testing.T) {
		for i, req := range triagetest.Requests(1000, triagetest.Seed) {
			req.Text = texts[i%len(texts)]
			resp, err := eng.Assess(req, at)
			if err != nil {
				t.Fatalf("request %d: %v", i, err)
			}
			sameJSON(t, resp)
		}
	})

	f := func(v float64) *float64 { return &v }
	cases := []struct {
		name string
		r    aftercare.Response
	}{
		{"when the lists are nil", aftercare.Response{Level: aftercare.SelfCare}},
		{"when the lists are empty", aftercare.Response{Level: aftercare.Monitor, Reasons: []aftercare.Reason{},
			Plan: []aftercare.PlanItem{}, WatchFor: []string{}, Findings: []aftercare.Finding{}}},
		{"when numbers are tiny, huge, negative zero or fractional", aftercare.Response{Level: aftercare.Urgent,
			Recovery: aftercare.Recovery{TypicalHours: [2]int{-1, 72}, HoursSince: f(1e-7), Trend: "rising"},
			Findings: []aftercare.Finding{{Type: "pain", Value: f(1e21)}, {Type: "time", Value: f(math.Copysign(0, -1))},
				{Type: "time", Value: f(0.1 + 0.2)}, {Type: "pain", Value: f(-123456789.125)}, {Type: "pain", Value: f(5e-324)}}}},
		{"when strings hold quotes, controls, HTML, invalid UTF-8 and line separators", aftercare.Response{Level: aftercare.Emergency,
			Headline: "a \"b\" \\ c\x00\x01\x1f\x7f\b\f\n\r\t <b>&amp;</b>", Disclaimer: "bad \xff\xfe utf8 \xe2\x80 end",
			WatchFor: []string{"\u2028\u2029", "é€😀", "12345678\"2345678", "1234567\n", strings.Repeat("plain text ", 9)},
			Reasons:  []aftercare.Reason{{Rule: "r", Level: aftercare.Consult, Text: "x\u2029y", Source: "s"}},
			Plan:     []aftercare.PlanItem{{ID: "p", Title: "t"}, {ID: "q", Why: "w", How: "h", Evidence: "e", Source: "s"}}}},
		{"when the level is out of range", aftercare.Response{Level: aftercare.Level(9)}},
		{"when a reason's level is unset", aftercare.Response{Level: aftercare.Consult, Reasons: []aftercare.Reason{{Rule: "r"}}}},
		{"when a number is not a number", aftercare.Response{Level: aftercare.Consult, Recovery: aftercare.Recovery{HoursSince: f(math.NaN())}}},
		{"when a number is infinite", aftercare.Response{Level: aftercare.Consult, Findings: []aftercare.Finding{{Value: f(math.Inf(-1))}}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { sameJSON(t, &c.r) })
	}

	t.Run("when every field of every type is set, so that a field added to Response but not to AppendJSON fails", func(t *testing.T) {
		var r aftercare.Response
		fill(reflect.ValueOf(&r).Elem())
		r.Level = aftercare.Monitor
		for i := range r.Reasons {
			r.Reasons[i].Level = aftercare.Consult
		}
		sameJSON(t, &r)
	})
}

// fill sets every field reachable from v to a value that is not its zero, so
// that omitempty fields are written.
func fill(v reflect.Value) {
	switch v.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			fill(v.Field(i))
		}
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem())
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			fill(v.Index(i))
		}
	case reflect.Array:
		for i := range v.Len() {
			fill(v.Index(i))
		}
	case reflect.String:
		v.SetString("set " + v.Type().String())
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(7)
	case reflect.Float64:
		v.SetFloat(2.5)
	}
}

func TestAppendJSONSkipsOnlyPlainRuns(t *testing.T) {
	// Every byte value at every place of an eight-byte run, and at the run's
	// edges, against encoding/json.
	for c := range 256 {
		for at := range 10 {
			s := []byte("abcdefghij")
			s[at] = byte(c)
			r := aftercare.Response{Level: aftercare.SelfCare, Headline: string(s), Disclaimer: string(s[:8])}
			sameJSON(t, &r)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte("ab \"\\\x00\x1f\x7f\x80\xc3\xa9\xe2\x80\xa8\xff<>&")
	for range 20000 {
		s := make([]byte, rng.IntN(40))
		for i := range s {
			s[i] = alphabet[rng.IntN(len(alphabet))]
		}
		r := aftercare.Response{Level: aftercare.Monitor, Headline: string(s)}
		sameJSON(t, &r)
	}
}

func FuzzAppendJSON(f *testing.F) {
	f.Add("headline", "text", "code", 1.5, 24.0, true)
	f.Add("a\"b\\c\x00\n", "\xff\u2028", "", 1e-7, 1e21, false)
	f.Fuzz(func(t *testing.T, s1, s2, s3 string, v1, v2 float64, neg bool) {
		r := aftercare.Response{Level: aftercare.Consult, Headline: s1, Disclaimer: s2, KnowledgeVersion: s3,
			Reasons:  []aftercare.Reason{{Rule: s3, Level: aftercare.Urgent, Text: s1 + s2, Source: s2}},
			Recovery: aftercare.Recovery{TypicalHours: [2]int{int(v1) % 1000, 72}, HoursSince: &v1, Trend: s3},
			Plan:     []aftercare.PlanItem{{ID: s1, Title: s2, Why: s3, How: s1}},
			WatchFor: []string{s1, s2},
			Findings: []aftercare.Finding{{Type: s1, Code: s2, Value: &v2, Negated: neg, Context: s3, Text: s1, Start: 1, End: 2}}}
		sameJSON(t, &r)
	})
}

func BenchmarkResponseJSON(b *testing.B) {
	eng, err := triage.Default()
	if err != nil {
		b.Fatal(err)
	}
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	var resps []*aftercare.Response
	for i, req := range triagetest.Requests(1000, triagetest.Seed) {
		if i%5 == 0 {
			req.Text = "my lower back aches since yesterday after deep tissue, about a 4, no numbness"
		}
		resp, err := eng.Assess(req, at)
		if err != nil {
			b.Fatal(err)
		}
		resps = append(resps, resp)
	}
	b.Run("encoder=append", func(b *testing.B) {
		buf := make([]byte, 0, 16<<10)
		for i := 0; b.Loop(); i++ {
			var err error
			if buf, err = resps[i%len(resps)].AppendJSON(buf[:0]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoder=encoding-json", func(b *testing.B) {
		var buf bytes.Buffer
		for i := 0; b.Loop(); i++ {
			buf.Reset()
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(resps[i%len(resps)]); err != nil {
				b.Fatal(err)
			}
		}
	})
}

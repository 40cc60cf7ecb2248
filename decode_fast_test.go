package aftercare

// These tests are inside the package, to reach the fast path and the
// encoding/json path apart; so they cannot import triage/triagetest (which
// imports this package) and draw their requests from fastSampleBodies.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func TestDecodeFastMatchesEncodingJSON(t *testing.T) {
	const take, bail = true, false
	for _, tc := range []struct {
		name   string
		accept bool
		bodies []string
	}{
		{"a full request is read on the fast path", take, []string{
			`{"style":"deep_tissue","pressure":"firm","areas_worked":["neck","lower_back"],"hours_since":30,"soreness":[{"area":"lower_back","pain":4}],"symptoms":["headache","headache"],"health":["blood_thinners"],"history":[{"hours_since":20,"pain":3}],"text":"my lower back aches, no numbness"}`,
		}},
		{"whitespace between, before and after the tokens is read on the fast path", take, []string{
			" \t\r\n{ \"style\" : \"swedish\" ,\n\t\"soreness\" : [ { \"area\" : \"neck\" , \"pain\" : 2 } ] , \"symptoms\" : [ ] } \r\n\t ",
		}},
		{"an empty object is read on the fast path", take, []string{`{}`, `{ }`}},
		{"null for a string field leaves it nil", take, []string{`{"style":null,"pressure":null,"text":null}`}},
		{"null for a list leaves it nil", take, []string{`{"areas_worked":null,"soreness":null,"symptoms":null,"health":null,"history":null}`}},
		{"null for a raw number keeps the bytes null", take, []string{
			`{"hours_since":null,"soreness":[{"area":"neck","pain":null}],"history":[{"hours_since":null,"pain":null}]}`,
		}},
		{"null for an area leaves it nil", take, []string{`{"soreness":[{"area":null,"pain":3}]}`}},
		{"a null element in a list of strings is an empty string", take, []string{`{"symptoms":[null,"headache",null],"health":[null]}`}},
		{"a null element in soreness or history is a zero entry", take, []string{`{"soreness":[null,{"area":"neck","pain":1}],"history":[null]}`}},
		{"an empty list is empty, not nil", take, []string{`{"areas_worked":[],"soreness":[],"symptoms":[],"health":[],"history":[]}`}},
		{"an empty soreness or history entry is a zero entry", take, []string{`{"soreness":[{}],"history":[{},{}]}`}},
		{"a list longer than its first allocation is read whole", take, []string{
			`{"symptoms":["headache","fatigue","stiffness","nausea","dizziness","bruising_light","warmth_redness","stiff_neck"],` +
				`"history":[{"pain":1},{"pain":2},{"pain":3},{"pain":4},{"pain":5},{"pain":6}],` +
				`"soreness":[{"area":"neck","pain":1},{"area":"calves","pain":2},{"area":"quads","pain":3},{"area":"shoulders","pain":4},{"area":"forearms","pain":5}]}`,
		}},
		{"numbers are kept exactly as written", take, []string{
			`{"hours_since":-0,"soreness":[{"area":"neck","pain":4.50}],"history":[{"hours_since":1e3,"pain":1E+2},{"hours_since":0.5e-3,"pain":-12.25E-1}]}`,
			`{"hours_since":1e400,"soreness":[{"area":"neck","pain":123456789012345678901234567890}]}`,
			`{"hours_since":0,"history":[{"hours_since":-0.0e0,"pain":10}]}`,
		}},
		{"unknown codes are read on the fast path and left to request() to refuse", take, []string{
			`{"style":"shiatsu","pressure":"","areas_worked":["ankle"],"soreness":[{"area":"","pain":3}],"symptoms":["itching"],"health":["asthma"]}`,
		}},
		{"valid non-ASCII text is read on the fast path", take, []string{
			`{"text":"Nacken verspannt – kein Fieber, 肩がこる 😣 ÿ"}`,
			"{\"text\":\"\xef\xbf\xbd is U+FFFD written out, which is valid\"}",
			"{\"text\":\"\x7f is DEL, which JSON allows raw\"}",
		}},
		{"a key in another case goes to encoding/json, which matches it case-insensitively", bail, []string{
			`{"Style":"swedish","symptoms":["headache"]}`, `{"SYMPTOMS":["headache"]}`, `{"soreness":[{"Area":"neck","pain":1}]}`,
			`{"ſtyle":"swedish","symptoms":["headache"]}`,
		}},
		{"a key with an escape goes to encoding/json", bail, []string{`{"st\u0079le":"swedish","symptoms":["headache"]}`}},
		{"an unknown key goes to encoding/json", bail, []string{
			`{"symptom":["headache"]}`, `{"":1}`, `{"soreness":[{"area":"neck","pain":1,"side":"left"}]}`, `{"history":[{"hours":1,"pain":1}]}`,
		}},
		{"a key given twice goes to encoding/json, which merges the values", bail, []string{
			`{"style":"swedish","style":"thai","symptoms":["headache"]}`,
			`{"soreness":[{"area":"neck","pain":1}],"soreness":[{"pain":2}]}`,
			`{"soreness":[{"area":"neck","area":"calves","pain":1}]}`,
			`{"history":[{"pain":1,"pain":2}]}`,
			`{"text":null,"text":"neck"}`,
		}},
		{"malformed numbers go to encoding/json", bail, []string{
			`{"hours_since":01}`, `{"hours_since":1.}`, `{"hours_since":.5}`, `{"hours_since":+1}`, `{"hours_since":1e}`,
			`{"hours_since":-}`, `{"hours_since":1e+}`, `{"hours_since":0x10}`, `{"hours_since":NaN}`, `{"hours_since":Infinity}`,
			`{"hours_since":1.5.3}`, `{"hours_since":--1}`, `{"hours_since":1 2}`, `{"hours_since":}`,
		}},
		{"a value other than a number or null where a number is kept goes to encoding/json", bail, []string{
			`{"soreness":[{"area":"neck","pain":"4"}]}`, `{"hours_since":true}`, `{"hours_since":[1]}`, `{"hours_since":{}}`,
		}},
		{"a string with an escape goes to encoding/json", bail, []string{
			`{"text":"a \"quoted\" word"}`, `{"text":"two\nlines"}`, `{"text":"caf\u00e9"}`, `{"symptoms":["head\/ache"]}`,
		}},
		{"a control character in a string goes to encoding/json, which refuses it", bail, []string{"{\"text\":\"a\tb\"}", "{\"text\":\"a\x00b\"}"}},
		{"invalid UTF-8 goes to encoding/json, which replaces it", bail, []string{
			"{\"text\":\"a\xffb\"}", "{\"text\":\"\xed\xa0\x80 is a surrogate\"}", "{\"text\":\"cut \xe2\x82\"}", "{\"style\":\"\xc0\xaf\"}",
		}},
		{"a value of the wrong type goes to encoding/json", bail, []string{
			`{"style":5}`, `{"style":true}`, `{"symptoms":"headache"}`, `{"symptoms":{}}`, `{"soreness":[["neck",1]]}`,
			`{"soreness":{"area":"neck"}}`, `{"history":[1]}`, `{"symptoms":[1]}`, `{"text":["a"]}`,
		}},
		{"anything after the object goes to encoding/json", bail, []string{
			`{} {}`, `{}x`, "{}\x00", `{},`, `{}]`, `{"symptoms":["headache"]}}`,
		}},
		{"a body that is not an object goes to encoding/json", bail, []string{``, `   `, `[]`, `null`, `"x"`, `1`, `true`}},
		{"a truncated body goes to encoding/json", bail, []string{
			`{`, `{"style"`, `{"style":`, `{"style":"swedish"`, `{"symptoms":["headache"`, `{"symptoms":["headache",`,
			`{"text":"abc`, `{"hours_since":1`, `{"soreness":[{"area":"neck","pain":1}`, `{"style":nul`,
		}},
		{"a missing or extra comma or colon goes to encoding/json", bail, []string{
			`{"style":"swedish",}`, `{"symptoms":["headache",]}`, `{,"style":"swedish"}`, `{"symptoms":[,"headache"]}`,
			`{"style" "swedish"}`, `{"style"::"swedish"}`, `{"style":"swedish" "pressure":"firm"}`, `{"symptoms":["a" "b"]}`,
		}},
		{"whitespace other than JSON's goes to encoding/json", bail, []string{
			"{\v}", "{\f}", "{\u00a0}", "\ufeff{}", "{}\u00a0",
		}},
		{"a literal other than null goes to encoding/json", bail, []string{
			`{"style":nullx}`, `{"style":NULL}`, `{"style":nul}`, `{"symptoms":[nil]}`, `{"style":false}`,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, body := range tc.bodies {
				if got := checkFastPath(t, []byte(body)); got != tc.accept {
					t.Errorf("fast path accepted %q: %v, want %v", body, got, tc.accept)
				}
			}
		})
	}
}

func TestDecodeFastKeepsAnEmptyListApartFromNone(t *testing.T) {
	var w wireRequest
	if !decodeWireFast([]byte(`{"symptoms":[],"health":null}`), &w) {
		t.Fatal("refused")
	}
	if w.Symptoms == nil || len(w.Symptoms) != 0 || w.Health != nil || w.AreasWorked != nil {
		t.Errorf("symptoms %#v, health %#v, areas worked %#v", w.Symptoms, w.Health, w.AreasWorked)
	}
}

func TestDecodeFastCopiesWhatItKeepsOutOfTheBody(t *testing.T) {
	body := []byte(`{"style":"shiatsu","hours_since":12.5,"soreness":[{"area":"neck","pain":4}],"history":[{"hours_since":null,"pain":1e0}],"text":"sore neck"}`)
	var w wireRequest
	if !decodeWireFast(body, &w) {
		t.Fatal("refused")
	}
	var want wireRequest
	if err := decodeWireJSON(bytes.Clone(body), &want); err != nil {
		t.Fatal(err)
	}
	for i := range body {
		body[i] = 'x'
	}
	if !reflect.DeepEqual(w, want) {
		t.Errorf("after the body was overwritten, the fast path holds\n%s\nencoding/json holds\n%s", dumpWire(w), dumpWire(want))
	}
}

func TestDecodeFastKeepsEachRawNumberToItself(t *testing.T) {
	var w wireRequest
	if !decodeWireFast([]byte(`{"hours_since":30,"history":[{"hours_since":10,"pain":2}]}`), &w) {
		t.Fatal("refused")
	}
	w.HoursSince = append(w.HoursSince, '5')
	if got := string(w.History[0].HoursSince); got != "10" {
		t.Errorf("appending to hours_since changed history[0].hours_since to %s", got)
	}
}

func TestDecodeFastReadsEveryGeneratedRequest(t *testing.T) {
	for _, tc := range []struct {
		name   string
		bodies [][]byte
	}{
		{"requests written by json.Marshal, every fifth with free text, are read on the fast path", fastSampleBodies(1000, fastTexts, false)},
		{"requests written by json.Marshal without free text are read on the fast path", fastSampleBodies(1000, nil, false)},
		{"requests written by json.MarshalIndent are read on the fast path", fastSampleBodies(200, fastTexts, true)},
		{"the vignettes' requests are read on the fast path", vignetteBodies(t)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if len(tc.bodies) == 0 {
				t.Fatal("no bodies")
			}
			for _, body := range tc.bodies {
				if !checkFastPath(t, body) {
					t.Fatalf("fast path refused %s", body)
				}
			}
		})
	}
}

func FuzzDecodeFast(f *testing.F) {
	// The corpus of FuzzDecodeRequest (in decode_test.go), which Go reads
	// only for that target.
	seeds, _ := filepath.Glob(filepath.Join("testdata", "fuzz", "FuzzDecodeRequest", "*"))
	for _, path := range seeds {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		_, value, _ := strings.Cut(strings.TrimSpace(string(data)), "\n")
		s, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(value, "[]byte("), ")"))
		if err != nil {
			f.Fatalf("%s: %v", path, err)
		}
		f.Add([]byte(s))
	}
	for _, s := range []string{
		`{"style":"deep_tissue","hours_since":30,"soreness":[{"area":"lower_back","pain":4}]}`,
		`{"symptoms":["chest_pain"],"history":[{"hours_since":1,"pain":2}]}`,
		`{"text":"sore calves, no swelling"}`, `{"soreness":[{"area":"neck","pain":1e400}]}`, `[]`, `null`, ``,
		`{"Style":"swedish","symptoms":[null,"headache"],"soreness":[null,{}],"history":[]}`,
		`{"hours_since":-0.0e+0,"soreness":[{"area":"neck","pain":4.50}],"text":"Nacken – 肩"}`,
		`{"style":"swedish","style":"thai"} `, "{\"text\":\"a\xffb\"}", `{"text":"a\"b"}`,
	} {
		f.Add([]byte(s))
	}
	for _, body := range fastSampleBodies(20, fastTexts, false) {
		f.Add(body)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkFastPath(t, data)
	})
}

// BenchmarkDecodeRequest decodes the same generated bodies (every fifth with
// free text, as the load generator sends them) on the fast path and with
// encoding/json alone: "step" is the decoding step the fast path replaces,
// "whole" is DecodeRequest with its validation.
func BenchmarkDecodeRequest(b *testing.B) {
	bodies := fastSampleBodies(1000, fastTexts, false)
	size := 0
	for _, body := range bodies {
		size += len(body)
	}
	run := func(name string, decode func([]byte) error) {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(size / len(bodies)))
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if err := decode(bodies[i%len(bodies)]); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
	run("step/fast", func(data []byte) error {
		var w wireRequest
		if !decodeWireFast(data, &w) {
			return Errorf(EINTERNAL, "request", "the fast path refused %s", data)
		}
		return nil
	})
	run("step/encoding_json", func(data []byte) error {
		var w wireRequest
		return decodeWireJSON(data, &w)
	})
	run("whole/fast", func(data []byte) error {
		_, err := DecodeRequest(data)
		return err
	})
	run("whole/encoding_json", func(data []byte) error {
		_, err := decodeRequestJSON(data)
		return err
	})
}

// checkFastPath reports whether the fast path accepts data, failing the test
// unless encoding/json then accepts it too and decodes the same wireRequest,
// and unless DecodeRequest answers exactly as the encoding/json path alone.
// The fast path reads a copy that is overwritten afterwards, so that a value
// still pointing into the body shows.
func checkFastPath(t *testing.T, data []byte) bool {
	t.Helper()
	body := bytes.Clone(data)
	var fast wireRequest
	accepted := decodeWireFast(body, &fast)
	for i := range body {
		body[i] = 0
	}
	if accepted {
		var std wireRequest
		if err := decodeWireJSON(data, &std); err != nil {
			t.Fatalf("fast path accepted %q, which encoding/json refuses: %v", data, err)
		}
		if !reflect.DeepEqual(fast, std) {
			t.Fatalf("decoding %q\nthe fast path gives  %s\nencoding/json gives %s", data, dumpWire(fast), dumpWire(std))
		}
	}
	r, err := DecodeRequest(data)
	rJSON, errJSON := decodeRequestJSON(data)
	if !reflect.DeepEqual(r, rJSON) || !reflect.DeepEqual(err, errJSON) {
		t.Fatalf("decoding %q\nDecodeRequest gives     %+v, %v\nencoding/json alone gives %+v, %v", data, r, err, rJSON, errJSON)
	}
	return accepted
}

// dumpWire shows w with nil told apart from empty, as DeepEqual tells them.
func dumpWire(w wireRequest) string {
	str := func(p *string) string {
		if p == nil {
			return "nil"
		}
		return strconv.Quote(*p)
	}
	raw := func(r json.RawMessage) string {
		if r == nil {
			return "nil"
		}
		return strconv.Quote(string(r))
	}
	var b strings.Builder
	b.WriteString("style=" + str(w.Style) + " pressure=" + str(w.Pressure) + " text=" + str(w.Text) + " hours_since=" + raw(w.HoursSince))
	for _, l := range []struct {
		name string
		list []string
	}{{"areas_worked", w.AreasWorked}, {"symptoms", w.Symptoms}, {"health", w.Health}} {
		b.WriteString(" " + l.name + "=")
		if l.list == nil {
			b.WriteString("nil")
			continue
		}
		b.WriteString(strconv.Quote(strings.Join(l.list, "|")) + "#" + strconv.Itoa(len(l.list)))
	}
	b.WriteString(" soreness=" + strconv.FormatBool(w.Soreness == nil) + "nil")
	for _, s := range w.Soreness {
		b.WriteString(" {" + str(s.Area) + " " + raw(s.Pain) + "}")
	}
	b.WriteString(" history=" + strconv.FormatBool(w.History == nil) + "nil")
	for _, h := range w.History {
		b.WriteString(" {" + raw(h.HoursSince) + " " + raw(h.Pain) + "}")
	}
	return b.String()
}

// fastTexts are free texts as clients send them: the load generator's, and
// some beyond ASCII. None holds a character that json.Marshal escapes.
var fastTexts = []string{
	"my lower back aches since yesterday after deep tissue, about a 4, no numbness",
	"sore calves after the sports massage, maybe 3/10, no swelling",
	"neck is stiff and I have a slight headache",
	"shoulders feel bruised but it is getting better",
	"Nacken verspannt – leichte Kopfschmerzen, kein Fieber",
	"肩がこって、少し頭痛がします",
	"sore 😣 after hot stones",
}

// fastSampleBodies returns n valid requests drawn from a fixed seed, written
// by encoding/json (indented or not): a style and pressure or none, a time or
// none, worked and sore areas, symptoms, screening answers and earlier
// check-ins, with texts[i/5] on every fifth when texts is not empty.
func fastSampleBodies(n int, texts []string, indent bool) [][]byte {
	rng := rand.New(rand.NewPCG(20261101, 7))
	pick := func(v *Vocabulary, k int) []string {
		var out []string
		for _, i := range rng.Perm(len(v.Codes()))[:k] {
			out = append(out, v.Codes()[i].Code)
		}
		return out
	}
	bodies := make([][]byte, n)
	for i := range bodies {
		var r Request
		if rng.IntN(10) > 0 {
			r.Style = pick(Styles, 1)[0]
		}
		if rng.IntN(5) > 0 {
			r.Pressure = pick(Pressures, 1)[0]
		}
		if rng.IntN(7) > 0 {
			hours := float64(rng.IntN(241)) / 2
			r.HoursSince = &hours
		}
		r.AreasWorked = pick(Areas, rng.IntN(5))
		for _, area := range pick(Areas, rng.IntN(4)) {
			r.Soreness = append(r.Soreness, Soreness{Area: area, Pain: rng.IntN(11)})
		}
		r.Symptoms = pick(Symptoms, rng.IntN(4))
		if len(r.Soreness) == 0 && len(r.Symptoms) == 0 {
			r.Symptoms = pick(Symptoms, 1)
		}
		r.Health = pick(Health, rng.IntN(3))
		at := 0.0
		for range rng.IntN(4) {
			p := HistoryPoint{Pain: rng.IntN(11)}
			if r.HoursSince != nil {
				at = min(at+float64(rng.IntN(25)), *r.HoursSince)
				h := at
				p.HoursSince = &h
			}
			r.History = append(r.History, p)
		}
		if len(texts) > 0 && i%5 == 0 {
			r.Text = texts[i/5%len(texts)]
		}
		var err error
		if indent {
			bodies[i], err = json.MarshalIndent(r, "", "\t")
		} else {
			bodies[i], err = json.Marshal(r)
		}
		if err != nil {
			panic(err)
		}
	}
	return bodies
}

// vignetteBodies are the requests of the vignette files, written by hand
// with a space after each colon and comma.
func vignetteBodies(t *testing.T) [][]byte {
	var bodies [][]byte
	for _, path := range []string{
		filepath.Join("testdata", "vignettes", "public.jsonl"),
		filepath.Join("triage", "testdata", "vignettes.jsonl"),
	} {
		file, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer file.Close()
		lines := bufio.NewScanner(file)
		for lines.Scan() {
			var v struct{ Request json.RawMessage }
			if err := json.Unmarshal(lines.Bytes(), &v); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			bodies = append(bodies, v.Request)
		}
		if err := lines.Err(); err != nil {
			t.Fatal(err)
		}
	}
	return bodies
}

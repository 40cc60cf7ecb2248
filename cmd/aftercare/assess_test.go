package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"aftercare"
	"aftercare/knowledge"
)

// call runs the command in-process and returns its exit code and output.
func call(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	getenv := func(string) string { return "" }
	err := run(context.Background(), append([]string{"aftercare"}, args...), getenv, strings.NewReader(stdin), &out, &errOut)
	return exitCode(err, &errOut), out.String(), errOut.String()
}

func TestAssessJSONDoor(t *testing.T) {
	t.Run("a request on standard input gets an answer as JSON and exit 0", func(t *testing.T) {
		code, out, errOut := call(t, `{"style":"deep_tissue","hours_since":18,"soreness":[{"area":"shoulders","pain":3}]}`, "assess", "--json")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		var resp aftercare.Response
		if err := json.Unmarshal([]byte(out), &resp); err != nil {
			t.Fatal(err)
		}
		if resp.Level != aftercare.SelfCare || resp.Headline == "" || len(resp.Reasons) == 0 || resp.Disclaimer == "" || resp.KnowledgeVersion == "" {
			t.Errorf("answer %+v", resp)
		}
	})
	for _, tc := range []struct{ name, body, field string }{
		{"an unknown code", `{"style":"shiatsu","symptoms":["headache"]}`, "style"},
		{"a pain outside 0–10", `{"soreness":[{"area":"neck","pain":11}]}`, "soreness[0].pain"},
		{"a negative time", `{"hours_since":-1,"symptoms":["headache"]}`, "hours_since"},
		{"a malformed body", `{"symptoms":`, "request"},
		{"an empty request", `{}`, "request"},
	} {
		t.Run(tc.name+" exits 2 with a JSON error naming the field", func(t *testing.T) {
			code, out, errOut := call(t, tc.body, "assess", "--json")
			if code != 2 {
				t.Fatalf("exit %d", code)
			}
			if out != "" {
				t.Errorf("wrote an answer: %s", out)
			}
			var e struct{ Error aftercare.Error }
			if err := json.Unmarshal([]byte(errOut), &e); err != nil {
				t.Fatalf("stderr is not JSON: %q", errOut)
			}
			if e.Error.Code != aftercare.EINVALID || e.Error.Field != tc.field || e.Error.Message == "" {
				t.Errorf("error %+v, want field %s", e.Error, tc.field)
			}
		})
	}
}

func TestAssessFlagsForPeople(t *testing.T) {
	t.Run("flags give a readable answer with the level first", func(t *testing.T) {
		code, out, errOut := call(t, "", "assess", "--style", "deep_tissue", "--hours", "20", "--pain", "lower_back=4", "--symptom", "headache")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		first := strings.SplitN(out, "\n", 2)[0]
		if !strings.Contains(first, "SELF CARE") {
			t.Errorf("first line %q does not give the level", first)
		}
		for _, want := range []string{"Why", "What helps", "Get help if you notice", "not a diagnosis"} {
			if !strings.Contains(out, want) {
				t.Errorf("answer lacks %q", want)
			}
		}
	})
	t.Run("a red flag by flag is an emergency", func(t *testing.T) {
		code, out, _ := call(t, "", "assess", "--json", "--symptom", "chest_pain")
		var resp aftercare.Response
		if code != 0 || json.Unmarshal([]byte(out), &resp) != nil || resp.Level != aftercare.Emergency {
			t.Errorf("exit %d, answer %s", code, out)
		}
	})
	t.Run("free text on the command line is read", func(t *testing.T) {
		code, out, _ := call(t, "", "assess", "--json", "my lower back aches, no numbness")
		var resp aftercare.Response
		if code != 0 || json.Unmarshal([]byte(out), &resp) != nil {
			t.Fatalf("exit %d, answer %s", code, out)
		}
		negated := false
		for _, f := range resp.Findings {
			if f.Code == "numbness" && f.Negated {
				negated = true
			}
		}
		if resp.Level != aftercare.SelfCare || !negated {
			t.Errorf("level %s, findings %+v", resp.Level, resp.Findings)
		}
	})
	for _, tc := range []struct {
		name, field string
		args        []string
	}{
		{"a bad --pain", "soreness", []string{"--pain", "neck"}},
		{"a pain of 12", "soreness[0].pain", []string{"--pain", "neck=12"}},
		{"an unknown --symptom", "symptoms[0]", []string{"--symptom", "itch"}},
		{"a bad --hours", "hours_since", []string{"--hours", "soon", "--symptom", "headache"}},
	} {
		t.Run(tc.name+" exits 2 naming the field", func(t *testing.T) {
			code, _, errOut := call(t, "", append([]string{"assess", "--json"}, tc.args...)...)
			var e struct{ Error aftercare.Error }
			if code != 2 || json.Unmarshal([]byte(errOut), &e) != nil || e.Error.Field != tc.field {
				t.Errorf("exit %d, stderr %s", code, errOut)
			}
		})
	}
}

func TestKnowledgeCommands(t *testing.T) {
	t.Run("validate accepts the built-in knowledge base", func(t *testing.T) {
		code, out, errOut := call(t, "", "knowledge", "validate")
		if code != 0 || !strings.Contains(out, "valid") {
			t.Errorf("exit %d: %s %s", code, out, errOut)
		}
	})
	t.Run("validate refuses a broken file naming the entry and the reason", func(t *testing.T) {
		path := t.TempDir() + "/clinic.yaml"
		writeFile(t, path, "rules:\n  - id: bad\n    level: urgent\n    when: \"symptom.itching\"\n    text: x\n    sources: [seed]\n")
		code, _, errOut := call(t, "", "knowledge", "validate", path)
		if code != 1 || !strings.Contains(errOut, "clinic.yaml") || !strings.Contains(errOut, "(bad)") || !strings.Contains(errOut, "itching") {
			t.Errorf("exit %d: %s", code, errOut)
		}
	})
	t.Run("validate refuses a source that cannot be looked up and a rule citing an unknown source", func(t *testing.T) {
		path := t.TempDir() + "/clinic.yaml"
		writeFile(t, path, "sources:\n  - id: blog\n    title: A blog\n    cite: Blog\n"+
			"rules:\n  - id: ghost\n    level: monitor\n    when: \"sore\"\n    text: x\n    sources: [nowhere]\n")
		code, _, errOut := call(t, "", "knowledge", "validate", path)
		for _, want := range []string{"(blog)", "cannot be looked up", "(ghost)", `unknown source "nowhere"`} {
			if code != 1 || !strings.Contains(errOut, want) {
				t.Errorf("exit %d; error lacks %q: %s", code, want, errOut)
			}
		}
	})
	t.Run("show gives every rule its sources and basis, and marks the estimates", func(t *testing.T) {
		code, out, _ := call(t, "", "knowledge", "show")
		b, err := knowledge.Default()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range b.Rules {
			i := strings.Index(out, "\n  "+r.ID+"\n")
			if i < 0 {
				t.Fatalf("exit %d; show lacks rule %s", code, r.ID)
			}
			entry := out[i:]
			if j := strings.Index(entry, "basis: "); j < 0 || !strings.Contains(entry[:j], "source: "+b.Cite(r.Sources)) {
				t.Errorf("rule %s is shown without its sources and basis", r.ID)
			}
		}
		for _, want := range []string{"basis: estimate (The soreness windows", "NHS (DVT): Symptoms:", "https://doi.org/10.1089/acm.2006.6401", "(the seed article)", "do not treat: quads"} {
			if !strings.Contains(out, want) {
				t.Errorf("show lacks %q", want)
			}
		}
	})
	t.Run("show prints rules with their sources", func(t *testing.T) {
		code, out, _ := call(t, "", "knowledge", "show")
		for _, want := range []string{"== emergency", "chest_pain", "Cambron et al. 2007", "== FAQ", "== Sources"} {
			if !strings.Contains(out, want) {
				t.Errorf("exit %d; show lacks %q", code, want)
			}
		}
	})
}

func TestAssessQuestions(t *testing.T) {
	const unsure = "I can't lift my arm above my head since yesterday's massage, it's too sore"
	t.Run("with --json the questions are in the answer, graded on what is known", func(t *testing.T) {
		code, out, errOut := call(t, `{"text":"`+unsure+`"}`, "assess", "--json")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		var resp aftercare.Response
		if err := json.Unmarshal([]byte(out), &resp); err != nil {
			t.Fatal(err)
		}
		if resp.Level != aftercare.Consult || len(resp.Questions) == 0 || resp.Questions[0].ID != "symptom.one_sided_weakness" {
			t.Errorf("level %s, questions %+v", resp.Level, resp.Questions)
		}
	})
	t.Run("printed for a person, each question says how to answer it", func(t *testing.T) {
		code, out, _ := call(t, "", "assess", "--no-color", unsure)
		if code != 0 || !strings.Contains(out, "--answer symptom.one_sided_weakness=yes|no") {
			t.Errorf("exit %d, output:\n%s", code, out)
		}
	})
	t.Run("asked with --ask, a yes moves the level up", func(t *testing.T) {
		code, out, _ := call(t, "yes\n", "assess", "--ask", "--no-color", unsure)
		if code != 0 || !strings.Contains(out, "weak, not just too sore") || !strings.Contains(out, "EMERGENCY") {
			t.Errorf("exit %d, output:\n%s", code, out)
		}
	})
	t.Run("asked with --ask, an answer of the wrong kind is asked again", func(t *testing.T) {
		code, out, _ := call(t, "maybe\nno\n", "assess", "--ask", "--no-color", unsure)
		if code != 0 || !strings.Contains(out, "must be true or false") || !strings.Contains(out, "CONSULT") {
			t.Errorf("exit %d, output:\n%s", code, out)
		}
	})
	t.Run("--answer settles the fact", func(t *testing.T) {
		code, out, _ := call(t, "", "assess", "--no-color", "--answer", "symptom.one_sided_weakness=yes", unsure)
		if code != 0 || !strings.Contains(out, "EMERGENCY") {
			t.Errorf("exit %d, output:\n%s", code, out)
		}
	})
	for _, tc := range []struct{ name, body, field string }{
		{"an unknown answer key", `{"text":"sore","answers":{"symptom.nope":true}}`, "answers.symptom.nope"},
		{"an answer of the wrong kind", `{"text":"sore","answers":{"pain":true}}`, "answers.pain"},
		{"a yes/no answered with a number", `{"text":"sore","answers":{"symptom.numbness":3}}`, "answers.symptom.numbness"},
	} {
		t.Run(tc.name+" is exit 2 naming the field", func(t *testing.T) {
			code, _, errOut := call(t, tc.body, "assess", "--json")
			var e struct {
				Error struct{ Field string } `json:"error"`
			}
			if code != 2 || json.Unmarshal([]byte(errOut), &e) != nil || e.Error.Field != tc.field {
				t.Errorf("exit %d, stderr %s; want 2 naming %s", code, errOut, tc.field)
			}
		})
	}
}

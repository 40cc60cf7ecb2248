package knowledge

import (
	"strings"
	"testing"
)

func TestAClinicFileIsRefusedWithTheFileTheEntryAndTheReason(t *testing.T) {
	for _, tc := range []struct {
		name, file string
		says       []string
	}{
		{"an unknown symptom code in a condition", `
rules:
  - id: itchy
    level: consult
    when: "symptom.itching"
    text: Itching.
    sources: [seed]
`, []string{"clinic.yaml", "rules[", "(itchy)", "does not compile", "itching"}},
		{"a condition that is not true or false", `
rules:
  - id: numeric
    level: consult
    when: "pain + 1"
    text: Pain.
    sources: [seed]
`, []string{"(numeric)", "does not compile"}},
		{"a rule without a source", `
rules:
  - id: unsourced
    level: monitor
    when: "sore"
    text: Sore.
`, []string{"(unsourced)", "names no source"}},
		{"a source that does not exist", `
rules:
  - id: badsource
    level: monitor
    when: "sore"
    text: Sore.
    sources: [wikipedia]
`, []string{"(badsource)", `unknown source "wikipedia"`}},
		{"a duplicate id", `
relief:
  - id: chest_pain
    title: T
    why: W
    when: "true"
    evidence: limited
    sources: [seed]
`, []string{"duplicate id \"chest_pain\""}},
		{"an unknown level", `
rules:
  - id: loud
    level: panic
    when: "sore"
    text: Sore.
    sources: [seed]
`, []string{"(loud)", "unknown level \"panic\"", "self_care"}},
		{"an unknown area", `
cautions:
  - health: pregnant
    title: Pregnancy
    advice: Careful.
    avoid_areas: [belly]
    sources: [seed]
`, []string{"(pregnant)", `unknown area "belly"`}},
		{"an unknown health code", `
cautions:
  - health: asthma
    title: Asthma
    advice: Careful.
    sources: [seed]
`, []string{"(asthma)", "unknown health code"}},
		{"an unknown field", `
rulez: []
`, []string{"clinic.yaml", "rulez"}},
		{"bands with a gap", `
bands: {mild: [1, 2], moderate: [4, 6], severe: [7, 10]}
`, []string{"bands", "without gaps"}},
		{"an evidence grade that is not allowed", `
relief:
  - id: cupping
    title: Cupping
    why: W
    when: "true"
    evidence: miraculous
    sources: [seed]
`, []string{"(cupping)", "miraculous"}},
		{"a source with no link, doi or pmid", `
sources:
  - id: blog
    title: A blog post
    cite: Blog
`, []string{"(blog)", "cannot be looked up", "url, a doi or a pmid"}},
		{"a source with a url that is not a web address", `
sources:
  - id: book
    title: A book
    cite: Book
    url: "page 12"
`, []string{"(book)", `url "page 12"`, "http or https"}},
		{"a source with a malformed doi", `
sources:
  - id: paper
    title: A paper
    cite: Paper
    doi: "https://doi.org/10.1000/xyz"
`, []string{"(paper)", "doi", "10.1234/"}},
		{"a source with a pmid that is not a number", `
sources:
  - id: paper
    title: A paper
    cite: Paper
    pmid: "PMC123"
`, []string{"(paper)", `pmid "PMC123"`, "digits only"}},
		{"a second seed article", `
sources:
  - id: another_seed
    title: Another consumer guide
    cite: Guide
    seed: true
`, []string{"only one source may be the seed article"}},
		{"a rule that cites a source without saying what it says", `
rules:
  - id: unclaimed
    level: monitor
    when: "sore"
    text: Sore.
    sources: [cambron2007]
`, []string{"(unclaimed)", "cites cambron2007 without saying what it says", "claims.cambron2007"}},
		{"a claim for a source the rule does not cite", `
rules:
  - id: stray_claim
    level: monitor
    when: "sore"
    text: Sore.
    sources: [seed]
    claims:
      cambron2007: "Most reactions last 36 h or less."
`, []string{"(stray_claim)", "claims.cambron2007 names a source the entry does not cite"}},
		{"an estimate without its reasoning", `
rules:
  - id: guess
    level: monitor
    when: "sore"
    text: Sore.
    sources: [cambron2007]
    basis: estimate
`, []string{"(guess)", "basis estimate needs a basis_note"}},
		{"a basis that is not allowed", `
rules:
  - id: hunch
    level: monitor
    when: "sore"
    text: Sore.
    sources: [seed]
    basis: hunch
`, []string{"(hunch)", `basis "hunch"`, "estimate, consensus"}},
		{"flag guidance for an unknown rule", `
flag_guidance:
  - id: mystery
    rules: [no_such_rule]
    title: Mystery
    advice: Careful.
    sources: [seed]
`, []string{"(mystery)", `unknown rule "no_such_rule"`}},
	} {
		t.Run(tc.name+" is refused", func(t *testing.T) {
			_, err := Overlay(Builtin(), []byte(tc.file), "clinic.yaml")
			if err == nil {
				t.Fatal("accepted")
			}
			for _, s := range tc.says {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error does not say %q:\n%v", s, err)
				}
			}
		})
	}
}

func TestAClinicFileOverridesAddsAndDisables(t *testing.T) {
	b, err := Overlay(Builtin(), []byte(`
version: "clinic-1"
bands: {mild: [1, 4], moderate: [5, 6], severe: [7, 10]}
rules:
  - id: light_bruising
    level: self_care
    when: "symptom.bruising_light"
    text: Our clinic expects some light bruising after cupping.
    sources: [seed]
  - id: clinic_numbness_urgent
    level: urgent
    when: "symptom.numbness && symptom.severe_weakness"
    text: Numbness with weakness.
    sources: [aksoy2009]
    claims:
      aksoy2009: "Case: nerve injury with weakness after deep tissue massage."
disable: [compression]
`), "clinic.yaml")
	if err != nil {
		t.Fatal(err)
	}
	base, _ := Default()
	if !strings.HasPrefix(b.KnowledgeVersion(), "clinic-1+") || b.KnowledgeVersion() == base.KnowledgeVersion() {
		t.Errorf("version %q", b.KnowledgeVersion())
	}
	if b.Bands.Mild != [2]int{1, 4} {
		t.Errorf("bands %+v", b.Bands)
	}
	var replaced, added bool
	for _, r := range b.Rules {
		replaced = replaced || (r.ID == "light_bruising" && r.Level == "self_care")
		added = added || r.ID == "clinic_numbness_urgent"
	}
	if !replaced || !added || len(b.Rules) != len(base.Rules)+1 {
		t.Errorf("replaced %v added %v, %d rules", replaced, added, len(b.Rules))
	}
	for _, r := range b.Relief {
		if r.ID == "compression" {
			t.Error("compression was not disabled")
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("version: x\nsources: [{id: seed, title: T, cite: C}]\nrules: [{id: a, level: urgent, when: 'sore && pain > 3', text: t, sources: [seed]}]\n"))
	f.Add([]byte("bands: {mild: [1, 3], moderate: [4, 6], severe: [7, 10]}\nlevels: [{code: monitor, headline: H}]"))
	f.Add([]byte("styles: [{code: thai, intensity: deep, soreness: likely, hours: {default: [24, 48]}, sources: [x]}]"))
	f.Add([]byte("sources: [{id: s, title: T, cite: C, doi: '10.1000/x', pmid: '123'}, {id: seed, title: T, cite: C, seed: true}]\nrules: [{id: a, level: monitor, when: sore, text: t, sources: [s], claims: {s: 'says so'}, basis: estimate, basis_note: why}]"))
	f.Add([]byte("flag_guidance: [{id: f, rules: [a], title: T, advice: A, avoid_areas: [calves], until_cleared: true, sources: [seed]}]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := Parse(data, "fuzz.yaml")
		if err != nil && err.Error() == "" {
			t.Fatal("an error without a message")
		}
		if err == nil && b.KnowledgeVersion() == "" {
			t.Fatal("a valid base without a version")
		}
	})
}

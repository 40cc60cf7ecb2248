package fhir

import (
	"encoding/json"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"aftercare"
)

func sessionBundle() (Bundle, []aftercare.CheckIn) {
	var checkIns []aftercare.CheckIn
	for i, sc := range scenarios() {
		checkIns = append(checkIns, checkIn(int64(i+1), sc))
	}
	return NewBuilder(testBase).SessionBundle(testClinic, testClient, testSession(), checkIns), checkIns
}

// decoded returns the bundle's entries as generic JSON.
func decoded(t *testing.T, b Bundle) []map[string]any {
	t.Helper()
	data, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Entry []map[string]any `json:"entry"`
	}
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	return v.Entry
}

func references(v any, out *[]string) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if s, ok := e.(string); ok && k == "reference" {
				*out = append(*out, s)
			}
			references(e, out)
		}
	case []any:
		for _, e := range x {
			references(e, out)
		}
	}
}

var urnUUID = regexp.MustCompile(`^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestTheSessionBundle(t *testing.T) {
	bundle, checkIns := sessionBundle()
	entries := decoded(t, bundle)
	t.Run("it is a collection", func(t *testing.T) {
		if bundle.Type != "collection" || bundle.ResourceType != "Bundle" {
			t.Errorf("type %q", bundle.Type)
		}
	})
	t.Run("every entry has its own urn:uuid and no id", func(t *testing.T) {
		seen := map[string]bool{}
		for _, e := range entries {
			url, _ := e["fullUrl"].(string)
			if !urnUUID.MatchString(url) || seen[url] {
				t.Errorf("fullUrl %q (seen before: %v)", url, seen[url])
			}
			seen[url] = true
			if r := e["resource"].(map[string]any); r["id"] != nil {
				t.Errorf("%s carries id %v", r["resourceType"], r["id"])
			}
		}
	})
	t.Run("every reference resolves inside the bundle", func(t *testing.T) {
		urls := map[string]string{}
		for _, e := range entries {
			urls[e["fullUrl"].(string)] = e["resource"].(map[string]any)["resourceType"].(string)
		}
		var refs []string
		for _, e := range entries {
			references(e, &refs)
		}
		if len(refs) == 0 {
			t.Fatal("no references found")
		}
		for _, r := range refs {
			if _, ok := urls[r]; !ok {
				t.Errorf("reference %s resolves to nothing in the bundle", r)
			}
		}
	})
	t.Run("it holds the clinic, the client, the session and each check-in's resources", func(t *testing.T) {
		count := map[string]int{}
		for _, e := range entries {
			count[e["resource"].(map[string]any)["resourceType"].(string)]++
		}
		observations := 0
		for _, c := range checkIns {
			observations += len(c.Request.Soreness)
		}
		want := map[string]int{
			"Organization": 1, "Patient": 1, "Procedure": 1, "QuestionnaireResponse": len(checkIns),
			"Observation": observations, "RiskAssessment": len(checkIns),
		}
		if !reflect.DeepEqual(count, want) {
			t.Errorf("got %v, want %v", count, want)
		}
	})
	t.Run("the patient holds no more than the client's name and email", func(t *testing.T) {
		for _, e := range entries {
			r := e["resource"].(map[string]any)
			if r["resourceType"] != "Patient" {
				continue
			}
			for k := range r {
				if k != "resourceType" && k != "name" && k != "telecom" && k != "managingOrganization" {
					t.Errorf("patient holds %s", k)
				}
			}
		}
		data, _ := json.Marshal(bundle)
		if strings.Contains(string(data), "secret-token") {
			t.Error("the bundle leaks the client's check-in link")
		}
	})
	t.Run("the procedure has a body site per area worked", func(t *testing.T) {
		p := NewBuilder(testBase).Procedure(testClinic, testClient, testSession())
		if p.Code.Text != "Massage therapy" || len(p.BodySite) != len(testSession().AreasWorked) || p.Status != "completed" {
			t.Errorf("code %+v, %d body sites", p.Code, len(p.BodySite))
		}
		if p.Note[0].Text != "Pressure: Firm. Neck: Medium. Calves: Light." {
			t.Errorf("note %q", p.Note[0].Text)
		}
	})
	t.Run("the same data gives the same bundle", func(t *testing.T) {
		again, _ := sessionBundle()
		a, _ := json.Marshal(bundle)
		b, _ := json.Marshal(again)
		if string(a) != string(b) {
			t.Error("two bundles of the same data differ")
		}
	})
	t.Run("another base URL gives other UUIDs", func(t *testing.T) {
		other := NewBuilder("https://other.example").SessionBundle(testClinic, testClient, testSession(), nil)
		if other.Entry[0].FullURL == bundle.Entry[0].FullURL {
			t.Error("the UUIDs do not depend on the base URL")
		}
	})
}

func TestStandaloneResourcesUseRelativeReferences(t *testing.T) {
	b := NewBuilder(testBase)
	c := checkIn(7, scenarios()[0])
	qr := b.CheckInResponse(testSession(), c, testClient)
	obs := b.PainObservations(c, testClient)
	ra := b.Assessment(c, testClient)
	cases := []struct{ name, got, want string }{
		{"the response names its patient", qr.Subject.Reference, "Patient/12"},
		{"the response is part of the session", qr.PartOf[0].Reference, "Procedure/40"},
		{"the response answers the check-in questionnaire", qr.Questionnaire, testBase + "/fhir/Questionnaire/aftercare-checkin|1.0.0"},
		{"the response was authored at the check-in", qr.Authored, "2026-03-02T00:30:00Z"},
		{"an observation has an id of letters, digits and dashes", obs[0].ID, "7-lower-back"},
		{"an observation derives from the response", obs[0].DerivedFrom[0].Reference, "QuestionnaireResponse/7"},
		{"the assessment rests on the response first", ra.Basis[0].Reference, "QuestionnaireResponse/7"},
		{"the assessment rests on the observation next", ra.Basis[1].Reference, "Observation/7-lower-back"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.got != c.want {
				t.Errorf("got %q, want %q", c.got, c.want)
			}
		})
	}
}

func TestThePainObservations(t *testing.T) {
	b := NewBuilder(testBase)
	t.Run("a check-in without soreness gives none", func(t *testing.T) {
		if got := b.PainObservations(checkIn(2, scenarios()[1]), testClient); len(got) != 0 {
			t.Errorf("got %d observations", len(got))
		}
	})
	t.Run("every area gives one scored, coded observation", func(t *testing.T) {
		c := checkIn(3, scenarios()[2])
		got := b.PainObservations(c, testClient)
		if len(got) != len(aftercare.Areas.Codes()) {
			t.Fatalf("got %d observations", len(got))
		}
		for i, o := range got {
			s := c.Request.Soreness[i]
			site := BodySites[s.Area]
			if o.Status != "final" || o.Code.Coding[0].Code != LOINCPainSeverity || *o.ValueInteger != s.Pain ||
				o.BodySite.Coding[0] != (Coding{System: SystemSNOMED, Code: site.Code, Display: site.Display}) ||
				o.Category[0].Coding[0].Code != "survey" || o.EffectiveDateTime == "" {
				t.Errorf("observation %d: %+v", i, o)
			}
		}
	})
}

func TestTheRiskAssessmentCarriesTheLevelAndItsReasons(t *testing.T) {
	b := NewBuilder(testBase)
	for _, l := range aftercare.Levels {
		t.Run("a "+l.String()+" check-in is coded "+l.String(), func(t *testing.T) {
			ra := b.Assessment(checkIn(1, scenario{request: scenarios()[0].request, level: l}), testClient)
			got := ra.Prediction[0].QualitativeRisk.Coding[0]
			if got.System != testBase+"/codes/level" || got.Code != l.String() {
				t.Errorf("qualitative risk %+v", got)
			}
			if len(ra.Note) != 2 || !strings.Contains(ra.Note[0].Text, "Source: NHS") || !strings.Contains(ra.Note[0].Text, "rule_"+l.String()) {
				t.Errorf("notes %+v", ra.Note)
			}
			if ra.Mitigation != "Drink water; Move gently" || !strings.Contains(ra.Method.Text, "kb-2026.03") {
				t.Errorf("mitigation %q method %q", ra.Mitigation, ra.Method.Text)
			}
		})
	}
	t.Run("a check-in never assessed has no prediction", func(t *testing.T) {
		c := checkIn(1, scenarios()[0])
		c.Assessment = aftercare.Response{}
		if ra := b.Assessment(c, testClient); len(ra.Prediction) != 0 {
			t.Errorf("prediction %+v", ra.Prediction)
		}
	})
}

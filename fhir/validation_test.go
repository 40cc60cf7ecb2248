package fhir

import (
	"encoding/json"
	"fmt"
	"testing"

	"aftercare"
)

// named is a resource with a sentence saying what it is, for the test's output.
type named struct {
	name     string
	resource any
}

// emitted returns every kind of resource the package makes, for every scenario,
// both standalone and inside a session bundle.
func emitted() []named {
	b := NewBuilder(testBase)
	s := testSession()
	var out []named
	add := func(name string, r any) { out = append(out, named{name, r}) }
	add("the check-in questionnaire", b.CheckInQuestionnaire())
	add("the screening questionnaire", b.ScreeningQuestionnaire())
	for _, cs := range b.CodeSystems() {
		add("the code system "+cs.URL, cs)
	}
	add("the clinic", b.Organization(testClinic))
	add("the client", b.Patient(testClinic, testClient))
	add("a client with no email and no clinic", b.Patient(aftercare.Clinic{}, aftercare.Client{ID: 5, Name: "Ann"}))
	add("the session", b.Procedure(testClinic, testClient, s))
	add("a session with nothing but its client", b.Procedure(aftercare.Clinic{}, testClient, aftercare.Session{ID: 9}))
	var checkIns []aftercare.CheckIn
	for i, sc := range scenarios() {
		c := checkIn(int64(i+1), sc)
		checkIns = append(checkIns, c)
		add("the response of "+sc.name, b.CheckInResponse(s, c, testClient))
		for _, o := range b.PainObservations(c, testClient) {
			add(fmt.Sprintf("the pain observation of %s in %s", sc.name, o.BodySite.Text), o)
		}
		add("the risk assessment of "+sc.name, b.Assessment(c, testClient))
	}
	unassessed := checkIn(99, scenarios()[0])
	unassessed.Assessment = aftercare.Response{}
	add("the risk assessment of a check-in never assessed", b.Assessment(unassessed, testClient))
	add("the bundle of a session with every scenario", b.SessionBundle(testClinic, testClient, s, checkIns))
	add("the bundle of a session without check-ins", b.SessionBundle(testClinic, testClient, s, nil))
	return out
}

func TestEveryEmittedResourcePassesTheFHIRR4Validator(t *testing.T) {
	resources := emitted()
	list := make([]any, len(resources))
	for i, r := range resources {
		list[i] = r.resource
	}
	verdicts := validate(t, list)
	for i, r := range resources {
		v := verdicts[i]
		t.Run(r.name+" is valid FHIR R4", func(t *testing.T) {
			if len(v.Errors) > 0 {
				t.Errorf("%s: %d validator errors:%s", v.ResourceType, len(v.Errors), v)
			}
		})
	}
}

func TestTheValidatorCatchesBrokenResources(t *testing.T) {
	b := NewBuilder(testBase)
	obs := b.PainObservations(checkIn(1, scenarios()[0]), testClient)[0]
	badStatus := obs
	badStatus.Status = "done"
	q := b.CheckInQuestionnaire()
	q.Item = append([]QuestionnaireItem(nil), q.Item...)
	q.Item[0].Type = "dropdown"
	cases := []struct {
		name     string
		resource any
	}{
		{"an observation with a status outside FHIR's codes is refused", badStatus},
		{"an observation without its code is refused", map[string]any{
			"resourceType": "Observation", "status": "final", "valueInteger": 3,
		}},
		{"a questionnaire item of an unknown type is refused", q},
		{"a pain score that is not a whole number is refused", map[string]any{
			"resourceType": "Observation", "status": "final", "code": map[string]any{"text": "pain"}, "valueInteger": 3.5,
		}},
		{"an unknown element is refused", map[string]any{
			"resourceType": "Observation", "status": "final", "code": map[string]any{"text": "pain"}, "painLevel": 3,
		}},
		{"an unknown resource type is refused", map[string]any{"resourceType": "Massage"}},
	}
	list := make([]any, len(cases))
	for i, c := range cases {
		list[i] = c.resource
	}
	verdicts := validate(t, list)
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if len(verdicts[i].Errors) == 0 {
				t.Errorf("the validator found nothing wrong with %+v", c.resource)
			}
		})
	}
}

// TestNoResourceHoldsAnEmptyElement checks FHIR's rule ele-1 (every element has
// a value or children), which neither validator checks: no empty object, array
// or string anywhere in what the package emits.
func TestNoResourceHoldsAnEmptyElement(t *testing.T) {
	for _, r := range emitted() {
		t.Run(r.name+" holds no empty element", func(t *testing.T) {
			b, err := json.Marshal(r.resource)
			if err != nil {
				t.Fatal(err)
			}
			var v any
			if err := json.Unmarshal(b, &v); err != nil {
				t.Fatal(err)
			}
			for _, path := range emptyElements(v, "") {
				t.Errorf("empty element at %s", path)
			}
		})
	}
}

func emptyElements(v any, path string) []string {
	var out []string
	switch x := v.(type) {
	case map[string]any:
		if len(x) == 0 {
			out = append(out, path)
		}
		for k, e := range x {
			out = append(out, emptyElements(e, path+"."+k)...)
		}
	case []any:
		if len(x) == 0 {
			out = append(out, path)
		}
		for i, e := range x {
			out = append(out, emptyElements(e, fmt.Sprintf("%s[%d]", path, i))...)
		}
	case string:
		if x == "" {
			out = append(out, path)
		}
	}
	return out
}

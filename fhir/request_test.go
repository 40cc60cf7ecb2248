package fhir

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"aftercare"
)

func TestACheckInPostedAsAResponseGivesBackItsRequest(t *testing.T) {
	b := NewBuilder(testBase)
	for i, sc := range scenarios() {
		t.Run(sc.name+" comes back unchanged", func(t *testing.T) {
			qr := b.CheckInResponse(testSession(), checkIn(int64(i+1), sc), testClient)
			data, err := json.Marshal(qr)
			if err != nil {
				t.Fatal(err)
			}
			got, err := b.RequestFromResponse(data)
			if err != nil {
				t.Fatalf("RequestFromResponse: %v\n%s", err, data)
			}
			if !reflect.DeepEqual(got, sc.request) {
				t.Errorf("got  %s\nwant %s", show(got), show(sc.request))
			}
		})
	}
}

func TestTheSpecExampleRequestSurvivesTheRoundTrip(t *testing.T) {
	spec := `{"style": "deep_tissue", "pressure": "firm", "areas_worked": ["neck", "lower_back"], "hours_since": 30,
		"soreness": [{"area": "lower_back", "pain": 4}], "symptoms": ["headache"], "health": ["blood_thinners"],
		"history": [{"hours_since": 20, "pain": 3}], "text": "my lower back aches, no numbness"}`
	want, err := aftercare.DecodeRequest([]byte(spec))
	if err != nil {
		t.Fatal(err)
	}
	b := NewBuilder(testBase + "/")
	data, _ := json.Marshal(b.CheckInResponse(aftercare.Session{}, aftercare.CheckIn{Request: want}, testClient))
	got, err := b.RequestFromResponse(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %s\nwant %s", show(got), show(want))
	}
}

func TestAResponseFromAnotherFormToolIsRead(t *testing.T) {
	// Items in another order, texts, ids, extensions and a version on the
	// canonical URL, as a form renderer may send them.
	body := `{
	  "resourceType": "QuestionnaireResponse", "id": "x1", "status": "amended",
	  "questionnaire": "https://aftercare.example/fhir/Questionnaire/aftercare-checkin|0.9",
	  "subject": {"reference": "Patient/12"}, "authored": "2026-03-02T10:00:00+01:00",
	  "item": [
	    {"linkId": "text", "text": "Anything else?", "answer": [{"valueString": "it aches"}]},
	    {"linkId": "pain_calves", "answer": [{"valueInteger": 6}]},
	    {"linkId": "symptoms", "answer": []},
	    {"linkId": "soreness", "extension": [{"url": "http://example.org/x", "valueBoolean": true}],
	     "answer": [{"id": "a1", "valueCoding": {"code": "calves"}}]},
	    {"linkId": "hours_since", "answer": [{"valueDecimal": 26.5}]},
	    {"linkId": "areas_worked", "answer": [{"valueCoding": {"system": "https://aftercare.example/codes/area", "code": "calves"}},
	                                           {"valueCoding": {"system": "https://aftercare.example/codes/area", "code": "calves"}}]}
	  ]}`
	got, err := NewBuilder(testBase).RequestFromResponse([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	want := aftercare.Request{
		AreasWorked: []string{"calves"}, HoursSince: hours(26.5),
		Soreness: []aftercare.Soreness{{Area: "calves", Pain: 6}}, Text: "it aches",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %s\nwant %s", show(got), show(want))
	}
}

func show(r aftercare.Request) string {
	b, _ := json.Marshal(r)
	return string(b)
}

// qr wraps items in a completed QuestionnaireResponse.
func qr(items ...string) string {
	return `{"resourceType":"QuestionnaireResponse","status":"completed","item":[` + strings.Join(items, ",") + `]}`
}

const sore = `{"linkId":"soreness","answer":[{"valueCoding":{"system":"https://aftercare.example/codes/area","code":"neck"}}]}`

func pain(v string) string { return `{"linkId":"pain_neck","answer":[{"valueInteger":` + v + `}]}` }

func TestAMalformedResponseIsRefusedNamingTheItem(t *testing.T) {
	cases := []struct {
		name, body, field, says string
	}{
		{"a body that is not JSON is refused", `{"resourceType":`, "request", "JSON"},
		{"a JSON array is refused", `[]`, "request", "object"},
		{"a JSON null is refused", `null`, "request", "QuestionnaireResponse"},
		{"a Patient is refused", `{"resourceType":"Patient","status":"completed"}`, "resourceType", `"QuestionnaireResponse"`},
		{"a response without a resourceType is refused", `{"status":"completed"}`, "resourceType", "not nothing"},
		{"a response to another questionnaire is refused", `{"resourceType":"QuestionnaireResponse","status":"completed","questionnaire":"http://x.example/Questionnaire/phq-9"}`, "questionnaire", testBase + "/fhir/Questionnaire/aftercare-checkin"},
		{"a response still in progress is refused", `{"resourceType":"QuestionnaireResponse","status":"in-progress"}`, "status", `"completed" or "amended"`},
		{"a response without a status is refused", `{"resourceType":"QuestionnaireResponse","item":[]}`, "status", "not nothing"},
		{"items that are not a list are refused", `{"resourceType":"QuestionnaireResponse","status":"completed","item":{}}`, "item", "array"},
		{"an item without a linkId is refused", qr(`{"answer":[]}`), "item[0].linkId", "allowed: style, pressure"},
		{"an unknown linkId is refused with the allowed ones", qr(`{"linkId":"mood","answer":[{"valueString":"meh"}]}`), "item[mood]", "pain_neck"},
		{"the same item given twice is refused", qr(`{"linkId":"text","answer":[{"valueString":"a"}]}`, `{"linkId":"text","answer":[{"valueString":"b"}]}`), "item[text]", "twice"},
		{"a pain of 11 is refused", qr(sore, pain("11")), "item[pain_neck].answer", "from 0 to 10"},
		{"a negative pain is refused", qr(sore, pain("-1")), "item[pain_neck].answer", "from 0 to 10"},
		{"a pain of 4.5 is refused", qr(sore, pain("4.5")), "item[pain_neck].answer", "whole number"},
		{"a pain given as text is refused", qr(sore, `{"linkId":"pain_neck","answer":[{"valueString":"4"}]}`), "item[pain_neck].answer", "must be valueInteger"},
		{"a pain given as a decimal is refused", qr(sore, `{"linkId":"pain_neck","answer":[{"valueDecimal":4}]}`), "item[pain_neck].answer", "not valueDecimal"},
		{"a pain of a JSON string is refused", qr(sore, pain(`"4"`)), "item[pain_neck].answer", "whole number"},
		{"a pain for an area not chosen is refused", qr(pain("3")), "item[pain_neck]", "not chosen in item[soreness]"},
		{"a chosen area without its pain is refused", qr(sore), "item[pain_neck].answer", "required"},
		{"an area chosen twice is refused", qr(`{"linkId":"soreness","answer":[{"valueCoding":{"code":"neck"}},{"valueCoding":{"code":"neck"}}]}`, pain("2")), "item[soreness].answer", "twice"},
		{"an unknown symptom is refused with the allowed ones", qr(`{"linkId":"symptoms","answer":[{"valueCoding":{"code":"sad"}}]}`), "item[symptoms].answer", "allowed: bruising_light, bruising_dark"},
		{"an unknown area is refused", qr(`{"linkId":"soreness","answer":[{"valueCoding":{"code":"elbow"}}]}`), "item[soreness].answer", "allowed: head, jaw, neck"},
		{"a coding without a code is refused", qr(`{"linkId":"style","answer":[{"valueCoding":{"display":"Thai"}}]}`), "item[style].answer", "no code"},
		{"a code from another system is refused", qr(`{"linkId":"style","answer":[{"valueCoding":{"system":"http://snomed.info/sct","code":"thai"}}]}`), "item[style].answer", testBase + "/codes/style"},
		{"a coding that is not an object is refused", qr(`{"linkId":"style","answer":[{"valueCoding":"thai"}]}`), "item[style].answer", "allowed: swedish"},
		{"a choice answered with text is refused", qr(`{"linkId":"symptoms","answer":[{"valueString":"headache"}]}`), "item[symptoms].answer", "must be valueCoding"},
		{"two answers to a one-answer item are refused", qr(`{"linkId":"style","answer":[{"valueCoding":{"code":"thai"}},{"valueCoding":{"code":"sports"}}]}`, `{"linkId":"text","answer":[{"valueString":"x"}]}`), "item[style].answer", "one answer"},
		{"an answer without a value is refused", qr(`{"linkId":"text","answer":[{}]}`), "item[text].answer", "no value"},
		{"an answer with two values is refused", qr(`{"linkId":"text","answer":[{"valueString":"a","valueInteger":1}]}`), "item[text].answer", "not several"},
		{"an answer that is not an object is refused", qr(`{"linkId":"text","answer":["hello"]}`), "item[text].answer", "object"},
		{"text given as a number is refused", qr(`{"linkId":"text","answer":[{"valueString":5}]}`), "item[text].answer", "JSON string"},
		{"negative hours are refused", qr(`{"linkId":"hours_since","answer":[{"valueDecimal":-2}]}`, `{"linkId":"text","answer":[{"valueString":"x"}]}`), "item[hours_since].answer", "from 0 to 8760"},
		{"hours given as an integer are refused", qr(`{"linkId":"hours_since","answer":[{"valueInteger":2}]}`), "item[hours_since].answer", "must be valueDecimal"},
		{"a nested item under a question is refused", qr(`{"linkId":"symptoms","item":[{"linkId":"x"}]}`), "item[symptoms].item", "no nested items"},
		{"a nested item under an answer is refused", qr(`{"linkId":"text","answer":[{"valueString":"x","item":[{"linkId":"y"}]}]}`), "item[text].answer", "no nested items"},
		{"a history group without its pain is refused", qr(`{"linkId":"history","item":[{"linkId":"history_hours_since","answer":[{"valueDecimal":3}]}]}`), "item[history][0].item[history_pain].answer", "worst pain"},
		{"a history pain of 12 is refused", qr(`{"linkId":"history","item":[{"linkId":"history_pain","answer":[{"valueInteger":12}]}]}`), "item[history][0].item[history_pain].answer", "from 0 to 10"},
		{"an unknown item in a history group is refused", qr(`{"linkId":"history","item":[{"linkId":"mood"}]}`), "item[history][0].item[mood]", "history_hours_since, history_pain"},
		{"a history group with an answer of its own is refused", qr(`{"linkId":"history","answer":[{"valueInteger":1}]}`), "item[history][0].answer", "group"},
		{"history out of order is refused", qr(
			`{"linkId":"history","item":[{"linkId":"history_hours_since","answer":[{"valueDecimal":30}]},{"linkId":"history_pain","answer":[{"valueInteger":3}]}]}`,
			`{"linkId":"history","item":[{"linkId":"history_hours_since","answer":[{"valueDecimal":20}]},{"linkId":"history_pain","answer":[{"valueInteger":3}]}]}`,
			`{"linkId":"text","answer":[{"valueString":"x"}]}`), "item[history][1]", "oldest first"},
		{"a response with nothing to assess is refused", qr(`{"linkId":"style","answer":[{"valueCoding":{"code":"thai"}}]}`), "item", "nothing to assess"},
		{"a text over the limit is refused", qr(`{"linkId":"text","answer":[{"valueString":"` + strings.Repeat("a", aftercare.MaxTextBytes+1) + `"}]}`), "item[text].answer", "at most 4000"},
	}
	b := NewBuilder(testBase)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := b.RequestFromResponse([]byte(c.body))
			var e *aftercare.Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v (%T), want an *aftercare.Error", err, err)
			}
			if e.Code != aftercare.EINVALID || e.Field != c.field || !strings.Contains(e.Message, c.says) {
				t.Errorf("got code %q field %q message %q\nwant code %q field %q and a message saying %q", e.Code, e.Field, e.Message, aftercare.EINVALID, c.field, c.says)
			}
		})
	}
}

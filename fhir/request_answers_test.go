package fhir

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"aftercare"
)

func TestAnswersToQuestionsSurviveTheRoundTrip(t *testing.T) {
	want, err := aftercare.DecodeRequest([]byte(`{"text": "can't lift my arm, it's too sore", "answers":
		{"symptom.one_sided_weakness": false, "hours_since": 30.5, "pain": 6, "pain.upper_arms": 7}}`))
	if err != nil {
		t.Fatal(err)
	}
	b := NewBuilder(testBase)
	data, err := json.Marshal(b.CheckInResponse(aftercare.Session{}, aftercare.CheckIn{Request: want}, testClient))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`"linkId":"answer.symptom.one_sided_weakness"`, `"valueBoolean":false`, `"valueDecimal":30.5`, `"valueInteger":7`} {
		if !strings.Contains(string(data), s) {
			t.Errorf("the response lacks %s:\n%s", s, data)
		}
	}
	got, err := b.RequestFromResponse(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %s\nwant %s", show(got), show(want))
	}
}

func TestTheCheckInQuestionnaireHasAnItemForEveryQuestion(t *testing.T) {
	q := NewBuilder(testBase).CheckInQuestionnaire()
	var group *QuestionnaireItem
	for i := range q.Item {
		if q.Item[i].LinkID == LinkAnswers {
			group = &q.Item[i]
		}
	}
	if group == nil {
		t.Fatal("no answers group")
	}
	ids := aftercare.QuestionIDs()
	if len(group.Item) != len(ids) {
		t.Fatalf("%d items, want %d", len(group.Item), len(ids))
	}
	for i, id := range ids {
		kind, _, _ := aftercare.ParseQuestionID(id)
		it := group.Item[i]
		want := map[string]string{aftercare.KindYesNo: "boolean", aftercare.KindNumber: "integer", aftercare.KindHours: "decimal"}[kind]
		if it.LinkID != AnswerLinkID(id) || it.Type != want || it.Text == "" {
			t.Errorf("item %d: %s %s %q, want %s %s", i, it.LinkID, it.Type, it.Text, AnswerLinkID(id), want)
		}
	}
}

func TestAMalformedAnswerIsRefusedNamingTheItem(t *testing.T) {
	text := `{"linkId":"text","answer":[{"valueString":"sore"}]}`
	group := func(items string) string { return `{"linkId":"answers","item":[` + items + `]}` }
	cases := []struct{ name, body, field, says string }{
		{"an unknown question", qr(text, group(`{"linkId":"answer.symptom.sad","answer":[{"valueBoolean":true}]}`)), "item[answers].item[answer.symptom.sad]", "question id"},
		{"a linkId without the answer prefix", qr(text, group(`{"linkId":"pain","answer":[{"valueInteger":3}]}`)), "item[answers].item[pain]", "answer."},
		{"a yes or no given as a number", qr(text, group(`{"linkId":"answer.symptom.numbness","answer":[{"valueInteger":1}]}`)), "item[answers].item[answer.symptom.numbness].answer", "valueBoolean"},
		{"a pain given as yes", qr(text, group(`{"linkId":"answer.pain","answer":[{"valueBoolean":true}]}`)), "item[answers].item[answer.pain].answer", "valueInteger"},
		{"a pain of 11", qr(text, group(`{"linkId":"answer.pain.neck","answer":[{"valueInteger":11}]}`)), "item[answers].item[answer.pain.neck].answer", "from 0 to 10"},
		{"hours given as an integer", qr(text, group(`{"linkId":"answer.hours_since","answer":[{"valueInteger":3}]}`)), "item[answers].item[answer.hours_since].answer", "valueDecimal"},
		{"a group with an answer of its own", qr(text, `{"linkId":"answers","answer":[{"valueBoolean":true}]}`), "item[answers].answer", "group"},
		{"an answer given twice", qr(text, group(`{"linkId":"answer.pain","answer":[{"valueInteger":3}]},{"linkId":"answer.pain","answer":[{"valueInteger":4}]}`)), "item[answers].item[answer.pain]", "twice"},
	}
	b := NewBuilder(testBase)
	for _, c := range cases {
		t.Run(c.name+" is refused", func(t *testing.T) {
			_, err := b.RequestFromResponse([]byte(c.body))
			if aftercare.ErrorCode(err) != aftercare.EINVALID {
				t.Fatalf("err %v, want invalid", err)
			}
			var e *aftercare.Error
			if !errors.As(err, &e) || e.Field != c.field || !strings.Contains(e.Message, c.says) {
				t.Errorf("field %q message %q; want field %q saying %q", e.Field, e.Message, c.field, c.says)
			}
		})
	}
}

package triage

import (
	"slices"
	"testing"

	"aftercare"
)

func assess(t *testing.T, e *Engine, req aftercare.Request) *aftercare.Response {
	t.Helper()
	resp, err := e.Assess(req, requestTime)
	if err != nil {
		t.Fatalf("%+v: %v", req, err)
	}
	return resp
}

func questionIDs(resp *aftercare.Response) []string {
	var ids []string
	for _, q := range resp.Questions {
		ids = append(ids, q.ID)
	}
	return ids
}

func TestAnUnsureMentionThatWouldChangeTheLevelIsAskedAndItsAnswerMovesTheLevel(t *testing.T) {
	e := testEngine(t)
	cases := []struct {
		name, text, id  string
		before, yes, no aftercare.Level
	}{
		{"an arm too sore to lift is asked about weakness", "I can't lift my arm above my head since the massage yesterday, it's too sore, like a 6",
			"symptom.one_sided_weakness", aftercare.Consult, aftercare.Emergency, aftercare.Consult},
		{"an arm that cannot be lifted, no pain said, counts as weak until answered", "since the neck massage this morning I can't lift my arm",
			"symptom.one_sided_weakness", aftercare.Emergency, aftercare.Emergency, aftercare.Consult},
		{"a hedge counts until answered", "massage yesterday, calves sore, and my foot is maybe a bit numb?",
			"symptom.numbness", aftercare.Consult, aftercare.Consult, aftercare.SelfCare},
		{"a figure of relaxation does not count until answered", "legs like jelly after the massage yesterday, I floated home, so relaxed",
			"symptom.leg_weakness", aftercare.SelfCare, aftercare.Urgent, aftercare.SelfCare},
		{"a comparison counts until answered", "massage yesterday and it felt like being stabbed in my shoulder",
			"symptom.sharp_pain", aftercare.Consult, aftercare.Consult, aftercare.SelfCare},
		{"numbness during the session that passed does not count until answered", "my hand went numb during the massage yesterday but it's fine now",
			"symptom.numbness", aftercare.SelfCare, aftercare.Consult, aftercare.SelfCare},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp := assess(t, e, aftercare.Request{Text: c.text})
			if resp.Level != c.before {
				t.Errorf("level %s before the answer, want %s", resp.Level, c.before)
			}
			if len(resp.Questions) == 0 || resp.Questions[0].ID != c.id {
				t.Fatalf("questions %v, want %s first", questionIDs(resp), c.id)
			}
			if q := resp.Questions[0]; q.Kind != aftercare.KindYesNo || q.Text == "" {
				t.Errorf("question %+v, want a yes_no with a text", q)
			}
			for answer, want := range map[bool]aftercare.Level{true: c.yes, false: c.no} {
				r := assess(t, e, aftercare.Request{Text: c.text, Answers: map[string]aftercare.Answer{c.id: aftercare.YesNoAnswer(answer)}})
				if r.Level != want {
					t.Errorf("answered %v: level %s, want %s", answer, r.Level, want)
				}
				if slices.Contains(questionIDs(r), c.id) {
					t.Errorf("answered %v: asked again", answer)
				}
			}
		})
	}
}

func TestAPlainlyStatedSignIsNeverAQuestion(t *testing.T) {
	e := testEngine(t)
	for _, text := range []string{
		"my face is drooping on one side", "my left arm is weak since the neck massage", "I have chest pain",
		"my speech is slurred", "both legs are weak and I wet myself",
	} {
		t.Run(text, func(t *testing.T) {
			resp := assess(t, e, aftercare.Request{Text: text})
			if resp.Level < aftercare.Urgent {
				t.Errorf("level %s, want urgent or emergency at once", resp.Level)
			}
			for _, q := range resp.Questions {
				if code, ok := cutSymptom(q.ID); ok && resp.Level >= aftercare.Urgent && symptomStated(resp, code) {
					t.Errorf("asks %s, which was stated plainly", q.ID)
				}
			}
		})
	}
}

func cutSymptom(id string) (string, bool) {
	kind, code, ok := aftercare.ParseQuestionID(id)
	return code, ok && kind == aftercare.KindYesNo
}

func symptomStated(resp *aftercare.Response, code string) bool {
	for _, f := range resp.Findings {
		if f.Type == "symptom" && f.Code == code && !f.Negated {
			return true
		}
	}
	return false
}

func TestAMissingFactThatDecidesTheLevelIsAskedAndAnswersSettleIt(t *testing.T) {
	e := testEngine(t)
	resp := assess(t, e, aftercare.Request{Text: "my calves are sore after the massage"})
	ids := questionIDs(resp)
	if !slices.Contains(ids, aftercare.QuestionHoursSince) || !slices.Contains(ids, aftercare.QuestionPain) {
		t.Fatalf("questions %v, want hours_since and pain", ids)
	}
	late := assess(t, e, aftercare.Request{Text: "my calves are sore after the massage",
		Answers: map[string]aftercare.Answer{aftercare.QuestionHoursSince: aftercare.NumberAnswer(100)}})
	if late.Level != aftercare.Consult {
		t.Errorf("sore 100 hours after: %s, want consult", late.Level)
	}
	bad := assess(t, e, aftercare.Request{Text: "my calves are sore after the massage yesterday",
		Answers: map[string]aftercare.Answer{aftercare.PainQuestion("calves"): aftercare.NumberAnswer(9)}})
	if bad.Level != aftercare.Consult {
		t.Errorf("calves at 9/10: %s, want consult", bad.Level)
	}
	known := assess(t, e, aftercare.Request{Text: "my calves are sore, 3/10, since the massage yesterday"})
	if len(known.Questions) != 0 {
		t.Errorf("all known: asks %v", questionIDs(known))
	}
}

func TestQuestionsComeMostSeriousFirst(t *testing.T) {
	e := testEngine(t)
	resp := assess(t, e, aftercare.Request{Text: "I can't lift my arm, it's so sore, and maybe my left calf is a bit swollen?"})
	ids := questionIDs(resp)
	if len(ids) < 2 || ids[0] != "symptom.one_sided_weakness" {
		t.Fatalf("questions %v, want the weakness (an emergency) first", ids)
	}
	if len(ids) > maxQuestions {
		t.Errorf("%d questions, at most %d", len(ids), maxQuestions)
	}
}

package fhir

import (
	"testing"

	"aftercare"
)

func itemByLink(items []QuestionnaireItem, linkID string) *QuestionnaireItem {
	for i := range items {
		if items[i].LinkID == linkID {
			return &items[i]
		}
	}
	return nil
}

func TestTheCheckInQuestionnaire(t *testing.T) {
	b := NewBuilder("https://aftercare.example/")
	q := b.CheckInQuestionnaire()
	choices := []struct {
		linkID, system string
		vocab          *aftercare.Vocabulary
		repeats        bool
	}{
		{LinkStyle, "https://aftercare.example/codes/style", aftercare.Styles, false},
		{LinkPressure, "https://aftercare.example/codes/pressure", aftercare.Pressures, false},
		{LinkAreasWorked, "https://aftercare.example/codes/area", aftercare.Areas, true},
		{LinkSoreness, "https://aftercare.example/codes/area", aftercare.Areas, true},
		{LinkSymptoms, "https://aftercare.example/codes/symptom", aftercare.Symptoms, true},
		{LinkHealth, "https://aftercare.example/codes/health", aftercare.Health, true},
	}
	t.Run("it is active under its canonical URL", func(t *testing.T) {
		if q.URL != "https://aftercare.example/fhir/Questionnaire/aftercare-checkin" || q.Status != "active" || q.ID != CheckInQuestionnaireID {
			t.Errorf("url %q status %q id %q", q.URL, q.Status, q.ID)
		}
	})
	for _, c := range choices {
		t.Run("the "+c.linkID+" item offers every code of the contract, in order", func(t *testing.T) {
			it := itemByLink(q.Item, c.linkID)
			if it == nil {
				t.Fatalf("no item %s", c.linkID)
			}
			if it.Type != "choice" || it.Repeats != c.repeats {
				t.Errorf("type %q repeats %v", it.Type, it.Repeats)
			}
			if len(it.Code) != 1 || it.Code[0].System != "https://aftercare.example/codes/field" || it.Code[0].Code != c.linkID {
				t.Errorf("code %+v", it.Code)
			}
			codes := c.vocab.Codes()
			if len(it.AnswerOption) != len(codes) {
				t.Fatalf("%d options, want %d", len(it.AnswerOption), len(codes))
			}
			for i, o := range it.AnswerOption {
				want := Coding{System: c.system, Code: codes[i].Code, Display: codes[i].Label}
				if o.ValueCoding != want {
					t.Errorf("option %d is %+v, want %+v", i, o.ValueCoding, want)
				}
			}
		})
	}
	for _, a := range aftercare.Areas.Codes() {
		t.Run("the pain item of "+a.Code+" is a 0–10 integer shown when the area hurts", func(t *testing.T) {
			it := itemByLink(q.Item, "pain_"+a.Code)
			if it == nil {
				t.Fatal("missing")
			}
			if it.Type != "integer" || !it.Required {
				t.Errorf("type %q required %v", it.Type, it.Required)
			}
			if len(it.EnableWhen) != 1 {
				t.Fatalf("enableWhen %+v", it.EnableWhen)
			}
			ew := it.EnableWhen[0]
			if ew.Question != LinkSoreness || ew.Operator != "=" || ew.AnswerCoding == nil ||
				ew.AnswerCoding.Code != a.Code || ew.AnswerCoding.System != "https://aftercare.example/codes/area" {
				t.Errorf("enableWhen %+v %+v", ew, ew.AnswerCoding)
			}
			if it.Code[0].System != SystemLOINC || it.Code[0].Code != "72514-3" {
				t.Errorf("code %+v", it.Code)
			}
			var min, max *int
			for _, e := range it.Extension {
				switch e.URL {
				case ExtMinValue:
					min = e.ValueInteger
				case ExtMaxValue:
					max = e.ValueInteger
				}
			}
			if min == nil || *min != 0 || max == nil || *max != 10 {
				t.Errorf("range extensions %+v", it.Extension)
			}
		})
	}
	t.Run("hours since is a decimal and the text is free text", func(t *testing.T) {
		if it := itemByLink(q.Item, LinkHoursSince); it == nil || it.Type != "decimal" {
			t.Errorf("hours_since %+v", it)
		}
		if it := itemByLink(q.Item, LinkText); it == nil || it.Type != "text" || it.MaxLength != aftercare.MaxTextBytes {
			t.Errorf("text %+v", it)
		}
	})
	t.Run("every link id is unique", func(t *testing.T) {
		seen := map[string]bool{}
		var walk func([]QuestionnaireItem)
		walk = func(items []QuestionnaireItem) {
			for _, it := range items {
				if seen[it.LinkID] {
					t.Errorf("link id %s twice", it.LinkID)
				}
				seen[it.LinkID] = true
				walk(it.Item)
			}
		}
		walk(q.Item)
	})
}

func TestTheScreeningQuestionnaireAsksEveryHealthQuestion(t *testing.T) {
	q := NewBuilder(testBase).ScreeningQuestionnaire()
	it := itemByLink(q.Item, LinkHealth)
	if q.Status != "active" || q.URL != testBase+"/fhir/Questionnaire/aftercare-screening" {
		t.Errorf("status %q url %q", q.Status, q.URL)
	}
	if it == nil || len(it.AnswerOption) != len(aftercare.Health.Codes()) {
		t.Fatalf("health item %+v", it)
	}
	if notes := itemByLink(q.Item, LinkNotes); notes == nil || notes.Type != "text" {
		t.Errorf("notes item %+v", notes)
	}
}

func TestTheCodeSystemsHoldEveryCode(t *testing.T) {
	b := NewBuilder(testBase)
	sizes := map[string]int{
		CodesStyle: len(aftercare.Styles.Codes()), CodesPressure: len(aftercare.Pressures.Codes()),
		CodesArea: len(aftercare.Areas.Codes()), CodesSymptom: len(aftercare.Symptoms.Codes()),
		CodesHealth: len(aftercare.Health.Codes()), CodesLevel: len(aftercare.Levels), CodesField: len(fields),
	}
	for _, cs := range b.CodeSystems() {
		t.Run(cs.URL+" is complete", func(t *testing.T) {
			name := cs.URL[len(testBase+"/codes/"):]
			if len(cs.Concept) != sizes[name] || cs.Count != sizes[name] || cs.Content != "complete" {
				t.Errorf("%d concepts (count %d, content %s), want %d", len(cs.Concept), cs.Count, cs.Content, sizes[name])
			}
		})
	}
}

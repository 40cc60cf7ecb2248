package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"aftercare"
)

// figure is a figure of speech the reader cannot be sure of: is the pain
// sharp now, or was it only like being stabbed?
const figure = "it felt like being stabbed in my back, massage yesterday"

var hiddenField = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)

// questionForm returns the fields the question screen of body posts as they
// are: its hidden inputs.
func questionForm(t *testing.T, body string) url.Values {
	t.Helper()
	i := strings.Index(body, `class="questions-form"`)
	if i < 0 {
		t.Fatalf("no question screen: %.2000s", body)
	}
	v := url.Values{}
	for _, m := range hiddenField.FindAllStringSubmatch(body[i:], -1) {
		v.Add(html.UnescapeString(m[1]), html.UnescapeString(m[2]))
	}
	return v
}

func isQuestionScreen(p page) bool {
	return strings.Contains(p.body, "Before we answer, a quick question so we don't get this wrong") && p.level() == ""
}

func TestTheSelfCheckAsksBeforeItAnswers(t *testing.T) {
	s := newSite(t, "999")
	first := s.post(t, "/check", url.Values{"key": {"k_" + strings.Repeat("A", 43)}, "text": {figure}, "pain_lower_back": {"5"}})
	t.Run("a figure of speech gets the question screen, not the answer", func(t *testing.T) {
		if first.status != 200 || !isQuestionScreen(first) {
			t.Fatalf("status %d level %q: %.2000s", first.status, first.level(), first.body)
		}
		for _, want := range []string{`data-question="symptom.sharp_pain"`, `name="answer.symptom.sharp_pain" value="yes"`, `name="answer.symptom.sharp_pain" value="no"`, "I'm not sure"} {
			if !strings.Contains(first.body, want) {
				t.Errorf("the question screen lacks %s", want)
			}
		}
		if strings.Contains(first.body, `class="emergency-banner"`) {
			t.Error("the question screen shows the emergency banner")
		}
	})
	t.Run("the question screen carries every field already sent", func(t *testing.T) {
		v := questionForm(t, first.body)
		if v.Get("text") != figure || v.Get("pain_lower_back") != "5" || v.Get("key") != "k_"+strings.Repeat("A", 43) || v.Get("asked") != "1" {
			t.Errorf("the hidden fields are %v", v)
		}
	})
	answers := []struct {
		name, answer, level string
	}{
		{"a yes to sharp pain keeps the answer at consult", "yes", "consult"},
		{"a no to sharp pain brings the answer down to self care", "no", "self_care"},
		{"I'm not sure grades what is known, and asks nothing more", "", "consult"},
	}
	for _, tt := range answers {
		t.Run(tt.name, func(t *testing.T) {
			v := questionForm(t, first.body)
			v.Set("answer.symptom.sharp_pain", tt.answer)
			p := s.post(t, "/check", v)
			if p.status != 200 || p.level() != tt.level {
				t.Fatalf("status %d level %q, want %s: %.2000s", p.status, p.level(), tt.level, p.body)
			}
			if strings.Contains(p.body, `class="questions-form"`) {
				t.Error("the answer asks again")
			}
		})
	}
	t.Run("a plainly stated sign is an emergency at once, with no question screen", func(t *testing.T) {
		p := s.post(t, "/check", url.Values{"text": {"my face is drooping"}})
		if p.status != 200 || p.level() != "emergency" || isQuestionScreen(p) || !strings.Contains(p.body, `class="emergency-banner"`) {
			t.Errorf("status %d level %q: %.1500s", p.status, p.level(), p.body)
		}
	})
	t.Run("an emergency is shown at once, with its question below it", func(t *testing.T) {
		p := s.post(t, "/check", url.Values{"text": {"I can't lift my arm"}})
		if p.status != 200 || p.level() != "emergency" || isQuestionScreen(p) {
			t.Fatalf("status %d level %q: %.1500s", p.status, p.level(), p.body)
		}
		i, j := strings.Index(p.body, `<section class="answer`), strings.Index(p.body, `class="questions below"`)
		if i < 0 || j < i || !strings.Contains(p.body, `data-question="symptom.one_sided_weakness"`) {
			t.Errorf("the question is not below the answer (answer at %d, questions at %d)", i, j)
		}
		v := questionForm(t, p.body)
		v.Set("answer.symptom.one_sided_weakness", "no")
		if again := s.post(t, "/check", v); again.level() == "" || strings.Contains(again.body, `class="questions-form"`) {
			t.Errorf("the answered question: level %q", again.level())
		}
	})
	bad := []struct {
		name, field, value, says string
		beside                   bool
	}{
		{"an answer that is not yes or no is refused beside its question", "answer.symptom.sharp_pain", "maybe", "Answer yes, no or I'm not sure", true},
		{"an unknown question is refused", "answer.symptom.flying", "yes", "is not a question we ask", false},
		{"an id of no kind is refused", "answer.colour", "yes", "is not a question we ask", false},
		{"a pain answer out of range is refused", "answer.pain", "12", "answer.pain", false},
		{"a pain answer that is not a number is refused", "answer.pain", "lots", "whole number from 0 to 10", false},
		{"hours that are not a number are refused", "answer.hours_since", "yesterday", "hours as a number", false},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			v := questionForm(t, first.body)
			v.Set(tt.field, tt.value)
			p := s.post(t, "/check", v)
			if p.status != http.StatusBadRequest || p.level() != "" {
				t.Fatalf("status %d level %q", p.status, p.level())
			}
			if !strings.Contains(html.UnescapeString(p.body), tt.says) {
				t.Errorf("the page does not say %q: %.2500s", tt.says, p.body)
			}
			if !isQuestionScreen(p) {
				t.Error("the question screen is not shown again")
			}
			if tt.beside && !strings.Contains(p.body, `<p class="field-error" id="err-q-symptom-sharp_pain">`) {
				t.Error("the error is not beside its question")
			}
		})
	}
}

func TestTheCheckInPageAsksBeforeItStores(t *testing.T) {
	s := newSite(t, "")
	ctx := context.Background()
	ended := s.now().Add(-20 * time.Hour)
	sess := &aftercare.Session{Style: "swedish", Pressure: "medium", EndedAt: ended, LinkExpiresAt: ended.Add(14 * 24 * time.Hour)}
	clinic, token := s.clientSession(t, sess)
	stored := func(t *testing.T) []aftercare.CheckIn {
		t.Helper()
		got, err := s.store.FindSession(ctx, clinic.ID, sess.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.CheckIns
	}
	post := func(t *testing.T, v url.Values) page {
		t.Helper()
		resp, err := noRedirect(s.srv.Client()).PostForm(s.srv.URL+"/c/"+token, v)
		if err != nil {
			t.Fatal(err)
		}
		return read(t, resp)
	}

	key := formKeyOf(t, s.get(t, "/c/"+token).body)
	v := url.Values{"key": {key}, "text": {figure}, "pain_lower_back": {"5"}}
	var screen page
	t.Run("a figure of speech gets the question screen, and nothing is stored yet", func(t *testing.T) {
		for range 2 {
			screen = post(t, v)
			if screen.status != 200 || !isQuestionScreen(screen) {
				t.Fatalf("status %d level %q: %.2000s", screen.status, screen.level(), screen.body)
			}
		}
		if n := len(stored(t)); n != 0 {
			t.Errorf("%d check-ins stored before the questions were answered", n)
		}
		if !strings.Contains(screen.body, "Send my check-in") || questionForm(t, screen.body).Get("key") != key {
			t.Error("the question screen does not send the check-in under the form's key")
		}
	})
	t.Run("the answered check-in is stored once, with its answer, however often it is sent", func(t *testing.T) {
		a := questionForm(t, screen.body)
		a.Set("answer.symptom.sharp_pain", "no")
		var to []string
		for range 2 {
			p := post(t, a)
			if p.status != http.StatusSeeOther {
				t.Fatalf("status %d, want 303: %.1500s", p.status, p.body)
			}
			to = append(to, p.header.Get("Location"))
		}
		if to[0] != to[1] {
			t.Errorf("the two posts lead to %q", to)
		}
		cs := stored(t)
		if len(cs) != 1 {
			t.Fatalf("%d check-ins stored, want 1", len(cs))
		}
		if yes, ok := cs[0].Request.Answers["symptom.sharp_pain"].YesNo(); !ok || yes {
			t.Errorf("the stored answers are %v", cs[0].Request.Answers)
		}
		for range 2 {
			answer := s.get(t, to[0])
			// Without the sharp pain the answer is below consult (the pain of 5 a day after may be watched).
			if l := answer.level(); answer.status != 200 || l != "self_care" && l != "monitor" || !strings.Contains(answer.body, "sent to your therapist") {
				t.Errorf("the answer: status %d level %q", answer.status, l)
			}
		}
		if n := len(stored(t)); n != 1 {
			t.Errorf("%d check-ins after reloading the answer, want 1", n)
		}
	})
	t.Run("a bad answer is refused and stores nothing", func(t *testing.T) {
		a := questionForm(t, screen.body)
		a.Set("answer.symptom.sharp_pain", "perhaps")
		a.Set("key", formKeyOf(t, s.get(t, "/c/"+token).body))
		p := post(t, a)
		if p.status != http.StatusBadRequest || !isQuestionScreen(p) || !strings.Contains(p.body, `id="err-q-symptom-sharp_pain"`) {
			t.Errorf("status %d: %.2000s", p.status, p.body)
		}
		if n := len(stored(t)); n != 1 {
			t.Errorf("%d check-ins, want 1", n)
		}
	})
	t.Run("a plainly stated sign is stored and shown at once as an emergency", func(t *testing.T) {
		p := post(t, url.Values{"key": {formKeyOf(t, s.get(t, "/c/"+token).body)}, "text": {"my face is drooping"}})
		if p.status != http.StatusSeeOther {
			t.Fatalf("status %d, want 303 at once: %.1500s", p.status, p.body)
		}
		answer := s.get(t, p.header.Get("Location"))
		if answer.level() != "emergency" || !strings.Contains(answer.body, `href="tel:112"`) {
			t.Errorf("level %q", answer.level())
		}
		if n := len(stored(t)); n != 2 {
			t.Errorf("%d check-ins, want 2", n)
		}
	})
	t.Run("an emergency with a question is stored at once, and the question is asked below the answer", func(t *testing.T) {
		p := post(t, url.Values{"key": {formKeyOf(t, s.get(t, "/c/"+token).body)}, "text": {"I can't lift my arm"}})
		if p.status != http.StatusSeeOther {
			t.Fatalf("status %d, want 303 at once: %.1500s", p.status, p.body)
		}
		if n := len(stored(t)); n != 3 {
			t.Errorf("%d check-ins, want 3", n)
		}
		answer := s.get(t, p.header.Get("Location"))
		if answer.level() != "emergency" || !strings.Contains(answer.body, `class="questions below"`) {
			t.Fatalf("level %q: %.2000s", answer.level(), answer.body)
		}
		v := questionForm(t, answer.body)
		if v.Get("text") != "I can't lift my arm" || v.Get("key") == "" {
			t.Errorf("the question below carries %v", v)
		}
		v.Set("answer.symptom.one_sided_weakness", "yes")
		if again := post(t, v); again.status != http.StatusSeeOther {
			t.Errorf("the answered question: status %d", again.status)
		}
		cs := stored(t)
		if len(cs) != 4 || len(cs[3].Request.Answers) != 1 {
			t.Errorf("%d check-ins, the last with answers %v", len(cs), cs[len(cs)-1].Request.Answers)
		}
	})
}

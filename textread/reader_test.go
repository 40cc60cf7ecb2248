package textread

import (
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"aftercare"
)

var (
	wednesday4pm = time.Date(2026, 1, 14, 16, 0, 0, 0, time.UTC)
	wednesday6am = time.Date(2026, 1, 14, 6, 0, 0, 0, time.UTC)
	wednesday8am = time.Date(2026, 1, 14, 8, 0, 0, 0, time.UTC)
	sunday4pm    = time.Date(2026, 1, 18, 16, 0, 0, 0, time.UTC)
	monday4pm    = time.Date(2026, 1, 19, 16, 0, 0, 0, time.UTC)
)

// valueOf returns the value of the finding of type typ, and whether it is negated.
func valueOf(fs []aftercare.Finding, typ string) (float64, bool, bool) {
	for _, f := range fs {
		if f.Type == typ {
			return *f.Value, f.Negated, true
		}
	}
	return 0, false, false
}

func TestTimeSinceTheSession(t *testing.T) {
	cases := []struct {
		name, text string
		at         time.Time
		want       float64 // -1: no time finding
	}{
		{"yesterday is a day ago", "Massage yesterday, calves sore.", wednesday4pm, 24},
		{"last night counts from nine the evening before", "Had a massage last night.", wednesday4pm, 19},
		{"last night is at least twelve hours ago", "Had a massage last night.", wednesday6am, 12},
		{"this morning counts from nine", "Massage this morning.", wednesday4pm, 7},
		{"this morning is at least an hour ago", "Massage this morning.", wednesday8am, 1},
		{"this afternoon counts from two", "Massage this afternoon.", wednesday4pm, 2},
		{"yesterday morning counts from nine the day before", "Massage yesterday morning.", wednesday4pm, 31},
		{"two days ago is 48 hours", "My massage was two days ago.", wednesday4pm, 48},
		{"digits work as words do", "My massage was 2 days ago.", wednesday4pm, 48},
		{"the day before yesterday is 48 hours", "Massage the day before yesterday.", wednesday4pm, 48},
		{"three days later is 72 hours", "Three days later I'm still sore.", wednesday4pm, 72},
		{"a week later is 168 hours", "A week later my shoulder aches.", wednesday4pm, 168},
		{"a week ago is 168 hours", "Massage a week ago.", wednesday4pm, 168},
		{"last week is about a week", "Massage last week.", wednesday4pm, 168},
		{"hours ago are hours", "Massage 6 hours ago.", wednesday4pm, 6},
		{"an hour ago is one hour", "Massage an hour ago.", wednesday4pm, 1},
		{"half an hour ago is half an hour", "Massage half an hour ago.", wednesday4pm, 0.5},
		{"forty eight hours after is 48", "Forty eight hours after the massage I'm sore.", wednesday4pm, 48},
		{"a couple of days is two", "It's been a couple of days since my massage.", wednesday4pm, 48},
		{"on Monday counts back to Monday", "Massage on Monday.", wednesday4pm, 48},
		{"since Tuesday counts back to Tuesday", "Sore since Tuesday.", wednesday4pm, 24},
		{"today's weekday is a week back", "Massage on Wednesday.", wednesday4pm, 168},
		{"last Tuesday on a Wednesday is the week before", "Massage last Tuesday.", wednesday4pm, 192},
		{"short weekday names need on or since", "Massage on Tue.", wednesday4pm, 24},
		{"at the weekend counts back to Saturday", "Massage at the weekend.", wednesday4pm, 96},
		{"at the weekend on a Sunday is yesterday", "Massage at the weekend.", sunday4pm, 24},
		{"at the weekend on a Monday is two days back", "Massage at the weekend.", monday4pm, 48},
		{"the day after is a day", "The day after the massage my back was stiff.", wednesday4pm, 24},
		{"the largest time is the session", "Massage on Monday, numb since this morning.", wednesday4pm, 48},
		{"a clause about the massage wins over a larger one about the symptom", "Numb since Sunday, after a massage yesterday.", wednesday4pm, 24},
		{"a health condition's time is not the session", "I sprained my ankle last week.", wednesday4pm, -1},
		{"today alone is now, not the session", "My neck hurts today.", wednesday4pm, -1},
		{"a massage today was a few hours ago", "Had a massage today.", wednesday4pm, 3},
		{"a future time is not the session", "Massage in 2 days.", wednesday4pm, -1},
		{"how long a symptom lasted is not the session", "The tingling stopped after a few hours.", wednesday4pm, -1},
		{"weeks of pregnancy are not a time", "I'm 20 weeks pregnant.", wednesday4pm, -1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs := Default().Read(c.text, c.at)
			got, _, ok := valueOf(fs, "time")
			switch {
			case c.want < 0 && ok:
				t.Errorf("%q: time %v, want none (%s)", c.text, got, describe(fs))
			case c.want >= 0 && (!ok || got != c.want):
				t.Errorf("%q: time %v (found %v), want %v (%s)", c.text, got, ok, c.want, describe(fs))
			}
		})
	}
}

func TestPainScore(t *testing.T) {
	cases := []struct {
		name, text string
		want       float64 // -1: no pain finding
		past       bool
	}{
		{"a score out of ten is read", "My calf is 4/10.", 4, false},
		{"spaced slashes are read", "pain 4 / 10", 4, false},
		{"out of 10 is read", "4 out of 10 in my neck.", 4, false},
		{"out of ten in words is read", "Seven out of ten.", 7, false},
		{"a bare a-number is read when it ends the sentence", "It's a 4.", 4, false},
		{"about a four is read", "My back is sore, about a four.", 4, false},
		{"pain is N is read", "Pain is 6 today.", 6, false},
		{"level N is read", "Level 3 soreness.", 3, false},
		{"I'd rate it is read", "I'd rate it a 5.", 5, false},
		{"out of five is doubled", "It's a 3 out of 5.", 6, false},
		{"a range takes its top", "Pain 6-7/10.", 7, false},
		{"a range in words takes its top", "My glutes are sore, maybe 5 or 6.", 6, false},
		{"halves round up", "About 6.5/10.", 7, false},
		{"mild is the middle of the mild band", "Mild pain in my neck.", 2, false},
		{"a bit sore is mild", "A bit sore.", 2, false},
		{"moderate is the middle of the moderate band", "Moderate pain in my back.", 5, false},
		{"really sore is moderate", "Really sore hamstrings.", 5, false},
		{"severe is the bottom of the severe band", "Severe pain in my calf.", 7, false},
		{"excruciating is severe", "The pain is excruciating.", 7, false},
		{"unbearable is severe", "It's unbearable.", 7, false},
		{"no pain at all is zero", "No pain at all, just stiff.", 0, false},
		{"a number beats a word", "Really bad, about 4/10.", 4, false},
		{"the highest current score wins", "Neck 3/10, lower back 6/10.", 6, false},
		{"the present beats the past", "It was 8/10 yesterday but today it's a 3.", 3, false},
		{"a fall is read at its end", "Went from a 7 down to a 4.", 4, false},
		{"a past score alone is historical", "It was 8/10 yesterday.", 8, true},
		{"a plain was is the present when it is all there is", "The pain was about 5/10.", 5, false},
		{"not severe is not a score", "The pain is not severe.", -1, false},
		{"a hypothetical score is not a score", "If it gets to 8/10 should I worry?", -1, false},
		{"doses are not scores", "Took 2 ibuprofen for it.", -1, false},
		{"weeks of pregnancy are not scores", "I'm about 9 weeks pregnant.", -1, false},
		{"ages are not scores", "I'm 45 and my back aches.", -1, false},
		{"times are not scores", "Massage 2 days ago, sore.", -1, false},
		{"a headache is not a body score", "Just a bit of a headache.", -1, false},
		{"a dark bruise is not a pain word", "Really bad bruise on my thigh.", -1, false},
		{"temperatures are not scores", "Temperature of 38.5 and sore.", -1, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs := Default().Read(c.text, wednesday4pm)
			got, neg, ok := valueOf(fs, "pain")
			switch {
			case c.want < 0 && ok:
				t.Errorf("%q: pain %v, want none (%s)", c.text, got, describe(fs))
			case c.want >= 0 && (!ok || got != c.want || neg != c.past):
				t.Errorf("%q: pain %v negated %v (found %v), want %v negated %v (%s)", c.text, got, neg, ok, c.want, c.past, describe(fs))
			}
		})
	}
}

func TestBandsSetWhatPainWordsAreWorth(t *testing.T) {
	r := New(nil, Bands{Mild: [2]int{0, 2}, Moderate: [2]int{3, 5}, Severe: [2]int{8, 10}})
	for text, want := range map[string]float64{"A bit sore.": 1, "Moderate pain.": 4, "Excruciating.": 8} {
		if got, _, _ := valueOf(r.Read(text, wednesday4pm), "pain"); got != want {
			t.Errorf("%q with custom bands: pain %v, want %v", text, got, want)
		}
	}
	for _, bad := range []Bands{{}, {Mild: [2]int{1, 5}, Moderate: [2]int{4, 6}, Severe: [2]int{7, 10}}, {Mild: [2]int{1, 3}, Moderate: [2]int{4, 6}, Severe: [2]int{7, 11}}} {
		if got := New(nil, bad).bands; got != DefaultBands() {
			t.Errorf("New with bands %v keeps %v, want the default bands", bad, got)
		}
	}
}

func TestContextsOfFindings(t *testing.T) {
	cases := []struct {
		name, text, item, context string // context "" means present
	}{
		{"no negates what follows", "No numbness.", "symptom:numbness", "negated"},
		{"a list is negated whole", "No numbness, tingling or swelling.", "symptom:swelling", "negated"},
		{"nothing sharp negates sharp pain", "Sore glutes, nothing sharp.", "symptom:sharp_pain", "negated"},
		{"is gone negates what comes before", "The numbness is gone.", "symptom:numbness", "negated"},
		{"gone numb is not gone", "My fingers have gone numb.", "symptom:numbness", ""},
		{"but ends a negation", "No numbness but my fingers tingle.", "symptom:tingling", ""},
		{"a pseudo-negation negates nothing", "No increase in swelling.", "symptom:swelling", ""},
		{"not sure if is not a negation", "Not sure if it's swollen.", "symptom:swelling", ""},
		{"hasn't gone away is still there", "The tingling hasn't gone away.", "symptom:tingling", ""},
		{"if makes a possibility", "If it swells should I ice it?", "symptom:swelling", "hypothetical"},
		{"should I worry about a clot is a possibility", "Should I worry about a clot?", "health:dvt_history", "hypothetical"},
		{"should I worry about the bruising is about a real bruise", "Should I worry about the bruising?", "symptom:bruising_light", ""},
		{"an old episode is historical", "I had numbness last year.", "symptom:numbness", "historical"},
		{"a past clot is a present risk", "I had a DVT years ago.", "health:dvt_history", ""},
		{"a history of clots is a present risk", "History of blood clots.", "health:dvt_history", ""},
		{"no history of clots is no risk", "No history of blood clots.", "health:dvt_history", "negated"},
		{"another person's clot is not the client's", "My mum had a DVT.", "health:dvt_history", "historical"},
		{"another person's report of the client's symptom is the client's", "My husband says my face is drooping.", "symptom:facial_droop", ""},
		{"being on warfarin is taking blood thinners", "I'm on warfarin.", "health:blood_thinners", ""},
		{"having used warfarin is historical", "I used to take warfarin.", "health:blood_thinners", "historical"},
		{"a past symptom stays past across and", "I had a massage last year and bruised badly.", "symptom:bruising_dark", "historical"},
		{"a new present clause is not past", "I had a DVT years ago and now my calf is swollen.", "symptom:calf_swelling", ""},
		{"the subject of a negation is negated", "My calf isn't swollen.", "area:calves", "negated"},
		{"a sore area beside a negation is present", "Pain in my calf with no swelling.", "area:calves", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs := Default().Read(c.text, wednesday4pm)
			for _, f := range fs {
				if item(f) == c.item {
					if f.Context != c.context || f.Negated != (c.context != "") {
						t.Errorf("%q: %s read with context %q, want %q (%s)", c.text, c.item, f.Context, c.context, describe(fs))
					}
					return
				}
			}
			t.Errorf("%q: %s not read (%s)", c.text, c.item, describe(fs))
		})
	}
}

func TestNegatedFindingsSpanTheirTrigger(t *testing.T) {
	text := "my lower back aches, no numbness"
	for _, f := range Default().Read(text, wednesday4pm) {
		if f.Code == "numbness" {
			if f.Start != 21 || f.End != 32 || f.Text != "no numbness" || !f.Negated || f.Context != "negated" {
				t.Errorf("numbness read as %+v, want \"no numbness\" at 21-32, negated", f)
			}
			return
		}
	}
	t.Error("numbness not read")
}

func TestReadKeepsTheTextsOrderAndBytes(t *testing.T) {
	text := "Ich bin müde — “calf’s” swollen, can’t feel my toes, 5/10 😣 since Tuesday"
	fs := Default().Read(text, wednesday4pm)
	if msg := checkFindings(text, fs); msg != "" {
		t.Fatal(msg)
	}
	want := []string{"area:calves", "symptom:calf_swelling", "symptom:numbness", "area:feet", "pain:", "time:"}
	var got []string
	for _, f := range fs {
		got = append(got, item(f))
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v (%s)", got, want, describe(fs))
	}
}

func TestReadIsSafeForConcurrentUse(t *testing.T) {
	texts := []string{
		"My calves are sore after the sports massage yesterday, about 3/10, no swelling.",
		"I can't breathe properly and my chest hurts.",
		"No numbness, tingling or swelling; should I worry about a clot?",
		"I had a DVT years ago and I'm on warfarin, pain 6/10 since Tuesday.",
	}
	r := Default()
	want := make([]string, len(texts))
	for i, s := range texts {
		want[i] = describe(r.Read(s, wednesday4pm))
	}
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for k := 0; k < 50; k++ {
				i := (g + k) % len(texts)
				if got := describe(r.Read(texts[i], wednesday4pm)); got != want[i] {
					errs <- fmt.Sprintf("goroutine %d read %q as %s, want %s", g, texts[i], got, want[i])
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func TestEmptyTextHasNoFindings(t *testing.T) {
	for _, s := range []string{"", "   ", "...!?", "😀"} {
		if fs := Default().Read(s, wednesday4pm); len(fs) != 0 {
			t.Errorf("%q: %s, want nothing", s, describe(fs))
		}
	}
}

package triage

import (
	"fmt"
	"testing"

	"aftercare"
)

// The properties of the reading that safety rests on, checked over messages
// generated from a few bases, red-flag mentions and ways of saying them.

// propBases are the rest of a message a mention is put into.
var propBases = []string{
	"Had a deep tissue massage yesterday, my calves are sore, about 3/10.",
	"sports massage this morning on my legs, quads ache a bit",
	"My neck and shoulders were massaged two days ago and they're still tender, maybe a 4.",
	"Swedish massage on Monday. Lower back feels ok, slightly stiff.",
}

// propFlags are red-flag mentions, each a noun phrase as it can follow "no",
// "my mum had" or "what if I get".
var propFlags = []string{
	"chest pain", "a drooping face", "slurred speech", "weakness in one arm", "numbness in my groin",
	"a swollen left calf", "dark urine", "shortness of breath", "a sudden severe headache", "blurred vision",
	"numbness", "tingling", "swelling", "dark bruising",
}

// wrappers put a mention somewhere it does not count for the client now.
var wrappers = []struct{ name, format string }{
	{"negated", "No %s."},
	{"negated in a list", "I don't have any %s at all."},
	{"denied", "There's no sign of %s."},
	{"someone else's", "My mum had %s years ago."},
	{"a friend's", "A friend of mine once had %s."},
	{"hypothetical", "What if I get %s?"},
	{"feared", "Should I worry about %s?"},
	{"long past", "I had %s years ago, long gone."},
}

func levelOf(t *testing.T, e *Engine, text string) aftercare.Level {
	t.Helper()
	resp, err := e.Assess(aftercare.Request{Text: text}, requestTime)
	if err != nil {
		t.Fatalf("%q: %v", text, err)
	}
	return resp.Level
}

func TestANegatedPastOrOtherPersonsRedFlagNeverRaisesTheLevel(t *testing.T) {
	e := testEngine(t)
	for _, base := range propBases {
		plain := levelOf(t, e, base)
		for _, flag := range propFlags {
			for _, w := range wrappers {
				text := base + " " + fmt.Sprintf(w.format, flag)
				t.Run(fmt.Sprintf("%s %q stays at or below %s", w.name, flag, plain), func(t *testing.T) {
					if got := levelOf(t, e, text); got > plain {
						t.Errorf("%q: %s, above the message without it (%s)", text, got, plain)
					}
				})
			}
		}
	}
}

func TestAPainThatRoseNowNeverLowersTheLevel(t *testing.T) {
	e := testEngine(t)
	for _, base := range propBases {
		for _, then := range []string{"It was 2.", "it was a 2 yesterday.", "Pain was 2 this morning."} {
			before := levelOf(t, e, base+" "+then)
			for _, now := range []string{" Now 7/10.", " now it's a 7", " Today 7 out of 10."} {
				text := base + " " + then + now
				t.Run(fmt.Sprintf("%q never grades below %q", text, then), func(t *testing.T) {
					if got := levelOf(t, e, text); got < before {
						t.Errorf("%q: %s, below %s without the rise", text, got, before)
					}
				})
			}
		}
	}
}

func TestAPlainStrokeSignIsAnEmergencyInAnyWording(t *testing.T) {
	e := testEngine(t)
	signs := []string{
		"my face is drooping on one side", "the left side of my face has dropped", "my smile is lopsided",
		"my speech is slurred", "I can't get my words out", "my words are coming out wrong",
		"my left arm is weak", "my right arm went weak and heavy", "weakness down my left side",
		"I can't lift my left arm at all", "the worst headache of my life came on suddenly",
		"face droopy on the right", "talking funny, slurring", "one side of my body feels weak",
	}
	lead := []string{"", "Had a neck massage yesterday and now ", "since my massage this morning ", "Help, "}
	for _, s := range signs {
		for _, l := range lead {
			text := l + s
			t.Run(fmt.Sprintf("%q is an emergency", text), func(t *testing.T) {
				if got := levelOf(t, e, text); got != aftercare.Emergency {
					t.Errorf("%q: %s, want emergency", text, got)
				}
			})
		}
	}
}

func TestSorenessThatOutlastsThreeDaysCountsWithOrWithoutAPlace(t *testing.T) {
	e := testEngine(t)
	for text, want := range map[string]aftercare.Level{
		"still sore four days after the massage":      aftercare.Consult,
		"I'm achy everywhere, massage was 5 days ago": aftercare.Consult,
		"not sore at all now, massage was 5 days ago": aftercare.SelfCare,
		"massage was 5 days ago, no soreness now":     aftercare.SelfCare,
		"still sore from yesterday's massage":         aftercare.SelfCare,
	} {
		t.Run(fmt.Sprintf("%q is %s", text, want), func(t *testing.T) {
			if got := levelOf(t, e, text); got != want {
				t.Errorf("%s, want %s", got, want)
			}
		})
	}
}

func TestDaysAfterTheSessionAPlaceIsSoreOnlyWhenTheMessageSaysItHurts(t *testing.T) {
	cases := []textLevel{
		{"Last week he spent the whole hour on my legs with his elbows, it was a proper workout.", aftercare.SelfCare},
		{"Massage on my legs last week and they still hurt.", aftercare.Consult},
		{"Two weeks I am feeling pain in the neck after the massage, not better.", aftercare.Consult},
		{"Massage on my neck yesterday, neck and shoulders tender.", aftercare.SelfCare},
	}
	gradesTexts(t, cases)
}

func TestCuppingMarksAreExpectedUnlessTheyHurtOrThereIsAnotherSign(t *testing.T) {
	cases := []textLevel{
		{"Had cupping on my upper back yesterday, there are round bruises where the cups were but it doesn't hurt.", aftercare.SelfCare},
		{"After gua sha yesterday my back has gone dark purple, it doesn't hurt at all.", aftercare.Monitor},
		{"Huge purple bruise on my shoulder from the cupping yesterday, really dark, and it hurts to touch.", aftercare.Consult},
		{"Deep tissue massage yesterday and now a huge dark purple bruise on my thigh.", aftercare.Consult},
		{"Cupping yesterday, round marks on my back, and now I'm short of breath.", aftercare.Emergency},
	}
	gradesTexts(t, cases)
}

// textLevel is a message and the level it must be graded at.
type textLevel struct {
	text string
	want aftercare.Level
}

// gradesTexts assesses each message on its own and checks its level.
func gradesTexts(t *testing.T, cases []textLevel) {
	t.Helper()
	e := testEngine(t)
	for _, c := range cases {
		t.Run(c.text, func(t *testing.T) {
			resp, err := e.Assess(aftercare.Request{Text: c.text}, requestTime)
			if err != nil {
				t.Fatal(err)
			}
			if resp.Level != c.want {
				t.Errorf("level %s, want %s", resp.Level, c.want)
			}
		})
	}
}

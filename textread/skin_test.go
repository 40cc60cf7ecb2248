package textread

import (
	"testing"
	"time"
)

// readsCode reports whether the text is read as having the symptom now.
func readsCode(text, code string) bool {
	at := time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)
	for _, f := range Default().Read(text, at) {
		if f.Type == "symptom" && f.Code == code && !f.Negated && f.Context == "" {
			return true
		}
	}
	return false
}

func TestABurnAndBleedingFromTheVaginaAreReadFromPlainWords(t *testing.T) {
	for _, c := range []struct {
		code, text string
		want       bool
	}{
		{"burn", "the hot stones burnt my back and there are blisters", true},
		{"burn", "I have a blister from the heat pack", true},
		{"burn", "my skin is burned where the stone sat", true},
		{"burn", "scorched skin on my shoulder after the hot stone massage", true},
		{"burn", "I got burnt by the hot stones", true},
		{"burn", "a small burn on my leg from the heat pad", true},
		{"burn", "two blisters came up on my lower back overnight", true},
		{"burn", "my shoulder is all blistered", true},
		{"burn", "a burning sensation down my arm since the massage", false},
		{"burn", "it feels like it's burning in my calf", false},
		{"burn", "a burning feeling in my forearm, like pins and needles", false},
		{"burn", "my muscles are burning after the deep tissue", false},
		{"burn", "the water was scalding but my legs just ache", false},
		{"burn", "no blisters, the skin is fine", false},
		{"burn", "the stones were warm and lovely", false},
		{"vaginal_bleeding", "I'm 20 weeks pregnant and there's some spotting since the massage", true},
		{"vaginal_bleeding", "bleeding down there after my prenatal massage", true},
		{"vaginal_bleeding", "I think my waters are leaking", true},
		{"vaginal_bleeding", "leaking fluid since the pregnancy massage yesterday", true},
		{"vaginal_bleeding", "I'm pregnant and bleeding a bit since the massage", true},
		{"vaginal_bleeding", "blood in my knickers this morning", true},
		{"vaginal_bleeding", "I have a sore spot on my back", false},
		{"vaginal_bleeding", "I drank lots of water after the massage", false},
		{"vaginal_bleeding", "no bleeding or spotting, just sore", false},
		{"vaginal_bleeding", "my nose is bleeding", false},
		{"vaginal_bleeding", "it looks like bleeding under the skin", false},
	} {
		t.Run(c.code+": "+c.text, func(t *testing.T) {
			if got := readsCode(c.text, c.code); got != c.want {
				t.Errorf("%s read %v, want %v: %s", c.code, got, c.want, describe(Default().Read(c.text, time.Now())))
			}
		})
	}
}

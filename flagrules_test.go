package aftercare_test

import (
	"slices"
	"testing"

	"aftercare"
)

func TestTheRulesThatRaisedAFlag(t *testing.T) {
	checkIn := func(level aftercare.Level, rules ...string) aftercare.CheckIn {
		c := aftercare.CheckIn{Assessment: aftercare.Response{Level: level}}
		for _, r := range rules {
			c.Assessment.Reasons = append(c.Assessment.Reasons, aftercare.Reason{Rule: r, Level: level})
		}
		return c
	}
	for _, tc := range []struct {
		name     string
		checkIns []aftercare.CheckIn
		want     []string
	}{
		{"a check-in at consult or above gives its rules", []aftercare.CheckIn{checkIn(aftercare.Urgent, "calf_pain_one_side", "severe_pain")}, []string{"calf_pain_one_side", "severe_pain"}},
		{"a check-in below consult raised no flag", []aftercare.CheckIn{checkIn(aftercare.Monitor, "more_than_expected")}, nil},
		{"a session gives the rules of its flagged check-ins, in order", []aftercare.CheckIn{
			checkIn(aftercare.SelfCare, "expected_doms_window"), checkIn(aftercare.Consult, "burn"), checkIn(aftercare.Emergency, "chest_pain"),
		}, []string{"burn", "chest_pain"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := aftercare.Session{CheckIns: tc.checkIns}
			if got := s.FlagRules(); !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

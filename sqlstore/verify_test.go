package sqlstore_test

import (
	"fmt"
	"slices"
	"testing"

	"aftercare/sqlstore"
)

func TestVerifyReportWordsProblems(t *testing.T) {
	t.Run("no items make no problem", func(t *testing.T) {
		var r sqlstore.VerifyReport
		r.AddProblem("flags have no notice job", nil)
		if !r.OK() {
			t.Fatalf("problems %q, want none", r.Problems)
		}
	})
	t.Run("more than ten items are counted, and only ten named", func(t *testing.T) {
		var r sqlstore.VerifyReport
		var items []string
		for i := range 12 {
			items = append(items, fmt.Sprintf("flag %d", i+1))
		}
		r.AddProblem("flags have no notice job", items)
		want := "12 flags have no notice job: flag 1, flag 2, flag 3, flag 4, flag 5, flag 6, flag 7, flag 8, flag 9, flag 10 and 2 more"
		if !slices.Equal(r.Problems, []string{want}) {
			t.Fatalf("problems %q, want %q", r.Problems, want)
		}
	})
	t.Run("a follow-up's reminder jobs are lost, doubled, given up or sound", func(t *testing.T) {
		var tally sqlstore.ReminderTally
		tally.Add(1, 24, 0, 0) // lost
		tally.Add(2, 48, 2, 0) // doubled
		tally.Add(3, 72, 1, 1) // given up
		tally.Add(4, 24, 1, 0) // sound
		var r sqlstore.VerifyReport
		tally.Report(&r)
		want := []string{
			"1 scheduled follow-ups have no reminder job: session 1 at 24 h",
			"1 follow-ups have more than one reminder job: session 2 at 48 h",
			"1 scheduled follow-ups have a reminder job that gave up: session 3 at 72 h",
		}
		if !slices.Equal(r.Problems, want) {
			t.Fatalf("problems %q, want %q", r.Problems, want)
		}
	})
}

package followup

import (
	"slices"
	"testing"
	"time"

	"aftercare"
)

func TestPlanFlagNotice(t *testing.T) {
	t0 := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	flag := func(id int64, min int, level aftercare.Level) *aftercare.Flag {
		return &aftercare.Flag{ID: id, SessionID: 1, Level: level, CreatedAt: t0.Add(time.Duration(min) * time.Minute)}
	}
	// A session's flags: 1 opens a window (urgent); 2 and 3 repeat it or less;
	// 4 is more serious; 5 repeats it; 6 comes after the window, opening another.
	session := []*aftercare.Flag{
		flag(1, 0, aftercare.Urgent), flag(2, 1, aftercare.Urgent), flag(3, 2, aftercare.Consult),
		flag(4, 3, aftercare.Emergency), flag(5, 4, aftercare.Emergency), flag(6, 16, aftercare.Consult),
	}
	closed := t0.Add(40 * time.Minute)
	ids := func(fs []*aftercare.Flag) []int64 {
		var out []int64
		for _, f := range fs {
			out = append(out, f.ID)
		}
		return out
	}
	tests := []struct {
		name      string
		id        int64
		now       time.Time
		notify    []int64
		digest    bool
		wait      time.Duration
		coveredBy int64
	}{
		{name: "the first flag of a session is notified at once", id: 1, now: t0, notify: []int64{1}},
		{name: "a repeated flag waits while its window is open", id: 2, now: t0.Add(5 * time.Minute), wait: 10 * time.Minute},
		{name: "a less serious flag waits while its window is open", id: 3, now: t0.Add(2 * time.Minute), wait: 13 * time.Minute},
		{name: "a more serious flag is notified at once, never held back", id: 4, now: t0.Add(3 * time.Minute), notify: []int64{4}},
		{name: "a held flag that is not the window's last is covered by the last one's notice", id: 2, now: closed, coveredBy: 5},
		{name: "the window's last held flag names every held flag in one notice", id: 5, now: closed, notify: []int64{2, 3, 5}, digest: true},
		{name: "a flag after the window opens another and is notified at once", id: 6, now: closed, notify: []int64{6}},
		{name: "a flag not of the session tells nothing", id: 9, now: closed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := planFlagNotice(session, tt.id, DefaultFlagWindow, tt.now)
			if got := ids(p.notify); !slices.Equal(got, tt.notify) || p.digest != tt.digest || p.wait != tt.wait || p.coveredBy != tt.coveredBy {
				t.Errorf("plan: notify %v digest %v wait %v covered by %d; want %v %v %v %d",
					got, p.digest, p.wait, p.coveredBy, tt.notify, tt.digest, tt.wait, tt.coveredBy)
			}
		})
	}
}

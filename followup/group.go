package followup

import (
	"slices"
	"time"

	"aftercare"
)

// DefaultFlagWindow is how long after a session's first notified flag its
// further flags, no more serious than those notified, wait to be told to the
// clinic in one notice, so that a leaked or misused link cannot flood the
// clinic with a notice per check-in.
const DefaultFlagWindow = 15 * time.Minute

// flagPlan is what the notice job of one flag does.
type flagPlan struct {
	// notify are the flags its notice names, oldest first; none when another
	// flag's notice covers this one (coveredBy) or it must wait.
	notify []*aftercare.Flag
	// digest is true for the one notice of a window's held flags.
	digest bool
	// wait, when positive, is how long until the window closes: ask again then.
	wait time.Duration
	// coveredBy is the flag whose notice names this one, or 0.
	coveredBy int64
}

// planFlagNotice says what the notice of flag id does at now, flags being
// every flag of its session. The session's flags fall in windows: a window
// opens at a flag with none open, and lasts window. In a window, a flag more
// serious than every flag already notified in it is notified at once (a
// more serious flag is never held back); any other is held, and when the
// window has closed the last held flag's notice names every held flag of
// the window, the others' notices sending nothing. The plan depends only on
// the flags and the time, so every job of a window agrees on it.
func planFlagNotice(flags []*aftercare.Flag, id int64, window time.Duration, now time.Time) flagPlan {
	flags = slices.Clone(flags)
	slices.SortFunc(flags, func(a, b *aftercare.Flag) int { return int(a.ID - b.ID) })
	var start time.Time
	var notified aftercare.Level
	var held []*aftercare.Flag
	found := false
	for _, f := range flags {
		if start.IsZero() || !f.CreatedAt.Before(start.Add(window)) {
			if found {
				break // id's window has closed before f
			}
			start, notified, held = f.CreatedAt, f.Level, nil
			if f.ID == id {
				return flagPlan{notify: []*aftercare.Flag{f}}
			}
			continue
		}
		if f.Level > notified {
			notified = f.Level
			if f.ID == id {
				return flagPlan{notify: []*aftercare.Flag{f}}
			}
			continue
		}
		held = append(held, f)
		found = found || f.ID == id
	}
	if !found {
		return flagPlan{} // not among the session's flags: nothing to tell
	}
	if end := start.Add(window); now.Before(end) {
		return flagPlan{wait: end.Sub(now)}
	}
	if last := held[len(held)-1]; last.ID != id {
		return flagPlan{coveredBy: last.ID}
	}
	return flagPlan{notify: held, digest: true}
}

package postgres

import (
	"time"

	"aftercare"
)

// Follow-up statuses.
const (
	statusScheduled = aftercare.FollowUpScheduled
	statusSent      = aftercare.FollowUpSent
	statusSkipped   = aftercare.FollowUpSkipped
)

// stamp returns t as stored (UTC, microseconds), or now when t is zero.
func stamp(t, now time.Time) time.Time {
	if t.IsZero() {
		t = now
	}
	return aftercare.StoredTime(t)
}

func utc(t time.Time) time.Time { return aftercare.StoredTime(t) }

func notFound(what string) error {
	return aftercare.Errorf(aftercare.ENOTFOUND, "", "%s not found", what)
}

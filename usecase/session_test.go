package usecase_test

import (
	"strings"
	"testing"
	"time"

	"aftercare"
	"aftercare/usecase"
)

func TestSchedule(t *testing.T) {
	ended := time.Date(2026, 11, 2, 17, 0, 0, 0, time.UTC)
	t.Run("follow-ups come at the clinic's hours, the link expires ttl after the session", func(t *testing.T) {
		s := &aftercare.Session{EndedAt: ended}
		token, hash := usecase.Schedule(s, &aftercare.Clinic{FollowUpHours: []int{12, 36}}, 7*24*time.Hour)
		if len(s.FollowUps) != 2 || s.FollowUps[1].Hours != 36 || !s.FollowUps[1].DueAt.Equal(ended.Add(36*time.Hour)) || s.FollowUps[0].Status != "scheduled" {
			t.Errorf("follow-ups %+v", s.FollowUps)
		}
		if !s.LinkExpiresAt.Equal(ended.Add(7 * 24 * time.Hour)) {
			t.Errorf("expires %v", s.LinkExpiresAt)
		}
		if usecase.ParseToken(token) != nil || string(hash) != string(aftercare.HashSecret(token)) {
			t.Errorf("token %q does not parse or hash", token)
		}
		if !strings.HasPrefix(usecase.LinkPath(token), "/c/c_") {
			t.Errorf("path %q", usecase.LinkPath(token))
		}
	})
	t.Run("a clinic without hours of its own gets the default ones", func(t *testing.T) {
		s := &aftercare.Session{EndedAt: ended}
		usecase.Schedule(s, &aftercare.Clinic{}, time.Hour)
		if len(s.FollowUps) != len(aftercare.DefaultFollowUpHours) {
			t.Errorf("follow-ups %+v", s.FollowUps)
		}
	})
	t.Run("a fresh link of an old session lasts ttl from now", func(t *testing.T) {
		s := &aftercare.Session{EndedAt: ended}
		if got := usecase.LinkExpiry(s, 24*time.Hour, ended.Add(time.Hour)); !got.Equal(ended.Add(24 * time.Hour)) {
			t.Errorf("a recent session: %v", got)
		}
		now := ended.Add(30 * 24 * time.Hour)
		if got := usecase.LinkExpiry(s, 24*time.Hour, now); !got.Equal(now.Add(24 * time.Hour)) {
			t.Errorf("an old session: %v", got)
		}
	})
}

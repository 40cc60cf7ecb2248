package usecase

import (
	"context"
	"strings"
	"time"

	"aftercare"
)

// ScreeningDoor is what a screening is recorded through: an *aftercare.Access.
type ScreeningDoor interface {
	CreateScreening(ctx context.Context, s *aftercare.Screening) error
}

// CreateScreening records screening s of client s.ClientID at now: it trims
// the notes, validates it (aftercare.Screening.Validate), drops repeated
// health answers, adds the cautions the assessor gives for them and stores it.
func CreateScreening(ctx context.Context, door ScreeningDoor, assessor aftercare.Assessor, s *aftercare.Screening, now time.Time) error {
	s.Notes = strings.TrimSpace(s.Notes)
	if err := s.Validate(); err != nil {
		return err
	}
	s.Health = nonNil(unique(s.Health))
	s.Cautions = nonNil(assessor.Cautions(s.Health))
	s.CreatedAt = aftercare.StoredTime(now)
	return door.CreateScreening(ctx, s)
}

// nonNil returns s, or an empty slice for nil, so that lists encode as [].
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

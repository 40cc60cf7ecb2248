package usecase

import (
	"context"
	"strings"

	"aftercare"
)

// SettingsDoor is what a clinic's settings are changed through: an owner's
// *aftercare.Access (the pages), or a ClinicStore (the command line).
type SettingsDoor interface {
	SetClinicTimeZone(ctx context.Context, name string) error
}

// SetTimeZone sets the time zone of the door's clinic to name, an IANA name
// such as Europe/London or America/Los_Angeles: it trims the name, validates
// it (aftercare.ValidateTimeZone, as the clinic's Validate does: EINVALID
// naming time_zone) and stores it, returning the name stored.
func SetTimeZone(ctx context.Context, door SettingsDoor, name string) (string, error) {
	name = strings.TrimSpace(name)
	if err := aftercare.ValidateTimeZone("time_zone", name); err != nil {
		return "", err
	}
	return name, door.SetClinicTimeZone(ctx, name)
}

// SetClinicTimeZone changes the clinic's time zone.
func (c ClinicStore) SetClinicTimeZone(ctx context.Context, name string) error {
	return c.Store.SetClinicTimeZone(ctx, c.ClinicID, name)
}

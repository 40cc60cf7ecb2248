package usecase

import (
	"context"

	"aftercare"
)

// FlagDoor is what a flag is acknowledged through: an *aftercare.Access,
// which acknowledges in its principal's name.
type FlagDoor interface {
	AckFlag(ctx context.Context, id int64) (*aftercare.Flag, error)
}

// AckFlag acknowledges flag id of the door's clinic and returns it. A flag
// the door cannot reach is ENOTFOUND naming "id".
func AckFlag(ctx context.Context, door FlagDoor, id int64) (*aftercare.Flag, error) {
	f, err := door.AckFlag(ctx, id)
	if aftercare.ErrorCode(err) == aftercare.ENOTFOUND {
		return nil, aftercare.Errorf(aftercare.ENOTFOUND, "id", "no flag %d", id)
	}
	return f, err
}

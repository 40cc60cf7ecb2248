package usecase

import (
	"context"
	"errors"
	"strings"
	"time"

	"aftercare"
)

// UndoWindow is how long after acknowledging a flag the acknowledgement can
// be undone.
const UndoWindow = 10 * time.Minute

// FlagDoor is what a flag is acknowledged through: an *aftercare.Access,
// which acknowledges in its principal's name.
type FlagDoor interface {
	AckFlag(ctx context.Context, id int64, outcome, note string) (*aftercare.Flag, error)
	UndoAck(ctx context.Context, id int64, since time.Time) (*aftercare.Flag, error)
}

// Ack is what came of acknowledging a flag, as a door received it.
type Ack struct {
	// Outcome is a code of aftercare.Outcomes, or empty.
	Outcome string `json:"outcome,omitempty"`
	// Note is a short note on the outcome, or empty.
	Note string `json:"outcome_note,omitempty"`
}

// AckFlag acknowledges flag id of the door's clinic with what came of it and
// returns the flag. A bad outcome or note is EINVALID naming the field and
// the allowed values, and nothing is stored; a flag the door cannot reach is
// ENOTFOUND naming "id".
func AckFlag(ctx context.Context, door FlagDoor, id int64, ack Ack) (*aftercare.Flag, error) {
	ack.Outcome = strings.TrimSpace(ack.Outcome)
	ack.Note = strings.TrimSpace(ack.Note)
	// Checked here with a stand-in for who acknowledges, which the door fills in.
	check := aftercare.FlagAck{By: "-", Outcome: ack.Outcome, Note: ack.Note}
	if err := check.Validate(); err != nil {
		return nil, err
	}
	f, err := door.AckFlag(ctx, id, ack.Outcome, ack.Note)
	return f, flagNotFound(err, id)
}

// UndoAck opens flag id of the door's clinic again, clearing its
// acknowledgement and outcome, when it was acknowledged within UndoWindow
// before now. Later, or when the flag is open, it is ECONFLICT naming "id"
// and saying why; a flag the door cannot reach is ENOTFOUND naming "id".
func UndoAck(ctx context.Context, door FlagDoor, id int64, now time.Time) (*aftercare.Flag, error) {
	f, err := door.UndoAck(ctx, id, now.Add(-UndoWindow))
	var e *aftercare.Error
	if errors.As(err, &e) && e.Code == aftercare.ECONFLICT {
		return nil, aftercare.Errorf(aftercare.ECONFLICT, "id", "%s; an acknowledgement can be undone only within %d minutes",
			e.Message, int(UndoWindow/time.Minute))
	}
	return f, flagNotFound(err, id)
}

// flagNotFound names "id" in a flag the door could not reach.
func flagNotFound(err error, id int64) error {
	if aftercare.ErrorCode(err) == aftercare.ENOTFOUND {
		return aftercare.Errorf(aftercare.ENOTFOUND, "id", "no flag %d", id)
	}
	return err
}

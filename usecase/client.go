package usecase

import (
	"context"
	"strings"
	"time"

	"aftercare"
)

// ClientDoor is what a client is created through: an *aftercare.Access.
type ClientDoor interface {
	CreateClient(ctx context.Context, c *aftercare.Client) error
}

// CreateClient creates client c of the door's clinic at now: it trims the
// name and email, validates them (aftercare.Client.Validate: EINVALID naming
// the field) and stores the client, whose ID is then set.
func CreateClient(ctx context.Context, door ClientDoor, c *aftercare.Client, now time.Time) error {
	c.Name = strings.TrimSpace(c.Name)
	c.Email = strings.TrimSpace(c.Email)
	if err := c.Validate(); err != nil {
		return err
	}
	c.CreatedAt = aftercare.StoredTime(now)
	return door.CreateClient(ctx, c)
}

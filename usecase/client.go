package usecase

import (
	"context"
	"strings"
	"time"

	"aftercare"
)

// ClientDoor is what a client is created and changed through: an *aftercare.Access.
type ClientDoor interface {
	CreateClient(ctx context.Context, c *aftercare.Client) error
	UpdateClient(ctx context.Context, c *aftercare.Client) error
}

// CreateClient creates client c of the door's clinic at now: it trims the
// name, email and phone, validates them (aftercare.Client.Validate: EINVALID
// naming the field) and stores the client, whose ID is then set.
func CreateClient(ctx context.Context, door ClientDoor, c *aftercare.Client, now time.Time) error {
	if err := tidyClient(c); err != nil {
		return err
	}
	c.CreatedAt = aftercare.StoredTime(now)
	return door.CreateClient(ctx, c)
}

// UpdateClient replaces the name, email and phone of client c.ID of the
// door's clinic, checked as CreateClient checks them, and fills c with the
// client as stored; a client the door cannot reach is ENOTFOUND naming "id".
func UpdateClient(ctx context.Context, door ClientDoor, c *aftercare.Client) error {
	if err := tidyClient(c); err != nil {
		return err
	}
	err := door.UpdateClient(ctx, c)
	if aftercare.ErrorCode(err) == aftercare.ENOTFOUND {
		return aftercare.Errorf(aftercare.ENOTFOUND, "id", "no client %d", c.ID)
	}
	return err
}

// tidyClient trims a client's text fields and validates them.
func tidyClient(c *aftercare.Client) error {
	c.Name = strings.TrimSpace(c.Name)
	c.Email = strings.TrimSpace(c.Email)
	c.Phone = strings.TrimSpace(c.Phone)
	return c.Validate()
}

package usecase_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"aftercare"
	"aftercare/usecase"
)

// flagged returns a fresh open flag of a new client of c.
func (c *clinic) flagged(t *testing.T) *aftercare.Flag {
	t.Helper()
	cl := c.client(t)
	s := c.session(t, &aftercare.Session{ClientID: cl.ID, Style: "swedish", EndedAt: c.now.Add(-20 * time.Hour)})
	sess, err := c.owner.FindSession(context.Background(), s.ID)
	if err != nil {
		t.Fatal(err)
	}
	_, f, err := usecase.RecordCheckIn(context.Background(), c.owner, engine, sess, aftercare.Request{Symptoms: []string{"numbness"}}, c.now)
	if err != nil || f == nil {
		t.Fatalf("flag %+v, err %v", f, err)
	}
	return f
}

func TestAckFlagOutcome(t *testing.T) {
	ctx := context.Background()
	c := newClinic(t)
	t.Run("an outcome and a note are kept with the acknowledgement", func(t *testing.T) {
		f := c.flagged(t)
		got, err := usecase.AckFlag(ctx, c.owner, f.ID, usecase.Ack{Outcome: "called", Note: " Better already "})
		if err != nil {
			t.Fatal(err)
		}
		if got.AckedAt == nil || got.Outcome != "called" || got.OutcomeNote != "Better already" {
			t.Errorf("flag %+v", got)
		}
		stored, err := c.store.FindFlag(ctx, c.clinic.ID, f.ID)
		if err != nil || stored.Outcome != "called" || stored.OutcomeNote != "Better already" {
			t.Errorf("stored flag %+v, err %v", stored, err)
		}
	})
	for _, tc := range []struct {
		name, field, says string
		ack               usecase.Ack
	}{
		{"an unknown outcome is refused naming the field and the allowed codes, and nothing is stored",
			"outcome", aftercare.Outcomes.Allowed(), usecase.Ack{Outcome: "phoned"}},
		{"a note without an outcome is refused naming the note and the outcomes",
			"outcome_note", aftercare.Outcomes.Allowed(), usecase.Ack{Note: "rang twice"}},
		{"a note longer than the limit is refused naming the note",
			"outcome_note", "at most", usecase.Ack{Outcome: "other", Note: strings.Repeat("a", aftercare.MaxOutcomeNoteChars+1)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := c.flagged(t)
			_, err := usecase.AckFlag(ctx, c.owner, f.ID, tc.ack)
			wantError(t, err, aftercare.EINVALID, tc.field)
			if !strings.Contains(err.Error(), tc.says) {
				t.Errorf("err %q does not say %q", err, tc.says)
			}
			stored, err := c.store.FindFlag(ctx, c.clinic.ID, f.ID)
			if err != nil || stored.AckedAt != nil || stored.Outcome != "" {
				t.Errorf("stored flag %+v, err %v; want it open", stored, err)
			}
		})
	}
}

func TestUndoAck(t *testing.T) {
	ctx := context.Background()
	c := newClinic(t)
	// The owner's door acknowledges at c.now; UndoAck is asked later.
	t.Run("within the window the flag is open again with its outcome cleared", func(t *testing.T) {
		f := c.flagged(t)
		if _, err := usecase.AckFlag(ctx, c.owner, f.ID, usecase.Ack{Outcome: "no_answer"}); err != nil {
			t.Fatal(err)
		}
		other := access(c.store, c.clinic.ID, c.now, aftercare.RoleScopes(aftercare.RoleTherapist)...)
		got, err := usecase.UndoAck(ctx, other, f.ID, c.now.Add(usecase.UndoWindow-time.Second))
		if err != nil {
			t.Fatal(err)
		}
		if got.AckedAt != nil || got.AckedBy != "" || got.Outcome != "" || got.OutcomeNote != "" {
			t.Errorf("flag %+v; want it open", got)
		}
		open, err := c.store.ListFlags(ctx, c.clinic.ID)
		if err != nil || !containsFlag(open, f.ID) {
			t.Errorf("open flags %+v, err %v; want flag %d among them", open, err, f.ID)
		}
	})
	t.Run("after the window undoing is refused saying so, and the acknowledgement stays", func(t *testing.T) {
		f := c.flagged(t)
		if _, err := usecase.AckFlag(ctx, c.owner, f.ID, usecase.Ack{Outcome: "called"}); err != nil {
			t.Fatal(err)
		}
		_, err := usecase.UndoAck(ctx, c.owner, f.ID, c.now.Add(usecase.UndoWindow+time.Second))
		wantError(t, err, aftercare.ECONFLICT, "id")
		if !strings.Contains(err.Error(), "10 minutes") {
			t.Errorf("err %q does not say how long undoing is possible", err)
		}
		stored, err := c.store.FindFlag(ctx, c.clinic.ID, f.ID)
		if err != nil || stored.AckedAt == nil || stored.Outcome != "called" {
			t.Errorf("stored flag %+v, err %v; want it still acknowledged", stored, err)
		}
	})
	t.Run("an open flag has nothing to undo", func(t *testing.T) {
		f := c.flagged(t)
		_, err := usecase.UndoAck(ctx, c.owner, f.ID, c.now)
		wantError(t, err, aftercare.ECONFLICT, "id")
	})
	t.Run("another clinic's flag is not found", func(t *testing.T) {
		f := c.flagged(t)
		stranger := access(c.store, c.clinic.ID+1, c.now, aftercare.RoleScopes(aftercare.RoleOwner)...)
		_, err := usecase.UndoAck(ctx, stranger, f.ID, c.now)
		wantError(t, err, aftercare.ENOTFOUND, "id")
	})
	t.Run("the audit log records the acknowledgement and its undoing", func(t *testing.T) {
		f := c.flagged(t)
		if _, err := usecase.AckFlag(ctx, c.owner, f.ID, usecase.Ack{Outcome: "left_message"}); err != nil {
			t.Fatal(err)
		}
		if _, err := usecase.UndoAck(ctx, c.owner, f.ID, c.now.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		entries, err := c.store.ListAudit(ctx, c.clinic.ID, c.now.Add(-time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		var objects []string
		for _, e := range entries {
			if e.Action == aftercare.AuditUpdate && strings.HasPrefix(e.Object, "flag/") {
				objects = append(objects, e.Object)
			}
		}
		want := []string{aftercareObj(f.ID), aftercareObj(f.ID) + "/undo"}
		if len(objects) < 2 || objects[len(objects)-2] != want[0] || objects[len(objects)-1] != want[1] {
			t.Errorf("flag updates in the audit log %q; want %q last", objects, want)
		}
	})
}

func aftercareObj(id int64) string { return "flag/" + strconv.FormatInt(id, 10) }

func containsFlag(fs []*aftercare.Flag, id int64) bool {
	for _, f := range fs {
		if f.ID == id {
			return true
		}
	}
	return false
}

func TestUpdateClientPhone(t *testing.T) {
	ctx := context.Background()
	c := newClinic(t)
	for _, tc := range []struct {
		name, phone, want string
		code              string
	}{
		{"a phone written with spaces, brackets and a plus is kept as written", " +44 (20) 7946-0958 ", "+44 (20) 7946-0958", ""},
		{"an empty phone clears it", "", "", ""},
		{"letters are refused naming the field and the allowed form", "call me", "", aftercare.EINVALID},
		{"too few digits are refused", "12345", "", aftercare.EINVALID},
		{"too many digits are refused", "+1 234 567 890 123 456 789 01", "", aftercare.EINVALID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cl := c.client(t)
			cl.Phone = tc.phone
			err := usecase.UpdateClient(ctx, c.owner, cl)
			if tc.code != "" {
				wantError(t, err, tc.code, "phone")
				if !strings.Contains(err.Error(), "digits, spaces, +, - and brackets") {
					t.Errorf("err %q does not say the allowed form", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			stored, err := c.store.FindClient(ctx, c.clinic.ID, cl.ID)
			if err != nil || stored.Phone != tc.want {
				t.Errorf("stored client %+v, err %v; want phone %q", stored, err, tc.want)
			}
		})
	}
	t.Run("another clinic's client is not found", func(t *testing.T) {
		cl := c.client(t)
		stranger := access(c.store, c.clinic.ID+1, c.now, aftercare.RoleScopes(aftercare.RoleOwner)...)
		wantError(t, usecase.UpdateClient(ctx, stranger, &aftercare.Client{ID: cl.ID, Name: "X"}), aftercare.ENOTFOUND, "id")
	})
}

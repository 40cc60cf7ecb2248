package sqlstore_test

import (
	"testing"
	"time"

	"aftercare"
	"aftercare/keyring"
	"aftercare/sqlstore"
)

func TestAuditHash(t *testing.T) {
	line, _ := keyring.NewKey("k1")
	keys, err := keyring.Parse(line)
	if err != nil {
		t.Fatal(err)
	}
	entry := func() *aftercare.AuditEntry {
		return &aftercare.AuditEntry{ID: 7, ClinicID: 1, At: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC), Actor: "user:1",
			Action: aftercare.AuditRead, Object: "client/3", ClientID: 3, Outcome: aftercare.OutcomeOK,
			Address: "192.0.2.1", RequestID: "req-1", Route: "GET /api/v1/clients/{id}"}
	}
	hash := func(t *testing.T, keyID, prev string, e *aftercare.AuditEntry) string {
		t.Helper()
		h, err := sqlstore.AuditHash(keys, keyID, prev, e)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	for _, keyID := range []string{"k1", ""} {
		base := hash(t, keyID, "prev", entry())
		changes := []struct {
			name   string
			change func(e *aftercare.AuditEntry)
		}{
			{"the id", func(e *aftercare.AuditEntry) { e.ID++ }},
			{"the clinic", func(e *aftercare.AuditEntry) { e.ClinicID++ }},
			{"the time", func(e *aftercare.AuditEntry) { e.At = e.At.Add(time.Microsecond) }},
			{"the actor", func(e *aftercare.AuditEntry) { e.Actor = "user:2" }},
			{"the action", func(e *aftercare.AuditEntry) { e.Action = aftercare.AuditErase }},
			{"the object", func(e *aftercare.AuditEntry) { e.Object = "client/4" }},
			{"the client", func(e *aftercare.AuditEntry) { e.ClientID = 0 }},
			{"the outcome", func(e *aftercare.AuditEntry) { e.Outcome = aftercare.OutcomeDenied }},
			{"the address", func(e *aftercare.AuditEntry) { e.Address = "192.0.2.2" }},
			{"the request", func(e *aftercare.AuditEntry) { e.RequestID = "req-2" }},
			{"the route", func(e *aftercare.AuditEntry) { e.Route = "" }},
			{"text moved between two fields", func(e *aftercare.AuditEntry) { e.Object, e.Address = "client/3192.0.2.1", "" }},
		}
		for _, c := range changes {
			t.Run("changing "+c.name+" changes the hash (key "+keyID+")", func(t *testing.T) {
				e := entry()
				c.change(e)
				if hash(t, keyID, "prev", e) == base {
					t.Error("the same hash")
				}
			})
		}
		t.Run("another entry before it changes the hash (key "+keyID+")", func(t *testing.T) {
			if hash(t, keyID, "other", entry()) == base {
				t.Error("the same hash")
			}
		})
	}
	t.Run("a keyed hash differs from the unkeyed one", func(t *testing.T) {
		if hash(t, "k1", "", entry()) == hash(t, "", "", entry()) {
			t.Error("the same hash")
		}
	})
	t.Run("a key the keyring lacks is an error naming it", func(t *testing.T) {
		if _, err := sqlstore.AuditHash(keys, "k0", "", entry()); err == nil {
			t.Error("no error")
		}
		if _, err := sqlstore.AuditHash(nil, "k1", "", entry()); err == nil {
			t.Error("no error without a keyring")
		}
	})
}

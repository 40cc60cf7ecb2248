package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"

	"aftercare"
	"aftercare/followup"
)

// CreateClient stores a new client of a clinic.
func (s *Store) CreateClient(ctx context.Context, c *aftercare.Client) error {
	if err := c.Prepare(); err != nil {
		return err
	}
	created := aftercare.StoredTimeOr(c.CreatedAt, s.now())
	id, err := s.insertUnder(ctx, "clinic", ClinicExists, []any{c.ClinicID},
		`INSERT INTO clients (clinic_id, name, email, phone, created_at) VALUES (?, ?, ?, ?, ?)`,
		c.ClinicID, c.Name, c.Email, c.Phone, s.d.Time(created))
	if err != nil {
		return err
	}
	c.ID, c.CreatedAt = id, created
	return nil
}

// UpdateClient replaces the name, email and phone of a client of the clinic
// and fills c with the client as stored.
func (s *Store) UpdateClient(ctx context.Context, c *aftercare.Client) error {
	if err := c.Prepare(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		err := s.d.affected(s.d.exec(ctx, tx, `UPDATE clients SET name = ?, email = ?, phone = ? WHERE clinic_id = ? AND id = ?`,
			c.Name, c.Email, c.Phone, c.ClinicID, c.ID))("client")
		if err != nil {
			return err
		}
		stored, err := one(ctx, s.d, tx, "client", scanClient, clientSelect+` WHERE clinic_id = ? AND id = ?`, c.ClinicID, c.ID)
		if err == nil {
			*c = *stored
		}
		return err
	})
}

const clientSelect = `SELECT id, clinic_id, name, email, phone, created_at FROM clients`

func scanClient(r Row) (*aftercare.Client, error) {
	var c aftercare.Client
	err := r.Scan(&c.ID, &c.ClinicID, &c.Name, &c.Email, &c.Phone, Time(&c.CreatedAt))
	return &c, err
}

// FindClient returns one client of the clinic.
func (s *Store) FindClient(ctx context.Context, clinicID, id int64) (*aftercare.Client, error) {
	return one(ctx, s.d, s.read, "client", scanClient, clientSelect+` WHERE clinic_id = ? AND id = ?`, clinicID, id)
}

// ListClients returns the clinic's clients, oldest first.
func (s *Store) ListClients(ctx context.Context, clinicID int64) ([]*aftercare.Client, error) {
	return list(ctx, s.d, s.read, scanClient, clientSelect+` WHERE clinic_id = ? ORDER BY id`, clinicID)
}

// CreateScreening stores a client's screening answers and their cautions.
func (s *Store) CreateScreening(ctx context.Context, sc *aftercare.Screening) error {
	if err := sc.Prepare(); err != nil {
		return err
	}
	created := aftercare.StoredTimeOr(sc.CreatedAt, s.now())
	health, err := json.Marshal(sc.Health)
	if err != nil {
		return err
	}
	cautions, err := json.Marshal(sc.Cautions)
	if err != nil {
		return err
	}
	id, err := s.insertUnder(ctx, "client", ClientExists, []any{sc.ClinicID, sc.ClientID},
		`INSERT INTO screenings (clinic_id, client_id, health, notes, cautions, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		sc.ClinicID, sc.ClientID, s.d.JSON(health), sc.Notes, s.d.JSON(cautions), s.d.Time(created))
	if err != nil {
		return err
	}
	sc.ID, sc.CreatedAt = id, created
	return nil
}

// ListScreenings returns a client's screenings, oldest first; ENOTFOUND when
// the client is not the clinic's.
func (s *Store) ListScreenings(ctx context.Context, clinicID, clientID int64) (out []*aftercare.Screening, err error) {
	err = s.readTx(ctx, func(tx *sql.Tx) error {
		if err := s.d.MustExist(ctx, tx, "client", ClientExists, clinicID, clientID); err != nil {
			return err
		}
		out, err = list(ctx, s.d, tx, func(r Row) (*aftercare.Screening, error) {
			var sc aftercare.Screening
			err := r.Scan(&sc.ID, &sc.ClinicID, &sc.ClientID, JSON(&sc.Health), &sc.Notes, JSON(&sc.Cautions), Time(&sc.CreatedAt))
			return &sc, err
		}, `SELECT id, clinic_id, client_id, health, notes, cautions, created_at
			FROM screenings WHERE clinic_id = ? AND client_id = ? ORDER BY created_at, id`, clinicID, clientID)
		return err
	})
	return out, err
}

// EraseClient deletes a client of the clinic and everything held on them
// (flags, check-ins, follow-ups, links, sessions, screenings) with the River
// jobs queued for them (reminders of their sessions, notices of their flags)
// that are not running, in one transaction. A running job finds its session
// or flag gone and cancels itself. The audit log is left as it is.
func (s *Store) EraseClient(ctx context.Context, clinicID, clientID int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		// Lock the client, so that no session or check-in is added under it meanwhile.
		if err := s.d.MustExist(ctx, tx, "client", ClientExists+s.d.LockRow, clinicID, clientID); err != nil {
			return err
		}
		const sessions = `SELECT id FROM sessions WHERE clinic_id = ? AND client_id = ?`
		const checkIns = `SELECT id FROM check_ins WHERE clinic_id = ? AND session_id IN (` + sessions + `)`
		// A job's arguments are JSON: its ids are read as numbers.
		const jobOf = `DELETE FROM river_job WHERE kind = ? AND state <> 'running'
			AND CAST(args ->> 'clinic_id' AS bigint) = ? AND `
		for _, q := range []struct {
			query string
			args  []any
		}{
			{jobOf + `CAST(args ->> 'session_id' AS bigint) IN (` + sessions + `)`,
				[]any{followup.ReminderArgs{}.Kind(), clinicID, clinicID, clientID}},
			{jobOf + `CAST(args ->> 'flag_id' AS bigint) IN (
					SELECT id FROM flags WHERE clinic_id = ? AND check_in_id IN (` + checkIns + `))`,
				[]any{followup.FlagArgs{}.Kind(), clinicID, clinicID, clinicID, clinicID, clientID}},
			{`DELETE FROM flags WHERE clinic_id = ? AND check_in_id IN (` + checkIns + `)`,
				[]any{clinicID, clinicID, clinicID, clientID}},
			{`DELETE FROM check_ins WHERE clinic_id = ? AND session_id IN (` + sessions + `)`,
				[]any{clinicID, clinicID, clientID}},
			{`DELETE FROM follow_ups WHERE clinic_id = ? AND session_id IN (` + sessions + `)`,
				[]any{clinicID, clinicID, clientID}},
			{`DELETE FROM session_links WHERE clinic_id = ? AND session_id IN (` + sessions + `)`,
				[]any{clinicID, clinicID, clientID}},
			{`DELETE FROM sessions WHERE clinic_id = ? AND client_id = ?`, []any{clinicID, clientID}},
			{`DELETE FROM screenings WHERE clinic_id = ? AND client_id = ?`, []any{clinicID, clientID}},
			{`DELETE FROM clients WHERE clinic_id = ? AND id = ?`, []any{clinicID, clientID}},
		} {
			if _, err := s.d.exec(ctx, tx, q.query, q.args...); err != nil {
				return err
			}
		}
		return nil
	})
}

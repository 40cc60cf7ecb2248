package sqlstore

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"aftercare"
	"aftercare/keyring"
)

// The audit log is a chain: each entry's hash covers its fields, the key id
// it was made under and the hash of the entry before it (by id), so that an
// entry changed, deleted or put in between breaks the chain from there on.
// Under a keyring the hash is an HMAC-SHA256 with a key derived from the
// keyring's sealing key (keyring.PurposeAuditChain), kept outside the
// database: whoever can write the database alone cannot make a new chain
// that checks. Without a keyring the chain is plain SHA-256 (key id ''): it
// shows a careless change, not a careful rewrite, and verify says so.

// auditColumns are the columns of an entry that its hash covers, in order.
const auditColumns = `id, clinic_id, at, actor, action, object, client_id, outcome, address, request_id, route, key_id, hash`

// AuditKeys sets the keyring whose sealing key chains the audit entries the
// store appends from now on; nil chains them with plain SHA-256.
func (s *Store) AuditKeys(k *keyring.Keyring) { s.auditKeys.Store(k) }

// AuditHash returns the chain hash of e (its ID and At set) made under the
// key keyID of keys (plain SHA-256 when keyID is ""), following prev, the
// hash of the entry before it. The error is a key id the ring lacks.
func AuditHash(keys *keyring.Keyring, keyID, prev string, e *aftercare.AuditEntry) (string, error) {
	// A JSON array of the fields: unambiguous, whatever text they hold.
	msg, err := json.Marshal([]string{prev, keyID, strconv.FormatInt(e.ID, 10), strconv.FormatInt(e.ClinicID, 10),
		FormatTime(e.At), e.Actor, e.Action, e.Object, strconv.FormatInt(e.ClientID, 10), e.Outcome,
		e.Address, e.RequestID, e.Route})
	if err != nil {
		return "", err
	}
	if keyID == "" {
		sum := sha256.Sum256(msg)
		return hex.EncodeToString(sum[:]), nil
	}
	if keys == nil {
		return "", fmt.Errorf("the audit chain is keyed with key %q: give the keyring (--secret-keys)", keyID)
	}
	key, ok := keys.DerivedKey(keyID, keyring.PurposeAuditChain)
	if !ok {
		return "", fmt.Errorf("the audit chain is keyed with key %q, which the keyring lacks: put it back below the new one", keyID)
	}
	m := hmac.New(sha256.New, key)
	m.Write(msg)
	return hex.EncodeToString(m.Sum(nil)), nil
}

// appendChained inserts e in tx as the entry after the last, with its chain
// hash. Appends are serialised, so that the chain is one line: SQLite has
// one writer, and on PostgreSQL the dialect's AuditLock waits for any other.
func (s *Store) appendChained(ctx context.Context, tx *sql.Tx, e *aftercare.AuditEntry) error {
	if s.d.AuditLock != "" {
		if _, err := tx.ExecContext(ctx, s.d.AuditLock); err != nil {
			return err
		}
	}
	var last int64
	var prev string
	err := s.d.row(ctx, tx, `SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1`).Scan(&last, &prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	e.ID = last + 1
	keys := s.auditKeys.Load()
	keyID := ""
	if keys != nil {
		keyID = keys.SealingID()
	}
	hash, err := AuditHash(keys, keyID, prev, e)
	if err != nil {
		return err
	}
	_, err = s.d.exec(ctx, tx, `INSERT INTO audit_log (`+auditColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, nullID(e.ClinicID), s.d.Time(e.At), e.Actor, e.Action, e.Object, nullID(e.ClientID), e.Outcome,
		e.Address, e.RequestID, e.Route, keyID, hash)
	return err
}

// VerifyAudit checks the audit log's chain as tx sees it, under keys (nil
// when no keyring is given): from the first chained entry on, no id is
// missing, every entry is chained and its hash is that of its fields and the
// entry before it. Entries made before the chain began, entries chained
// without a key, and keyed entries that cannot be checked for want of the
// keyring are noted. A deleted last entry leaves no gap: the count of
// entries, which verify reports, is what shows it.
func (d *Dialect) VerifyAudit(ctx context.Context, tx *sql.Tx, r *VerifyReport, keys *keyring.Keyring) error {
	var gaps, unchained, changed, lacking []string
	var before, unkeyed, unchecked, last int64
	var prev string
	chained := false
	err := d.Each(ctx, tx, `SELECT `+auditColumns+` FROM audit_log ORDER BY id`, nil, func(row Row) error {
		var e aftercare.AuditEntry
		var clinic, client sql.NullInt64
		var keyID, hash string
		if err := row.Scan(&e.ID, &clinic, Time(&e.At), &e.Actor, &e.Action, &e.Object, &client, &e.Outcome,
			&e.Address, &e.RequestID, &e.Route, &keyID, &hash); err != nil {
			return err
		}
		e.ClinicID, e.ClientID = clinic.Int64, client.Int64
		defer func() { last, prev = e.ID, hash }()
		if !chained && hash == "" {
			before++
			return nil
		}
		gap := chained && e.ID != last+1
		if gap {
			gaps = append(gaps, idRange(last+1, e.ID-1))
		}
		chained = true
		if hash == "" {
			unchained = append(unchained, fmt.Sprintf("entry %d", e.ID))
			return nil
		}
		if keyID == "" {
			unkeyed++
		} else if keys == nil {
			unchecked++
			return nil
		}
		if gap {
			return nil // the entry before it is gone: its link cannot be checked
		}
		want, err := AuditHash(keys, keyID, prev, &e)
		switch {
		case err != nil:
			lacking = append(lacking, fmt.Sprintf("entry %d (key %q)", e.ID, keyID))
		case !hmac.Equal([]byte(want), []byte(hash)):
			changed = append(changed, fmt.Sprintf("entry %d", e.ID))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("%s: check the audit chain: %w", d.Name, err)
	}
	r.AddProblem("runs of audit entries are missing from the chain (deleted)", gaps)
	r.AddProblem("audit entries after the chain began are not chained", unchained)
	r.AddProblem("audit entries do not match their chain hash (changed, or chained anew)", changed)
	r.AddProblem("audit entries are keyed with a key the keyring lacks", lacking)
	if before > 0 {
		r.Notes = append(r.Notes, fmt.Sprintf("%d audit entries were made before the chain began and are not covered by it", before))
	}
	if unkeyed > 0 {
		r.Notes = append(r.Notes, fmt.Sprintf("%d audit entries are chained without a key (plain SHA-256): the chain shows a careless change, not a rewrite; run with --secret-keys", unkeyed))
	}
	if unchecked > 0 {
		r.Notes = append(r.Notes, fmt.Sprintf("%d audit entries are chained with a key and were not checked: give --secret-keys", unchecked))
	}
	return nil
}

// AuditGuardsMissing is the problem of the audit log's guards (the triggers
// that refuse to change or delete an entry) that are gone or disabled.
const AuditGuardsMissing = "guards of the audit log are missing or disabled (it can be changed)"

// idRange names the ids from a to b.
func idRange(a, b int64) string {
	if a == b {
		return fmt.Sprintf("entry %d", a)
	}
	return fmt.Sprintf("entries %d to %d", a, b)
}

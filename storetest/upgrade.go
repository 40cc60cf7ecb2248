package storetest

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"aftercare"
	"aftercare/sqlstore"
)

// Legacy secrets of the data Upgrade stores under the first clinic migration.
var (
	legacyTokenHash = aftercare.HashSecret("act_legacy")
	legacyLinkHash  = aftercare.HashSecret("link_legacy")
)

// legacyTime is when the legacy session ended.
var legacyTime = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// Upgrade checks that what a database held under the first clinic migration
// (00001) is all there once a store has migrated it to the latest, and that
// tokens from before scopes carry aftercare.DefaultTokenScopes. The database
// must stand at version 1 with nothing in it: exec runs one statement on it,
// blob writes bytes as an SQL literal of the database, and open opens it as a
// store, which migrates it.
func Upgrade(t *testing.T, exec func(query string) error, blob func([]byte) string, open func() aftercare.Store) {
	t.Helper()
	ci := checkIn(1, 1, aftercare.Consult)
	req, err := json.Marshal(ci.Request)
	must(t, err)
	resp, err := json.Marshal(ci.Assessment)
	must(t, err)
	at := func(d time.Duration) string {
		return "'" + legacyTime.Add(d).Format("2006-01-02T15:04:05.000000Z") + "'"
	}
	text := func(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
	for _, q := range []string{
		`INSERT INTO clinics (name, emergency_number, follow_up_hours, created_at) VALUES ('Legacy', '999', '[24,48]', ` + at(-time.Hour) + `)`,
		`INSERT INTO users (clinic_id, email, role, password_hash, created_at)
			VALUES (1, 'owner@legacy.example', 'owner', '$argon2id$legacy', ` + at(-time.Hour) + `)`,
		`INSERT INTO api_tokens (clinic_id, name, hash, created_at) VALUES (1, 'legacy desk', ` + blob(legacyTokenHash) + `, ` + at(-time.Hour) + `)`,
		`INSERT INTO clients (clinic_id, name, email, created_at) VALUES (1, 'Lee Legacy', 'lee@example.com', ` + at(-time.Hour) + `)`,
		`INSERT INTO screenings (clinic_id, client_id, health, notes, cautions, created_at)
			VALUES (1, 1, '["pregnancy"]', 'second trimester', '[]', ` + at(-time.Hour) + `)`,
		`INSERT INTO sessions (clinic_id, client_id, style, pressure, areas_worked, area_pressure, ended_at, notes, created_at)
			VALUES (1, 1, 'deep_tissue', 'firm', '["neck"]', '{}', ` + at(0) + `, 'legacy notes', ` + at(0) + `)`,
		`INSERT INTO session_links (clinic_id, session_id, hash, expires_at, created_at)
			VALUES (1, 1, ` + blob(legacyLinkHash) + `, ` + at(14*24*time.Hour) + `, ` + at(0) + `)`,
		`INSERT INTO follow_ups (clinic_id, session_id, hours, due_at, status) VALUES (1, 1, 24, ` + at(24*time.Hour) + `, 'scheduled')`,
		`INSERT INTO check_ins (clinic_id, session_id, hours_since, request, assessment, level, knowledge_version, created_at)
			VALUES (1, 1, 26.5, ` + text(string(req)) + `, ` + text(string(resp)) + `, 'consult', 'test-1', ` + at(26*time.Hour) + `)`,
		`INSERT INTO flags (clinic_id, check_in_id, level, headline, created_at) VALUES (1, 1, 'consult', 'Legacy flag', ` + at(26*time.Hour) + `)`,
	} {
		if err := exec(q); err != nil {
			t.Fatalf("store legacy data: %v\n%s", err, q)
		}
	}

	s := open()
	ctx := context.Background()
	c, err := s.FindClinic(ctx, 1)
	must(t, err)
	if c.Name != "Legacy" || !slices.Equal(c.FollowUpHours, []int{24, 48}) {
		t.Fatalf("legacy clinic = %+v", c)
	}
	u, err := s.FindUser(ctx, 1, 1)
	must(t, err)
	if u.Email != "owner@legacy.example" || u.PasswordHash != "$argon2id$legacy" {
		t.Fatalf("legacy user = %+v", u)
	}
	tok, err := s.FindToken(ctx, legacyTokenHash)
	must(t, err)
	if !slices.Equal(tok.Scopes, aftercare.DefaultTokenScopes) {
		t.Fatalf("legacy token scopes = %v, want the default %v", tok.Scopes, aftercare.DefaultTokenScopes)
	}
	toks, err := s.ListTokens(ctx, 1)
	must(t, err)
	same(t, "legacy tokens", toks, []*aftercare.APIToken{tok})
	sc, err := s.ListScreenings(ctx, 1, 1)
	must(t, err)
	if len(sc) != 1 || sc[0].Notes != "second trimester" {
		t.Fatalf("legacy screenings = %+v", sc)
	}
	se, err := s.FindSessionByLink(ctx, legacyLinkHash, legacyTime)
	must(t, err)
	if se.ID != 1 || se.Notes != "legacy notes" || len(se.FollowUps) != 1 || len(se.CheckIns) != 1 {
		t.Fatalf("legacy session = %+v", se)
	}
	got := se.CheckIns[0]
	same(t, "legacy request", got.Request, ci.Request)
	same(t, "legacy assessment", got.Assessment, ci.Assessment)
	if got.IdempotencyKey != "" {
		t.Fatalf("legacy check-in has idempotency key %q, want none", got.IdempotencyKey)
	}
	flags, err := s.ListClientFlags(ctx, 1, 1)
	must(t, err)
	if len(flags) != 1 || flags[0].Headline != "Legacy flag" || flags[0].CheckInID != got.ID {
		t.Fatalf("legacy flags = %+v", flags)
	}

	// What the later migrations added works on the legacy data.
	retry := checkIn(1, 1, aftercare.Monitor)
	retry.IdempotencyKey = "after-upgrade"
	_, err = s.CreateCheckIn(ctx, retry)
	must(t, err)
	again := checkIn(1, 1, aftercare.Monitor)
	again.IdempotencyKey = "after-upgrade"
	_, err = s.CreateCheckIn(ctx, again)
	must(t, err)
	if !again.Replayed || again.ID != retry.ID {
		t.Fatalf("retry after the upgrade = %+v, want check-in %d replayed", again, retry.ID)
	}
	staffSession(t, s, u, legacyTime)
	must(t, s.AppendAudit(ctx, entry(1, legacyTime, aftercare.AuditRead)))
}

// UpgradeAuditChain checks that audit entries made before the chain began
// (schema 00002 up to the chain's migration) stand before it once a store has migrated the
// database: the entries appended then chain on, and verify finds no problem
// and notes the entries the chain does not cover. The database must stand
// at version 2 with nothing in it; exec runs one statement on it, open opens
// it as a store, which migrates it, and verify checks it.
func UpgradeAuditChain(t *testing.T, exec func(query string) error, open func() aftercare.Store, verify func(s aftercare.Store) (*sqlstore.VerifyReport, error)) {
	t.Helper()
	for range 2 {
		must(t, exec(`INSERT INTO audit_log (at, actor, action, outcome) VALUES ('2026-01-02T03:04:05.000000Z', 'cli', 'read', 'ok')`))
	}
	s := open()
	for range 2 {
		must(t, s.AppendAudit(context.Background(), entry(0, legacyTime, aftercare.AuditLoginFailed)))
	}
	r, err := verify(s)
	must(t, err)
	want := "2 audit entries were made before the chain began and are not covered by it"
	if !r.OK() || !slices.Contains(r.Notes, want) {
		t.Errorf("problems %q, notes %q; want none and %q", r.Problems, r.Notes, want)
	}
}

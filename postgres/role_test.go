package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"aftercare"
	"aftercare/postgres"
)

// runtimeGrants returns the statements docs/operations.md gives for the
// servers' runtime role, for a role named role in database db.
func runtimeGrants(t *testing.T, role, db string) []string {
	t.Helper()
	doc, err := os.ReadFile("../docs/operations.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)<!-- runtime-role-grants -->\n```sql\n(.*?)```").FindSubmatch(doc)
	if m == nil {
		t.Fatal("docs/operations.md holds no runtime role grants")
	}
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(string(m[1])), "\n") {
		line = strings.ReplaceAll(line, "aftercare_app", role)
		line = strings.ReplaceAll(line, "DATABASE aftercare ", "DATABASE "+db+" ")
		out = append(out, strings.TrimSuffix(line, ";"))
	}
	return out
}

// TestRuntimeRole connects as the runtime role of docs/operations.md, the
// schema migrated by its owner: the role runs the store and adds to and
// reads the audit log, and cannot change, delete, truncate or unguard it.
func TestRuntimeRole(t *testing.T) {
	ctx := t.Context()
	ownerURL := freshDatabase(t)
	owner, err := postgres.Open(ctx, ownerURL)
	if err != nil {
		t.Fatal(err)
	}
	owner.Close()

	u, err := url.Parse(ownerURL)
	if err != nil {
		t.Fatal(err)
	}
	dbName := strings.TrimPrefix(u.Path, "/")
	b := make([]byte, 6)
	rand.Read(b)
	role := "aftercare_app_" + hex.EncodeToString(b)
	admin, err := pgx.Connect(ctx, ownerURL)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(context.Background())
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, ownerURL)
		if err != nil {
			t.Errorf("drop role %s: %v", role, err)
			return
		}
		defer c.Close(ctx)
		for _, q := range []string{"DROP OWNED BY " + role, "DROP ROLE " + role} {
			if _, err := c.Exec(ctx, q); err != nil {
				t.Errorf("%s: %v", q, err)
			}
		}
	})
	for _, q := range runtimeGrants(t, role, dbName) {
		if _, err := admin.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	u.User = url.UserPassword(role, "change me")
	runtimeURL := u.String()

	s, err := postgres.Open(ctx, runtimeURL)
	if err != nil {
		t.Fatalf("open as the runtime role: %v", err)
	}
	defer s.Close()
	c := &aftercare.Clinic{Name: "runtime", EmergencyNumber: "999", FollowUpHours: []int{24}}
	if err := s.CreateClinic(ctx, c); err != nil {
		t.Fatalf("the runtime role makes a clinic: %v", err)
	}
	t.Run("the runtime role adds to the audit log and reads it", func(t *testing.T) {
		e := &aftercare.AuditEntry{ClinicID: c.ID, Actor: "cli", Action: aftercare.AuditRead, Outcome: aftercare.OutcomeOK}
		if err := s.AppendAudit(ctx, e); err != nil {
			t.Fatalf("append: %v", err)
		}
		list, err := s.ListAudit(ctx, c.ID, time.Time{})
		if err != nil || len(list) != 1 || list[0].ID != e.ID {
			t.Fatalf("list: %v, %v; want the entry %d", list, err, e.ID)
		}
	})
	conn, err := pgx.Connect(ctx, runtimeURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	for _, q := range []string{
		`UPDATE audit_log SET actor = 'someone'`,
		`DELETE FROM audit_log`,
		`TRUNCATE audit_log`,
		`DROP TRIGGER audit_log_append_only ON audit_log`,
		`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`,
		`CREATE RULE audit_log_hide AS ON INSERT TO audit_log DO INSTEAD NOTHING`,
		`DROP TABLE audit_log`,
	} {
		t.Run("the runtime role is refused: "+q, func(t *testing.T) {
			_, err := conn.Exec(ctx, q)
			if err == nil || !strings.Contains(err.Error(), "42501") {
				t.Errorf("err %v, want permission denied (42501)", err)
			}
		})
	}
	r, err := postgres.Verify(ctx, ownerURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !r.OK() {
		t.Errorf("verify found %q after the runtime role's attempts, want nothing", r.Problems)
	}
}

package main

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestVerifyAuditChain runs aftercare verify on an audit log that admin
// commands chained under the keyring of --secret-keys.
func TestVerifyAuditChain(t *testing.T) {
	dir := t.TempDir()
	keys := filepath.Join(t.TempDir(), "secret.keys")
	line := runCommand(t, nil, "", "admin", "new-secret-key", "--id", "k1")
	if line.code != 0 || os.WriteFile(keys, []byte(line.stdout), 0o600) != nil {
		t.Fatalf("new-secret-key: exit %d: %s", line.code, line.stderr)
	}
	if out := runCommand(t, nil, "", "admin", "create-clinic", "--data", dir, "--secret-keys", keys, "--name", "Calm Hands"); out.code != 0 {
		t.Fatalf("create-clinic: exit %d: %s", out.code, out.stderr)
	}
	for _, name := range []string{"desk", "night"} {
		if out := runCommand(t, nil, "", "admin", "create-token", "--data", dir, "--secret-keys", keys, "--clinic", "1", "--name", name); out.code != 0 {
			t.Fatalf("create-token: exit %d: %s", out.code, out.stderr)
		}
	}
	tests := []struct {
		name   string
		spoil  []string
		args   []string
		code   int
		say    string
		silent string
	}{
		{name: "the chain checks under the keyring", args: []string{"--secret-keys", keys}, code: 0,
			say: "problems: none", silent: "not checked"},
		{name: "without the keyring the keyed chain is noted unchecked", code: 0,
			say: "2 audit entries are chained with a key and were not checked"},
		{name: "a changed entry is named", args: []string{"--secret-keys", keys}, code: 1,
			spoil: []string{`DROP TRIGGER audit_log_no_update`, `UPDATE audit_log SET actor = 'someone' WHERE id = 1`},
			say:   "do not match their chain hash (changed, or chained anew): entry 1"},
		{name: "a dropped guard is named", args: []string{"--secret-keys", keys}, code: 1,
			spoil: []string{`DROP TRIGGER audit_log_no_delete`},
			say:   "guards of the audit log are missing or disabled (it can be changed): audit_log_no_delete"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if len(tt.spoil) > 0 {
				db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "aftercare.db"))
				if err != nil {
					t.Fatal(err)
				}
				for _, q := range tt.spoil {
					if _, err := db.Exec(q); err != nil {
						t.Fatalf("%s: %v", q, err)
					}
				}
				db.Close()
			}
			out := runCommand(t, nil, "", append([]string{"verify", "--data", dir}, tt.args...)...)
			if out.code != tt.code || !strings.Contains(out.stdout, tt.say) || tt.silent != "" && strings.Contains(out.stdout, tt.silent) {
				t.Errorf("verify: exit %d, want %d saying %q:\n%s%s", out.code, tt.code, tt.say, out.stdout, out.stderr)
			}
		})
	}
}

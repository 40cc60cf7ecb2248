package main

import (
	"aftercare/keyring"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"aftercare"
	"aftercare/password"
	"aftercare/sqlite"
)

var (
	clinicIDLine = regexp.MustCompile(`(?m)^clinic_id: (\d+)$`)
	tokenLine    = regexp.MustCompile(`(?m)^token: (act_[A-Za-z0-9_-]{43})$`)
	tokenIDLine  = regexp.MustCompile(`(?m)^token_id: (\d+)$`)
)

func TestAdminEndToEnd(t *testing.T) {
	for _, kind := range storeKinds {
		t.Run("on "+kind, func(t *testing.T) {
			where := storeArgs(t, kind)
			admin := func(stdin string, args ...string) outcome {
				return runCommand(t, nil, stdin, append(append([]string{"admin"}, args...), where...)...)
			}
			var clinicID, tokenID string
			t.Run("create-clinic prints the clinic's id", func(t *testing.T) {
				out := admin("", "create-clinic", "--name", "Calm Hands", "--emergency-number", "112", "--notify-email", "desk@calm.example")
				m := clinicIDLine.FindStringSubmatch(out.stdout)
				if out.code != 0 || m == nil {
					t.Fatalf("exit %d, stdout %q, stderr %q", out.code, out.stdout, out.stderr)
				}
				clinicID = m[1]
				if strings.Contains(out.stdout, "webhook_secret") {
					t.Error("a secret was printed without a webhook")
				}
			})
			t.Run("create-clinic with a webhook prints its secret once", func(t *testing.T) {
				var keys []string
				if kind == "PostgreSQL" {
					out := admin("", "create-clinic", "--name", "Hooked", "--webhook-url", "https://hooks.example/aftercare")
					if out.code == 0 || !strings.Contains(out.stderr, "--secret-keys") {
						t.Fatalf("without a keyring on PostgreSQL: exit %d, stderr %q; want a refusal naming --secret-keys", out.code, out.stderr)
					}
					file := filepath.Join(t.TempDir(), "keys")
					line := runCommand(t, nil, "", "admin", "new-secret-key").stdout
					if err := os.WriteFile(file, []byte(line), 0o600); err != nil {
						t.Fatal(err)
					}
					keys = []string{"--secret-keys", file}
				}
				out := admin("", append([]string{"create-clinic", "--name", "Hooked", "--webhook-url", "https://hooks.example/aftercare"}, keys...)...)
				if out.code != 0 || !regexp.MustCompile(`(?m)^webhook_secret: whsec_\S{43}$`).MatchString(out.stdout) {
					t.Fatalf("exit %d, stdout %q, stderr %q", out.code, out.stdout, out.stderr)
				}
			})
			var pacificID string
			t.Run("create-clinic --time-zone stores the clinic's zone, and set-time-zone changes it", func(t *testing.T) {
				out := admin("", "create-clinic", "--name", "Pacific Kneads", "--time-zone", "America/Los_Angeles")
				m := clinicIDLine.FindStringSubmatch(out.stdout)
				if out.code != 0 || m == nil {
					t.Fatalf("exit %d, stdout %q, stderr %q", out.code, out.stdout, out.stderr)
				}
				pacificID = m[1]
				if list := admin("", "list-clinics"); !regexp.MustCompile(`(?m)^` + pacificID + `\s+Pacific Kneads\s.*America/Los_Angeles`).MatchString(list.stdout) {
					t.Fatalf("list-clinics does not show the zone: %q", list.stdout)
				}
				out = admin("", "set-time-zone", "--clinic", pacificID, "--time-zone", "Europe/London")
				if out.code != 0 || !strings.Contains(out.stdout, "time_zone: Europe/London") {
					t.Fatalf("set-time-zone: exit %d, stdout %q, stderr %q", out.code, out.stdout, out.stderr)
				}
				if list := admin("", "list-clinics"); !regexp.MustCompile(`(?m)^` + pacificID + `\s+Pacific Kneads\s.*Europe/London`).MatchString(list.stdout) {
					t.Fatalf("list-clinics does not show the new zone: %q", list.stdout)
				}
				if audit := admin("", "audit", "--clinic", pacificID); !strings.Contains(audit.stdout, "clinic/"+pacificID+"/time_zone") {
					t.Errorf("the change is not in the audit log: %q", audit.stdout)
				}
			})
			t.Run("list-clinics shows both clinics", func(t *testing.T) {
				out := admin("", "list-clinics")
				if out.code != 0 || !strings.Contains(out.stdout, "Calm Hands") || !strings.Contains(out.stdout, "112") ||
					!strings.Contains(out.stdout, "Hooked") || !strings.Contains(out.stdout, "24,48,72") {
					t.Fatalf("exit %d, stdout %q", out.code, out.stdout)
				}
			})
			t.Run("create-user hashes the password from standard input", func(t *testing.T) {
				out := admin("correct horse battery\n", "create-user", "--clinic", clinicID, "--email", "ana@calm.example", "--role", "owner")
				if out.code != 0 || !regexp.MustCompile(`(?m)^user_id: \d+$`).MatchString(out.stdout) {
					t.Fatalf("exit %d, stdout %q, stderr %q", out.code, out.stdout, out.stderr)
				}
				if strings.Contains(out.stdout+out.stderr, "correct horse") {
					t.Error("the password was printed")
				}
			})
			t.Run("create-token prints a token once", func(t *testing.T) {
				out := admin("", "create-token", "--clinic", clinicID, "--name", "front desk")
				m, id := tokenLine.FindStringSubmatch(out.stdout), tokenIDLine.FindStringSubmatch(out.stdout)
				if out.code != 0 || m == nil || id == nil {
					t.Fatalf("exit %d, stdout %q, stderr %q", out.code, out.stdout, out.stderr)
				}
				tokenID = id[1]
			})
			t.Run("revoke-token revokes the token", func(t *testing.T) {
				out := admin("", "revoke-token", "--clinic", clinicID, "--id", tokenID)
				if out.code != 0 || !strings.Contains(out.stdout, "revoked") {
					t.Fatalf("exit %d, stdout %q, stderr %q", out.code, out.stdout, out.stderr)
				}
				again := admin("", "revoke-token", "--clinic", clinicID, "--id", "999999")
				if again.code != 1 {
					t.Errorf("revoking an unknown token: exit %d, stderr %q", again.code, again.stderr)
				}
			})
			refused := []struct {
				name  string
				stdin string
				args  []string
				code  int
				says  string
			}{
				{"create-clinic without a name", "", []string{"create-clinic"}, 2, "--name is required"},
				{"create-clinic with a bad webhook URL", "", []string{"create-clinic", "--name", "X", "--webhook-url", "ftp://x"}, 2, "--webhook-url"},
				{"create-clinic with bad follow-up hours", "", []string{"create-clinic", "--name", "X", "--follow-up-hours", "24,soon"}, 1, "follow-up-hours"},
				{"create-user with a short password", "short pass\n", []string{"create-user", "--clinic", clinicID, "--email", "b@calm.example", "--role", "therapist"}, 1, "at least 12"},
				{"create-user with a common password", "password1234\n", []string{"create-user", "--clinic", clinicID, "--email", "b@calm.example", "--role", "therapist"}, 1, "most common passwords"},
				{"create-user with twelve spaces", "            \n", []string{"create-user", "--clinic", clinicID, "--email", "b@calm.example", "--role", "therapist"}, 1, "only spaces"},
				{"create-user with the email as the password", "b@calm.example!!\n", []string{"create-user", "--clinic", clinicID, "--email", "b@calm.example", "--role", "therapist"}, 1, "your email"},
				{"create-user with no password", "", []string{"create-user", "--clinic", clinicID, "--email", "b@calm.example", "--role", "therapist"}, 1, "standard input"},
				{"create-user with an unknown role", "a long enough password\n", []string{"create-user", "--clinic", clinicID, "--email", "b@calm.example", "--role", "boss"}, 2, "--role"},
				{"create-user with a bad email", "a long enough password\n", []string{"create-user", "--clinic", clinicID, "--email", "nobody", "--role", "owner"}, 2, "--email"},
				{"create-user of an unknown clinic", "a long enough password\n", []string{"create-user", "--clinic", "999999", "--email", "b@calm.example", "--role", "owner"}, 1, "no clinic"},
				{"create-token of an unknown clinic", "", []string{"create-token", "--clinic", "999999", "--name", "x"}, 1, "no clinic"},
				{"create-clinic with a zone in words", "", []string{"create-clinic", "--name", "X", "--time-zone", "Pacific Time"}, 2, "--time-zone: time_zone must be an IANA time zone name such as Europe/London"},
				{"create-clinic with an empty zone", "", []string{"create-clinic", "--name", "X", "--time-zone", " "}, 2, "--time-zone"},
				{"set-time-zone to a misspelt zone", "", []string{"set-time-zone", "--clinic", clinicID, "--time-zone", "Europe/Londn"}, 2, "IANA time zone"},
				{"set-time-zone without a zone", "", []string{"set-time-zone", "--clinic", clinicID}, 2, "--time-zone is required"},
				{"set-time-zone of an unknown clinic", "", []string{"set-time-zone", "--clinic", "999999", "--time-zone", "Europe/London"}, 1, "no clinic"},
				{"create-token without a clinic", "", []string{"create-token", "--name", "x"}, 2, "--clinic is required"},
				{"an unknown admin command", "", []string{"drop-everything"}, 2, "unknown admin command"},
			}
			for _, tt := range refused {
				t.Run(tt.name+" is refused", func(t *testing.T) {
					out := admin(tt.stdin, tt.args...)
					if out.code != tt.code || !strings.Contains(out.stderr, tt.says) {
						t.Errorf("exit %d (want %d), stderr %q (want %q)", out.code, tt.code, out.stderr, tt.says)
					}
				})
			}
		})
	}
}

func TestAdminStoresWhatItSays(t *testing.T) {
	dir := t.TempDir()
	out := runCommand(t, nil, "", "admin", "create-clinic", "--name", "Calm Hands", "--data", dir)
	clinicID := clinicIDLine.FindStringSubmatch(out.stdout)[1]
	runCommand(t, nil, "correct horse battery\n", "admin", "create-user", "--clinic", clinicID, "--email", "ana@calm.example", "--role", "therapist", "--data", dir)
	tok := runCommand(t, nil, "", "admin", "create-token", "--clinic", clinicID, "--name", "desk", "--data", dir)
	token := tokenLine.FindStringSubmatch(tok.stdout)[1]

	st, err := sqlite.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	t.Run("the user's password is an Argon2id hash that verifies", func(t *testing.T) {
		u, err := st.FindUserByEmail(ctx, "ana@calm.example")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(u.PasswordHash, "$argon2id$v=19$m=19456,t=2,p=1$") || u.Role != aftercare.RoleTherapist {
			t.Fatalf("user %+v, hash %q", u, u.PasswordHash)
		}
		if ok, err := password.Verify("correct horse battery", u.PasswordHash); !ok || err != nil {
			t.Errorf("Verify = %v, %v", ok, err)
		}
	})
	t.Run("the token is stored as its hash only", func(t *testing.T) {
		got, err := st.FindToken(ctx, aftercare.HashSecret(token))
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "desk" {
			t.Errorf("token %+v", got)
		}
	})
	t.Run("a revoked token is no longer found", func(t *testing.T) {
		got, _ := st.FindToken(ctx, aftercare.HashSecret(token))
		out := runCommand(t, nil, "", "admin", "revoke-token", "--clinic", clinicID, "--id", strconv.FormatInt(got.ID, 10), "--data", dir)
		if out.code != 0 {
			t.Fatalf("exit %d: %s", out.code, out.stderr)
		}
		if _, err := st.FindToken(ctx, aftercare.HashSecret(token)); aftercare.ErrorCode(err) != aftercare.ENOTFOUND {
			t.Errorf("FindToken after revoking: %v", err)
		}
	})
}

func TestAdminReadsTheEnvironment(t *testing.T) {
	fromEnv, fromFlag := t.TempDir(), t.TempDir()
	tests := []struct {
		name string
		env  map[string]string
		args []string
	}{
		{"AFTERCARE_DATA names the data directory", map[string]string{"AFTERCARE_DATA": fromEnv}, nil},
		{"--data wins over AFTERCARE_DATA", map[string]string{"AFTERCARE_DATA": fromEnv}, []string{"--data", fromFlag}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := runCommand(t, tt.env, "", append([]string{"admin", "create-clinic", "--name", "Env"}, tt.args...)...)
			if out.code != 0 {
				t.Fatalf("exit %d: %s", out.code, out.stderr)
			}
		})
	}
	t.Run("the clinics landed where they were sent", func(t *testing.T) {
		envOut := runCommand(t, nil, "", "admin", "list-clinics", "--data", fromEnv)
		flagOut := runCommand(t, nil, "", "admin", "list-clinics", "--data", fromFlag)
		if strings.Count(envOut.stdout, "Env") != 1 || strings.Count(flagOut.stdout, "Env") != 1 {
			t.Errorf("env dir:\n%s\nflag dir:\n%s", envOut.stdout, flagOut.stdout)
		}
	})
	t.Run("a --database that is not PostgreSQL is refused", func(t *testing.T) {
		out := runCommand(t, map[string]string{"AFTERCARE_DATABASE_URL": "mysql://root@localhost/x"}, "", "admin", "list-clinics")
		if out.code != 1 || !strings.Contains(out.stderr, "postgres://") {
			t.Errorf("exit %d: %s", out.code, out.stderr)
		}
	})
}

func TestAdminAccounts(t *testing.T) {
	for _, kind := range storeKinds {
		t.Run("on "+kind, func(t *testing.T) {
			where := storeArgs(t, kind)
			admin := func(stdin string, args ...string) outcome {
				return runCommand(t, nil, stdin, append(append([]string{"admin"}, args...), where...)...)
			}
			out := admin("", "create-clinic", "--name", "Audited")
			clinicID := clinicIDLine.FindStringSubmatch(out.stdout)[1]
			email := "owner-" + strconv.FormatInt(time.Now().UnixNano(), 36) + "@audited.example"
			var tokenID string
			t.Run("create-token takes scopes and prints them", func(t *testing.T) {
				out := admin("", "create-token", "--clinic", clinicID, "--name", "exports", "--scopes", "read,export,read")
				if out.code != 0 || !strings.Contains(out.stdout, "scopes: read,export\n") || tokenLine.FindStringSubmatch(out.stdout) == nil {
					t.Fatalf("exit %d, stdout %q, stderr %q", out.code, out.stdout, out.stderr)
				}
				tokenID = tokenIDLine.FindStringSubmatch(out.stdout)[1]
			})
			t.Run("create-token without scopes gives read and write", func(t *testing.T) {
				out := admin("", "create-token", "--clinic", clinicID, "--name", "desk")
				if out.code != 0 || !strings.Contains(out.stdout, "scopes: read,write\n") {
					t.Fatalf("exit %d, stdout %q, stderr %q", out.code, out.stdout, out.stderr)
				}
			})
			t.Run("list-tokens shows each token's scopes, last use and revocation, never the secret", func(t *testing.T) {
				admin("", "revoke-token", "--clinic", clinicID, "--id", tokenID)
				out := admin("", "list-tokens", "--clinic", clinicID)
				if out.code != 0 || !strings.Contains(out.stdout, "exports") || !strings.Contains(out.stdout, "read,export") ||
					!strings.Contains(out.stdout, "LAST USED") || strings.Contains(out.stdout, "act_") {
					t.Fatalf("exit %d, stdout %q", out.code, out.stdout)
				}
				for line := range strings.Lines(out.stdout) {
					times := regexp.MustCompile(`\d{4}-\d\d-\d\dT\S+`).FindAllString(line, -1)
					if strings.Contains(line, "exports") && len(times) != 2 {
						t.Errorf("the revoked token does not show its creation and revocation: %q", line)
					}
				}
			})
			t.Run("set-password replaces the password", func(t *testing.T) {
				admin("first password is long\n", "create-user", "--clinic", clinicID, "--email", email, "--role", "owner")
				out := admin("second password is longer\n", "set-password", "--clinic", clinicID, "--email", email)
				if out.code != 0 || strings.Contains(out.stdout+out.stderr, "second password") {
					t.Fatalf("exit %d, stdout %q, stderr %q", out.code, out.stdout, out.stderr)
				}
			})
			t.Run("create-token --expires prints when the token expires", func(t *testing.T) {
				out := admin("", "create-token", "--clinic", clinicID, "--name", "quarterly", "--expires", "90d")
				want := time.Now().AddDate(0, 0, 90).UTC().Format(time.DateOnly)
				if out.code != 0 || !strings.Contains(out.stdout, "expires: "+want) {
					t.Fatalf("exit %d, stdout %q, stderr %q (want an expiry on %s)", out.code, out.stdout, out.stderr, want)
				}
			})
			t.Run("list-tokens shows each token's expiry, never for one without", func(t *testing.T) {
				out := admin("", "list-tokens", "--clinic", clinicID)
				want := time.Now().AddDate(0, 0, 90).UTC().Format(time.DateOnly)
				for line := range strings.Lines(out.stdout) {
					switch {
					case strings.Contains(line, "quarterly") && !strings.Contains(line, want):
						t.Errorf("the expiring token does not show its expiry: %q", line)
					case strings.Contains(line, "desk") && !strings.HasSuffix(strings.TrimSpace(line), "never"):
						t.Errorf("the token without an expiry does not say never: %q", line)
					}
				}
				if !strings.Contains(out.stdout, "EXPIRES") {
					t.Errorf("no EXPIRES column: %q", out.stdout)
				}
			})
			t.Run("disable-user and enable-user say what they did", func(t *testing.T) {
				for _, tc := range []struct{ command, says string }{
					{"disable-user", "disabled; their sign-ins are ended"},
					{"disable-user", "disabled; their sign-ins are ended"},
					{"enable-user", "enabled"},
				} {
					out := admin("", tc.command, "--clinic", clinicID, "--email", email)
					if out.code != 0 || !strings.Contains(out.stdout, tc.says) {
						t.Fatalf("%s: exit %d, stdout %q, stderr %q", tc.command, out.code, out.stdout, out.stderr)
					}
				}
			})
			t.Run("audit prints what the commands changed", func(t *testing.T) {
				out := admin("", "audit", "--clinic", clinicID)
				if out.code != 0 {
					t.Fatalf("exit %d: %s", out.code, out.stderr)
				}
				for _, want := range []string{"ACTOR", "cli", "token/" + tokenID, "user/", "/password", "/disabled", "/enabled", "create", "update"} {
					if !strings.Contains(out.stdout, want) {
						t.Errorf("the audit lacks %q:\n%s", want, out.stdout)
					}
				}
			})
			t.Run("audit prints JSON lines", func(t *testing.T) {
				out := admin("", "audit", "--clinic", clinicID, "--since", "2020-01-01", "--format", "json")
				lines := strings.Split(strings.TrimSpace(out.stdout), "\n")
				if out.code != 0 || len(lines) < 4 {
					t.Fatalf("exit %d, stdout %q", out.code, out.stdout)
				}
				for _, line := range lines {
					var e aftercare.AuditEntry
					if err := json.Unmarshal([]byte(line), &e); err != nil || e.Actor != "cli" || e.At.IsZero() {
						t.Errorf("line %q: %+v, %v", line, e, err)
					}
				}
			})
			t.Run("audit prints CSV with a header", func(t *testing.T) {
				out := admin("", "audit", "--clinic", clinicID, "--format", "csv")
				rows, err := csv.NewReader(strings.NewReader(out.stdout)).ReadAll()
				if out.code != 0 || err != nil || len(rows) < 5 || rows[0][0] != "id" || rows[0][3] != "actor" {
					t.Fatalf("exit %d, %v, stdout %q", out.code, err, out.stdout)
				}
			})
			t.Run("audit of the unattributed attempts leaves out every clinic's entries", func(t *testing.T) {
				out := admin("", "audit", "--unattributed", "--format", "json")
				if out.code != 0 || strings.Contains(out.stdout, `"actor":"cli"`) {
					t.Fatalf("exit %d, stdout %q, stderr %q", out.code, out.stdout, out.stderr)
				}
			})
			t.Run("audit since tomorrow prints only the header", func(t *testing.T) {
				out := admin("", "audit", "--clinic", clinicID, "--since", time.Now().Add(48*time.Hour).Format(time.DateOnly))
				if out.code != 0 || strings.Count(strings.TrimSpace(out.stdout), "\n") != 0 {
					t.Fatalf("exit %d, stdout %q", out.code, out.stdout)
				}
			})
			refused := []struct {
				name  string
				stdin string
				args  []string
				code  int
				says  string
			}{
				{"create-token with an unknown scope", "", []string{"create-token", "--clinic", clinicID, "--name", "x", "--scopes", "read,admin"}, 2, "allowed: read, write, export, erase"},
				{"create-token with no scope", "", []string{"create-token", "--clinic", clinicID, "--name", "x", "--scopes", ","}, 2, "allowed: read, write, export, erase"},
				{"audit with a bad since", "", []string{"audit", "--clinic", clinicID, "--since", "last week"}, 2, "--since"},
				{"audit with an unknown format", "", []string{"audit", "--clinic", clinicID, "--format", "xml"}, 2, "allowed: text, csv, json"},
				{"audit of an unknown clinic", "", []string{"audit", "--clinic", "999999"}, 1, "no clinic"},
				{"audit of neither a clinic nor the unattributed attempts", "", []string{"audit"}, 2, "--clinic is required"},
				{"audit of a clinic and the unattributed attempts at once", "", []string{"audit", "--clinic", clinicID, "--unattributed"}, 2, "exclude each other"},
				{"list-tokens of an unknown clinic", "", []string{"list-tokens", "--clinic", "999999"}, 1, "no clinic"},
				{"create-token expiring in the past", "", []string{"create-token", "--clinic", clinicID, "--name", "x", "--expires", "2020-01-01"}, 2, "not in the future"},
				{"create-token expiring in no days", "", []string{"create-token", "--clinic", clinicID, "--name", "x", "--expires", "0d"}, 2, "1 to"},
				{"create-token with an expiry that is no time", "", []string{"create-token", "--clinic", clinicID, "--name", "x", "--expires", "soon"}, 2, "such as 90d"},
				{"disable-user of an unknown user", "", []string{"disable-user", "--clinic", clinicID, "--email", "nobody@x.example"}, 1, "no user"},
				{"enable-user of another clinic's user", "", []string{"enable-user", "--clinic", "999999", "--email", email}, 1, "no clinic"},
				{"set-password of an unknown user", "a long enough password\n", []string{"set-password", "--clinic", clinicID, "--email", "nobody@x.example"}, 1, "no user"},
				{"set-password of another clinic's user", "a long enough password\n", []string{"set-password", "--clinic", "999999", "--email", email}, 1, "no clinic"},
				{"set-password with a short password", "short\n", []string{"set-password", "--clinic", clinicID, "--email", email}, 1, "at least 12"},
			}
			for _, tt := range refused {
				t.Run(tt.name+" is refused", func(t *testing.T) {
					out := admin(tt.stdin, tt.args...)
					if out.code != tt.code || !strings.Contains(out.stderr, tt.says) {
						t.Errorf("exit %d (want %d), stderr %q (want %q)", out.code, tt.code, out.stderr, tt.says)
					}
				})
			}
		})
	}
}

func TestAnExistingDataDirectoryIsKeptToItsOwner(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil { // whatever the umask
		t.Fatal(err)
	}
	runCommand(t, nil, "", "admin", "create-clinic", "--name", "Calm Hands", "--data", dir)
	fi, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o700 {
		t.Errorf("the data directory has mode %v, want 0700", fi.Mode().Perm())
	}
}

func TestWebhookSecretsAreSealedAtRest(t *testing.T) {
	dir := t.TempDir()
	out := runCommand(t, nil, "", "admin", "create-clinic", "--name", "Hooked", "--webhook-url", "https://hooks.example/aftercare", "--data", dir)
	m := regexp.MustCompile(`(?m)^webhook_secret: (whsec_\S{43})$`).FindStringSubmatch(out.stdout)
	if out.code != 0 || m == nil {
		t.Fatalf("exit %d, stdout %q, stderr %q", out.code, out.stdout, out.stderr)
	}
	secret := m[1]
	backup := filepath.Join(t.TempDir(), "backup.db")
	if b := runCommand(t, nil, "", "backup", "--out", backup, "--data", dir); b.code != 0 {
		t.Fatalf("backup: exit %d, stderr %q", b.code, b.stderr)
	}
	t.Run("neither the database files nor a backup hold the secret", func(t *testing.T) {
		files, _ := filepath.Glob(filepath.Join(dir, "*"))
		for _, f := range append(files, backup) {
			if filepath.Base(f) == "secret.keys" {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(b), secret) || strings.Contains(string(b), strings.TrimPrefix(secret, "whsec_")) {
				t.Errorf("%s holds the webhook secret in plain text", filepath.Base(f))
			}
		}
	})
	t.Run("the keyring was made beside the database, for its owner only", func(t *testing.T) {
		fi, err := os.Stat(filepath.Join(dir, "secret.keys"))
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("secret.keys: %v, mode %v", err, fi.Mode().Perm())
		}
	})
	t.Run("the stored secret opens with the keyring to the printed one", func(t *testing.T) {
		st, err := sqlite.Open(context.Background(), dir)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		cs, err := st.ListClinics(context.Background())
		if err != nil || len(cs) != 1 {
			t.Fatalf("clinics %v, %v", cs, err)
		}
		text, _ := os.ReadFile(filepath.Join(dir, "secret.keys"))
		ring, err := keyring.Parse(string(text))
		if err != nil {
			t.Fatal(err)
		}
		if got, err := ring.Open(cs[0].WebhookSecret, keyring.PurposeWebhookSecret); err != nil || got != secret {
			t.Fatalf("opened %q, %v; want the printed secret", got, err)
		}
	})
}

func TestParseExpiry(t *testing.T) {
	now := time.Date(2026, 12, 7, 10, 30, 0, 0, time.UTC)
	tests := []struct {
		in, want string // want "" is never; "error" is refused
	}{
		{"", ""},
		{"90d", "2027-03-07T10:30:00Z"},
		{"1d", "2026-12-08T10:30:00Z"},
		{"2027-03-01", "2027-03-01T00:00:00Z"},
		{"2027-03-01T09:00:00+01:00", "2027-03-01T08:00:00Z"},
		{"0d", "error"}, {"-3d", "error"}, {"+3d", "error"}, {"d", "error"}, {"99999d", "error"},
		{"2026-12-07", "error"}, {"90", "error"}, {"90 days", "error"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("--expires %q is %s", tt.in, tt.want), func(t *testing.T) {
			got, err := parseExpiry(tt.in, now)
			switch {
			case tt.want == "error":
				if err == nil || !strings.Contains(err.Error(), "--expires") {
					t.Fatalf("got %v, %v; want an error naming --expires", got, err)
				}
			case err != nil:
				t.Fatal(err)
			case tt.want == "" && got != nil, tt.want != "" && (got == nil || got.Format(time.RFC3339) != tt.want):
				t.Fatalf("got %v, want %q", got, tt.want)
			}
		})
	}
}

func FuzzParseExpiry(f *testing.F) {
	for _, s := range []string{"", "90d", "2027-03-01", "2027-03-01T09:00:00Z", "0d", "-1d", "x"} {
		f.Add(s)
	}
	now := time.Date(2026, 12, 7, 10, 30, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		got, err := parseExpiry(s, now)
		if err != nil {
			if got != nil || !strings.Contains(err.Error(), "--expires") {
				t.Fatalf("%q: %v with %v", s, err, got)
			}
			return
		}
		if got != nil && !got.After(now) {
			t.Fatalf("%q: expiry %v is not after now", s, got)
		}
		if got != nil && !got.Equal(aftercare.StoredTime(*got)) {
			t.Fatalf("%q: expiry %v is not as stored", s, got)
		}
	})
}

package main

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"

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
				out := admin("", "create-clinic", "--name", "Hooked", "--webhook-url", "https://hooks.example/aftercare")
				if out.code != 0 || !regexp.MustCompile(`(?m)^webhook_secret: whsec_\S{43}$`).MatchString(out.stdout) {
					t.Fatalf("exit %d, stdout %q, stderr %q", out.code, out.stdout, out.stderr)
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
				{"create-user with no password", "", []string{"create-user", "--clinic", clinicID, "--email", "b@calm.example", "--role", "therapist"}, 1, "standard input"},
				{"create-user with an unknown role", "a long enough password\n", []string{"create-user", "--clinic", clinicID, "--email", "b@calm.example", "--role", "boss"}, 2, "--role"},
				{"create-user with a bad email", "a long enough password\n", []string{"create-user", "--clinic", clinicID, "--email", "nobody", "--role", "owner"}, 2, "--email"},
				{"create-user of an unknown clinic", "a long enough password\n", []string{"create-user", "--clinic", "999999", "--email", "b@calm.example", "--role", "owner"}, 1, "no clinic"},
				{"create-token of an unknown clinic", "", []string{"create-token", "--clinic", "999999", "--name", "x"}, 1, "no clinic"},
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

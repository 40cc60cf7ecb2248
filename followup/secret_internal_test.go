package followup

import (
	"io"
	"log/slog"
	"strings"
	"testing"

	"aftercare"
	"aftercare/keyring"
)

func TestWebhookSecret(t *testing.T) {
	line, _ := keyring.NewKey("k1")
	ring, _ := keyring.Parse(line)
	other, _ := keyring.NewKey("k2")
	otherRing, _ := keyring.Parse(other)
	sealed, err := ring.Seal("whsec_plain", keyring.PurposeWebhookSecret)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, tt := range []struct {
		name   string
		ring   *keyring.Keyring
		stored string
		want   string // the secret, or a word of the error
		fails  bool
	}{
		{"a sealed secret opens with the keyring", ring, sealed, "whsec_plain", false},
		{"a sealed secret without a keyring is an error the job retries", nil, sealed, "--secret-keys", true},
		{"a sealed secret with a keyring that lacks its key is an error", otherRing, sealed, `no key "k1"`, true},
		{"a secret stored in plain text before sealing still signs", ring, "whsec_old", "whsec_old", false},
		{"no secret signs with nothing", ring, "", "", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Deps{Keyring: tt.ring}.webhookSecret(&aftercare.Clinic{WebhookSecret: tt.stored}, log)
			if tt.fails {
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("err = %v, want one saying %q", err, tt.want)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

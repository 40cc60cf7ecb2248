package keyring_test

import (
	"strings"
	"testing"

	"aftercare/keyring"
)

func mustKey(t *testing.T, id string) string {
	t.Helper()
	line, err := keyring.NewKey(id)
	if err != nil {
		t.Fatal(err)
	}
	return line
}

func mustParse(t *testing.T, text string) *keyring.Keyring {
	t.Helper()
	k, err := keyring.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestSealAndOpen(t *testing.T) {
	old, cur := mustKey(t, "k1"), mustKey(t, "k2")
	ring1 := mustParse(t, old)
	sealed, err := ring1.Seal("whsec_abc", "webhook_secret")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("a sealed value does not hold the secret", func(t *testing.T) {
		if !keyring.Sealed(sealed) || strings.Contains(sealed, "whsec_abc") || keyring.SealedWith(sealed) != "k1" {
			t.Fatalf("sealed value %q", sealed)
		}
	})
	t.Run("sealing twice gives two different values", func(t *testing.T) {
		again, _ := ring1.Seal("whsec_abc", "webhook_secret")
		if again == sealed {
			t.Fatal("the nonce was reused")
		}
	})
	t.Run("the key that sealed it opens it", func(t *testing.T) {
		if got, err := ring1.Open(sealed, "webhook_secret"); err != nil || got != "whsec_abc" {
			t.Fatalf("Open = %q, %v", got, err)
		}
	})
	t.Run("after rotation the new key seals and the old one still opens", func(t *testing.T) {
		ring2 := mustParse(t, "# rotated\n"+cur+"\n"+old+"\n")
		if got, err := ring2.Open(sealed, "webhook_secret"); err != nil || got != "whsec_abc" {
			t.Fatalf("Open = %q, %v", got, err)
		}
		resealed, _ := ring2.Seal("whsec_abc", "webhook_secret")
		if keyring.SealedWith(resealed) != "k2" || ring2.SealingID() != "k2" {
			t.Fatalf("resealed with %q", keyring.SealedWith(resealed))
		}
	})
	for _, tt := range []struct {
		name, text, purpose, value, want string
	}{
		{"a keyring without the sealing key cannot open it", cur, "webhook_secret", sealed, `no key "k1"`},
		{"a value sealed for another purpose does not open", old, "smtp_password", sealed, "does not open"},
		{"a changed value does not open", old, "webhook_secret", sealed[:len(sealed)-2] + "AA", "does not open"},
		{"a plain value is refused", old, "webhook_secret", "whsec_abc", "not sealed"},
		{"a truncated value is refused", old, "webhook_secret", keyring.Prefix + "k1:AAAA", "malformed"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := mustParse(t, tt.text).Open(tt.value, tt.purpose)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Open = %v, want an error saying %q", err, tt.want)
			}
		})
	}
}

func TestParseRefusesBadKeyrings(t *testing.T) {
	good := mustKey(t, "k1")
	for _, tt := range []struct{ name, text, want string }{
		{"an empty keyring", "\n# nothing\n", "holds no key"},
		{"a line with no id", "c2VjcmV0", "line 1: want ID:KEY"},
		{"a short key", "k1:c2VjcmV0", "line 1: key \"k1\" must be 32 bytes"},
		{"a key that is not base64", "k1:!!!!", "must be 32 bytes in base64"},
		{"an id with a space", "my key:" + strings.SplitN(good, ":", 2)[1], "letters, digits"},
		{"the same id twice", good + "\n" + good, "line 2: key id \"k1\" is given twice"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := keyring.Parse(tt.text)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Parse = %v, want an error saying %q", err, tt.want)
			}
			if err != nil && strings.Contains(err.Error(), strings.SplitN(good, ":", 2)[1]) {
				t.Fatal("the error shows the key")
			}
		})
	}
}

func FuzzParseAndOpen(f *testing.F) {
	key, _ := keyring.NewKey("k1")
	ring, _ := keyring.Parse(key)
	sealed, _ := ring.Seal("whsec", "webhook_secret")
	f.Add(key, sealed)
	f.Add("k1:AAAA\n#x", keyring.Prefix+"k1:")
	f.Add("", "sealed:v1:")
	f.Fuzz(func(t *testing.T, text, value string) {
		if k, err := keyring.Parse(text); err == nil {
			if _, err := k.Seal(value, "p"); err != nil {
				t.Fatal(err)
			}
			_, _ = k.Open(value, "p")
		}
		_, _ = ring.Open(value, "webhook_secret")
		_ = keyring.SealedWith(value)
	})
}

func TestDerivedKey(t *testing.T) {
	a, _ := keyring.NewKey("a")
	b, _ := keyring.NewKey("b")
	k, err := keyring.Parse(a + "\n" + b + "\n")
	if err != nil {
		t.Fatal(err)
	}
	ka, ok := k.DerivedKey("a", keyring.PurposeAuditChain)
	kb, okb := k.DerivedKey("b", keyring.PurposeAuditChain)
	kw, _ := k.DerivedKey("a", keyring.PurposeWebhookSecret)
	t.Run("each key of the ring derives its own key for a purpose", func(t *testing.T) {
		if !ok || !okb || len(ka) != 32 || string(ka) == string(kb) {
			t.Errorf("derived keys %x (%v) and %x (%v), want two different 32-byte keys", ka, ok, kb, okb)
		}
	})
	t.Run("another purpose derives another key", func(t *testing.T) {
		if string(ka) == string(kw) {
			t.Error("the same key for two purposes")
		}
	})
	t.Run("a derivation is the same each time", func(t *testing.T) {
		again, _ := k.DerivedKey("a", keyring.PurposeAuditChain)
		if string(again) != string(ka) {
			t.Error("two derivations differ")
		}
	})
	t.Run("a key id not in the ring derives nothing", func(t *testing.T) {
		if _, ok := k.DerivedKey("c", keyring.PurposeAuditChain); ok {
			t.Error("derived a key from a missing id")
		}
	})
}

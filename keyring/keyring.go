// Package keyring seals the secrets the service keeps (a clinic's webhook
// signing secret) with AES-256-GCM under keys kept outside the database, so
// that a copy of the database or a backup alone cannot forge a signed webhook.
//
// A keyring is a text file of lines "ID:KEY", KEY being 32 random bytes in
// base64 (make one with NewKey); blank lines and lines starting with # are
// skipped. The first key seals; every key opens what it sealed. To rotate:
// put a new key first, keep the old ones below it, run
// `aftercare admin reseal-secrets`, then drop the old keys.
package keyring

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// Prefix starts every sealed value: "sealed:v1:<key id>:<base64 nonce+ciphertext>".
const Prefix = "sealed:v1:"

// PurposeWebhookSecret is the purpose a clinic's webhook secret is sealed for.
const PurposeWebhookSecret = "webhook_secret"

// KeyBytes is the length of a key: AES-256.
const KeyBytes = 32

// maxIDLength bounds a key's id.
const maxIDLength = 32

// Keyring holds the keys, the sealing one first.
type Keyring struct {
	keys []key
}

type key struct {
	id   string
	raw  []byte
	aead cipher.AEAD
}

// NewKey returns a new keyring line with the given id and a random key.
func NewKey(id string) (string, error) {
	if err := checkID(id); err != nil {
		return "", err
	}
	b := make([]byte, KeyBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("keyring: no randomness: %w", err)
	}
	return id + ":" + base64.StdEncoding.EncodeToString(b), nil
}

func checkID(id string) error {
	if id == "" || len(id) > maxIDLength {
		return fmt.Errorf("a key id has 1 to %d characters", maxIDLength)
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return fmt.Errorf("key id %q: use letters, digits, '-', '_' and '.' only", id)
		}
	}
	return nil
}

// Parse reads a keyring from its text. Errors name the line and say what is
// wrong, never the key itself.
func Parse(text string) (*Keyring, error) {
	k := &Keyring{}
	seen := map[string]bool{}
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, b64, ok := strings.Cut(line, ":")
		if !ok {
			return nil, fmt.Errorf("keyring line %d: want ID:KEY (make a key with `aftercare admin new-secret-key`)", n+1)
		}
		if err := checkID(id); err != nil {
			return nil, fmt.Errorf("keyring line %d: %v", n+1, err)
		}
		if seen[id] {
			return nil, fmt.Errorf("keyring line %d: key id %q is given twice", n+1, id)
		}
		raw, err := base64.StdEncoding.DecodeString(b64)
		if err != nil || len(raw) != KeyBytes {
			return nil, fmt.Errorf("keyring line %d: key %q must be %d bytes in base64", n+1, id, KeyBytes)
		}
		block, err := aes.NewCipher(raw)
		if err != nil {
			return nil, fmt.Errorf("keyring line %d: %v", n+1, err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("keyring line %d: %v", n+1, err)
		}
		seen[id] = true
		k.keys = append(k.keys, key{id: id, raw: raw, aead: aead})
	}
	if len(k.keys) == 0 {
		return nil, errors.New("the keyring holds no key (make one with `aftercare admin new-secret-key`)")
	}
	return k, nil
}

// SealingID is the id of the key that seals.
func (k *Keyring) SealingID() string { return k.keys[0].id }

// Sealed reports whether s is a sealed value (of any key).
func Sealed(s string) bool { return strings.HasPrefix(s, Prefix) }

// Seal seals plain with the first key. purpose (such as "webhook_secret") is
// bound to the result: a value sealed for one purpose does not open for another.
func (k *Keyring) Seal(plain, purpose string) (string, error) {
	kk := k.keys[0]
	nonce := make([]byte, kk.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("keyring: no randomness: %w", err)
	}
	out := kk.aead.Seal(nonce, nonce, []byte(plain), []byte(purpose))
	return Prefix + kk.id + ":" + base64.RawURLEncoding.EncodeToString(out), nil
}

// Open opens a value sealed by Seal with any key of the ring. A value that is
// not sealed is an error: secrets are never kept in plain text.
func (k *Keyring) Open(sealed, purpose string) (string, error) {
	rest, ok := strings.CutPrefix(sealed, Prefix)
	if !ok {
		return "", errors.New("keyring: the value is not sealed")
	}
	id, b64, ok := strings.Cut(rest, ":")
	if !ok {
		return "", errors.New("keyring: a sealed value is malformed")
	}
	for _, kk := range k.keys {
		if kk.id != id {
			continue
		}
		raw, err := base64.RawURLEncoding.DecodeString(b64)
		if err != nil || len(raw) < kk.aead.NonceSize()+kk.aead.Overhead() {
			return "", errors.New("keyring: a sealed value is malformed")
		}
		n := kk.aead.NonceSize()
		plain, err := kk.aead.Open(nil, raw[:n], raw[n:], []byte(purpose))
		if err != nil {
			return "", fmt.Errorf("keyring: the value sealed with key %q does not open (changed, or sealed for another purpose)", id)
		}
		return string(plain), nil
	}
	return "", fmt.Errorf("keyring: no key %q in the keyring; put the key that sealed it back below the new one", id)
}

// SealedWith returns the id of the key that sealed s, or "".
func SealedWith(s string) string {
	rest, ok := strings.CutPrefix(s, Prefix)
	if !ok {
		return ""
	}
	id, _, _ := strings.Cut(rest, ":")
	return id
}

// PurposeAuditChain is the purpose of the key that chains the audit log.
const PurposeAuditChain = "audit_chain"

// DerivedKey returns a key for purpose (such as PurposeAuditChain) derived
// from the key id of the ring (HMAC-SHA256 of the purpose under it), and
// false when the ring has no such key. A derived key never seals; it serves
// where a secret must sign rather than hide, and the ring's own key stays
// with AES-GCM alone.
func (k *Keyring) DerivedKey(id, purpose string) ([]byte, bool) {
	for _, kk := range k.keys {
		if kk.id == id {
			m := hmac.New(sha256.New, kk.raw)
			m.Write([]byte("aftercare derived key: " + purpose))
			return m.Sum(nil), true
		}
	}
	return nil, false
}

package aftercare

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
)

// SecretBytes is the size of every random secret (API tokens, client links): 256 bits.
const SecretBytes = 32

// NewSecret returns a new random secret, as the text given once to its holder,
// and the hash under which it is stored. The text itself is never stored.
func NewSecret(prefix string) (text string, hash []byte) {
	b := make([]byte, SecretBytes)
	if _, err := rand.Read(b); err != nil {
		panic("aftercare: no randomness: " + err.Error())
	}
	text = prefix + base64.RawURLEncoding.EncodeToString(b)
	return text, HashSecret(text)
}

// HashSecret returns the stored form of a secret: its SHA-256 hash. A secret of
// 256 random bits needs no slow hash; passwords use one (package auth).
func HashSecret(text string) []byte {
	h := sha256.Sum256([]byte(text))
	return h[:]
}

// SameHash compares two hashes in constant time.
func SameHash(a, b []byte) bool { return subtle.ConstantTimeCompare(a, b) == 1 }

// Package password hashes staff passwords with Argon2id and checks them, in the
// PHC string format: $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>.
package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"
)

// The Argon2id parameters for new hashes (OWASP's minimum: 19 MiB, 2 passes, 1 lane).
const (
	// Memory is the memory cost in KiB.
	Memory = 19456
	// Time is the number of passes over the memory.
	Time = 2
	// Threads is the degree of parallelism.
	Threads = 1
	// SaltBytes is the length of the random salt.
	SaltBytes = 16
	// KeyBytes is the length of the derived hash.
	KeyBytes = 32
)

// MinLength is the fewest characters a password may have.
const MinLength = 12

// MaxLength is the most bytes a password may have, so hashing stays bounded.
const MaxLength = 1024

// ErrMalformed reports an encoded hash that is not an Argon2id PHC string this package can read.
var ErrMalformed = errors.New("password: malformed argon2id hash")

// Hash returns the Argon2id hash of pw with a fresh random salt, in PHC string format.
func Hash(pw string) (string, error) {
	salt := make([]byte, SaltBytes)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password: no randomness: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, Time, Memory, Threads, KeyBytes)
	return encode(Memory, Time, Threads, salt, key), nil
}

func encode(m uint32, t uint32, p uint8, salt, key []byte) string {
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, m, t, p, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// Verify reports whether pw matches the encoded hash; it returns ErrMalformed
// when the hash cannot be read. The comparison takes constant time.
func Verify(pw, encoded string) (bool, error) {
	parts := strings.Split(encoded, "$")
	// "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return false, ErrMalformed
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, ErrMalformed
	}
	var m, t uint32
	var p uint8
	if n, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || n != 3 || m == 0 || t == 0 || p == 0 {
		return false, ErrMalformed
	}
	// Refuse costs far above ours, so a planted hash cannot exhaust memory.
	if m > 1<<20 || t > 16 {
		return false, ErrMalformed
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil || len(salt) < 8 {
		return false, ErrMalformed
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) < 16 || len(want) > 128 {
		return false, ErrMalformed
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

var dummy struct {
	once sync.Once
	hash string
}

// Dummy returns the hash of a random password, made once per process: a
// sign-in for an unknown email is verified against it, so that it costs the
// same time as one for a known email and tells nothing of which emails exist.
func Dummy() string {
	dummy.once.Do(func() {
		salt := make([]byte, SaltBytes)
		pw := make([]byte, 32)
		_, _ = rand.Read(salt)
		_, _ = rand.Read(pw)
		dummy.hash = encode(Memory, Time, Threads, salt, argon2.IDKey(pw, salt, Time, Memory, Threads, KeyBytes))
	})
	return dummy.hash
}

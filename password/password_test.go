package password

import (
	"encoding/base64"
	"errors"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/crypto/argon2"
)

func TestHash(t *testing.T) {
	const pw = "correct horse battery staple"
	h, err := Hash(pw)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("the hash is a PHC string with the OWASP parameters", func(t *testing.T) {
		re := regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)
		if !re.MatchString(h) {
			t.Fatalf("hash %q is not in the expected format", h)
		}
	})
	t.Run("two hashes of one password differ by their salt", func(t *testing.T) {
		h2, err := Hash(pw)
		if err != nil {
			t.Fatal(err)
		}
		if h2 == h {
			t.Fatal("two hashes are equal; the salt is not random")
		}
	})
	t.Run("the hash matches an independent Argon2id computation", func(t *testing.T) {
		parts := strings.Split(h, "$")
		salt, _ := base64.RawStdEncoding.DecodeString(parts[4])
		key := argon2.IDKey([]byte(pw), salt, 2, 19456, 1, 32)
		if got := base64.RawStdEncoding.EncodeToString(key); got != parts[5] {
			t.Fatalf("hash part %q, want %q", parts[5], got)
		}
	})
	tests := []struct {
		name string
		pw   string
		want bool
	}{
		{"the right password verifies", pw, true},
		{"a wrong password does not verify", "correct horse battery stapler", false},
		{"an empty password does not verify", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := Verify(tt.pw, h)
			if err != nil {
				t.Fatal(err)
			}
			if ok != tt.want {
				t.Fatalf("Verify = %v, want %v", ok, tt.want)
			}
		})
	}
}

func TestVerifyRefusesMalformedHashes(t *testing.T) {
	good, err := Hash("a long enough password")
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(good, "$")
	tests := []struct {
		name    string
		encoded string
	}{
		{"an empty string", ""},
		{"a bcrypt hash", "$2a$10$abcdefghijklmnopqrstuu1234567890123456789012345678901"},
		{"argon2i instead of argon2id", strings.Replace(good, "argon2id", "argon2i", 1)},
		{"another version", strings.Replace(good, "v=19", "v=16", 1)},
		{"missing parameters", strings.Join([]string{"", "argon2id", "v=19", "m=19456,t=2", parts[4], parts[5]}, "$")},
		{"a zero memory cost", strings.Replace(good, "m=19456", "m=0", 1)},
		{"a huge memory cost", strings.Replace(good, "m=19456", "m=99999999", 1)},
		{"a salt that is not base64", strings.Join([]string{"", "argon2id", "v=19", parts[3], "!!!", parts[5]}, "$")},
		{"a truncated hash", strings.Join([]string{"", "argon2id", "v=19", parts[3], parts[4], "abc"}, "$")},
		{"an extra field", good + "$x"},
	}
	for _, tt := range tests {
		t.Run("a hash with "+tt.name+" is refused", func(t *testing.T) {
			ok, err := Verify("a long enough password", tt.encoded)
			if !errors.Is(err, ErrMalformed) || ok {
				t.Fatalf("Verify = %v, %v; want false, ErrMalformed", ok, err)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name   string
		pw     string
		inputs []string
		why    string // a word the refusal must contain; "" when the password is accepted
	}{
		{"eleven characters are too few", "abcdefghijk", nil, "at least 12"},
		{"twelve unrelated words and signs are enough", "violet kettle 7 harbour", nil, ""},
		{"a long phrase is accepted", "correct horse battery staple", nil, ""},
		{"eleven accented characters (22 bytes) count as eleven", "ééééééééééé", nil, "has 11 characters"},
		{"a password over the byte limit is refused", strings.Repeat("a", MaxLength+1), nil, "at most"},
		{"one letter twelve times is refused", "aaaaaaaaaaaa", nil, "repeats"},
		{"a common leaked password with digits is refused", "password1234", nil, "most common passwords"},
		{"twelve spaces are refused", "            ", nil, "only spaces"},
		{"a run of digits is refused", "123456789012", nil, "common"},
		{"a keyboard row is refused", "qwertyuiopasdf", nil, "common"},
		{"the user's own email with a digit is refused", "owner@calm.example1", []string{"owner@calm.example"}, "your email"},
		{"the clinic's name with a year is refused", "Harbourside2026", []string{"owner@calm.example", "Harbourside"}, "your email or the clinic"},
		{"text that is not UTF-8 is refused", "abc\xffdefghijklmn", nil, "UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Check(tt.pw, tt.inputs...)
			if tt.why == "" {
				if err != nil {
					t.Fatalf("Check(%q) = %v, want it accepted", tt.pw, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.why) {
				t.Fatalf("Check(%q) = %v, want a refusal that says %q", tt.pw, err, tt.why)
			}
		})
	}
}

func TestDummy(t *testing.T) {
	d := Dummy()
	t.Run("the dummy hash has the parameters of a real one", func(t *testing.T) {
		if !strings.HasPrefix(d, "$argon2id$v=19$m=19456,t=2,p=1$") {
			t.Errorf("dummy %q", d)
		}
	})
	t.Run("the dummy hash is made once", func(t *testing.T) {
		if Dummy() != d {
			t.Error("a second call made another hash")
		}
	})
	t.Run("no password verifies against the dummy hash", func(t *testing.T) {
		for _, pw := range []string{"", "correct horse battery staple"} {
			if ok, err := Verify(pw, d); ok || err != nil {
				t.Errorf("Verify(%q) = %v, %v", pw, ok, err)
			}
		}
	})
}

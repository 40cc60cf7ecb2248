package httpapi

import (
	"regexp"
	"strings"
	"testing"
)

// bearerShape is what parseBearer admits: the scheme, and a token of the
// shape aftercare.NewSecret makes.
var bearerShape = regexp.MustCompile(`^[ \t]*(?i:bearer) +act_[A-Za-z0-9_-]{43}[ \t]*$`)

// FuzzParseBearer reads any Authorization header: no panic, and a token comes
// out only of a header of the right shape, as that token.
func FuzzParseBearer(f *testing.F) {
	for _, seed := range []string{
		"Bearer act_" + strings.Repeat("A", 43), "bearer act_" + strings.Repeat("z", 43), "Bearer act_" + strings.Repeat("A", 42),
		"Bearer act_" + strings.Repeat("A", 44), "Bearer", "Bearer ", "Basic x", "Bearer c_" + strings.Repeat("A", 43),
		" Bearer  act_" + strings.Repeat("_", 43) + " ", "Bearer act_" + strings.Repeat("é", 21) + "a", "",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, header string) {
		tok, err := parseBearer(header)
		if err != nil {
			if tok != "" {
				t.Fatalf("a token %q with the error %v", tok, err)
			}
			return
		}
		if !parseSecret(tok, TokenPrefix) || !strings.Contains(header, tok) {
			t.Fatalf("parseBearer(%q) = %q", header, tok)
		}
	})
}

func TestParseBearer(t *testing.T) {
	good := "act_" + strings.Repeat("A", 43)
	tests := []struct {
		name, header string
		ok           bool
	}{
		{"a bearer token is read", "Bearer " + good, true},
		{"the scheme is read in any case", "bEaReR " + good, true},
		{"spaces around the token are dropped", "Bearer   " + good + "  ", true},
		{"a token one character short is refused", "Bearer " + good[:len(good)-1], false},
		{"a token one character long is refused", "Bearer " + good + "A", false},
		{"another prefix is refused", "Bearer c_" + strings.Repeat("A", 43), false},
		{"another scheme is refused", "Basic " + good, false},
		{"a token with a space inside is refused", "Bearer act_" + strings.Repeat("A", 20) + " " + strings.Repeat("A", 22), false},
		{"a scheme alone is refused", "Bearer", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok, err := parseBearer(tt.header)
			if (err == nil) != tt.ok || tt.ok && tok != good {
				t.Errorf("parseBearer(%q) = %q, %v", tt.header, tok, err)
			}
			if bearerShape.MatchString(tt.header) != tt.ok {
				t.Errorf("the shape disagrees on %q", tt.header)
			}
		})
	}
}

// FuzzSafeNext checks that no next= value sends a browser off the site.
func FuzzSafeNext(f *testing.F) {
	for _, seed := range []string{"/staff", "//evil.example", "/\\evil", "https://evil.example", "/staff?x=1#y", "/%2F%2Fevil", "\t/x", ""} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, next string) {
		got := safeNext(next)
		if !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") || strings.ContainsAny(got, "\\\r\n\t") {
			t.Fatalf("safeNext(%q) = %q", next, got)
		}
		if got != next && got != "/staff" {
			t.Fatalf("safeNext(%q) = %q: neither the input nor /staff", next, got)
		}
	})
}

func TestLoginBackoff(t *testing.T) {
	tests := []struct {
		attempts, free int
		want           string
	}{
		{0, 5, "0s"}, {4, 5, "0s"}, {5, 5, "1s"}, {6, 5, "2s"}, {10, 5, "32s"}, {14, 5, "8m32s"}, {15, 5, "15m0s"}, {1000, 5, "15m0s"},
		{19, 20, "0s"}, {20, 20, "1s"}, {30, 20, "15m0s"},
	}
	for _, tt := range tests {
		t.Run("after "+itoa(tt.attempts)+" attempts with "+itoa(tt.free)+" free the wait is "+tt.want, func(t *testing.T) {
			if got := loginBackoff(tt.attempts, tt.free).String(); got != tt.want {
				t.Errorf("loginBackoff(%d, %d) = %s", tt.attempts, tt.free, got)
			}
		})
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

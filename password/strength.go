package password

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/trustelem/zxcvbn"
	"github.com/trustelem/zxcvbn/match"
)

// MinScore is the lowest zxcvbn score (0–4) a password may have: 3 means an
// attacker needs at least about 10⁸ guesses, enough against online guessing
// and a slow hash such as Argon2id (ASVS 2.1.7, 2.1.8; NIST SP 800-63B 5.1.1.2).
const MinScore = 3

// Check reports whether a password is acceptable, and if not, says why in
// words a person can act on. A password must have at least MinLength
// characters and at most MaxLength bytes, must not be blank, and must not be
// easy to guess: zxcvbn estimates the guesses needed from lists of the most
// common leaked passwords, dictionary words, names, keyboard patterns,
// repeats, sequences and dates, and from userInputs (the user's email, the
// clinic's name), which an attacker knows.
func Check(pw string, userInputs ...string) error {
	if n := utf8.RuneCountInString(pw); n < MinLength {
		return fmt.Errorf("the password has %d characters; at least %d are needed", n, MinLength)
	}
	if len(pw) > MaxLength {
		return fmt.Errorf("the password is %d bytes long; at most %d are allowed", len(pw), MaxLength)
	}
	if !utf8.ValidString(pw) {
		return fmt.Errorf("the password is not valid UTF-8 text")
	}
	if strings.TrimFunc(pw, unicode.IsSpace) == "" {
		return fmt.Errorf("the password is only spaces; choose words or characters you can remember")
	}
	var inputs []string
	for _, in := range userInputs {
		in = strings.ToLower(strings.TrimSpace(in))
		if in == "" {
			continue
		}
		inputs = append(inputs, in)
		// An email's parts are as well known as the whole.
		if local, domain, ok := strings.Cut(in, "@"); ok {
			inputs = append(inputs, local, domain, strings.Split(domain, ".")[0])
		}
	}
	r := zxcvbn.PasswordStrength(pw, inputs)
	if r.Score >= MinScore {
		return nil
	}
	return fmt.Errorf("the password is too easy to guess (%s); a longer phrase of several unrelated words is both safer and easier to remember", weakness(r.Sequence))
}

// weakness names what makes a weak password guessable: the part of it that
// gave away the most.
func weakness(seq []*match.Match) string {
	var worst *match.Match
	for _, m := range seq {
		if m.Pattern == "bruteforce" {
			continue
		}
		if worst == nil || len(m.Token) > len(worst.Token) {
			worst = m
		}
	}
	if worst == nil {
		return "it is short for the kind of characters it uses"
	}
	switch worst.Pattern {
	case "dictionary":
		switch worst.DictionaryName {
		case "passwords":
			return fmt.Sprintf("%q is among the most common passwords", worst.Token)
		case "user_inputs":
			return fmt.Sprintf("%q comes from your email or the clinic's name", worst.Token)
		case "male_names", "female_names", "surnames":
			return fmt.Sprintf("%q is a common name", worst.Token)
		}
		return fmt.Sprintf("%q is a common word", worst.Token)
	case "repeat":
		return fmt.Sprintf("%q repeats the same characters", worst.Token)
	case "sequence":
		return fmt.Sprintf("%q is a sequence such as abcd or 1234", worst.Token)
	case "spatial":
		return fmt.Sprintf("%q is a pattern of neighbouring keys", worst.Token)
	case "date", "regex":
		return fmt.Sprintf("%q looks like a date or a year", worst.Token)
	}
	return "it follows a common pattern"
}

// Package aftercare holds the domain of the product: triage levels, the codes of
// the public contract, the assessment request and response, application errors,
// and the interfaces that the adapters (storage, HTTP, follow-ups) implement.
//
// Nothing in this package does I/O. The triage engine lives in package triage,
// the knowledge base in package knowledge, and the free-text reader in package
// textread.
package aftercare

import (
	"fmt"
	"strings"
)

// Level is a triage level; levels are ordered, lowest first.
type Level int

// The triage levels, lowest first. LevelNone is the zero value and is never
// given as an answer.
const (
	LevelNone Level = iota
	SelfCare
	Monitor
	Consult
	Urgent
	Emergency
)

// Levels lists every level that can be given, lowest first.
var Levels = []Level{SelfCare, Monitor, Consult, Urgent, Emergency}

var levelCodes = [...]string{"", "self_care", "monitor", "consult", "urgent", "emergency"}

// String returns the level's public code, such as "self_care".
func (l Level) String() string {
	if l < 0 || int(l) >= len(levelCodes) {
		return fmt.Sprintf("level(%d)", int(l))
	}
	return levelCodes[l]
}

// ParseLevel returns the level with the given public code.
func ParseLevel(code string) (Level, error) {
	for i, c := range levelCodes {
		if i > 0 && c == code {
			return Level(i), nil
		}
	}
	return LevelNone, Errorf(EINVALID, "level", "unknown level %q; allowed: %s", code, strings.Join(levelCodes[1:], ", "))
}

// MarshalText encodes the level as its public code.
func (l Level) MarshalText() ([]byte, error) {
	if l <= LevelNone || int(l) >= len(levelCodes) {
		return nil, fmt.Errorf("aftercare: cannot encode %v", l)
	}
	return []byte(l.String()), nil
}

// UnmarshalText decodes a level from its public code.
func (l *Level) UnmarshalText(b []byte) error {
	v, err := ParseLevel(string(b))
	if err != nil {
		return err
	}
	*l = v
	return nil
}

// Meaning is the one-line meaning of a level for the client.
func (l Level) Meaning() string {
	switch l {
	case SelfCare:
		return "Expected post-massage soreness: follow the aftercare plan."
	case Monitor:
		return "Probably fine but not typical: look after yourself and check in again."
	case Consult:
		return "Get medical advice from a doctor or qualified clinician soon."
	case Urgent:
		return "Get medical attention today."
	case Emergency:
		return "Call the emergency number now."
	}
	return ""
}

// Disclaimer is said with every answer.
const Disclaimer = "Aftercare gives general information about soreness after massage. It is not a diagnosis and " +
	"does not replace a doctor or other qualified clinician. If you feel very unwell or think it may be an " +
	"emergency, call your local emergency number."

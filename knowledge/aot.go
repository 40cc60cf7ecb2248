package knowledge

import (
	"crypto/sha256"
	"encoding/hex"
)

//go:generate go test -run TestAOTRulesAreCurrent -gen .

// aotKey fingerprints rule conditions, in order: the ahead-of-time rules
// (rules_aot.go) serve a knowledge base only when its rules' conditions are
// exactly those they were generated from.
func aotKey(rules []Rule) string {
	h := sha256.New()
	for i := range rules {
		h.Write([]byte(rules[i].When))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// AOT reports whether the knowledge base's rules run as Go compiled ahead of
// time from the built-in knowledge.yaml (true for the built-in base and any
// overlay that leaves its rules as they are) rather than as conditions
// compiled at load.
func (b *Base) AOT() bool { return b.aot != nil }

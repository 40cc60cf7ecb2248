package textread

import (
	"fmt"
	"strings"
	"time"

	"aftercare"
)

// readAt is the moment the tests of a message's story read it at.
var readAt = time.Date(2026, 12, 7, 15, 0, 0, 0, time.UTC)

// symptomRead reports whether text is read, at readAt, as holding the symptom
// code now (not negated, past, hypothetical or another's).
func symptomRead(text, code string) bool {
	for _, f := range Default().Read(text, readAt) {
		if f.Type == "symptom" && f.Code == code && !f.Negated {
			return true
		}
	}
	return false
}

// describe writes findings on one line, for failure messages.
func describe(fs []aftercare.Finding) string {
	var b strings.Builder
	for i, f := range fs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(f.Type)
		if f.Code != "" {
			b.WriteString(":" + f.Code)
		}
		if f.Value != nil {
			fmt.Fprintf(&b, "=%v", *f.Value)
		}
		if f.Negated {
			b.WriteString("(" + f.Context + ")")
		}
		fmt.Fprintf(&b, " %q", f.Text)
	}
	return b.String()
}

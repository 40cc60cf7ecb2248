package textread

import (
	"fmt"
	"strings"

	"aftercare"
)

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

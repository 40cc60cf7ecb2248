package main

import (
	"context"
	"fmt"
	"strings"

	"aftercare"
	"aftercare/knowledge"
)

func runKnowledge(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, "usage: aftercare knowledge validate [FILE] | aftercare knowledge show [FILE]\n")
		return errUsage
	}
	path := ""
	if len(args) > 1 {
		path = args[1]
	}
	switch args[0] {
	case "validate":
		b, err := knowledge.Load(path)
		if err != nil {
			fmt.Fprintln(e.stderr, err)
			return exitError{code: 1}
		}
		name := path
		if name == "" {
			name = knowledge.BuiltinName
		}
		fmt.Fprintf(e.stdout, "%s: valid, knowledge %s: %d sources, %d styles, %d rules, %d relief measures, %d signs to watch for, %d cautions\n",
			name, b.KnowledgeVersion(), len(b.Sources), len(b.Styles), len(b.Rules), len(b.Relief), len(b.WatchFor), len(b.Cautions))
		return nil
	case "show":
		b, err := knowledge.Load(path)
		if err != nil {
			return err
		}
		return showKnowledge(e, b)
	}
	fmt.Fprintf(e.stderr, "aftercare knowledge: unknown command %q; allowed: validate, show\n", args[0])
	return errUsage
}

// showKnowledge prints the knowledge base for people: rules by level with
// their sources, then the advice.
func showKnowledge(e *env, b *knowledge.Base) error {
	var s strings.Builder
	fmt.Fprintf(&s, "%s (knowledge %s)\n", b.Title, b.KnowledgeVersion())
	fmt.Fprintf(&s, "\nPain bands: mild %d–%d, moderate %d–%d, severe %d–%d\n",
		b.Bands.Mild[0], b.Bands.Mild[1], b.Bands.Moderate[0], b.Bands.Moderate[1], b.Bands.Severe[0], b.Bands.Severe[1])
	for i := len(aftercare.Levels) - 1; i >= 0; i-- {
		lv := aftercare.Levels[i]
		fmt.Fprintf(&s, "\n== %s: %s\n", lv, lv.Meaning())
		for _, r := range b.Rules {
			if r.LevelValue() == int(lv) {
				fmt.Fprintf(&s, "  %s\n    when %s\n    %s\n    source: %s\n", r.ID, r.When, r.Text, b.Cite(r.Sources))
			}
		}
	}
	fmt.Fprintf(&s, "\n== Styles\n")
	for _, st := range b.Styles {
		fmt.Fprintf(&s, "  %s (%s work, soreness %s, usually %v h): %s [%s]\n", st.Name, st.Intensity, st.Soreness, st.Hours["default"], st.About, b.Cite(st.Sources))
	}
	articles := func(title string, as []knowledge.Article) {
		fmt.Fprintf(&s, "\n== %s\n", title)
		for _, a := range as {
			fmt.Fprintf(&s, "  %s: %s [%s]\n", a.Title, a.Text, b.Cite(a.Sources))
		}
	}
	articles("Why soreness happens", b.Causes)
	fmt.Fprintf(&s, "\n== Relief\n")
	for _, r := range b.Relief {
		fmt.Fprintf(&s, "  %s (evidence: %s): %s %s\n    when %s", r.Title, r.Evidence, r.Why, r.EvidenceNote, r.When)
		if r.Unless != "" {
			fmt.Fprintf(&s, "; not when %s", r.Unless)
		}
		fmt.Fprintf(&s, " [%s]\n", b.Cite(r.Sources))
	}
	fmt.Fprintf(&s, "\n== Tell your therapist (screening cautions)\n")
	for _, c := range b.Cautions {
		fmt.Fprintf(&s, "  %s: %s [%s]\n", c.Title, c.Advice, b.Cite(c.Sources))
	}
	articles("Prevention", b.Prevention)
	fmt.Fprintf(&s, "\n== FAQ\n")
	for _, f := range b.FAQ {
		fmt.Fprintf(&s, "  Q: %s\n  A: %s [%s]\n", f.Question, f.Answer, b.Cite(f.Sources))
	}
	articles("More topics", b.Topics)
	fmt.Fprintf(&s, "\n== Sources\n")
	for _, src := range b.Sources {
		fmt.Fprintf(&s, "  [%s] %s\n", src.Cite, src.Title)
	}
	_, err := fmt.Fprint(e.stdout, s.String())
	return err
}

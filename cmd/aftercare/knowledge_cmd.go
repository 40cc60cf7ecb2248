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
// their sources, what each source says and the basis, then the advice.
func showKnowledge(e *env, b *knowledge.Base) error {
	var s strings.Builder
	// backing writes the sources of an entry, what each says, and its basis.
	backing := func(indent string, ids []string, bk *knowledge.Backing) {
		fmt.Fprintf(&s, "%ssource: %s\n", indent, b.Cite(ids))
		for _, c := range b.Citations(ids, bk) {
			if c.Claim != "" {
				fmt.Fprintf(&s, "%s  %s: %s\n", indent, c.Cite, c.Claim)
			}
		}
		fmt.Fprintf(&s, "%sbasis: %s", indent, bk.BasisOrSource())
		if bk.BasisNote != "" {
			fmt.Fprintf(&s, " (%s)", bk.BasisNote)
		}
		s.WriteString("\n")
	}
	fmt.Fprintf(&s, "%s (knowledge %s)\n", b.Title, b.KnowledgeVersion())
	fmt.Fprintf(&s, "\nPain bands: mild %d–%d, moderate %d–%d, severe %d–%d\n",
		b.Bands.Mild[0], b.Bands.Mild[1], b.Bands.Moderate[0], b.Bands.Moderate[1], b.Bands.Severe[0], b.Bands.Severe[1])
	for i := len(aftercare.Levels) - 1; i >= 0; i-- {
		lv := aftercare.Levels[i]
		fmt.Fprintf(&s, "\n== %s: %s\n", lv, lv.Meaning())
		for _, r := range b.Rules {
			if r.LevelValue() == int(lv) {
				fmt.Fprintf(&s, "  %s\n    when %s\n    %s\n", r.ID, r.When, r.Text)
				backing("    ", r.Sources, &r.Backing)
			}
		}
	}
	fmt.Fprintf(&s, "\n== Expected pain and soreness window by intensity\n")
	for _, in := range b.Intensities {
		fmt.Fprintf(&s, "  %s: pain up to %d, usually %v h. %s\n", in.Code, in.ExpectedPain, in.Hours, in.About)
		backing("    ", in.Sources, &in.Backing)
	}
	fmt.Fprintf(&s, "\n== Styles\n")
	for _, st := range b.Styles {
		fmt.Fprintf(&s, "  %s (%s work, soreness %s, usually %v h): %s\n", st.Name, st.Intensity, st.Soreness, st.Hours["default"], st.About)
		backing("    ", st.Sources, &st.Backing)
	}
	articles := func(title string, as []knowledge.Article) {
		fmt.Fprintf(&s, "\n== %s\n", title)
		for _, a := range as {
			fmt.Fprintf(&s, "  %s: %s\n", a.Title, a.Text)
			backing("    ", a.Sources, &a.Backing)
		}
	}
	articles("Why soreness happens", b.Causes)
	fmt.Fprintf(&s, "\n== Relief\n")
	for _, r := range b.Relief {
		fmt.Fprintf(&s, "  %s (evidence: %s): %s %s\n    when %s", r.Title, r.Evidence, r.Why, r.EvidenceNote, r.When)
		if r.Unless != "" {
			fmt.Fprintf(&s, "; not when %s", r.Unless)
		}
		s.WriteString("\n")
		backing("    ", r.Sources, &r.Backing)
	}
	fmt.Fprintf(&s, "\n== Signs to watch for\n")
	for _, w := range b.WatchFor {
		fmt.Fprintf(&s, "  %s\n    when %s\n", w.Text, w.When)
		backing("    ", w.Sources, &w.Backing)
	}
	fmt.Fprintf(&s, "\n== Tell your therapist (screening cautions)\n")
	for _, c := range b.Cautions {
		fmt.Fprintf(&s, "  %s: %s\n", c.Title, c.Advice)
		if len(c.Ask) > 0 {
			fmt.Fprintf(&s, "    ask: %s\n", strings.Join(c.Ask, " "))
		}
		backing("    ", c.Sources, &c.Backing)
	}
	fmt.Fprintf(&s, "\n== What a flag means for the next session\n")
	for _, f := range b.Flags {
		fmt.Fprintf(&s, "  %s (rules %s): %s\n", f.Title, strings.Join(f.Rules, ", "), f.Advice)
		if len(f.AvoidAreas) > 0 {
			fmt.Fprintf(&s, "    do not treat: %s", strings.Join(f.AvoidAreas, ", "))
			if f.UntilCleared {
				s.WriteString(", until a clinician has cleared the client")
			}
			s.WriteString("\n")
		}
		backing("    ", f.Sources, &f.Backing)
	}
	articles("Prevention", b.Prevention)
	fmt.Fprintf(&s, "\n== FAQ\n")
	for _, f := range b.FAQ {
		fmt.Fprintf(&s, "  Q: %s\n  A: %s\n", f.Question, f.Answer)
		backing("    ", f.Sources, &f.Backing)
	}
	articles("More topics", b.Topics)
	fmt.Fprintf(&s, "\n== Sources\n")
	for _, src := range b.Sources {
		fmt.Fprintf(&s, "  [%s] %s", src.Cite, src.Title)
		if src.DOI != "" {
			fmt.Fprintf(&s, " DOI %s.", src.DOI)
		}
		if src.PMID != "" {
			fmt.Fprintf(&s, " PMID %s.", src.PMID)
		}
		if l := src.Link(); l != "" {
			fmt.Fprintf(&s, " %s", l)
		}
		if src.Seed {
			s.WriteString(" (the seed article)")
		}
		s.WriteString("\n")
	}
	_, err := fmt.Fprint(e.stdout, s.String())
	return err
}

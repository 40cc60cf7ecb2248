package web_test

import (
	"strings"
	"testing"
)

func TestTheGuideShowsWhatEachSourceSaysAndTheBasis(t *testing.T) {
	s := newSite(t, "")
	kb := realEngine(t).Knowledge()
	want := map[string][]string{"/guide/styles": {"Basis: estimate", template(kb.Styles[0].BasisNote)}}
	for _, r := range kb.Relief {
		for _, c := range kb.Citations(r.Sources, &r.Backing) {
			if c.Claim != "" {
				want["/guide/relief"] = append(want["/guide/relief"], template(c.Claim))
			}
		}
		if r.BasisOrSource() != "source" {
			want["/guide/relief"] = append(want["/guide/relief"], "Basis: "+r.Basis, template(r.BasisNote))
		}
	}
	for _, c := range kb.Cautions {
		for _, q := range c.Ask {
			want["/guide/red-flags"] = append(want["/guide/red-flags"], template(q))
		}
	}
	for _, w := range kb.WatchFor {
		for _, c := range kb.Citations(w.Sources, &w.Backing) {
			if c.Claim != "" {
				want["/guide/red-flags"] = append(want["/guide/red-flags"], template(c.Claim))
			}
		}
	}
	for _, src := range kb.Sources {
		if l := src.Link(); l != "" {
			// the template escapes brackets in a link: compare up to the first
			l, _, _ = strings.Cut(l, "(")
			want["/guide/sources"] = append(want["/guide/sources"], `href="`+template(l))
		}
	}
	for path, parts := range want {
		page := s.get(t, path)
		t.Run(path+" shows the claims and the basis of its entries", func(t *testing.T) {
			var missing []string
			for _, part := range parts {
				if !strings.Contains(page.body, part) {
					missing = append(missing, part)
				}
			}
			if page.status != 200 || len(missing) > 0 {
				t.Errorf("status %d; the page lacks %q", page.status, missing)
			}
		})
	}
}

package knowledge

import (
	"slices"
	"strings"
	"testing"
)

func TestEverySourceCanBeLookedUp(t *testing.T) {
	b, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	seeds := 0
	for _, s := range b.Sources {
		if s.Seed {
			seeds++
			continue
		}
		t.Run(s.ID+" has a link", func(t *testing.T) {
			if l := s.Link(); !strings.HasPrefix(l, "https://") && !strings.HasPrefix(l, "http://") {
				t.Errorf("link %q", l)
			}
		})
	}
	if seeds != 1 {
		t.Errorf("%d seed articles, want 1", seeds)
	}
	t.Run("a DOI links to doi.org and a PMID to PubMed when there is no URL", func(t *testing.T) {
		for _, tc := range []struct {
			s    Source
			want string
		}{
			{Source{DOI: "10.3390/nu9080813", PMID: "28788060"}, "https://doi.org/10.3390/nu9080813"},
			{Source{PMID: "15808039"}, "https://pubmed.ncbi.nlm.nih.gov/15808039/"},
			{Source{URL: "https://www.nhs.uk/conditions/pre-eclampsia/", DOI: "10.1/x"}, "https://www.nhs.uk/conditions/pre-eclampsia/"},
			{Source{Seed: true}, ""},
		} {
			if got := tc.s.Link(); got != tc.want {
				t.Errorf("%+v links to %q, want %q", tc.s, got, tc.want)
			}
		}
	})
}

func TestWhereTheProductCorrectsTheSeedItCitesASourceThatSaysSo(t *testing.T) {
	b, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ relief, says, source string }{
		{"hydrate", "toxins", "painsci_water"},
		{"hydrate", "lactic acid", "wiltshire2010"},
		{"epsom_bath", "magnesium passing through the skin is unproven", "grober2017"},
		{"topical_relief", "magnesium passing through the skin is unproven", "grober2017"},
	} {
		t.Run(tc.relief+" says "+tc.says+" and cites "+tc.source, func(t *testing.T) {
			i := slices.IndexFunc(b.Relief, func(r Relief) bool { return r.ID == tc.relief })
			if i < 0 {
				t.Fatal("no such relief measure")
			}
			r := b.Relief[i]
			if !strings.Contains(r.Why, tc.says) || !slices.Contains(r.Sources, tc.source) || r.Claims[tc.source] == "" {
				t.Errorf("why %q, sources %v, claims %v", r.Why, r.Sources, r.Claims)
			}
		})
	}
}

func TestTheEstimatesAreMarkedWithTheirReasoning(t *testing.T) {
	b, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range b.Styles {
		t.Run("the soreness windows of "+st.Code+" are an estimate", func(t *testing.T) {
			if st.BasisOrSource() != BasisEstimate || !strings.Contains(st.BasisNote, "Cambron 2007") || !strings.Contains(st.BasisNote, "Cheung 2003") {
				t.Errorf("basis %q: %s", st.Basis, st.BasisNote)
			}
		})
	}
	for _, in := range b.Intensities {
		t.Run("the pain expected after "+in.Code+" work is an estimate", func(t *testing.T) {
			if in.BasisOrSource() != BasisEstimate || in.BasisNote == "" {
				t.Errorf("basis %q: %s", in.Basis, in.BasisNote)
			}
		})
	}
}

func TestScreeningCautionsTellTheTherapistWhatToAsk(t *testing.T) {
	b, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	got := b.CautionsFor([]string{"dvt_history", "not_a_code", "diabetes"})
	if len(got) != 2 || got[0].Health != "dvt_history" || got[1].Health != "diabetes" {
		t.Fatalf("cautions %+v", got)
	}
	dvt := got[0]
	if !strings.Contains(dvt.Advice, "Ask: When was the clot") || !slices.Contains(dvt.AvoidAreas, "calves") ||
		!dvt.SeeDoctorFirst || dvt.MaxPressure != "medium" || !strings.Contains(dvt.Source, "Mayo Clinic") {
		t.Errorf("previous clot: %+v", dvt)
	}
	if !strings.Contains(got[1].Advice, "no heat") || !strings.Contains(got[1].Source, "Jose et al. 2005") {
		t.Errorf("diabetes: %+v", got[1])
	}
}

func TestAFlagSaysWhatItMeansForTheNextSession(t *testing.T) {
	b, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		fired []string
		want  []string
	}{
		{"a suspected clot keeps the legs untreated until cleared", []string{"calf_pain_one_side", "severe_pain"}, []string{"suspected_clot"}},
		{"each guidance once, in the order of the file", []string{"possible_rib_injury", "possible_clot", "clot_signs_leg"}, []string{"suspected_clot", "possible_rib_injury"}},
		{"soreness alone asks nothing of the next session", []string{"expected_doms_window", "light_bruising"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, g := range b.FlagGuidance(tc.fired) {
				got = append(got, g.ID)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
	clot := b.FlagGuidance([]string{"possible_clot"})[0]
	if !clot.UntilCleared || !slices.Contains(clot.AvoidAreas, "calves") || !strings.Contains(clot.Advice, "Do not treat the legs until a clinician") {
		t.Errorf("suspected clot: %+v", clot)
	}
	t.Run("the guidance in words says what to do, what not to treat and until when, with its sources", func(t *testing.T) {
		got := b.GuidanceFor([]string{"calf_pain_one_side"})
		if len(got) != 1 || got[0].ID != "suspected_clot" {
			t.Fatalf("got %+v", got)
		}
		g := got[0]
		for _, want := range []string{clot.Advice, "Do not treat: ", "calves", "feet", "until a clinician has cleared the client."} {
			if !strings.Contains(g.Text, want) {
				t.Errorf("the text %q does not say %q", g.Text, want)
			}
		}
		if g.Source != b.Cite(clot.Sources) || len(g.Sources) != len(clot.Sources) {
			t.Errorf("sources %q %+v", g.Source, g.Sources)
		}
		for i, s := range g.Sources {
			if s.ID != clot.Sources[i] || s.Title != b.Source(s.ID).Title || s.URL != b.Source(s.ID).Link() {
				t.Errorf("source %d: %+v", i, s)
			}
		}
	})
	t.Run("a guidance with no areas on hold but a clearance says so", func(t *testing.T) {
		got := b.GuidanceFor([]string{"possible_rhabdomyolysis"})
		if len(got) != 1 || !got[0].UntilCleared || len(got[0].AvoidAreas) != 0 || !strings.HasSuffix(got[0].Text, "No massage until a clinician has cleared the client.") {
			t.Errorf("got %+v", got)
		}
	})
	t.Run("a burn keeps heat off the skin until it has healed", func(t *testing.T) {
		got := b.GuidanceFor([]string{"burn"})
		if len(got) != 1 || got[0].ID != "burn" || !strings.Contains(got[0].Text, "No heat") {
			t.Errorf("got %+v", got)
		}
	})
	t.Run("bleeding in pregnancy holds massage until the maternity team agrees", func(t *testing.T) {
		got := b.GuidanceFor([]string{"pregnancy_bleeding"})
		if len(got) != 1 || got[0].ID != "pregnancy_warning" || !got[0].UntilCleared {
			t.Errorf("got %+v", got)
		}
	})
	t.Run("soreness alone gives no guidance", func(t *testing.T) {
		if got := b.GuidanceFor([]string{"expected_doms_window"}); got != nil {
			t.Errorf("got %+v", got)
		}
	})
	t.Run("every rule a guidance names flags a check-in (consult or above)", func(t *testing.T) {
		for _, f := range b.Flags {
			for _, id := range f.Rules {
				if r := b.rules[id]; r == nil || r.LevelValue() < 3 {
					t.Errorf("%s names %s, which does not flag", f.ID, id)
				}
			}
		}
	})
}

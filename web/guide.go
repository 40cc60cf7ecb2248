package web

import (
	"net/http"
	"slices"
	"strings"

	"aftercare"
	"aftercare/knowledge"
)

// The guide is the knowledge base itself, rendered: the same entries the
// engine cites in its answers, with their sources.

// guideLink is a link to one part of the guide.
type guideLink struct {
	Slug  string
	Title string
	About string
}

// sections are the parts of the guide, in reading order.
var sections = []guideLink{
	{"why", "Why soreness happens", "What a massage does to muscles, and why some people feel it more."},
	{"styles", "Massage styles and soreness", "Which styles leave soreness, where, and for how long."},
	{"relief", "What helps", "Relief measures, how to use them, and how good the evidence is."},
	{"red-flags", "When to get help", "The five answers, the signs that need a doctor, and what to tell your therapist first."},
	{"prevention", "Less sore next time", "Simple habits before and after a session."},
	{"faq", "Questions people ask", "Short answers to common questions."},
	{"sources", "Sources", "Every work the guide and the answers cite."},
}

// cite is one source cited by an entry, with what it says that backs the entry.
type cite struct {
	ID    string
	Text  string
	Claim string
}

// backing is how an entry is backed: its sources, what each says, and
// whether the entry is the sources' word, an estimate or a consensus.
type backing struct {
	Cites []cite
	// Claims are the cites that name what the source says.
	Claims    []cite
	Basis     string
	BasisNote string
}

// article is a titled piece of the guide with its sources.
type article struct {
	ID      string
	Title   string
	Text    string
	Backing backing
}

type styleView struct {
	Code     string
	Name     string
	Soreness string
	Where    []string
	About    string
	Windows  []windowRow
	Backing  backing
}

// windowRow is the usual soreness window after a style at one pressure.
type windowRow struct {
	Pressure string
	From, To int
}

type reliefView struct {
	ID, Title, Why, How, Evidence, EvidenceNote string
	Backing                                     backing
}

type levelView struct {
	Level    aftercare.Level
	Headline string
	Advice   string
}

type cautionView struct {
	Title, Advice, MaxPressure string
	Avoid                      []string
	SeeDoctorFirst             bool
	Ask                        []string
	Backing                    backing
}

type faqView struct {
	ID, Question, Answer string
	Backing              backing
}

type sourceView struct {
	ID, Title, Cite, Link, DOI, PMID string
	Seed                             bool
}

// guidePage is one page of the guide.
type guidePage struct {
	// Slug is the page's part of the guide ("" for its front page).
	Slug     string
	Heading  string
	Sections []guideLink
	Topics   []guideLink
	Version  string

	Causes     []article
	Styles     []styleView
	Pressures  []article
	Relief     []reliefView
	Levels     []levelView
	Watch      []article
	Cautions   []cautionView
	Prevention []article
	FAQ        []faqView
	Sources    []sourceView
	// Article is a companion topic.
	Article *article
}

func slug(id string) string { return strings.ReplaceAll(id, "_", "-") }

func (h *handler) backing(ids []string, bk *knowledge.Backing) backing {
	out := backing{Basis: bk.BasisOrSource(), BasisNote: bk.BasisNote}
	for _, c := range h.kb.Citations(ids, bk) {
		v := cite{ID: c.ID, Text: h.cite(c.Cite), Claim: c.Claim}
		out.Cites = append(out.Cites, v)
		if v.Claim != "" {
			out.Claims = append(out.Claims, v)
		}
	}
	return out
}

func (h *handler) articles(in []knowledge.Article) []article {
	out := make([]article, 0, len(in))
	for _, a := range in {
		out = append(out, article{ID: a.ID, Title: a.Title, Text: a.Text, Backing: h.backing(a.Sources, &a.Backing)})
	}
	return out
}

func (h *handler) guide(w http.ResponseWriter, r *http.Request) {
	if h.kb == nil {
		h.unknown(w, r)
		return
	}
	kb := h.kb
	g := &guidePage{Slug: r.PathValue("topic"), Sections: sections, Version: kb.KnowledgeVersion()}
	for _, t := range kb.Topics {
		g.Topics = append(g.Topics, guideLink{Slug: slug(t.ID), Title: t.Title})
	}
	switch g.Slug {
	case "":
		g.Heading = "The aftercare guide"
		for _, l := range aftercare.Levels {
			if info := kb.Level(l.String()); info != nil {
				g.Levels = append(g.Levels, levelView{Level: l, Headline: info.Headline, Advice: info.Advice})
			}
		}
	case "why":
		g.Causes = h.articles(kb.Causes)
	case "styles":
		for _, st := range kb.Styles {
			v := styleView{Code: st.Code, Name: st.Name, Soreness: st.Soreness, About: st.About, Backing: h.backing(st.Sources, &st.Backing)}
			for _, a := range st.Where {
				v.Where = append(v.Where, aftercare.Areas.Label(a))
			}
			if wd, ok := st.Hours["default"]; ok {
				v.Windows = append(v.Windows, windowRow{Pressure: "Pressure not known", From: wd[0], To: wd[1]})
			}
			for _, p := range aftercare.Pressures.Codes() {
				if wp, ok := st.Hours[p.Code]; ok {
					v.Windows = append(v.Windows, windowRow{Pressure: p.Label, From: wp[0], To: wp[1]})
				}
			}
			g.Styles = append(g.Styles, v)
		}
		for _, p := range kb.Pressures {
			a := article{ID: p.Code, Title: aftercare.Pressures.Label(p.Code), Text: p.About}
			if in := kb.Intensity(p.Intensity); in != nil {
				a.Text += " " + in.About
			}
			g.Pressures = append(g.Pressures, a)
		}
	case "relief":
		relief := slices.Clone(kb.Relief)
		slices.SortStableFunc(relief, func(a, b knowledge.Relief) int { return a.Order - b.Order })
		for _, rl := range relief {
			g.Relief = append(g.Relief, reliefView{ID: rl.ID, Title: rl.Title, Why: rl.Why, How: rl.How,
				Evidence: rl.Evidence, EvidenceNote: rl.EvidenceNote, Backing: h.backing(rl.Sources, &rl.Backing)})
		}
	case "red-flags":
		for _, l := range aftercare.Levels {
			if info := kb.Level(l.String()); info != nil {
				g.Levels = append(g.Levels, levelView{Level: l, Headline: info.Headline, Advice: info.Advice})
			}
		}
		for _, wf := range kb.WatchFor {
			g.Watch = append(g.Watch, article{ID: wf.ID, Text: wf.Text, Backing: h.backing(wf.Sources, &wf.Backing)})
		}
		for _, c := range kb.Cautions {
			v := cautionView{Title: c.Title, Advice: c.Advice, SeeDoctorFirst: c.SeeDoctorFirst, Ask: c.Ask, Backing: h.backing(c.Sources, &c.Backing)}
			if c.MaxPressure != "" {
				v.MaxPressure = aftercare.Pressures.Label(c.MaxPressure)
			}
			for _, a := range c.AvoidAreas {
				v.Avoid = append(v.Avoid, aftercare.Areas.Label(a))
			}
			g.Cautions = append(g.Cautions, v)
		}
	case "prevention":
		g.Prevention = h.articles(kb.Prevention)
	case "faq":
		for _, q := range kb.FAQ {
			g.FAQ = append(g.FAQ, faqView{ID: q.ID, Question: q.Question, Answer: q.Answer, Backing: h.backing(q.Sources, &q.Backing)})
		}
	case "sources":
		for _, s := range kb.Sources {
			g.Sources = append(g.Sources, sourceView{ID: s.ID, Title: s.Title, Cite: h.cite(s.Cite), Link: s.Link(), DOI: s.DOI, PMID: s.PMID, Seed: s.Seed})
		}
	default:
		for _, t := range kb.Topics {
			if slug(t.ID) == g.Slug {
				a := h.articles([]knowledge.Article{t})[0]
				g.Article = &a
				g.Heading = t.Title
			}
		}
		if g.Article == nil {
			h.tell(w, http.StatusNotFound, h.basePage("", "guide"), message{Heading: "Page not found", Text: "The guide has no such page.", Back: "/guide", BackText: "Go to the guide"})
			return
		}
	}
	for _, s := range sections {
		if s.Slug == g.Slug {
			g.Heading = s.Title
		}
	}
	p := h.basePage(g.Heading, "guide")
	p.Guide = g
	p.Public = true
	h.render(w, http.StatusOK, "guide.html", p)
}

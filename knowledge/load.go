package knowledge

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"aftercare"
)

//go:embed knowledge.yaml
var builtin []byte

// BuiltinName is how the embedded file is named in errors.
const BuiltinName = "knowledge.yaml (built in)"

// Builtin returns the raw embedded knowledge file.
func Builtin() []byte { return builtin }

var (
	defaultOnce sync.Once
	defaultBase *Base
	defaultErr  error
)

// Default returns the built-in knowledge base, loaded and compiled once.
func Default() (*Base, error) {
	defaultOnce.Do(func() { defaultBase, defaultErr = Parse(builtin, BuiltinName) })
	return defaultBase, defaultErr
}

// Load returns the built-in knowledge base with a clinic's own file laid over
// it: entries with the id of a built-in entry replace it, new ones are added,
// and ids listed under disable are dropped. An empty path gives the built-in base.
func Load(path string) (*Base, error) {
	if path == "" {
		return Default()
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("knowledge: %w", err)
	}
	return Overlay(builtin, data, path)
}

// Parse reads and validates one complete knowledge file.
func Parse(data []byte, name string) (*Base, error) {
	b, err := decode(data, name)
	if err != nil {
		return nil, err
	}
	if err := b.prepare(name, data); err != nil {
		return nil, err
	}
	return b, nil
}

// Overlay lays the file over (named name) over the complete file base and
// validates the result.
func Overlay(base, over []byte, name string) (*Base, error) {
	b, err := decode(base, BuiltinName)
	if err != nil {
		return nil, err
	}
	o, err := decode(over, name)
	if err != nil {
		return nil, err
	}
	b.merge(o)
	if err := b.prepare(name, base, over); err != nil {
		return nil, err
	}
	return b, nil
}

func decode(data []byte, name string) (*Base, error) {
	var b Base
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &b, nil
}

func (b *Base) merge(o *Base) {
	if o.Version != "" {
		b.Version = o.Version
	}
	if o.Title != "" {
		b.Title = o.Title
	}
	if o.Bands != (Bands{}) {
		b.Bands = o.Bands
	}
	if o.Fallback.ID != "" {
		b.Fallback = o.Fallback
	}
	b.Sources = mergeByID(b.Sources, o.Sources, func(s Source) string { return s.ID })
	b.Levels = mergeByID(b.Levels, o.Levels, func(l LevelInfo) string { return l.Code })
	b.Intensities = mergeByID(b.Intensities, o.Intensities, func(i Intensity) string { return i.Code })
	b.Pressures = mergeByID(b.Pressures, o.Pressures, func(p Pressure) string { return p.Code })
	b.Styles = mergeByID(b.Styles, o.Styles, func(s Style) string { return s.Code })
	b.Causes = mergeByID(b.Causes, o.Causes, func(a Article) string { return a.ID })
	b.Rules = mergeByID(b.Rules, o.Rules, func(r Rule) string { return r.ID })
	b.Relief = mergeByID(b.Relief, o.Relief, func(r Relief) string { return r.ID })
	b.WatchFor = mergeByID(b.WatchFor, o.WatchFor, func(w Watch) string { return w.ID })
	b.Cautions = mergeByID(b.Cautions, o.Cautions, func(c Caution) string { return c.Health })
	b.Prevention = mergeByID(b.Prevention, o.Prevention, func(a Article) string { return a.ID })
	b.FAQ = mergeByID(b.FAQ, o.FAQ, func(f FAQ) string { return f.ID })
	b.Topics = mergeByID(b.Topics, o.Topics, func(a Article) string { return a.ID })
	b.Flags = mergeByID(b.Flags, o.Flags, func(f FlagGuide) string { return f.ID })
	b.Disable = o.Disable
	if len(b.Disable) > 0 {
		off := func(id string) bool { return slices.Contains(b.Disable, id) }
		b.Rules = slices.DeleteFunc(b.Rules, func(r Rule) bool { return off(r.ID) })
		b.Relief = slices.DeleteFunc(b.Relief, func(r Relief) bool { return off(r.ID) })
		b.WatchFor = slices.DeleteFunc(b.WatchFor, func(w Watch) bool { return off(w.ID) })
	}
}

// mergeByID replaces the entries of base whose id an entry of over has, and
// appends the rest of over.
func mergeByID[T any](base, over []T, id func(T) string) []T {
	for _, o := range over {
		i := slices.IndexFunc(base, func(b T) bool { return id(b) == id(o) })
		if i >= 0 {
			base[i] = o
		} else {
			base = append(base, o)
		}
	}
	return base
}

// KnowledgeVersion is the declared version with a fingerprint of the content,
// so that any change to the data changes it.
func (b *Base) KnowledgeVersion() string { return b.version }

// problems collects validation errors as "file: entry: reason".
type problems struct {
	file string
	errs []error
}

func (p *problems) add(entry, format string, args ...any) {
	p.errs = append(p.errs, fmt.Errorf("%s: %s: %s", p.file, entry, fmt.Sprintf(format, args...)))
}

func (p *problems) err() error { return errors.Join(p.errs...) }

var (
	evidenceGrades = []string{"strong", "moderate", "limited", "none"}
	sorenessGrades = []string{"likely", "possible", "unlikely"}
	bases          = []string{BasisSource, BasisEstimate, BasisConsensus}
	doiPattern     = regexp.MustCompile(`^10\.[0-9]{4,9}/\S+$`)
	pmidPattern    = regexp.MustCompile(`^[1-9][0-9]{0,8}$`)
)

// checkSource reports a source that cannot be looked up: every source but
// the seed article needs a well-formed url, doi or pmid.
func checkSource(p *problems, where string, s *Source) {
	if s.Title == "" || s.Cite == "" {
		p.add(where, "a source needs a title and a cite")
	}
	if s.Seed {
		return
	}
	if s.URL == "" && s.DOI == "" && s.PMID == "" {
		p.add(where, "cannot be looked up: give a url, a doi or a pmid (only the seed article, marked seed: true, may have none)")
	}
	if s.URL != "" {
		if u, err := url.Parse(s.URL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			p.add(where, "url %q must be an http or https address", s.URL)
		}
	}
	if s.DOI != "" && !doiPattern.MatchString(s.DOI) {
		p.add(where, "doi %q must look like 10.1234/journal.5678 (no https://doi.org/ prefix)", s.DOI)
	}
	if s.PMID != "" && !pmidPattern.MatchString(s.PMID) {
		p.add(where, "pmid %q must be the PubMed number, digits only", s.PMID)
	}
}

func (b *Base) prepare(name string, files ...[]byte) error {
	p := &problems{file: name}
	h := sha256.New()
	for _, f := range files {
		h.Write(f)
	}
	b.fingerprint = hex.EncodeToString(h.Sum(nil))[:12]
	b.version = b.Version + "+" + b.fingerprint
	if strings.TrimSpace(b.Version) == "" {
		p.add("version", "is required")
	}

	b.sources = index(p, "sources", b.Sources, func(s *Source) string { return s.ID })
	seeds := 0
	for i := range b.Sources {
		checkSource(p, entry("sources", i, b.Sources[i].ID), &b.Sources[i])
		if b.Sources[i].Seed {
			seeds++
		}
	}
	if seeds > 1 {
		p.add("sources", "only one source may be the seed article (%d are marked seed: true)", seeds)
	}
	cites := func(where string, ids []string) {
		if len(ids) == 0 {
			p.add(where, "names no source; every entry must cite one (allowed: %s)", strings.Join(keys(b.sources), ", "))
		}
		for _, id := range ids {
			if b.sources[id] == nil {
				p.add(where, "unknown source %q; allowed: %s", id, strings.Join(keys(b.sources), ", "))
			}
		}
	}
	// backed checks how an entry is backed; an entry the engine or the
	// therapist acts on (claimed) must say what each looked-up source it
	// cites says, unless it is an estimate or a consensus.
	backed := func(where string, ids []string, bk *Backing, claimed bool) {
		cites(where, ids)
		if !slices.Contains(bases, bk.BasisOrSource()) {
			p.add(where, "basis %q; allowed: %s", bk.Basis, strings.Join(bases, ", "))
		}
		if bk.BasisOrSource() != BasisSource && strings.TrimSpace(bk.BasisNote) == "" {
			p.add(where, "basis %s needs a basis_note with the reasoning and the nearest evidence", bk.Basis)
		}
		for _, id := range keys(mapOf(bk.Claims)) {
			if !slices.Contains(ids, id) {
				p.add(where, "claims.%s names a source the entry does not cite (it cites: %s)", id, strings.Join(ids, ", "))
			} else if strings.TrimSpace(bk.Claims[id]) == "" {
				p.add(where, "claims.%s is empty; say what the source says", id)
			}
		}
		if !claimed || bk.BasisOrSource() != BasisSource {
			return
		}
		for _, id := range ids {
			if s := b.sources[id]; s != nil && !s.Seed && bk.Claims[id] == "" {
				p.add(where, "cites %s without saying what it says: add claims.%s with its section or finding", id, id)
			}
		}
	}

	bands := [][2]int{b.Bands.Mild, b.Bands.Moderate, b.Bands.Severe}
	for i, bd := range bands {
		if bd[0] < 1 || bd[1] > 10 || bd[0] > bd[1] || (i > 0 && bd[0] != bands[i-1][1]+1) {
			p.add("bands", "mild, moderate and severe must be ranges within 1–10 that follow on without gaps (got %v)", bands)
			break
		}
	}

	b.levels = index(p, "levels", b.Levels, func(l *LevelInfo) string { return l.Code })
	for _, l := range aftercare.Levels {
		if info := b.levels[l.String()]; info == nil {
			p.add("levels", "level %s is missing", l)
		} else if info.Headline == "" {
			p.add("levels."+l.String(), "a headline is required")
		}
	}
	for i := range b.Levels {
		if _, err := aftercare.ParseLevel(b.Levels[i].Code); err != nil {
			p.add(entry("levels", i, b.Levels[i].Code), "%v", aftercare.ErrorMessage(err))
		}
	}

	b.intensities = index(p, "intensities", b.Intensities, func(x *Intensity) string { return x.Code })
	for i := range b.Intensities {
		backed(entry("intensities", i, b.Intensities[i].Code), b.Intensities[i].Sources, &b.Intensities[i].Backing, false)
	}
	for _, c := range []string{"gentle", "moderate", "deep"} {
		if b.intensities[c] == nil {
			p.add("intensities", "intensity %s is missing", c)
		}
	}
	intensity := func(where, c string) {
		if b.intensities[c] == nil {
			p.add(where, "unknown intensity %q; allowed: gentle, moderate, deep", c)
		}
	}
	b.pressures = index(p, "pressures", b.Pressures, func(x *Pressure) string { return x.Code })
	for i, x := range b.Pressures {
		if !aftercare.Pressures.Has(x.Code) {
			p.add(entry("pressures", i, x.Code), "unknown pressure; allowed: %s", aftercare.Pressures.Allowed())
		}
		intensity(entry("pressures", i, x.Code), x.Intensity)
	}
	for _, c := range aftercare.Pressures.Codes() {
		if b.pressures[c.Code] == nil {
			p.add("pressures", "pressure %s is missing", c.Code)
		}
	}

	b.styles = index(p, "styles", b.Styles, func(s *Style) string { return s.Code })
	for i := range b.Styles {
		s := &b.Styles[i]
		where := entry("styles", i, s.Code)
		if !aftercare.Styles.Has(s.Code) {
			p.add(where, "unknown style; allowed: %s", aftercare.Styles.Allowed())
		}
		intensity(where, s.Intensity)
		if !slices.Contains(sorenessGrades, s.Soreness) {
			p.add(where, "soreness %q; allowed: %s", s.Soreness, strings.Join(sorenessGrades, ", "))
		}
		areas(p, where, s.Where)
		if _, ok := s.Hours["default"]; !ok {
			p.add(where, "hours needs a default window")
		}
		for k, w := range s.Hours {
			if k != "default" && !aftercare.Pressures.Has(k) {
				p.add(where, "hours for unknown pressure %q; allowed: default, %s", k, aftercare.Pressures.Allowed())
			}
			if w[0] < 0 || w[1] < w[0] || w[1] > 72 {
				p.add(where, "hours.%s window %v must run forwards within 0–72", k, w)
			}
		}
		backed(where, s.Sources, &s.Backing, false)
	}
	for _, c := range aftercare.Styles.Codes() {
		if b.styles[c.Code] == nil {
			p.add("styles", "style %s is missing", c.Code)
		}
	}

	articles := func(list string, as []Article) {
		index(p, list, as, func(a *Article) string { return a.ID })
		for i := range as {
			a := &as[i]
			if a.Title == "" || a.Text == "" {
				p.add(entry(list, i, a.ID), "a title and a text are required")
			}
			backed(entry(list, i, a.ID), a.Sources, &a.Backing, false)
		}
	}
	articles("causes", b.Causes)
	articles("prevention", b.Prevention)
	articles("topics", b.Topics)

	index(p, "faq", b.FAQ, func(f *FAQ) string { return f.ID })
	for i := range b.FAQ {
		f := &b.FAQ[i]
		if f.Question == "" || f.Answer == "" {
			p.add(entry("faq", i, f.ID), "a question and an answer are required")
		}
		backed(entry("faq", i, f.ID), f.Sources, &f.Backing, false)
	}

	ids := map[string]string{}
	unique := func(where, id string) {
		if prev, dup := ids[id]; dup {
			p.add(where, "duplicate id %q (also %s)", id, prev)
		}
		ids[id] = where
	}
	for i := range b.Rules {
		r := &b.Rules[i]
		where := entry("rules", i, r.ID)
		unique(where, r.ID)
		b.prepareRule(p, where, r)
		backed(where, r.Sources, &r.Backing, true)
		r.cite = b.Cite(r.Sources)
	}
	b.rules = index(p, "rules", b.Rules, func(r *Rule) string { return r.ID })
	if b.Fallback.ID == "" {
		p.add("fallback", "a fallback reason is required")
	} else {
		b.Fallback.When = "true"
		b.prepareRule(p, "fallback", &b.Fallback)
		backed("fallback", b.Fallback.Sources, &b.Fallback.Backing, true)
		b.Fallback.cite = b.Cite(b.Fallback.Sources)
	}
	for i := range b.Relief {
		r := &b.Relief[i]
		where := entry("relief", i, r.ID)
		unique(where, r.ID)
		if r.Title == "" || r.Why == "" {
			p.add(where, "a title and a why are required")
		}
		if !slices.Contains(evidenceGrades, r.Evidence) {
			p.add(where, "evidence %q; allowed: %s", r.Evidence, strings.Join(evidenceGrades, ", "))
		}
		r.when = b.compile(p, where+" when", r.When)
		if r.Unless != "" {
			r.unless = b.compile(p, where+" unless", r.Unless)
		}
		backed(where, r.Sources, &r.Backing, true)
		r.cite = b.Cite(r.Sources)
	}
	slices.SortStableFunc(b.Relief, func(x, y Relief) int { return x.Order - y.Order })
	for i := range b.WatchFor {
		w := &b.WatchFor[i]
		where := entry("watch_for", i, w.ID)
		unique(where, w.ID)
		if w.Text == "" {
			p.add(where, "a text is required")
		}
		w.cond = b.compile(p, where+" when", w.When)
		backed(where, w.Sources, &w.Backing, true)
	}

	b.cautions = index(p, "cautions", b.Cautions, func(c *Caution) string { return c.Health })
	for i := range b.Cautions {
		c := &b.Cautions[i]
		where := entry("cautions", i, c.Health)
		if !aftercare.Health.Has(c.Health) {
			p.add(where, "unknown health code; allowed: %s", aftercare.Health.Allowed())
		}
		if c.MaxPressure != "" && !aftercare.Pressures.Has(c.MaxPressure) {
			p.add(where, "unknown max_pressure %q; allowed: %s", c.MaxPressure, aftercare.Pressures.Allowed())
		}
		if c.Title == "" || c.Advice == "" {
			p.add(where, "a title and advice are required")
		}
		areas(p, where, c.AvoidAreas)
		backed(where, c.Sources, &c.Backing, true)
	}
	for _, c := range aftercare.Health.Codes() {
		if b.cautions[c.Code] == nil {
			p.add("cautions", "no caution for health answer %s", c.Code)
		}
	}
	index(p, "flag_guidance", b.Flags, func(f *FlagGuide) string { return f.ID })
	for i := range b.Flags {
		f := &b.Flags[i]
		where := entry("flag_guidance", i, f.ID)
		if f.Title == "" || f.Advice == "" {
			p.add(where, "a title and advice are required")
		}
		if len(f.Rules) == 0 {
			p.add(where, "names no rule; list the rules whose firing calls for this guidance")
		}
		for _, id := range f.Rules {
			if b.rules[id] == nil {
				p.add(where, "unknown rule %q", id)
			}
		}
		areas(p, where, f.AvoidAreas)
		backed(where, f.Sources, &f.Backing, true)
	}
	if err := p.err(); err != nil {
		return err
	}
	return nil
}

func (b *Base) prepareRule(p *problems, where string, r *Rule) {
	if r.ID == "" {
		p.add(where, "an id is required")
	}
	lvl, err := aftercare.ParseLevel(r.Level)
	if err != nil {
		p.add(where, "%s", aftercare.ErrorMessage(err))
	}
	r.level = int(lvl)
	if r.Text == "" {
		p.add(where, "a text is required")
	}
	r.cond = b.compile(p, where+" when", r.When)
}

// compile compiles one condition, type-checked against Facts.
func (b *Base) compile(p *problems, where, src string) *Cond {
	if strings.TrimSpace(src) == "" {
		p.add(where, "a condition is required (write true for always)")
		return nil
	}
	c, err := newCond(src)
	if err != nil {
		p.add(where, "the condition does not compile: %v", oneLine(err.Error()))
		return nil
	}
	return c
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func areas(p *problems, where string, codes []string) {
	for _, a := range codes {
		if !aftercare.Areas.Has(a) {
			p.add(where, "unknown area %q; allowed: %s", a, aftercare.Areas.Allowed())
		}
	}
}

func entry(list string, i int, id string) string {
	if id == "" {
		return fmt.Sprintf("%s[%d]", list, i)
	}
	return fmt.Sprintf("%s[%d] (%s)", list, i, id)
}

// index maps the entries by key, reporting empty and duplicate keys.
func index[T any](p *problems, list string, xs []T, key func(*T) string) map[string]*T {
	m := make(map[string]*T, len(xs))
	for i := range xs {
		k := key(&xs[i])
		if k == "" {
			p.add(entry(list, i, ""), "an id is required")
			continue
		}
		if _, dup := m[k]; dup {
			p.add(entry(list, i, k), "duplicate id %q", k)
		}
		m[k] = &xs[i]
	}
	return m
}

// mapOf views a map of values as the map of pointers keys takes.
func mapOf[T any](m map[string]T) map[string]*T {
	out := make(map[string]*T, len(m))
	for k, v := range m {
		out[k] = &v
	}
	return out
}

func keys[T any](m map[string]*T) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

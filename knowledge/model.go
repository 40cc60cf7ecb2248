// Package knowledge holds the knowledge base as data: the embedded file
// knowledge.yaml (sources, styles, causes, triage rules, relief measures, signs
// to watch for, screening cautions, prevention, FAQ and companion topics), its
// loader and validator, and the compiled rule conditions. A clinic may lay its
// own file over the built-in one. Nothing here does I/O beyond reading a file
// the caller names.
package knowledge

// Base is a loaded, validated knowledge base with its conditions compiled.
type Base struct {
	// Version is the version the file declares.
	Version string `yaml:"version"`
	// Title names the knowledge base.
	Title string `yaml:"title"`
	// Sources are the works every entry cites, by id.
	Sources []Source `yaml:"sources"`
	// Bands are the pain bands on the 0–10 scale.
	Bands Bands `yaml:"bands"`
	// Levels are the per-level texts and check-again times.
	Levels []LevelInfo `yaml:"levels"`
	// Intensities say, per intensity of work, how much pain is still expected.
	Intensities []Intensity `yaml:"intensities"`
	// Pressures map each pressure to an intensity.
	Pressures []Pressure `yaml:"pressures"`
	// Styles describe every massage style.
	Styles []Style `yaml:"styles"`
	// Causes explain why soreness happens.
	Causes []Article `yaml:"causes"`
	// Rules grade a request; each asks for a level when its condition holds.
	Rules []Rule `yaml:"rules"`
	// Fallback is the reason given when no rule fires.
	Fallback Rule `yaml:"fallback"`
	// Relief are the relief measures, chosen per request.
	Relief []Relief `yaml:"relief"`
	// WatchFor are the signs that would change the answer.
	WatchFor []Watch `yaml:"watch_for"`
	// Cautions tell the therapist what to adjust for each screening answer.
	Cautions []Caution `yaml:"cautions"`
	// Prevention is how to be less sore next time.
	Prevention []Article `yaml:"prevention"`
	// FAQ answers the common questions.
	FAQ []FAQ `yaml:"faq"`
	// Topics are the companion topics (headache, feeling sick after massage…).
	Topics []Article `yaml:"topics"`
	// Flags tell the therapist what a flagged check-in means for the next
	// session, by the rules that flagged it (see FlagGuidance).
	Flags []FlagGuide `yaml:"flag_guidance"`
	// Disable lists ids of built-in entries that a clinic's file switches off.
	Disable []string `yaml:"disable,omitempty"`

	fingerprint string
	version     string
	sources     map[string]*Source
	styles      map[string]*Style
	pressures   map[string]*Pressure
	intensities map[string]*Intensity
	levels      map[string]*LevelInfo
	cautions    map[string]*Caution
	rules       map[string]*Rule
}

// Source is a work cited by the knowledge base. Every source but the seed
// article can be looked up: it has a URL, a DOI or a PubMed id (PMID).
type Source struct {
	ID    string `yaml:"id"`
	Title string `yaml:"title"`
	// Cite is the short form shown beside a rule, e.g. "Cambron et al. 2007".
	Cite string `yaml:"cite"`
	URL  string `yaml:"url,omitempty"`
	// DOI is the digital object identifier, e.g. "10.1089/acm.2006.6401".
	DOI string `yaml:"doi,omitempty"`
	// PMID is the PubMed id, e.g. "17983334".
	PMID string `yaml:"pmid,omitempty"`
	// Seed marks the consumer article the product was created from, the one
	// source that may have no link.
	Seed bool `yaml:"seed,omitempty"`
}

// Bases of an entry: what its sources say, a reasoned estimate where no
// published source gives the figure, or professional consensus.
const (
	BasisSource    = "source"
	BasisEstimate  = "estimate"
	BasisConsensus = "consensus"
)

// Backing says how an entry is backed: which claim or section of each cited
// source says it, and whether it is the sources' word or an estimate.
type Backing struct {
	// Claims name, by source id, what that source says that backs the entry
	// (its section or finding).
	Claims map[string]string `yaml:"claims,omitempty"`
	// Basis is "source" (the default), "estimate" or "consensus".
	Basis string `yaml:"basis,omitempty"`
	// BasisNote gives the reasoning and the nearest evidence of an estimate
	// or a consensus.
	BasisNote string `yaml:"basis_note,omitempty"`
}

// BasisOrSource is the entry's basis, "source" when none is given.
func (bk *Backing) BasisOrSource() string {
	if bk.Basis == "" {
		return BasisSource
	}
	return bk.Basis
}

// Bands are the pain bands, each an inclusive range on the 0–10 scale.
type Bands struct {
	Mild     [2]int `yaml:"mild"`
	Moderate [2]int `yaml:"moderate"`
	Severe   [2]int `yaml:"severe"`
}

// LevelInfo holds what is said for one triage level.
type LevelInfo struct {
	Code     string `yaml:"code"`
	Headline string `yaml:"headline"`
	// CheckAgainHours is when to check in again at this level.
	CheckAgainHours int    `yaml:"check_again_hours"`
	Advice          string `yaml:"advice"`
}

// Intensity is one grade of how hard the work was.
type Intensity struct {
	Code string `yaml:"code"`
	// ExpectedPain is the most pain still expected after work this hard.
	ExpectedPain int `yaml:"expected_pain"`
	// Hours is the typical soreness window [from, to] when no style says otherwise.
	Hours [2]int `yaml:"hours"`
	About string `yaml:"about"`
	// Sources back the expected pain and the window.
	Sources []string `yaml:"sources"`
	Backing `yaml:",inline"`
}

// Pressure maps a pressure code to an intensity.
type Pressure struct {
	Code      string `yaml:"code"`
	Intensity string `yaml:"intensity"`
	About     string `yaml:"about"`
}

// Style describes one massage style: how likely it leaves soreness, where,
// and for how long by pressure.
type Style struct {
	Code      string `yaml:"code"`
	Name      string `yaml:"name"`
	Intensity string `yaml:"intensity"`
	// Soreness is "likely", "possible" or "unlikely".
	Soreness string `yaml:"soreness"`
	// Where are the areas where soreness after this style is usual.
	Where []string `yaml:"where"`
	About string   `yaml:"about"`
	// Hours are the typical soreness windows [from, to] by pressure; "default"
	// applies when no pressure is given.
	Hours   map[string][2]int `yaml:"hours"`
	Sources []string          `yaml:"sources"`
	Backing `yaml:",inline"`
}

// Article is a titled piece of advice with its sources (a cause, a prevention
// habit, a companion topic).
type Article struct {
	ID      string   `yaml:"id"`
	Title   string   `yaml:"title"`
	Text    string   `yaml:"text"`
	Sources []string `yaml:"sources"`
	Backing `yaml:",inline"`
}

// Rule asks for a level when its condition holds.
type Rule struct {
	ID    string `yaml:"id"`
	Level string `yaml:"level"`
	// When is the condition, an expression over Facts.
	When string `yaml:"when"`
	// Text says to the client why the rule fired.
	Text string `yaml:"text"`
	// Headline, when set, is said first if this rule decides the level.
	Headline string   `yaml:"headline,omitempty"`
	Sources  []string `yaml:"sources"`
	Backing  `yaml:",inline"`

	level int
	cite  string
	cond  *Cond
}

// Relief is one relief measure, with when it fits and when it does not.
type Relief struct {
	ID    string `yaml:"id"`
	Title string `yaml:"title"`
	Why   string `yaml:"why"`
	How   string `yaml:"how"`
	// When is the condition for offering it ("true" for always).
	When string `yaml:"when"`
	// Unless is the condition under which it must not be offered.
	Unless string `yaml:"unless,omitempty"`
	// Evidence is "strong", "moderate", "limited" or "none".
	Evidence     string   `yaml:"evidence"`
	EvidenceNote string   `yaml:"evidence_note"`
	Order        int      `yaml:"order"`
	Sources      []string `yaml:"sources"`
	Backing      `yaml:",inline"`

	cite         string
	when, unless *Cond
}

// Watch is a sign that would change the answer.
type Watch struct {
	ID      string   `yaml:"id"`
	Text    string   `yaml:"text"`
	When    string   `yaml:"when"`
	Sources []string `yaml:"sources"`
	Backing `yaml:",inline"`

	cond *Cond
}

// Caution tells a therapist what to adjust for one screening answer.
type Caution struct {
	Health         string   `yaml:"health"`
	Title          string   `yaml:"title"`
	Advice         string   `yaml:"advice"`
	MaxPressure    string   `yaml:"max_pressure,omitempty"`
	AvoidAreas     []string `yaml:"avoid_areas,omitempty"`
	SeeDoctorFirst bool     `yaml:"see_doctor_first,omitempty"`
	// Ask are the questions to put to the client before treatment.
	Ask     []string `yaml:"ask,omitempty"`
	Sources []string `yaml:"sources"`
	Backing `yaml:",inline"`
}

// FlagGuide tells the therapist what a flagged check-in means for the next
// session: it applies when any of its rules fired.
type FlagGuide struct {
	ID string `yaml:"id"`
	// Rules are the ids of the rules whose firing calls for this guidance.
	Rules  []string `yaml:"rules"`
	Title  string   `yaml:"title"`
	Advice string   `yaml:"advice"`
	// AvoidAreas are the areas not to treat at the next session.
	AvoidAreas []string `yaml:"avoid_areas,omitempty"`
	// UntilCleared is true when those areas (or the whole session) wait
	// until a clinician has cleared the client.
	UntilCleared bool     `yaml:"until_cleared,omitempty"`
	Sources      []string `yaml:"sources"`
	Backing      `yaml:",inline"`
}

// FAQ is one question and its answer.
type FAQ struct {
	ID       string   `yaml:"id"`
	Question string   `yaml:"question"`
	Answer   string   `yaml:"answer"`
	Sources  []string `yaml:"sources"`
	Backing  `yaml:",inline"`
}

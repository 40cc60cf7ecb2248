package aftercare

// Request is an assessment request: what the client reports after a massage.
// Every field is optional, but a request must say something to assess.
type Request struct {
	// Style is the massage style received, a code of Styles.
	Style string `json:"style,omitempty"`
	// Pressure is the pressure received, a code of Pressures.
	Pressure string `json:"pressure,omitempty"`
	// AreasWorked are the areas the therapist worked on, codes of Areas.
	AreasWorked []string `json:"areas_worked,omitempty"`
	// HoursSince is the number of hours since the session ended; nil when not said.
	HoursSince *float64 `json:"hours_since,omitempty"`
	// Soreness is the pain now, per area.
	Soreness []Soreness `json:"soreness,omitempty"`
	// Symptoms are codes of Symptoms the client has now.
	Symptoms []string `json:"symptoms,omitempty"`
	// Health are screening answers, codes of Health.
	Health []string `json:"health,omitempty"`
	// History holds earlier check-ins of the same session, oldest first.
	History []HistoryPoint `json:"history,omitempty"`
	// Answers holds the answers to questions of an earlier response, keyed by
	// question id (see ParseQuestionID); each settles its fact over the text.
	Answers map[string]Answer `json:"answers,omitempty"`
	// Text is what the client typed, in free English.
	Text string `json:"text,omitempty"`
}

// Soreness is the pain in one area on the 0–10 numeric rating scale.
type Soreness struct {
	Area string `json:"area"`
	Pain int    `json:"pain"`
}

// HistoryPoint is an earlier check-in: when it was and the worst pain then.
type HistoryPoint struct {
	HoursSince *float64 `json:"hours_since,omitempty"`
	Pain       int      `json:"pain"`
}

// Response is the answer to an assessment request.
type Response struct {
	// Level is the highest level asked for by any rule that fired.
	Level Level `json:"level"`
	// Headline is the one calm sentence the client reads first.
	Headline string `json:"headline"`
	// Reasons lists every rule that fired, highest level first.
	Reasons []Reason `json:"reasons"`
	// Recovery is the expected recovery window and when to check again.
	Recovery Recovery `json:"recovery"`
	// Plan is the personal relief plan, most useful first.
	Plan []PlanItem `json:"plan"`
	// WatchFor names the signs that would change the answer.
	WatchFor []string `json:"watch_for"`
	// Findings is what was read from the request's text.
	Findings []Finding `json:"findings"`
	// Questions would settle what the reading is unsure of, most serious
	// first; empty when nothing needs asking.
	Questions []Question `json:"questions,omitempty"`
	// KnowledgeVersion identifies the knowledge base the answer was made with.
	KnowledgeVersion string `json:"knowledge_version"`
	// Disclaimer says plainly that this is not a diagnosis.
	Disclaimer string `json:"disclaimer"`
}

// Reason is one rule that fired, with the level it asks for and its source.
type Reason struct {
	Rule   string `json:"rule"`
	Level  Level  `json:"level"`
	Text   string `json:"text"`
	Source string `json:"source"`
}

// Recovery is the expected recovery window for this client and session.
type Recovery struct {
	// TypicalHours is the window, in hours after the session, in which soreness
	// like this usually eases: [from, to].
	TypicalHours [2]int `json:"typical_hours"`
	// CheckAgainInHours is when to check in again, in hours from now.
	CheckAgainInHours int `json:"check_again_in_hours"`
	// HoursSince is the client's own point in time, when known.
	HoursSince *float64 `json:"hours_since,omitempty"`
	// Trend is "rising", "falling", "steady" or "" when there is no history.
	Trend string `json:"trend,omitempty"`
}

// PlanItem is one step of the relief plan.
type PlanItem struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Why      string `json:"why"`
	How      string `json:"how,omitempty"`
	Evidence string `json:"evidence,omitempty"`
	Source   string `json:"source,omitempty"`
}

// Finding is one thing read from free text, with its place in the text.
type Finding struct {
	// Type is a code of FindingTypes.
	Type string `json:"type"`
	// Code is set for coded types (symptom, area, style, pressure, health).
	Code string `json:"code,omitempty"`
	// Value is set for pain (0–10) and time (hours since the session).
	Value *float64 `json:"value,omitempty"`
	// Negated is true when the text says the finding is absent, or mentions it
	// only as a possibility or as past history: it does not count as present.
	Negated bool `json:"negated"`
	// Context says why a finding does not count: "negated", "hypothetical" or "historical".
	Context string `json:"context,omitempty"`
	// Text is the words that were read.
	Text string `json:"text"`
	// Start and End are byte offsets of Text in the request's text.
	Start int `json:"start"`
	End   int `json:"end"`
}

// MaxTextBytes is the longest free text a request may carry.
const MaxTextBytes = 4000

// MaxHours is the latest time after a session that a request may speak of (a year).
const MaxHours = 8760

// MaxHistory is the most earlier check-ins a request may carry.
const MaxHistory = 100

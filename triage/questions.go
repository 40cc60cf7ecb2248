package triage

import (
	"cmp"
	"math/bits"
	"slices"

	"aftercare"
	"aftercare/knowledge"
	"aftercare/textread"
)

// Questions (SPEC: "When the reading is unsure"): what the reader is unsure
// of, and a missing fact that decides the level (how long ago the massage
// was, how bad the pain is), become a few short questions. A question is asked
// only when its answer would change the level; the most serious first. The
// answer in the response is graded on what is known: an unsure mention is
// counted or not as the reader reads it ("maybe a bit numb?" counts; "legs like
// jelly, I floated home" does not), and a missing fact stays missing.

// maxQuestions is the most questions one answer asks.
const maxQuestions = 3

// symptomQuestions are the questions about a symptom, in the client's words.
var symptomQuestions = map[string]string{
	"one_sided_weakness":     "Is one arm, leg or side of your body weak, not just too sore to move?",
	"facial_droop":           "Is one side of your face drooping or numb right now?",
	"speech_difficulty":      "Is your speech slurred or are words hard to find right now?",
	"chest_pain":             "Do you have pain, tightness or pressure in your chest right now?",
	"shortness_of_breath":    "Are you short of breath right now, at rest or on light effort?",
	"sudden_severe_headache": "Did a severe headache come on suddenly, within a minute or so?",
	"vision_changes":         "Is your sight blurred, doubled or lost right now?",
	"confusion":              "Are you (or is the person you write for) confused or unusually drowsy?",
	"fainting":               "Did you actually faint (lose consciousness)?",
	"unsteadiness":           "Are you unsteady on your feet, as if walking on a boat?",
	"calf_swelling":          "Is one calf or leg swollen, bigger than the other?",
	"saddle_numbness":        "Is the skin between your legs or around your bottom numb?",
	"bladder_bowel_change":   "Have you had trouble controlling or feeling your bladder or bowels?",
	"leg_weakness":           "Are both legs weak, not just sore?",
	"dark_urine":             "Is your urine dark, like tea or cola?",
	"severe_weakness":        "Are your muscles weak, not only sore?",
	"numbness":               "Is any part of you numb right now?",
	"tingling":               "Do you have tingling or pins and needles right now?",
	"sharp_pain":             "Is the pain sharp or stabbing right now?",
	"swelling":               "Is the sore area visibly swollen?",
	"joint_instability":      "Does a joint feel unstable, as if it could give way?",
	"pain_on_movement":       "Does simple movement (walking, turning, lifting) cause intense pain?",
	"warmth_redness":         "Is the skin over the sore area warm and red?",
	"fever":                  "Do you have a fever (38 °C / 100.4 °F or more)?",
	"bruising_dark":          "Is there a large or dark bruise?",
	"dizziness":              "Are you dizzy right now?",
	"vomiting":               "Have you been vomiting?",
	"vaginal_bleeding":       "Are you bleeding, spotting or leaking fluid from the vagina right now?",
	"burn":                   "Is the skin burnt or blistered (from hot stones, a heat pack or the table)?",
}

const (
	hoursQuestion = "How many hours ago did the massage end?"
	painQuestion  = "How bad is the pain right now, from 0 (none) to 10 (the worst imaginable)?"
)

// answered reports the yes or no answer to the question about a symptom.
func answered(req *aftercare.Request, code string) (yes, ok bool) {
	if len(req.Answers) == 0 {
		return false, false
	}
	a, found := req.Answers[aftercare.SymptomQuestion(code)]
	if !found {
		return false, false
	}
	return a.YesNo()
}

// number returns the number answered to the question id.
func number(req *aftercare.Request, id string) (float64, bool) {
	if len(req.Answers) == 0 {
		return 0, false
	}
	a, found := req.Answers[id]
	if !found {
		return 0, false
	}
	return a.Number()
}

// levelFor grades a request without building an answer: the level of the
// highest rule that fires, or the fallback's.
func (e *Engine) levelFor(req *aftercare.Request, rd *textread.Reading, fired []uint64) int {
	var f knowledge.Facts
	e.derive(&f, req, rd)
	if err := e.kb.EvalRules(&f, fired); err != nil {
		return 0
	}
	return e.topLevel(fired)
}

func (e *Engine) topLevel(fired []uint64) int {
	level := 0
	for k, w := range fired {
		for ; w != 0; w &= w - 1 {
			level = max(level, e.kb.Rules[64*k+bits.TrailingZeros64(w)].LevelValue())
		}
	}
	if level == 0 {
		level = e.kb.Fallback.LevelValue()
	}
	return level
}

// with returns a copy of the request with one more answer.
func with(req *aftercare.Request, id string, a aftercare.Answer) *aftercare.Request {
	r := *req
	r.Answers = make(map[string]aftercare.Answer, len(req.Answers)+1)
	for k, v := range req.Answers {
		r.Answers[k] = v
	}
	r.Answers[id] = a
	return &r
}

// candidate is a question that would change the level, with the most serious
// level its answer could lead to.
type candidate struct {
	q     aftercare.Question
	stake int
	order int
}

// questions returns the questions whose answers would change the level, most
// serious first.
func (e *Engine) questions(req *aftercare.Request, rd *textread.Reading, f *knowledge.Facts, level int, fired []uint64) []aftercare.Question {
	var cs []candidate
	ask := func(id, text string, alt, order int) {
		if alt == level {
			return
		}
		q, err := aftercare.NewQuestion(id, text)
		if err != nil {
			return
		}
		cs = append(cs, candidate{q: q, stake: max(alt, level), order: order})
	}
	seen := map[string]bool{}
	for _, u := range rd.Unsure {
		id := aftercare.SymptomQuestion(u.Code)
		if seen[u.Code] || slices.Contains(req.Symptoms, u.Code) || plainly(rd, u) {
			continue
		}
		if _, ok := answered(req, u.Code); ok {
			continue
		}
		seen[u.Code] = true
		text, ok := symptomQuestions[u.Code]
		if !ok {
			text = "Do you have this now: " + aftercare.Symptoms.Label(u.Code) + "?"
		}
		ask(id, text, e.levelFor(with(req, id, aftercare.YesNoAnswer(!u.Counted)), rd, fired), 0)
	}
	// askNumber asks for a missing number when one of two plausible answers
	// would change the level.
	askNumber := func(missing bool, id, text string, order int, tries ...float64) {
		if _, ok := number(req, id); ok || !missing {
			return
		}
		for _, v := range tries {
			if alt := e.levelFor(with(req, id, aftercare.NumberAnswer(v)), rd, fired); alt != level {
				ask(id, text, alt, order)
				return
			}
		}
	}
	askNumber(!f.HoursKnown, aftercare.QuestionHoursSince, hoursQuestion, 1, 12, 96)
	askNumber(!f.PainKnown && f.Sore, aftercare.QuestionPain, painQuestion, 2, 2, 8)
	slices.SortStableFunc(cs, func(a, b candidate) int {
		if c := cmp.Compare(b.stake, a.stake); c != 0 {
			return c
		}
		return cmp.Compare(a.order, b.order)
	})
	out := make([]aftercare.Question, 0, min(len(cs), maxQuestions))
	for i := 0; i < len(cs) && i < maxQuestions; i++ {
		out = append(out, cs[i].q)
	}
	return out
}

// plainly reports whether the text states the symptom of u plainly elsewhere:
// a sign stated plainly is never turned into a question.
func plainly(rd *textread.Reading, u textread.Unsure) bool {
	for _, fd := range rd.Findings {
		if fd.Type == "symptom" && fd.Code == u.Code && !fd.Negated && (fd.Start != u.Start || fd.End != u.End) {
			return true
		}
	}
	return false
}

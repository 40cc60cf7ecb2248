package textread

import "aftercare"

// The status of a mention beyond negation (ConText's other values, and what a
// reader of plain messages meets besides):
//
//   - a figure of speech: "legs like jelly, I floated home", "so relaxed my
//     eyelids drooped" describe relaxation, not a sign; they do not count, and
//     the reader says it is unsure of them;
//   - a sign of the session itself that has passed: "it felt like a knife at one
//     point", "felt sick during the massage but it went": past (historical);
//   - one reading per sign: "feels bruised but there are no bruises", "what if
//     the numbness starts later? I have no numbness" end on the negation, which
//     wins over the earlier mention; a warning sign that may have passed (a
//     drooping face, chest pain) is never read away this way;
//   - words with two meanings: "can't lift my arm" is a weak arm (a stroke sign)
//     or an arm too sore to lift; with pain in its sentence it is read as pain on
//     movement, without as weakness; either way the reader is unsure;
//   - a hedge ("maybe a bit numb?", "kind of tingly I think") or a comparison
//     ("like being stabbed") counts, and the reader is unsure of it.
//
// What the reader is unsure of is returned with the reading (Unsure) so that
// the one who grades can ask the client instead of guessing.

// Unsure is a mention the reader cannot be sure of.
type Unsure struct {
	Code       string // the symptom the mention may be
	Why        string // "figure", "passed", "hedge" or "ambiguous"
	Counted    bool   // whether the reading counts the symptom as present
	Else       string // what the mention is read as when it is not Code ("pain_on_movement"), or ""
	Start, End int    // byte offsets of the mention in the text
}

var (
	// relaxWords mark a sentence about how relaxed or well the client feels.
	relaxWords = wordSet(`relaxed relaxing floated floating noodle noodles blissed blissful zen melted chilled
		amazing lovely wonderful heavenly sleepy dreamy`)
	// relaxSigns are the signs that relaxation is described with: "legs like jelly",
	// "wobbly", "eyelids drooped", "limp as a noodle".
	relaxSigns = wordSet(`leg_weakness unsteadiness facial_droop pain_on_movement severe_weakness`)
	// sessionMarkers set a clause in the session itself.
	sessionMarkers = [][]string{{"during"}, {"at", "the", "time"}, {"at", "one", "point"}, {"halfway", "through"},
		{"on", "the", "table"}, {"while", "she"}, {"while", "he"}, {"when", "she"}, {"when", "he"}, {"as", "she"},
		{"while", "you"}, {"when", "you"}, {"as", "you"}, {"you", "went"}, {"she", "went"}, {"he", "went"},
		{"at", "times"}, {"minutes", "into"}}
	// passingSigns are the signs that may come and go with the pressure of a massage.
	passingSigns = wordSet(`sharp_pain nausea dizziness pain_on_movement headache tingling numbness fatigue stiffness
		vomiting shortness_of_breath`)
	comfortWords = wordSet(`comfortable comfy cosy cozy nice lovely pleasant pleasantly relaxed soothing soothed`)
	hedgeWords   = wordSet(`maybe perhaps possibly kinda sorta slightly`)
	figureWords  = wordSet(`like as`)
	painNear     = wordSet(`sore sorer soreness pain painful hurt hurts hurting ache aching achy agony tender too stiff killing excruciating`)
	weakWords    = wordSet(`weak weakness strength power floppy limp dead heavy`)
)

// status applies what this file describes to the findings and returns what the
// reader is unsure of; before is the sentence treatedBefore gives.
func status(ws []word, fs []found, cl clauses, before int32) []Unsure {
	var un []Unsure
	add := func(f *found, why string, counted bool) {
		un = append(un, Unsure{Code: f.code, Why: why, Counted: counted, Start: ws[f.start].start, End: ws[f.end-1].end})
	}
	for i := range fs {
		f := &fs[i]
		if f.typ == "health" && f.ctx == "" && f.start > 0 && (ws[f.start-1].norm == "nearly" || ws[f.start-1].norm == "almost") {
			f.ctx = "hypothetical" // "she nearly cracked a rib": it did not happen
		}
		if f.typ == "symptom" && f.ctx == "negated" && f.passed {
			add(f, "passed", false) // "my hand went numb, fine now": is it, now?
		}
		if f.typ != "symptom" || f.ctx != "" {
			continue
		}
		switch {
		case f.end < len(ws) && ws[f.end].sep == sepNone && mediaWords[ws[f.end].norm]:
			f.ctx = "hypothetical" // "the chest pain stories": what others tell
		case relaxSigns[f.code] && relaxedAround(ws, f.start) && !sentenceHasSide(ws, f.start):
			f.ctx = "hypothetical"
			add(f, "figure", false)
		case passingSigns[f.code] && thatDay(ws, cl, f.start):
			f.ctx = "historical" // "I felt rather tired that evening": a day gone by
		case passingSigns[f.code] && inSession(ws, cl, f.start) && resolvedAfter(ws, f.end):
			f.ctx = "historical"
			if f.code == "tingling" || f.code == "numbness" {
				add(f, "passed", false)
			}
		case f.code == "unsteadiness" && hasWord(ws, f.start, f.end, "unstable") && sentenceHas(ws, f.start, jointWords):
			f.code = "joint_instability" // "my shoulder ... has felt unstable since"
		case f.code == "one_sided_weakness" && liftWords(ws, f) && !sentenceHas(ws, f.start, weakWords):
			if sentenceHas(ws, f.start, painNear) || sentenceHasPainScore(ws, f.start) || saysNotWeak(ws, fs) {
				f.code = "pain_on_movement"
				add(f, "ambiguous", false)
				un[len(un)-1].Code = "one_sided_weakness"
			} else {
				add(f, "ambiguous", true)
			}
			un[len(un)-1].Else = "pain_on_movement"
		case subsiding[f.code] && wentDown(ws, cl, f.end):
			f.ctx = "historical" // "the puffiness went down within an hour"
		case f.code == "warmth_redness" && sentenceHas(ws, f.start, comfortWords):
			f.ctx = "hypothetical" // "my hands feel warm and comfortable"
		case f.code == "severe_weakness" && oneLimb(ws, cl, f):
			f.code = "one_sided_weakness" // "my left hand is numb and has no strength"
		case hedged(ws, f):
			add(f, "hedge", true)
		case f.code == "sharp_pain" && likeBefore(ws, f.start) && feltBefore(ws, f.start) && !sentenceHas(ws, f.start, soreNowWords) &&
			(inSession(ws, cl, f.start) || sentenceHas(ws, f.start, workerWords)):
			f.ctx = "historical" // "it honestly felt like I was being stabbed" as he dug in: the session
		case f.code == "sharp_pain" && likeBefore(ws, f.start):
			add(f, "figure", true)
		}
	}
	numbLimb(ws, fs)
	dizzyWalk(ws, fs)
	treated(ws, fs, before)
	beforeThat(ws, fs, cl)
	knownOld(ws, fs)
	oneReading(ws, fs)
	return un
}

// numbLimb reads "I couldn't move my left shoulder. It's numb down to my
// forearm" as weakness of one arm: a limb of one side that does not move,
// in a message that says it is numb, is a nerve or a stroke sign, not only
// soreness.
func numbLimb(ws []word, fs []found) {
	numb := false
	for _, f := range fs {
		numb = numb || f.typ == "symptom" && f.code == "numbness" && f.ctx == ""
	}
	if !numb {
		return
	}
	for i := range fs {
		f := &fs[i]
		if f.typ != "symptom" || f.code != "pain_on_movement" || f.ctx != "" || !liftWords(ws, f) {
			continue
		}
		numbHere := numbIn(ws, fs, ws[f.start].sent)
		for k := f.start; k+1 < len(ws) && k < f.end+3; k++ {
			sided := limbSides[ws[k].norm] || ws[k].norm == "upper" || numbHere
			if sided && (limbWords[ws[k+1].norm] || ws[k+1].norm == "shoulder") {
				f.code = "one_sided_weakness"
				break
			}
		}
	}
}

// mediaWords after a sign make it a topic, not a finding: "the chest pain
// stories", "stroke videos".
var mediaWords = wordSet(`stories story articles article posts videos video threads thread forums forum
	cases horror`)

var (
	limbWords = wordSet(`arm hand leg foot fingers grip`)
	limbSides = wordSet(`left right one`)
)

// oneLimb reports whether the weakness of f is of one limb: a side and a limb
// in its clause ("my left hand ... has no strength").
func oneLimb(ws []word, cl clauses, f *found) bool {
	side, limb := false, false
	for k := range ws {
		if cl.coarse[k] != cl.coarse[f.start] {
			continue
		}
		side = side || limbSides[ws[k].norm] && k+1 < len(ws) && limbWords[ws[k+1].norm]
		limb = limb || limbWords[ws[k].norm]
	}
	return side && limb
}

// resolvedWords after a sign of the session say that it is over: "fine now",
// "legs felt so light after", "none of the usual aches".
var resolvedWords = wordSet(`fine better good great light lighter none gone went okay ok normal terrific wonderful
	amazing rejuvenated fantastic brilliant fresh`)

// resolvedAfter reports whether a word of resolvedWords follows word i.
func resolvedAfter(ws []word, i int) bool {
	if wellAt(ws, i) >= 0 {
		return true // "... but it doesn't really hurt", "no problems since"
	}
	for k := i; k < len(ws); k++ {
		if resolvedWords[ws[k].norm] {
			return true
		}
	}
	return false
}

var jointWords = wordSet(`shoulder shoulders knee knees hip hips ankle ankles elbow elbows wrist wrists joint joints`)

// saysNotWeak reports whether the message says the client is not weak, or
// too sore: "it's not weak exactly, it's just too sore to lift".
func saysNotWeak(ws []word, fs []found) bool {
	for i := range fs {
		if fs[i].typ == "symptom" && fs[i].ctx == "negated" && (fs[i].code == "severe_weakness" || fs[i].code == "one_sided_weakness") {
			return true
		}
	}
	for k := 0; k+1 < len(ws); k++ {
		if ws[k].norm == "too" && (ws[k+1].norm == "sore" || ws[k+1].norm == "painful" || ws[k+1].norm == "stiff") {
			return true
		}
	}
	return false
}

// likeBefore reports whether "like" or "as" stands in the four words before
// word i, in its sentence: "like being stabbed", "like I was being stabbed".
func likeBefore(ws []word, i int) bool {
	for k := i - 1; k >= 0 && k >= i-4 && ws[k].sent == ws[i].sent; k-- {
		if figureWords[ws[k].norm] {
			return true
		}
	}
	return false
}

// calfPainCode is the code of pain in one calf or leg without swelling, read
// only when the vocabulary has it.
const calfPainCode = "calf_pain_one_side"

var (
	calfPainWords = wordSet(`pain painful hurts hurt hurting sore sorer ache aches aching achy tender throbbing throbs
		cramp cramping cramps cramped`)
	calfSides = wordSet(`left right one`)
)

// calfPain reads pain in one calf or leg ("my left calf is hurting more than
// my right", "only the right calf is sore", "pain in my right calf") as
// calf_pain_one_side: a sign of a clot even without swelling. A calf or leg
// with a side, and a pain word in its clause; not when a swelling of it is
// read, nor when both calves are named.
func calfPain(ws []word, fs []found, cl clauses) []found {
	if !aftercare.Symptoms.Has(calfPainCode) {
		return fs
	}
	for _, f := range fs {
		if f.typ == "symptom" && (f.code == "calf_swelling" || f.code == calfPainCode) && f.ctx == "" {
			return fs
		}
	}
	for k := range ws {
		w := ws[k].norm
		if calfSides[w] && w != "one" && k > 0 && ws[k-1].norm == "the" && calfInSentence(ws, k) &&
			(k+1 >= len(ws) || !limbWords[ws[k+1].norm] && ws[k+1].norm != "calf") {
			// "both calves tightened, the right eased but the left still hurts"
			pain := false
			for j := k + 1; j < len(ws) && j <= k+3 && ws[j].sep != sepHard; j++ {
				pain = pain || calfPainWords[ws[j].norm] || calfPainWords[ws[j].stem]
			}
			if pain && !inContext(fs, k) {
				return append(fs, found{ph: -1, typ: "symptom", code: calfPainCode, start: k - 1, end: k + 1, lits: 2, from: k - 1})
			}
			continue
		}
		if w != "calf" && w != "leg" {
			continue
		}
		sided := k > 0 && calfSides[ws[k-1].norm] || k > 1 && calfSides[ws[k-2].norm] && ws[k-1].norm == "the"
		for j := range ws {
			// "calf feels sore only on the right side"
			sided = sided || ws[j].sent == ws[k].sent && calfSides[ws[j].norm] && j+1 < len(ws) && ws[j+1].norm == "side"
		}
		if !sided {
			continue
		}
		if inContext(fs, k) || radiating(ws, k) {
			continue // "no pain in my left calf", "my mum's left leg", "down my right leg"
		}
		pain, both := false, false
		for j := range ws {
			if cl.coarse[j] != cl.coarse[k] {
				continue
			}
			pain = pain || calfPainWords[ws[j].norm] || calfPainWords[ws[j].stem]
			both = both || ws[j].norm == "both" || ws[j].norm == "calves" || ws[j].norm == "legs"
		}
		if pain && !both {
			start := k
			if k > 0 && calfSides[ws[k-1].norm] {
				start = k - 1
			}
			return append(fs, found{ph: -1, typ: "symptom", code: calfPainCode, start: start, end: k + 1, lits: 2, from: start})
		}
	}
	return fs
}

// inContext reports whether word k belongs to a finding that is negated,
// hypothetical or historical.
func inContext(fs []found, k int) bool {
	for _, f := range fs {
		if k >= f.start && k < f.end && f.ctx != "" {
			return true
		}
	}
	return false
}

// sentenceHas reports whether the sentence of word i holds a word of set.
func sentenceHas(ws []word, i int, set map[string]bool) bool {
	for k := i; k >= 0 && ws[k].sent == ws[i].sent; k-- {
		if set[ws[k].norm] {
			return true
		}
	}
	for k := i + 1; k < len(ws) && ws[k].sent == ws[i].sent; k++ {
		if set[ws[k].norm] {
			return true
		}
	}
	return false
}

var sideWords = wordSet(`left right one side sided half`)

// sentenceHasSide reports whether the sentence of word i names one side: a
// sign of one side is never a figure of relaxation.
func sentenceHasSide(ws []word, i int) bool {
	for k := range ws {
		if ws[k].sent != ws[i].sent || !sideWords[ws[k].norm] {
			continue
		}
		for j := k + 1; j < len(ws) && j <= k+2; j++ {
			if sideBody[ws[j].norm] {
				return true // "left arm", "one side of my face"
			}
		}
	}
	return false
}

// sideBody are the words a side names: "left arm", "right side".
var sideBody = wordSet(`arm arms hand hands leg legs foot feet face side eye calf cheek body`)

// sentenceHasPainScore reports whether the sentence of word i gives a number
// of 1 to 10 (a pain score).
func sentenceHasPainScore(ws []word, i int) bool {
	for k := range ws {
		if ws[k].sent == ws[i].sent && ws[k].num && ws[k].val >= 1 && ws[k].val <= 10 {
			return true
		}
	}
	return false
}

// inSession reports whether word i stands in a clause set in the session
// itself ("during the massage", "at one point").
func inSession(ws []word, cl clauses, i int) bool {
	// "I yelped, it hurt a lot until it went numb. Afterwards my feet felt
	// brand new": what comes before "afterwards" was the session.
	for k := i + 1; k < len(ws); k++ {
		if ws[k-1].sent != ws[k].sent && (ws[k].norm == "afterwards" || ws[k].norm == "afterward") {
			return true
		}
	}
	for k := range ws {
		// "when she worked my hips, it hurt so bad": a clause that sets the
		// session carries on to the main clause after it, up to a turn.
		carried := k < i && ws[k].sent == ws[i].sent && !turnBetween(ws, k, i)
		if cl.fine[k] != cl.fine[i] && cl.coarse[k] != cl.coarse[i] && !carried {
			continue
		}
		for _, m := range sessionMarkers {
			if phraseAt(ws, k, m) {
				return true
			}
		}
	}
	return false
}

// liftWords reports whether a finding is "can't lift/raise/move ... arm".
func liftWords(ws []word, f *found) bool {
	return hasWord(ws, f.start, f.end, "lift") || hasWord(ws, f.start, f.end, "raise") ||
		hasWord(ws, f.start, f.end, "move")
}

// hedged reports whether a finding is hedged: "maybe a bit numb?", a question
// about oneself ("is my arm tingly?") or "kind of / sort of".
func hedged(ws []word, f *found) bool {
	for k := max(0, f.start-3); k < f.start; k++ {
		if ws[k].sent != ws[f.start].sent {
			continue
		}
		if hedgeWords[ws[k].norm] || (ws[k].norm == "kind" || ws[k].norm == "sort") && ws[k+1].norm == "of" {
			return true
		}
	}
	return false
}

// oneReading gives each symptom one reading: when a message both affirms and
// negates it, the last mention wins ("feels bruised but there are no
// bruises"), except that a warning sign affirmed by the client is never read
// away by a later denial.
func oneReading(ws []word, fs []found) {
	for i := range fs {
		f := &fs[i]
		if f.typ != "symptom" || f.ctx != "negated" || beforeInSentence(ws, f.start) {
			continue // "before it I didn't have headaches" says nothing of now
		}
		last := true
		for j := i + 1; j < len(fs); j++ {
			if fs[j].typ == "symptom" && fs[j].code == f.code && fs[j].ctx == "" {
				last = false
				break
			}
		}
		if !last {
			continue
		}
		for j := 0; j < i; j++ {
			if g := &fs[j]; g.typ == "symptom" && g.code == f.code && g.ctx == "" && !stillCounts(g) {
				g.ctx = "negated"
			}
		}
	}
}

// radiatingWords before a leg say that a pain travels into it from above
// ("shooting down my right leg", "going into my left leg"): a nerve root's
// pain, not a calf's.
var radiatingWords = wordSet(`down into radiating radiates shooting shoots travelling traveling travels`)

// radiating reports whether leg word k is where a pain travels to.
func radiating(ws []word, k int) bool {
	for j := k - 1; j >= 0 && j >= k-3; j-- {
		if radiatingWords[ws[j].norm] {
			return true
		}
	}
	return false
}

// subsiding are the signs that "go down": swelling and redness.
var subsiding = wordSet(`swelling calf_swelling warmth_redness`)

// wentDown reports whether the clause of a sign says, right after it, that it
// went down: "the puffiness went down within an hour", "swelling has gone
// down".
func wentDown(ws []word, cl clauses, end int) bool {
	for k := end; k < len(ws) && k <= end+6 && cl.fine[k] == cl.fine[end-1]; k++ {
		w := ws[k].norm
		if (w == "went" || w == "gone" || w == "came" || w == "come") && k+1 < len(ws) && ws[k+1].norm == "down" {
			return true
		}
		if w == "settled" || w == "subsided" || w == "disappeared" {
			return true
		}
	}
	return false
}

// treated reads the complaint a client had the massage for as past when the
// message goes on to say it is better: "Woke up with a pounding headache and
// a neck ache. Your 30 minutes fixed it, I got up pain free!". A complaint
// sign (complaintSigns, never a warning sign) told in a sentence before
// before, the sentence treatedBefore gives, or given as the reason for the
// massage in that sentence, is historical.
func treated(ws []word, fs []found, before int32) {
	for i := range fs {
		f := &fs[i]
		if !(f.typ == "pain" || f.typ == "symptom" && complaintSigns[f.code]) || f.ctx != "" || before < 0 {
			continue
		}
		if ws[f.start].sent < before || ws[f.start].sent == before && reasonFor(ws, f.end) {
			f.ctx = "historical"
		}
	}
}

// reasonFor reports whether the words after a sign give it as the reason for
// the massage: "couldn't turn my head since Tuesday, so I had a massage".
func reasonFor(ws []word, end int) bool {
	for k := end; k < len(ws) && ws[k].sent == ws[end-1].sent; k++ {
		if massageWords[ws[k].norm] {
			return false
		}
		if ws[k].norm == "so" && k+2 < len(ws) && (ws[k+1].norm == "i" || ws[k+1].norm == "we") {
			for j := k + 2; j < len(ws) && j <= k+6 && ws[j].sent == ws[k].sent; j++ {
				if massageWords[ws[j].norm] {
					return true
				}
			}
		}
	}
	return false
}

// complaintSigns are what people have a massage for: a stiff or painful neck,
// a headache, a sharp twinge, pins and needles. Warning signs are not among
// them.
var complaintSigns = wordSet(`sharp_pain pain_on_movement headache stiffness stiff_neck fatigue tingling numbness`)

// improvedWords after the massage say that the complaint is better: "it turns
// further", "fixed it", "helped".
var improvedWords = wordSet(`better improved fixed sorted helped looser freer eased relieved relief further`)

// improvedAt returns the place of the first word at or after from that says
// the complaint is better (not "no better"), or -1.
func improvedAt(ws []word, from int) int {
	if i := wellAt(ws, from); i >= 0 {
		return i
	}
	for i := from; i < len(ws); i++ {
		if improvedWords[ws[i].norm] && !(i > 0 && wellDeniers[ws[i-1].norm]) && !(i > 1 && wellDeniers[ws[i-2].norm]) {
			return i
		}
	}
	return -1
}

// treatedBefore returns the sentence of the first mention of the massage when
// the message says after it that all is well, or -1: the sentences before it
// tell the complaint the massage was for.
func treatedBefore(ws []word) int32 {
	for k := range ws {
		if massageWords[ws[k].norm] {
			if improvedAt(ws, k) < 0 {
				return -1
			}
			return ws[k].sent
		}
	}
	return -1
}

// numbIn reports whether sentence sent says a part is numb now.
func numbIn(ws []word, fs []found, sent int32) bool {
	for _, f := range fs {
		if f.typ == "symptom" && f.code == "numbness" && f.ctx == "" && ws[f.start].sent == sent {
			return true
		}
	}
	return false
}

// pastOpeners open a sentence about the time before the session: "Before
// that, any weight on my foot gave me stabbing pains".
var pastOpeners = [][]string{{"before", "that"}, {"before", "then"}, {"before", "it"}, {"before", "the", "massage"},
	{"before", "my", "massage"}, {"before", "the", "session"}, {"until", "then"}, {"previously"}}

// beforeThat reads the signs of a sentence that opens on the time before the
// session as past; a warning sign that may have passed still counts.
func beforeThat(ws []word, fs []found, cl clauses) {
	past := map[int32]bool{}
	pastClause := map[int]bool{}
	for k := range ws {
		if k > 0 && ws[k].sent == ws[k-1].sent {
			// "..., before it I could barely get up the stairs, after it I
			// climbed them": a clause that opens on the time before
			for _, p := range pastOpeners[:4] {
				if cl.fine[k] != cl.fine[k-1] && phraseAt(ws, k, p) {
					pastClause[cl.fine[k]] = true
				}
			}
			continue
		}
		for _, p := range pastOpeners {
			if phraseAt(ws, k, p) {
				past[ws[k].sent] = true
			}
		}
	}
	for i := range fs {
		f := &fs[i]
		if (f.typ == "symptom" || f.typ == "pain") && f.ctx == "" && (past[ws[f.start].sent] || pastClause[cl.fine[f.start]]) && !stillCounts(f) {
			f.ctx = "historical"
		}
	}
}

// beforeInSentence reports whether "before" or "previously" stands before
// word i in its sentence: a denial of the time before the session.
func beforeInSentence(ws []word, i int) bool {
	for k := i - 1; k >= 0 && ws[k].sent == ws[i].sent; k-- {
		if ws[k].norm == "before" || ws[k].norm == "previously" {
			return true
		}
	}
	return false
}

// turnWords between a word of relaxation and a sign turn the story: "the
// massage felt heavenly, but afterwards I couldn't stand up straight".
var turnWords = wordSet(`but however though although afterwards afterward later then until`)

// relaxedAround reports whether the sentence of word i speaks of relaxation
// with no turn of the story between that and word i.
func relaxedAround(ws []word, i int) bool {
	for k := range ws {
		if ws[k].sent != ws[i].sent || !relaxWords[ws[k].norm] {
			continue
		}
		lo, hi := min(k, i), max(k, i)
		turned := false
		for j := lo + 1; j < hi; j++ {
			turned = turned || turnWords[ws[j].norm]
		}
		if !turned {
			return true
		}
	}
	return false
}

// thatDayWords after "that" name a part of a day gone by: "that evening",
// "that night".
var thatDayWords = wordSet(`evening night afternoon morning day`)

// thatDay reports whether the clause of word i is set on a day gone by:
// "that evening", "that night".
func thatDay(ws []word, cl clauses, i int) bool {
	for k := 0; k+1 < len(ws); k++ {
		if cl.fine[k] == cl.fine[i] && ws[k].norm == "that" && thatDayWords[ws[k+1].norm] && ws[k+1].sep == sepNone {
			return true
		}
	}
	return false
}

// turnBetween reports whether a turn of the story (but, then, now, today)
// stands between words a and b.
func turnBetween(ws []word, a, b int) bool {
	for j := a + 1; j < b; j++ {
		if turnWords[ws[j].norm] || soreNowWords[ws[j].norm] {
			return true
		}
	}
	return false
}

// oldMarks say that what a sentence tells is long known, not new: "his right
// arm has been weak ever since his stroke, nothing new there", "as always".
var oldMarks = [][]string{{"nothing", "new"}, {"not", "new"}, {"as", "always"}, {"same", "as", "always"},
	{"for", "years"}, {"since", "childhood"}, {"all", "my", "life"}}

// knownOld reads the signs of a sentence that says they are long known as
// past: a weakness left by a stroke two years ago is not a new stroke sign.
func knownOld(ws []word, fs []found) {
	old := map[int32]bool{}
	for k := range ws {
		for _, m := range oldMarks {
			if phraseAt(ws, k, m) {
				old[ws[k].sent] = true
			}
		}
	}
	for i := range fs {
		f := &fs[i]
		if f.typ == "symptom" && f.ctx == "" && old[ws[f.start].sent] {
			f.ctx = "historical"
		}
	}
}

// dizzyWalk reads "he started feeling dizzy and now he can't walk" as
// unsteadiness: in a sentence that says the client is dizzy, not being able
// to walk or stand is a loss of balance, not a sore leg.
func dizzyWalk(ws []word, fs []found) {
	dizzy := map[int32]bool{}
	for _, f := range fs {
		if f.typ == "symptom" && f.code == "dizziness" && f.ctx == "" {
			dizzy[ws[f.start].sent] = true
		}
	}
	for i := range fs {
		f := &fs[i]
		if f.typ != "symptom" || f.code != "pain_on_movement" || f.ctx != "" || !dizzy[ws[f.start].sent] {
			continue
		}
		if hasWord(ws, f.start, f.end, "walk") || hasWord(ws, f.start, f.end, "stand") {
			f.code = "unsteadiness"
		}
	}
}

// calfInSentence reports whether the sentence of word k speaks of the calves
// or legs, so that "the left" there is a calf or a leg.
func calfInSentence(ws []word, k int) bool {
	for j := range ws {
		if ws[j].sent == ws[k].sent && (ws[j].norm == "calf" || ws[j].norm == "calves" || ws[j].norm == "leg" || ws[j].norm == "legs") {
			return true
		}
	}
	return false
}

// workerWords name who gave the massage: a sentence about what they did is
// about the session.
var workerWords = wordSet(`he she they masseur masseuse therapist guy lady girl`)

// feltBefore reports whether "felt" stands before word i in its sentence: a
// comparison told in the past ("it felt like being stabbed").
func feltBefore(ws []word, i int) bool {
	for k := i - 1; k >= 0 && ws[k].sent == ws[i].sent; k-- {
		if ws[k].norm == "felt" {
			return true
		}
	}
	return false
}

package textread

import "math"

// numberWords are the numbers people spell out.
var numberWords = map[string]float64{
	"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
	"nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
	"sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
	"fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}

// numAt reads the number at word i, joining "forty eight"; end is the word after it.
func numAt(ws []word, i int) (v float64, end int, ok bool) {
	if i >= len(ws) || !ws[i].num {
		return 0, i, false
	}
	v, end = ws[i].val, i+1
	if v >= 20 && v < 100 && math.Mod(v, 10) == 0 && end < len(ws) && ws[end].num && ws[end].sep == sepNone &&
		ws[end].val >= 1 && ws[end].val <= 9 && numberWords[ws[end].norm] > 0 {
		v += ws[end].val
		end++
	}
	return v, end, true
}

// Words around a pain score.
var (
	// units after a number that make it something other than a pain score.
	numberUnits = wordSet(`hour hours hr hrs h day days d week weeks wk wks w month months mo year years yr yrs y yo
		minute minutes min mins second seconds sec secs mg ml mcg g kg lb lbs st stone pounds kilos km k miles mile
		times x am pm oclock percent th st nd rd degrees c f pills tablets tablet pill ibuprofen paracetamol
		advil tylenol aspirin cups glasses litres liters people kids children babies steps sessions massages
		side sided leg legs arm arms calf calves hand hands foot feet finger fingers toes nights mornings clock`)
	// anchors before a number that make it a pain score: "pain is 6", "level 3", "rate it a 5".
	painAnchors = wordSet(`pain pains painful level levels rate rated rating score scale nrs vas sore soreness ache aches usual
		aching achy hurt hurts hurting tender tenderness discomfort say give gave went gone down up dropped`)
	// fillers that may stand between an anchor and the number.
	painFillers = wordSet(`a an about around maybe like roughly approx approximately is its it was at of solid good only
		just probably still now currently today to be as i id would the my me around nearly almost somewhere
		between level are feels feel felt more less than or under over from`)
	// words that may follow a weakly anchored score: "about a 4 today", "a 6 or 7".
	painFollowers = wordSet(`today now or to and but maybe ish tops at right currently still i id which this in on out
		pain level max maximum most yesterday earlier when if with though then so the moment overall for
		because since after`)
	// words before a bare number that make it a score when the sentence speaks of pain.
	scoreLead = wordSet(`a an about around maybe like roughly approx approximately solid`)
	// words after a score that set it in the past or the present.
	pastAfter    = wordSet(`yesterday initially originally before`)
	currentAfter = wordSet(`now today currently atm`)
	pastBefore   = wordSet(`yesterday initially originally first from before used started began peaked`)
	weakPast     = wordSet(`was were been had`)
	currentWords = wordSet(`now today currently is its it are am still feels feel tonight`)
)

var (
	// seqTime and seqLead mark a number after a pain score as the next score of a sequence.
	seqTime = wordSet(`today now yday yesterday this tonight on at currently earlier last`)
	seqLead = wordSet(`now then and`)
)

// timedScores counts the numbers of 0 to 10 in the sentence of word i that a
// time word follows or "then", "now" leads: "was 3 yday, 5 today" and "2,
// then 4, now 7" have two.
func timedScores(ws []word, i int) int {
	n := 0
	for k := range ws {
		if ws[k].sent != ws[i].sent || !ws[k].num || ws[k].val > 10 || k > 0 && ws[k-1].norm == "day" {
			continue
		}
		if k+1 < len(ws) && ws[k+1].sep == sepNone && seqTime[ws[k+1].norm] ||
			k > 0 && ws[k].sep == sepNone && seqLead[ws[k-1].norm] && ws[k-1].norm != "and" {
			n++
		}
	}
	return n
}

// tense of a pain statement.
const (
	tenseNow  = 0
	tenseWas  = 1 // "the pain was 6": the present unless another score says otherwise
	tensePast = 2 // "yesterday it was 8": the past
)

type painVal struct {
	v          float64
	start, end int // word range
	tense      int
	now        bool // said to be now: "now 7", "2 today"
}

// painScores reads the numeric pain scores of the text: "4/10", "4 out of
// 10", "a 4", "pain is 6", "level 3". used marks the numbers read as times.
func painScores(ws []word, used []bool, fs []found, cl clauses) []painVal {
	var out []painVal
	speaks := -1 // whether the text speaks of pain; -1 until asked
	speaksOfPain := func(int) bool {
		if speaks < 0 {
			speaks = 0
			if textSpeaksOfPain(ws, fs) {
				speaks = 1
			}
		}
		return speaks == 1
	}
	for i := 0; i < len(ws); i++ {
		if !ws[i].num || used[i] {
			continue
		}
		v, e, _ := numAt(ws, i)
		if end, ok := scaleDefinition(ws, i, e, v); ok {
			i = end - 1 // "on a scale of 1 to 10"
			continue
		}
		score, strong := v, false
		// "4/10", "4 out of 10", "4 outta 10", "4 of 10", "4 on a scale of 10"
		if d, de, ok := denominator(ws, e); ok {
			switch {
			case d == 10 && v <= 12:
				score, strong = math.Min(v, 10), true
			case d == 5 && v <= 5:
				score, strong = v*2, true
			case d == 100 && v <= 100:
				score, strong = v/10, true
			default:
				i = de - 1
				continue
			}
			e = de
		}
		if !strong {
			next := e < len(ws) && (ws[e].sep == sepNone || ws[e].sep != sepHard && ws[e].norm == "times")
			if v > 10 || next && (numberUnits[ws[e].norm] || ws[e].slash) { // "10+ times" counts
				continue
			}
			last := len(out) - 1
			isRange := last >= 0 && (out[last].end == i && ws[i].sep == sepNone ||
				out[last].end == i-1 && ws[i].sep == sepNone && (ws[i-1].norm == "or" || ws[i-1].norm == "to"))
			// "about a 4", "it's a 6 today": a score when the text speaks of
			// pain, or when it ends the sentence ("It's a 4.").
			lead := i > 0 && ws[i].sep == sepNone && scoreLead[ws[i-1].norm] && !(i > 1 && ws[i-2].norm == "at") &&
				(!next || painFollowers[ws[e].norm] || ws[e].num) && (!next || speaksOfPain(i))
			// "was 3 yday, 5 today", "2, then 4, now 7": a score after a score.
			seq := last >= 0 && ws[out[last].start].sent == ws[i].sent && i-out[last].end <= 8 &&
				(!next || seqTime[ws[e].norm] || i > 0 && ws[i].sep == sepNone && seqLead[ws[i-1].norm]) ||
				(!next || seqTime[ws[e].norm]) && timedScores(ws, i) >= 2
			// "Glutes sore. 3.", "ache on the stairs, 2.": a number standing alone.
			alone := (i == 0 || ws[i].sep != sepNone) && (!next && e >= len(ws) || e < len(ws) && ws[e].sep != sepNone) &&
				speaksOfPain(i)
			if !anchored(ws, i) && !isRange && !lead && !seq && !alone {
				continue
			}
		}
		start := i
		if i > 0 && ws[i].sep == sepNone && (ws[i-1].norm == "a" || ws[i-1].norm == "an") {
			start = i - 1
		}
		out = append(out, painVal{v: score, start: start, end: e, tense: tenseOf(ws, start, e, cl), now: saidNow(ws, start, e)})
		i = e - 1
	}
	return out
}

// textSpeaksOfPain reports whether the text has a pain word, a body area, a
// symptom or a score "N/10", so that "my neck is about a 6" and "It was 8/10,
// now it's a 3" are scores.
func textSpeaksOfPain(ws []word, fs []found) bool {
	for k := range ws {
		if painAnchors[ws[k].norm] || painAnchors[ws[k].stem] {
			return true
		}
		if ws[k].num && ws[k].val <= 12 {
			if _, _, ok := denominator(ws, k+1); ok {
				return true
			}
		}
	}
	for _, f := range fs {
		if f.typ == "area" || f.typ == "pain" || f.typ == "symptom" {
			return true
		}
	}
	return false
}

// scaleDefinition recognises "1 to 10", "0-10", "1 and 10" after "scale
// of", "scale from" or "between", and returns the word after it.
func scaleDefinition(ws []word, i, e int, v float64) (int, bool) {
	if v > 1 || i == 0 {
		return 0, false
	}
	lead := ws[i-1].norm
	if !(lead == "of" || lead == "from" || lead == "between") || i < 2 ||
		ws[i-2].norm != "scale" && lead != "between" && ws[i-2].norm != "rating" {
		return 0, false
	}
	k := e
	if k < len(ws) && ws[k].sep == sepNone && (ws[k].norm == "to" || ws[k].norm == "and") {
		k++
	}
	if k < len(ws) && ws[k].num && ws[k].val == 10 {
		return k + 1, true
	}
	return 0, false
}

// denominator reads "/10", "out of 10", "outta 10", "of 10" and "on a scale of 10" after a number.
func denominator(ws []word, e int) (float64, int, bool) {
	if e >= len(ws) {
		return 0, e, false
	}
	if ws[e].slash && ws[e].num && ws[e].sep == sepNone {
		v, end, _ := numAt(ws, e)
		return v, end, true
	}
	k := e
	if ws[k].sep != sepNone {
		return 0, e, false
	}
	switch {
	case ws[k].norm == "out" && k+1 < len(ws) && ws[k+1].norm == "of":
		k += 2
	case ws[k].norm == "outta" || ws[k].norm == "of":
		k++
	case ws[k].norm == "on" && k+2 < len(ws) && ws[k+1].norm == "a" && ws[k+2].norm == "scale":
		k += 3
		if k < len(ws) && (ws[k].norm == "of" || ws[k].norm == "to" || ws[k].norm == "out") {
			if ws[k].norm == "out" {
				k++
			}
			k++
		} else {
			return 10, k, true
		}
	default:
		return 0, e, false
	}
	if k < len(ws) && ws[k].num && ws[k].sep == sepNone {
		v, end, _ := numAt(ws, k)
		if v == 10 || v == 5 || v == 100 {
			return v, end, true
		}
	}
	return 0, e, false
}

// anchored reports whether a pain word stands before the number at i, with only
// fillers between: "pain is about 6", "level 3", "I'd rate it a 5".
func anchored(ws []word, i int) bool {
	for k, n := i-1, 0; k >= 0 && n < 6; k, n = k-1, n+1 {
		if ws[k+1].sep == sepHard {
			return false
		}
		if painAnchors[ws[k].norm] || painAnchors[ws[k].stem] {
			return true
		}
		if !painFillers[ws[k].norm] {
			return false
		}
	}
	return false
}

// tenseOf tells whether a pain statement speaks of now or of the past.
func tenseOf(ws []word, start, end int, cl clauses) int {
	if end < len(ws) && ws[end].sep == sepNone {
		switch {
		case pastAfter[ws[end].norm]:
			return tensePast
		case ws[end].norm == "last" && end+1 < len(ws) && ws[end+1].norm == "night":
			return tensePast
		case ws[end].norm == "at" && end+1 < len(ws) && ws[end+1].norm == "first":
			return tensePast
		case currentAfter[ws[end].norm]:
			return tenseNow
		case ws[end].norm == "this" && end+1 < len(ws) && (ws[end+1].norm == "morning" || ws[end+1].norm == "am"),
			ws[end].norm == "earlier",
			ws[end].norm == "on" && end+1 < len(ws) && (ws[end+1].norm == "day" || weekdayAt(ws, end+1) >= 0):
			return tenseWas // "4 this morning, now 7", "5 on day one, 2 today"
		}
	}
	for k, n := start-1, 0; k >= 0 && n < 8; k, n = k-1, n+1 {
		if ws[k+1].sep == sepHard || ws[k+1].sep == sepSoft && n > 0 {
			break
		}
		w := ws[k].norm
		switch {
		case massageWords[w]:
			return tenseNow // "after yesterday's massage, 2/10": the day is the session's
		case w == "night" && k > 0 && ws[k-1].norm == "last":
			return tensePast
		case w == "yesterday" && k > 0 && massageWords[ws[k-1].norm]:
			return tenseNow // "sore after sports massage yesterday, 4/10": the day is the session's
		case pastBefore[w]:
			return tensePast
		case weakPast[w]:
			return tenseWas
		case currentWords[w] || w == "to" || w == "down":
			return tenseNow
		}
	}
	return tenseNow
}

// saidNow reports whether a score is said to be now: "now 7", "now like 7",
// "2 today", "currently a 5".
func saidNow(ws []word, start, end int) bool {
	if end < len(ws) && ws[end].sep == sepNone && (currentAfter[ws[end].norm] || ws[end].norm == "right" &&
		end+1 < len(ws) && ws[end+1].norm == "now") {
		return true
	}
	for k, n := start-1, 0; k >= 0 && n < 3; k, n = k-1, n+1 {
		if ws[k+1].sep == sepHard {
			return false
		}
		if currentAfter[ws[k].norm] {
			return true
		}
	}
	return false
}

// choosePain picks the one pain value of the text: the highest score said to
// be now, else the highest present score; failing that the latest past one,
// marked historical.
func choosePain(vals []painVal) (painVal, bool, bool) {
	best, found := painVal{}, false
	hasNow, saidNow := false, false
	for _, p := range vals {
		if p.tense == tenseNow {
			hasNow = true
			saidNow = saidNow || p.now
		}
	}
	for _, p := range vals {
		if p.tense == tensePast || hasNow && p.tense == tenseWas || saidNow && !p.now {
			continue
		}
		if !found || p.v > best.v {
			best, found = p, true
		}
	}
	if found {
		return best, false, true
	}
	for _, p := range vals {
		best, found = p, true
	}
	return best, true, found
}

// bandValue is the score a pain word stands for: the middle of the mild and
// moderate bands (rounded down), the bottom of the severe band, 0 for none.
func (b Bands) bandValue(band string) float64 {
	switch band {
	case "mild":
		return float64((b.Mild[0] + b.Mild[1]) / 2)
	case "moderate":
		return float64((b.Moderate[0] + b.Moderate[1]) / 2)
	case "severe":
		return float64(b.Severe[0])
	}
	return 0
}

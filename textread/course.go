package textread

// The course of the pain: a message may tell several scores ("2 yesterday, 4
// this morning, now 7", "was 8, now a 3") and say in words which way it goes
// ("getting worse", "not easing", "better every day"). The current score is the
// pain finding; the ones before it are Reading.Earlier, and the words give
// Reading.Trend.

// trendPhrases are read in order; the first that matches gives the trend, so
// "not getting better" is read before "getting better".
var trendPhrases = []struct {
	words []string
	trend string
}{
	{[]string{"not", "getting", "better"}, "rising"},
	{[]string{"no", "better"}, "rising"},
	{[]string{"not", "any", "better"}, "rising"},
	{[]string{"not", "improving"}, "rising"},
	{[]string{"not", "easing"}, "rising"},
	{[]string{"not", "eased"}, "rising"},
	{[]string{"hasnt", "eased"}, "rising"},
	{[]string{"isnt", "easing"}, "rising"},
	{[]string{"not", "settling"}, "rising"},
	{[]string{"getting", "worse"}, "rising"},
	{[]string{"gotten", "worse"}, "rising"},
	{[]string{"got", "worse"}, "rising"},
	{[]string{"getting", "sorer"}, "rising"},
	{[]string{"worse", "than"}, "rising"},
	{[]string{"worse", "today"}, "rising"},
	{[]string{"worse", "now"}, "rising"},
	{[]string{"worsening"}, "rising"},
	{[]string{"it", "worse"}, "rising"},
	{[]string{"is", "worse"}, "rising"},
	{[]string{"feels", "worse"}, "rising"},
	{[]string{"even", "worse"}, "rising"},
	{[]string{"more", "painful"}, "rising"},
	{[]string{"better", "every", "day"}, "falling"},
	{[]string{"better", "each", "day"}, "falling"},
	{[]string{"getting", "better"}, "falling"},
	{[]string{"much", "better"}, "falling"},
	{[]string{"easing", "off"}, "falling"},
	{[]string{"and", "easing"}, "falling"},
	{[]string{"improving"}, "falling"},
	{[]string{"fading"}, "falling"},
	{[]string{"less", "sore"}, "falling"},
}

// trendPast before a trend phrase tells a course that is over: "it kept
// getting worse (until the massage)".
var trendPast = wordSet(`kept had was`)

// trendIndex maps the first word of each trend phrase to the phrases' places.
var trendIndex = func() map[string][]int {
	m := map[string][]int{}
	for i, p := range trendPhrases {
		m[p.words[0]] = append(m[p.words[0]], i)
	}
	return m
}()

// trendWords returns the trend the words of the text state, or "": that of
// the first phrase of trendPhrases found anywhere in the text.
func trendWords(ws []word) string {
	best := len(trendPhrases)
	for i := range ws {
		for _, pi := range trendIndex[ws[i].norm] {
			if pi >= best {
				continue
			}
			if phraseAt(ws, i, trendPhrases[pi].words) && !(i > 0 && ws[i].sep == sepNone && trendPast[ws[i-1].norm]) {
				best = pi // not "it kept getting worse" before the massage
			}
		}
	}
	if best == len(trendPhrases) {
		return ""
	}
	return trendPhrases[best].trend
}

// soreWords say that something hurts, with or without a place or a score.
var soreWords = wordSet(`sore soreness achy aching ache aches hurts hurting hurt tender painful doms pain pains`)

// saysSore reports whether the text says something hurts now: a soreness
// word that no trigger negates, no finding holds as past, hypothetical or
// another's, and that is not told before sentence before, the complaint the
// massage eased ("still sore after four days", "achy everywhere").
func saysSore(ws []word, fs []found, trigs []trigger, cl clauses, before int32) bool {
	for k := range ws {
		if !soreWords[ws[k].norm] || inContext(fs, k) || wasSore(ws, k, cl) || ws[k].sent < before {
			continue
		}
		denied := false
		for _, t := range trigs {
			if t.end <= k && cl.fine[t.start] == cl.fine[k] && (t.kind == tPre && k-t.end <= 3 || t.kind != tPre && t.kind != tPost && t.kind != tPseudo) {
				denied = true
			}
		}
		for _, f := range fs {
			if f.typ == "pain" && f.code == "none" && k >= f.start && k < f.end {
				denied = true
			}
		}
		if !denied {
			return true
		}
	}
	return false
}

// earlierPain returns the scores told before the current one, oldest first.
func earlierPain(vals []painVal, cur painVal, ok bool) []float64 {
	if !ok {
		return nil
	}
	var out []float64
	for _, p := range vals {
		if p.start != cur.start && (p.tense != tenseNow || cur.now && !p.now && p.start < cur.start) {
			out = append(out, p.v)
		}
	}
	return out
}

// wellPhrases say that the client is well now: "the back feels good", "no
// problems since", "feels miles better", "my neck moves so much better".
var wellPhrases = [][]string{
	{"feels", "good"}, {"feel", "good"}, {"feeling", "good"}, {"feels", "great"}, {"feel", "great"},
	{"feeling", "great"}, {"feels", "fine"}, {"feel", "fine"}, {"feeling", "fine"}, {"feels", "amazing"},
	{"feel", "amazing"}, {"feels", "better"}, {"feel", "better"}, {"feeling", "better"}, {"miles", "better"},
	{"way", "better"}, {"loads", "better"}, {"heaps", "better"}, {"so", "much", "better"}, {"lot", "better"},
	{"fine", "now"}, {"all", "good"}, {"ok", "now"}, {"okay", "now"}, {"no", "problems"}, {"no", "problem"},
	{"no", "issues"}, {"no", "pain"}, {"pain", "free"}, {"painfree"}, {"brand", "new"}, {"like", "new"},
	{"moves", "better"}, {"moves", "so", "much", "better"}, {"feel", "relaxed"}, {"feels", "relaxed"},
	{"doesnt", "hurt"}, {"doesnt", "really", "hurt"}, {"does", "not", "hurt"}, {"no", "longer", "hurts"},
	{"no", "longer", "sore"}, {"not", "sore"}, {"back", "to", "normal"}, {"all", "better"},
}

// wellIndex maps the first word of each well phrase to the phrases.
var wellIndex = func() map[string][][]string {
	m := map[string][][]string{}
	for _, p := range wellPhrases {
		m[p[0]] = append(m[p[0]], p)
	}
	return m
}()

// wellDeniers before a well phrase turn it round: "doesn't feel better".
var wellDeniers = wordSet(`not no never doesnt dont didnt isnt wasnt hasnt havent nt cant`)

// saysWell reports whether the text says the client is well now: a phrase of
// wellPhrases (all in the present: "felt great until" is none of them) that
// is not denied just before it ("doesn't feel better").
func saysWell(ws []word) bool { return wellAt(ws, 0) >= 0 }

// wellAt returns the place of the first well phrase at or after word from, or -1.
func wellAt(ws []word, from int) int {
	for i := from; i < len(ws); i++ {
		for _, p := range wellIndex[ws[i].norm] {
			if phraseAt(ws, i, p) && (denies(p[0]) || !deniedBefore(ws, i)) {
				return i // "no pain", "doesn't hurt" carry their own denial
			}
		}
	}
	return -1
}

// denies reports whether a word of a well phrase is itself a denial.
func denies(w string) bool { return wellDeniers[w] || w == "does" }

// deniedBefore reports whether a denial stands in the two words right before
// word i: "doesn't feel better", "not feeling great".
func deniedBefore(ws []word, i int) bool {
	return i > 0 && ws[i].sep == sepNone &&
		(wellDeniers[ws[i-1].norm] || i > 1 && wellDeniers[ws[i-2].norm] && ws[i-1].sep == sepNone)
}

// soreNowWords in a clause keep its soreness current: "was sore, still is today".
var soreNowWords = wordSet(`still now today tonight currently this`)

// wasSore reports whether the soreness word k is told in the past: "was",
// "were" or "had been" in the five words of its clause before it, in a
// clause that says nothing of now ("parts were painful", "it was really sore
// at the time").
func wasSore(ws []word, k int, cl clauses) bool {
	past := false
	for j := k - 1; j >= 0 && j >= k-5 && cl.fine[j] == cl.fine[k]; j-- {
		if ws[j].norm == "was" || ws[j].norm == "were" || ws[j].norm == "had" && j+1 < k && ws[j+1].norm == "been" {
			past = true // "parts were painful", "it had been sore"
		}
	}
	if !past {
		return false
	}
	return !clauseSaysNow(ws, k, cl)
}

// clauseSaysNow reports whether the clause of word i speaks of now: "was sore
// this morning and still is".
func clauseSaysNow(ws []word, i int, cl clauses) bool {
	for j := range ws {
		if cl.fine[j] == cl.fine[i] && soreNowWords[ws[j].norm] {
			return true
		}
	}
	return false
}

// lastingSigns are the signs whose own duration the reader keeps: a headache,
// dizziness or pins and needles that has lasted days is worth a check
// whatever the time since the session.
var lastingSigns = wordSet(`headache dizziness numbness tingling nausea`)

// signHours returns the longest duration told in a sentence that holds a
// lasting sign read as present: "had a headache for five days ... the
// headache is still there".
func signHours(ws []word, times []timeExpr, fs []found) float64 {
	h := 0.0
	for _, t := range times {
		if !t.duration {
			continue
		}
		for _, f := range fs {
			if f.typ == "symptom" && f.ctx == "" && lastingSigns[f.code] && ws[f.start].sent == ws[t.start].sent {
				h = max(h, t.hours)
			}
		}
	}
	return h
}

// cupWords name cupping and the scraping techniques whose marks are expected.
var cupWords = wordSet(`cupping cupped hijama graston iastm guasha`)

// cupMakers before "cups" make them cupping cups: "glass cups", "suction cups".
var cupMakers = wordSet(`glass suction fire vacuum silicone plastic pump`)

// saysCupping reports whether the text speaks of cupping, gua sha or a
// scraping tool.
func saysCupping(ws []word) bool {
	for k := range ws {
		w := ws[k].norm
		switch {
		case cupWords[w]:
			return true
		case w == "gua" && k+1 < len(ws) && ws[k+1].norm == "sha":
			return true
		case (w == "cups" || w == "cup") && k > 0 && cupMakers[ws[k-1].norm]:
			return true
		}
	}
	return false
}

// tempUnits after a number make it a temperature: "38.5C", "101 degrees".
var tempUnits = wordSet(`c f celsius fahrenheit degrees degree deg`)

// tempWords before a number make it a temperature: "temp of 38.2", "fever
// of 103.5", "the thermometer says 37.4".
var tempWords = wordSet(`temp temperature fever feverish thermometer`)

// temperature reads a body temperature the text gives (34–43 °C or 93–110
// °F): 38 °C (100.4 °F) or more is a fever, and is read as one; less is not,
// and a fever the text names is then read as denied by the measurement
// ("could it be a fever? I'm 37.2"). A whole number needs a unit or a word
// of temperature before it, so that "I'm 38" stays an age.
func temperature(ws []word, fs []found) []found {
	for k := range ws {
		if !ws[k].num {
			continue
		}
		v := ws[k].val
		celsius, fahrenheit := v >= 34 && v <= 43, v >= 93 && v <= 110
		if !celsius && !fahrenheit {
			continue
		}
		unit := k+1 < len(ws) && ws[k+1].sep != sepHard && tempUnits[ws[k+1].norm]
		named := false
		for j := k - 1; j >= 0 && j >= k-4 && ws[j].sent == ws[k].sent; j-- {
			named = named || tempWords[ws[j].norm]
		}
		decimal := v != float64(int(v))
		if !unit && !named && !(decimal && celsius && k > 0 && (ws[k-1].norm == "im" || ws[k-1].norm == "at" || ws[k-1].norm == "was" || ws[k-1].norm == "is")) {
			continue
		}
		high := celsius && v >= 38 || fahrenheit && v >= 100.4
		present := -1
		for i := range fs {
			if fs[i].typ == "symptom" && fs[i].code == "fever" && fs[i].ctx == "" {
				present = i
			}
		}
		switch {
		case high && present < 0:
			fs = append(fs, found{ph: -1, typ: "symptom", code: "fever", start: k, end: k + 1, lits: 1, from: k})
		case !high:
			for i := range fs {
				if fs[i].typ == "symptom" && fs[i].code == "fever" && fs[i].ctx == "" {
					fs[i].ctx = "negated" // measured, and not a fever
				}
			}
		}
	}
	return fs
}

// linkWords after pain words tie them to a time or a place, not to the
// session they qualify: "after the massage", "during my session".
var linkWords = wordSet(`after during from since the my a an at in with following before since`)

// describesSession reports whether the pain words ending at word end qualify
// the session itself: "a proper excruciating Balinese one", "a really painful
// massage", "agonising session".
func describesSession(ws []word, fs []found, end int) bool {
	for k := end; k < len(ws) && k <= end+1 && ws[k].sep == sepNone; k++ {
		if k == end+1 && linkWords[ws[end].norm] {
			return false // "a splitting headache after the massage" is after it
		}
		if massageWords[ws[k].norm] || ws[k].norm == "rub" || k == end+1 && ws[k].norm == "one" {
			return true
		}
		for _, f := range fs {
			if f.typ == "style" && f.start == k {
				return true
			}
		}
	}
	return false
}

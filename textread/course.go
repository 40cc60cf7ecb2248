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
			if pi >= best || i+len(trendPhrases[pi].words) > len(ws) {
				continue
			}
			ok := true
			for j, w := range trendPhrases[pi].words[1:] {
				if ws[i+1+j].norm != w || ws[i+1+j].sep == sepHard {
					ok = false
					break
				}
			}
			if ok {
				best = pi
			}
		}
	}
	if best == len(trendPhrases) {
		return ""
	}
	return trendPhrases[best].trend
}

// soreWords say that something hurts, with or without a place or a score.
var soreWords = wordSet(`sore soreness achy aching ache aches hurts hurting tender painful doms`)

// saysSore reports whether the text says something hurts now: a soreness
// word that no trigger negates and no finding holds as past, hypothetical or
// another's ("still sore after four days", "achy everywhere").
func saysSore(ws []word, fs []found, trigs []trigger, cl clauses) bool {
	for k := range ws {
		if !soreWords[ws[k].norm] || inContext(fs, k) {
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

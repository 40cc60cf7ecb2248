package textread

import (
	"sort"
	"strings"
)

// Negation and context follow NegEx (Chapman et al. 2001) and ConText
// (Harkema et al. 2009): trigger phrases open a scope over the findings near
// them, within the same clause.
//
//   - pre-negation triggers ("no", "not", "without", "denies") negate the
//     findings that follow, up to preNegWindow words after the trigger or after
//     the last finding negated, so that "no numbness, tingling or swelling"
//     negates all three;
//   - post-negation triggers ("is gone", "has settled") negate the findings
//     before them;
//   - pseudo-triggers ("not only", "no change in", "not sure if", "hasn't gone
//     away") look like triggers but negate nothing; they hide the words they
//     hold from the other triggers;
//   - hypothetical triggers ("if", "in case", "should I worry about") mark the
//     findings that follow as possibilities;
//   - historical triggers ("years ago", "used to", "history of") mark every
//     finding of their clause as past; "someone else's" triggers ("my mum had")
//     do the same for what another person has.
//
// A scope ends at the end of the sentence, at an opposing conjunction ("but",
// "however", "although", "except", "though") and at a comma or "and" that starts
// a new clause; a comma or "and" between two findings ("numbness, tingling or
// swelling") continues a list instead.

type trigKind uint8

const (
	tPre trigKind = iota + 1
	tPost
	tPseudo
	tHypo
	tHist       // an old episode: "years ago", "used to", "history of"
	tHistMonths // "months ago": past for a symptom, still recent for surgery or injury
	tOther      // another person's: "my mum had", "runs in the family"
)

const (
	preNegWindow  = 5 // words from a pre-negation trigger (or the last negated finding) to the next finding
	postNegWindow = 6 // words from a finding to a post-negation trigger (or the next negated finding)
	hypoWindow    = 6 // as preNegWindow, for hypothetical triggers
)

var triggerLists = map[trigKind]string{
	tPre: `no | not | without | denies | deny | denied | denying | never | no sign of | no signs of | no sign | no signs |
		don't have | do not have | don't | do not | doesn't | does not | didn't | did not | haven't | have not | hasn't |
		has not | hadn't | isn't | is not | aren't | are not | wasn't | was not | weren't | were not | ain't | not any |
		free of | nothing | none | no more | no longer | nor | neither | zero | nil | negative for | ruled out |
		stopped taking | stopped my | came off | come off | no evidence of | absence of | not had | not having |
		not experiencing | not noticed | haven't noticed | never had | not a hint of | not a trace of`,
	tPseudo: `not only | not just | not long after | not long afterwards | not long before | not long ago |
		not much later | not long later | it wasn't long before | wasn't long before | not sure if | not sure whether | no idea if | no idea whether | don't know if |
		don't know whether | unsure if | unsure whether | not certain if | not certain whether | no increase |
		no change | no changes | not sure | not certain | unsure | no idea | don't know | do not know | not know | not getting better | no better | not better | not improving |
		no improvement | not gone | hasn't gone | haven't gone | has not gone | have not gone | hasnt really gone |
		not going away | won't go away | will not go away | didn't go away | did not go away | not went away |
		hasn't settled | not settled | hasn't cleared | not cleared | hasn't eased | not eased | no less |
		not less | not much better | not any better | no doubt | not stopped | hasn't stopped | didn't stop |
		not disappeared | hasn't disappeared | not resolved | hasn't resolved | no relief | not subsided |
		hasn't subsided | nothing but | as if | almost gone | nearly gone | mostly gone | not completely gone |
		not quite gone | not totally gone | not fully gone | not entirely gone | not all gone | gone down |
		went down | gone up | not worse | no worse | not as bad | nothing has changed | not quite |
		can't tell if | cannot tell if | whether or not | if not | not to mention | showing signs of | not for long |
		no different | not stopping | never stops | never goes away | never gone | not once`,
	tPost: `gone | gone away | went away | has gone | have gone | is gone | are gone | all gone | disappeared |
		settled | settled down | have settled | has settled | cleared | cleared up | resolved | subsided | vanished |
		stopped | not present | absent | passed | faded | no longer there | gone now | eased off completely |
		is fine now | are fine now | went | fine now | fine today | ok now | okay now | fine again | all good now |
		back to normal | settled now | wore off | worn off | has worn off | died down | have died down |
		has died down | went off | cleared off | gone off | hasn't come back | has not come back | not come back |
		never came back | didn't come back | did not come back`,
	tHypo: `if | what if | in case | incase | just in case | should i worry about | should i be worried about |
		should i be concerned about | worried about | worry about | worrying about | concerned about | scared of |
		afraid of | frightened of | watch for | watch out for | look out for | looking out for | keep an eye out for |
		signs of | sign of | risk of | risks of | chance of | chances of | could i get | can i get | could it cause |
		can it cause | can massage cause | could massage cause | does massage cause | can a massage cause |
		could a massage cause | could this be | could it be | could that be | is it possible | possibility of |
		whether | might get | may get | might develop | when to worry about | what about | how do i know if |
		how would i know if | in the event of | unless | even if | or if | to avoid | avoid | prevent |
		to prevent | is this a | is it a | am i having | do i have | could i have | is that a | worried it is |
		worried it's | worried i have | worried i might | could be a | might be a | symptoms of | symptom of |
		can cause | could cause | may cause | might cause | can lead to | could lead to | i read | ive read |
		i've read | i heard | ive heard | i've heard | read that | heard that | apparently | like i might |
		like i was going to | thought i'd | thought i would | thought i was going to |
		thinking about | stories about | reading about | read about | heard about`,
	tHist: `years ago | year ago | yrs ago | yr ago | last year | in the past | used to | history of | hx of |
		past history | when i was younger | when i was a kid | when i was a child | as a child | as a kid |
		as a teenager | in my teens | in my twenties | childhood | years back | a long time ago | long time ago |
		ages ago | decades ago | previous | previously | an old | my old | old injury | old injuries |
		once had | had once | last summer | last winter | last spring | last autumn | last fall | had a history |
		a while back | a while ago | years before | in the past year | in remission`,
	tHistMonths: `months ago | month ago | mths ago | last month | a few months back | months back`,
	tOther: `family history | family history of | my mum | my mom | my mother | my dad | my father | my sister |
		my brother | my husband | my wife | my partner | my friend | my son | my daughter | my gran | my grandma |
		my grandmother | my grandad | my granddad | my grandpa | my grandfather | my aunt | my uncle |
		my boyfriend | my girlfriend | runs in the family | runs in my family | run in the family |
		run in my family | in my family | my colleague | my cousin | my nan | my parents | my kids | my child |
		a friend | a friend of mine | someone | my coworker | my co worker | my workmate | my neighbour |
		my neighbor | my boss | my flatmate | my roommate | my housemate | my mate | my buddy | my teammate |
		my niece | my nephew | my fiance | my fiancee | my auntie | my stepmum | my stepmom | my stepdad`,
}

type trigPhrase struct {
	words []string
	kind  trigKind
}

type trigger struct {
	kind       trigKind
	start, end int // word range
}

// trigIndex maps the first word of each trigger to its triggers, longest first.
var trigIndex = buildTriggers()

func buildTriggers() map[string][]trigPhrase {
	idx := map[string][]trigPhrase{}
	for kind, list := range triggerLists {
		for _, t := range strings.Split(list, "|") {
			ws := tokenize(strings.TrimSpace(t))
			if len(ws) == 0 {
				continue
			}
			tp := trigPhrase{kind: kind}
			for _, w := range ws {
				tp.words = append(tp.words, w.norm)
			}
			idx[tp.words[0]] = append(idx[tp.words[0]], tp)
		}
	}
	// Longest first; between triggers of one length, pseudo-triggers first,
	// then by kind, so that the choice never depends on map order.
	rank := func(k trigKind) int {
		if k == tPseudo {
			return 0
		}
		return int(k)
	}
	for k, l := range idx {
		sort.Slice(l, func(a, b int) bool {
			if len(l[a].words) != len(l[b].words) {
				return len(l[a].words) > len(l[b].words)
			}
			return rank(l[a].kind) < rank(l[b].kind)
		})
		idx[k] = l
	}
	return idx
}

// goneFollowers are the words after which "gone" still means "no longer
// there"; "gone numb" or "gone purple" means "become".
var goneFollowers = wordSet(`away now completely entirely totally fully overnight today thankfully since by already and
	but which so though after as altogether for again off within quickly eventually soon`)

// findTriggers finds the triggers in the words, longest first; words that belong
// to a coded phrase (lit) are not triggers ("no feeling" is numbness).
func findTriggers(ws []word, lit []bool) []trigger {
	var out []trigger
	for i := 0; i < len(ws); {
		best, bestLen := trigKind(0), 0
		for _, tp := range trigIndex[ws[i].norm] {
			n := len(tp.words)
			if n <= bestLen || i+n > len(ws) {
				continue
			}
			ok := true
			for k := 0; k < n; k++ {
				if ws[i+k].norm != tp.words[k] || k > 0 && ws[i+k].sep != sepNone || lit[i+k] {
					ok = false
					break
				}
			}
			if ok && tp.kind == tPost && (tp.words[n-1] == "gone" || tp.words[n-1] == "went") && i+n < len(ws) &&
				ws[i+n].sep == sepNone && !goneFollowers[ws[i+n].norm] {
				ok = false // "gone numb", "went purple": become
			}
			if ok {
				best, bestLen = tp.kind, n
				if n == 1 && tp.words[0] == "without" && cannotBefore(ws, i) {
					best = tPseudo
				}
			}
		}
		if bestLen == 0 {
			i++
			continue
		}
		out = append(out, trigger{best, i, i + bestLen})
		i += bestLen
	}
	return out
}

// cannotBefore reports whether "can't" or the like stands shortly before word i
// in its sentence.
func cannotBefore(ws []word, i int) bool {
	for k := i - 1; k >= 0 && k >= i-8; k-- {
		if cannot[ws[k].norm] {
			return true
		}
		if ws[k+1].sep == sepHard {
			return false
		}
	}
	return false
}

var (
	// a clause of only these words after "but" speaks of the finding before it: "numb but it passed".
	pronounAux = wordSet(`but and though it its that thats they theyre this these those has have had is was were are
		all now completely finally pretty much since totally entirely fully just already then which seems seemed`)
	// hypothetical scope stops at a time: "worry about clots after a deep tissue massage".
	hypoStops = wordSet(`after since following before during`)
	// "can't raise my arm without sharp pain": the pain is there.
	cannot       = wordSet(`cant cannot couldnt unable impossible hard difficult`)
	copulas      = wordSet(`is are was were feels feel felt looks look looked seems seem has have does do definitely really still actually`)
	firstPerson  = wordSet(`i im ive id my me mine myself we`)
	determiners  = wordSet(`the this these those that`)
	subjectWords = wordSet(`sore painful tender aching achy hurting hurt hurts bad hot warm`)
	worryWords   = wordSet(`should worried worry worrying concerned scared afraid frightened when`)
)

// chronic health codes stay present when spoken of as past ("a DVT years ago",
// "a history of varicose veins"): they are lasting risks, not episodes.
var chronic = wordSet(`dvt_history bleeding_disorder circulatory_condition varicose_veins osteoporosis diabetes`)

// applyContext sets the context of each coded finding.
func applyContext(ws []word, fs []found, trigs []trigger, cl clauses) {
	neg := make([]bool, len(fs))
	hypo := make([]bool, len(fs))
	hist := make([]trigKind, len(fs))
	coded := func(f *found) bool { return layer(f.typ) <= 2 }
	proxy := forAnother(ws, trigs)
	for _, t := range trigs {
		switch t.kind {
		case tPre:
			c, last, first := cl.fine[t.start], t.end, true
			for i := range fs {
				f := &fs[i]
				if !coded(f) {
					continue
				}
				if f.start < t.start && f.inGap(t.start) && f.inGap(t.end-1) {
					neg[i] = true // "my calf isn't swollen"
					for k := range fs {
						if fs[k].typ == "area" && fs[k].start >= f.start && fs[k].end <= t.start &&
							onlyCopulas(ws, fs[k].end, t.start) {
							neg[k] = true
						}
					}
					continue
				}
				if f.start < t.end {
					continue
				}
				if cl.fine[f.start] != c || f.start-last > preNegWindow {
					break
				}
				neg[i], last = true, f.end
				if first {
					f.from, first = t.start, false
				}
			}
			negateAreaBefore(ws, fs, t, cl, neg, !first)
		case tPost:
			c, last, hit := cl.fine[t.start], t.start, false
			for i := len(fs) - 1; i >= 0; i-- {
				f := &fs[i]
				if !coded(f) || f.end > t.start {
					continue
				}
				if cl.fine[f.end-1] != c || last-f.end > postNegWindow {
					break
				}
				if stillCounts(f) {
					last, hit = f.start, true // "my face drooped but it passed": a TIA is still an emergency
					continue
				}
				neg[i], last, hit = true, f.start, true
				f.passed = true
			}
			if !hit {
				// "my fingers were numb but it passed": the clause before.
				j := t.start - 1
				for j >= 0 && cl.fine[j] == c && pronounAux[ws[j].norm] {
					j--
				}
				if j >= 0 && cl.fine[j] != c && cl.sentence[j] == cl.sentence[t.start] {
					pc := cl.fine[j]
					for i := range fs {
						f := &fs[i]
						if coded(f) && f.end <= j+1 && cl.fine[f.start] == pc && j-f.end < postNegWindow+4 && !stillCounts(f) {
							neg[i], f.passed = true, true
						}
					}
				}
			}
		case tHypo:
			c, last, first := cl.coarse[t.start], t.end, true
			worry := worryWords[ws[t.start].norm]
			for i := range fs {
				f := &fs[i]
				if !coded(f) || f.start < t.end {
					continue
				}
				if cl.coarse[f.start] != c || f.start-last > hypoWindow || stopBetween(ws, last, f.start) {
					break
				}
				last = f.end
				if f.typ == "style" || f.typ == "pressure" {
					continue // the massage asked about is the one had
				}
				wasFirst := first
				first = false
				if f.start > 0 && (determiners[ws[f.start-1].norm] && !hearsayThat(ws, t, f) || worry && wasFirst && ws[f.start-1].norm == "my") {
					continue // "should I worry about the bruising": it is there
				}
				hypo[i] = true
			}
		case tHist, tHistMonths, tOther:
			if t.kind == tOther && proxy {
				continue // the whole message is about the other person's massage
			}
			c := cl.past[t.start]
			for i := range fs {
				f := &fs[i]
				if !coded(f) || cl.past[f.start] != c || f.start < t.end && f.end > t.start {
					continue
				}
				if t.kind == tOther && personBetween(ws, f, t) || t.kind != tOther && presentBefore(ws, f.start) {
					continue // "I'm taking rivaroxaban after my clot last year"
				}
				if t.kind == tOther && f.typ != "health" && (stillCounts(f) || theirMassage(ws, f.start)) && presentReport(ws, t, f) {
					continue // "my husband's face is drooping since his neck massage": the one who had the massage
				}
				if hist[i] == 0 || t.kind == tOther {
					hist[i] = t.kind
				}
			}
		}
	}
	confirmHypothetical(ws, fs, hypo)
	for i := range fs {
		f := &fs[i]
		switch {
		case !coded(f):
		case neg[i]:
			f.ctx = "negated"
		case hypo[i]:
			f.ctx = "hypothetical"
		case hist[i] == tOther:
			f.ctx = "historical"
		case hist[i] == tHist && !(f.typ == "health" && chronic[f.code]):
			f.ctx = "historical"
		case hist[i] == tHistMonths && f.typ == "symptom":
			f.ctx = "historical"
		}
	}
}

// forAnother reports whether the message is written for another person about
// their massage: "my husband fainted after his massage", "asking for my wife:
// since the massage she…". Then what that person has is what is assessed.
// A message that speaks of the writer's own massage is not.
func forAnother(ws []word, trigs []trigger) bool {
	other := false
	for _, t := range trigs {
		if t.kind != tOther {
			continue
		}
		session, then := false, false
		for k := range ws {
			if ws[k].sent == ws[t.start].sent {
				session = session || sessionWords[ws[k].norm]
				then = then || onceWords[ws[k].norm]
			}
		}
		if then {
			return false // "my mum got chest pain after her massage once"
		}
		other = other || session
	}
	if !other {
		return false
	}
	for k := range ws {
		if sessionWords[ws[k].norm] && k > 0 && (ws[k-1].norm == "my" || k > 1 && ws[k-2].norm == "my" && ws[k-1].sep == sepNone) {
			return false // "my massage", "my deep massage"
		}
		if (ws[k].norm == "i" || ws[k].norm == "ive") && k+1 < len(ws) && (ws[k+1].norm == "had" || ws[k+1].norm == "got") &&
			sentenceHas(ws, k, sessionWords) {
			return false // "I had a massage"
		}
	}
	return true
}

var onceWords = wordSet(`once used years previously`)

// transientRedFlags are the warning signs that still need care when they have
// passed ("it went away", "back to normal now"): a face that drooped for a few
// minutes is a transient ischaemic attack, chest pain that has gone still needs
// checking (NHS: call 999 even if the symptoms go away). A post-negation does not
// negate them; a pre-negation ("no chest pain") still does.
var transientRedFlags = wordSet(`chest_pain shortness_of_breath coughing_blood fainting sudden_severe_headache confusion
	vision_changes speech_difficulty facial_droop one_sided_weakness saddle_numbness bladder_bowel_change leg_weakness`)

func stillCounts(f *found) bool { return f.typ == "symptom" && transientRedFlags[f.code] }

// personBetween reports whether the client speaks of themself between another
// person's trigger and a finding: "my husband says my calf is swollen".
//
// After a reporting verb the other person speaks of the client unless a third
// person stands between: "my wife says the left side of my face is drooping",
// "my husband noticed the face drooping", but "my mum said she had a clot".
func personBetween(ws []word, f *found, t trigger) bool {
	from, to := t.end, f.end // the finding's own words count: "side of my face"
	if f.end <= t.start {
		from, to = f.end, t.start
	}
	for k := from; k < to; k++ {
		if firstPerson[ws[k].norm] {
			return true
		}
	}
	if f.start < t.end {
		return false
	}
	k := t.end
	for k < f.start && k < t.end+2 && (ws[k].norm == "has" || ws[k].norm == "just" || ws[k].norm == "also") {
		k++
	}
	if k >= f.start || !reportVerbs[ws[k].norm] {
		return false
	}
	for ; k < f.start; k++ {
		if thirdPerson[ws[k].norm] {
			return false
		}
	}
	return true
}

var (
	reportVerbs = wordSet(`says say said thinks thought noticed notices reckons reckoned told tells spotted saw sees
		pointed mentioned commented asked`)
	thirdPerson = wordSet(`she he her his him hers they their them theirs shes hes theyre theyve shed hed theyd`)
)

// presentMarkers set what follows them in the present.
var presentMarkers = wordSet(`im am currently still now are is`)

// presentBefore reports whether a present marker stands in the two words before word i.
func presentBefore(ws []word, i int) bool {
	for k := i - 1; k >= 0 && k >= i-2; k-- {
		if presentMarkers[ws[k].norm] {
			return true
		}
		if ws[k+1].sep != sepNone {
			return false
		}
	}
	return false
}

// stopBetween reports whether a time word ("after", "since") stands in [from, to).
func stopBetween(ws []word, from, to int) bool {
	for k := from; k < to; k++ {
		if hypoStops[ws[k].norm] {
			return true
		}
	}
	return false
}

// onlyCopulas reports whether words [from, to) are all "is", "feels" and the like.
func onlyCopulas(ws []word, from, to int) bool {
	for k := from; k < to; k++ {
		if !copulas[ws[k].norm] {
			return false
		}
	}
	return true
}

// negateAreaBefore negates the area that is the subject of a negated
// statement: "my neck isn't sore", "my calves don't hurt", "calf not swollen".
// scoped says whether the trigger negated a finding after it.
func negateAreaBefore(ws []word, fs []found, t trigger, cl clauses, neg []bool, scoped bool) {
	if !scoped && (t.end >= len(ws) || ws[t.end].sep != sepNone || !subjectWords[ws[t.end].norm]) {
		return
	}
	for i := len(fs) - 1; i >= 0; i-- {
		f := &fs[i]
		if f.end > t.start || layer(f.typ) > 1 {
			continue
		}
		if f.typ == "area" && cl.fine[f.end-1] == cl.fine[t.start] && t.start-f.end <= 3 && onlyCopulas(ws, f.end, t.start) {
			neg[i] = true
		}
		return
	}
}

// hearsayThat reports whether the "that" before finding f opens what was read or
// heard ("I read that slurred speech can happen"), not a determiner ("worried
// about that bruise").
func hearsayThat(ws []word, t trigger, f *found) bool {
	return ws[f.start-1].norm == "that" && f.start-1 == t.end && hearsayVerbs[ws[t.end-1].norm]
}

var hearsayVerbs = wordSet(`read heard`)

var (
	// what another person has now: "my husband's face is drooping", "my wife is slurring".
	nowWords = wordSet(`is are has keeps keep cant cannot couldnt now currently suddenly since today isnt just`)
	// what another person had: "my mum got chest pain after her massage once".
	thenWords = wordSet(`had got was were did once ago used previously before years last`)
)

// presentReport reports whether another person's finding is spoken of as
// happening now. It counts for a red flag (whoever has it needs help now) and
// for what follows their massage (the one who types writes for the client).
// What another person had ("my mum got chest pain once") or has as a condition
// ("my dad has diabetes") is not the client's.
func presentReport(ws []word, t trigger, f *found) bool {
	if f.start < t.end || ws[t.start].sent != ws[f.start].sent {
		return false
	}
	now := false
	// The finding's own verb may follow it: "my husband's calf is swollen".
	for k := t.end; k < len(ws) && k < f.end+2 && ws[k].sent == ws[f.start].sent; k++ {
		if k >= f.end && ws[k].sep != sepNone {
			break
		}
		if thenWords[ws[k].norm] {
			return false
		}
		if nowWords[ws[k].norm] {
			now = true
		}
	}
	return now
}

// theirMassage reports whether the sentence of word i speaks of another
// person's massage ("since his neck massage"): the one who types writes for
// the client.
func theirMassage(ws []word, i int) bool {
	for k := range ws {
		if ws[k].sent != ws[i].sent || !thirdPossessive[ws[k].norm] {
			continue
		}
		for j := k + 1; j < len(ws) && j <= k+4 && ws[j].sent == ws[i].sent; j++ {
			if sessionWords[ws[j].norm] {
				return true
			}
		}
	}
	return false
}

var (
	thirdPossessive = wordSet(`his her their`)
	sessionWords    = wordSet(`massage massages session sessions treatment therapist masseuse masseur`)
)

// confirmWords follow "mine" when the client says the symptom asked about is
// theirs: "can a massage cause chest pain? mine started an hour ago".
var confirmWords = wordSet(`started starts began begun came comes is has happened happens hurts feels keeps just did
	does too also`)

// confirmObjects follow "i have", "ive got", "im having" in the same sense:
// "is tingling normal after a massage? because i have it now".
var confirmObjects = wordSet(`it that this them those`)

// confirmHypothetical clears the hypothetical mark of symptoms that the client
// then says they have, in the same or the next sentence.
func confirmHypothetical(ws []word, fs []found, hypo []bool) {
	for k := range ws {
		if !confirms(ws, k) {
			continue
		}
		for i := range fs {
			f := &fs[i]
			if hypo[i] && f.typ == "symptom" && f.end <= k && (ws[f.start].sent == ws[k].sent || ws[f.start].sent+1 == ws[k].sent) {
				hypo[i] = false
			}
		}
	}
}

func confirms(ws []word, k int) bool {
	next := func(n int) string {
		if k+n < len(ws) && ws[k+n].sep != sepHard {
			return ws[k+n].norm
		}
		return ""
	}
	switch ws[k].norm {
	case "mine":
		return confirmWords[next(1)]
	case "i":
		if next(1) == "have" {
			return confirmObjects[next(2)]
		}
		return next(1) == "am" && next(2) == "having" && confirmObjects[next(3)]
	case "ive":
		return next(1) == "got" && confirmObjects[next(2)]
	case "im":
		return (next(1) == "having" || next(1) == "getting") && confirmObjects[next(2)]
	}
	return false
}

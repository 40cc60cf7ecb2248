package textread

import (
	"math"
	"time"
)

// Time expressions give hours since the massage session, counted back from the
// time of the request (in UTC):
//
//	yesterday 24; yesterday morning/afternoon/evening from 09:00/14:00/21:00 the day before;
//	last night from 21:00 the day before, at least 12; this morning from 09:00, at least 1;
//	this afternoon from 14:00, this evening and tonight from 18:00, at least 1;
//	earlier today 3, and "today" 3 when its clause speaks of the massage ("my neck hurts
//	today" says nothing of the session); the day before yesterday 48; the other day 48;
//	the day after, the next day 24;
//	N hours/days/weeks ago, later, after, since, post, on ("48 hours after", "three days later",
//	"a week ago", "a couple of days ago"), "for N days", "it's been N days", "it's day 3";
//	last week 168; a fortnight 336; Monday, on Tue, since Tuesday: the days back to that weekday
//	(a week when it is today; "last Tuesday" on a Wednesday is 8 days); at the weekend: the
//	days back to Saturday. "In 2 days", "every 2 hours" and "next Monday" are not the past.
//
// The text may give several; the reader keeps one (see sessionTime).

type timeExpr struct {
	hours      float64
	start, end int  // word range
	ofSession  bool // counts only in a clause about the massage ("today" is mostly now)
	later      bool // "two days later", "48 hours after": counted from the session, so it is now
	weekday    int  // the weekday named plus one, 0 for none
	duration   bool // "for two weeks": how long something lasted, the session's only in a clause about it
	told       bool // counted back from a today the text names ("it's Monday")
}

var (
	weekdays = map[string]time.Weekday{
		"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
		"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
		"sundays": time.Sunday, "mondays": time.Monday, "tuesdays": time.Tuesday, "wednesdays": time.Wednesday,
		"thursdays": time.Thursday, "fridays": time.Friday, "saturdays": time.Saturday,
		"weds": time.Wednesday, "tues": time.Tuesday, "thurs": time.Thursday,
	}
	// short weekday names, read only after "on", "since", "last" or "from".
	shortWeekdays = map[string]time.Weekday{
		"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
		"thu": time.Thursday, "thur": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
	}
	unitHours = map[string]float64{
		"hour": 1, "hours": 1, "hr": 1, "hrs": 1, "h": 1, "hour's": 1, "hours'": 1,
		"minute": 1.0 / 60, "minutes": 1.0 / 60, "min": 1.0 / 60, "mins": 1.0 / 60,
		"day": 24, "days": 24, "week": 168, "weeks": 168, "wk": 168, "wks": 168, "fortnight": 336,
		"night": 24, "nights": 24, "month": 730, "months": 730, "mth": 730, "mths": 730, "year": 8760,
		"years": 8760, "yr": 8760, "yrs": 8760, "sleep": 24, "sleeps": 24,
	}
	// after "N days": the words that make it the time since the session.
	timeAfter = wordSet(`ago later after since post out on now back afterwards afterward`)
	// around "day N": the words that make it today.
	dayNowBefore = wordSet(`its it is now today this`)
	dayNowAfter  = wordSet(`after post since now today of`)
	// before "N days": likewise ("for 3 days", "it's been 2 days", "the last 2 days").
	timeBefore = wordSet(`been for after over past last than nearly almost about around roughly approximately approx
		since its at`)
)

// timesIn finds the time expressions of the text and marks their numbers used.
func timesIn(ws []word, at time.Time, used []bool) []timeExpr {
	at = at.UTC()
	h := float64(at.Hour()) + float64(at.Minute())/60
	wd := at.Weekday()
	var out []timeExpr
	norm := func(k int) string {
		if k < 0 || k >= len(ws) {
			return ""
		}
		return ws[k].norm
	}
	// "now it's Monday", "today is Monday": the client names today; count back from it.
	told := -1
	for i := range ws {
		if d := weekdayAt(ws, i); d >= 0 && i > 0 && ws[i].sep == sepNone && todayIs(ws, i) {
			wd, told = time.Weekday(d), i
			if ph, ok := partHour(ws, i+1); ok {
				h = ph // "it's Friday morning"
			}
		}
	}
	// "today is the 10th": the day of the month, else the request's.
	today, toldDate := at.Day(), -1
	for i := range ws {
		if d := ordinalAt(ws, i); d > 0 && i > 1 && norm(i-1) == "the" &&
			(norm(i-2) == "is" || norm(i-2) == "its" || norm(i-2) == "it" && ws[i-2].end-ws[i-2].start > 2) {
			today, toldDate = d, i+1
		}
	}
	// joined reports whether words i..j-1 have no separator between them.
	joined := func(i, j int) bool {
		for k := i + 1; k < j && k < len(ws); k++ {
			if ws[k].sep != sepNone {
				return false
			}
		}
		return true
	}
	add := func(hours float64, start, end int) {
		out = append(out, timeExpr{hours: math.Min(hours, 8760), start: start, end: end})
		for k := start; k < end; k++ {
			used[k] = true
		}
	}
	for i := 0; i < len(ws); i++ {
		w := ws[i].norm
		switch {
		case (w == "the" && norm(i+1) == "day" && norm(i+2) == "before" && norm(i+3) == "yesterday" && joined(i, i+4)):
			add(48, i, i+4)
			i += 3
		case w == "day" && norm(i+1) == "before" && norm(i+2) == "yesterday" && joined(i, i+3):
			add(48, i, i+3)
			i += 2
		case w == "yesterday" || w == "yesterdays" || w == "yday" || w == "yest" || w == "yesterdy" || w == "yesturday":
			hours, end := 24.0, i+1
			switch norm(i + 1) {
			case "morning":
				hours, end = h+24-9, i+2
			case "afternoon", "lunchtime", "lunch":
				hours, end = math.Max(h+24-14, 6), i+2
			case "evening", "night", "eve":
				hours, end = math.Max(h+24-21, 12), i+2
			}
			if end == i+2 && !joined(i, end) {
				hours, end = 24, i+1
			}
			add(hours, i, end)
			i = end - 1
		case w == "last" && joined(i, i+2) && (norm(i+1) == "night" || norm(i+1) == "evening" || norm(i+1) == "nite"):
			add(math.Max(h+24-21, 12), i, i+2)
			i++
		case w == "last" && joined(i, i+2) && (norm(i+1) == "week" || norm(i+1) == "weeks"):
			add(168, i, i+2)
			i++
		case w == "last" && joined(i, i+2) && norm(i+1) == "weekend":
			add(weekendHours(wd, true), i, i+2)
			i++
		case w == "this" && joined(i, i+2) && (norm(i+1) == "morning" || norm(i+1) == "am"):
			add(math.Max(h-9, 1), i, i+2)
			i++
		case w == "this" && joined(i, i+2) && (norm(i+1) == "afternoon" || norm(i+1) == "pm" || norm(i+1) == "lunchtime"):
			add(math.Max(h-14, 1), i, i+2)
			i++
		case w == "this" && joined(i, i+2) && norm(i+1) == "evening" || w == "tonight":
			end := i + 1
			if w == "this" {
				end = i + 2
			}
			add(math.Max(h-18, 1), i, end)
			out[len(out)-1].ofSession = true
			i = end - 1
		case w == "earlier" && joined(i, i+2) && (norm(i+1) == "today" || norm(i+1) == "on"):
			add(3, i, i+2)
			i++
		case w == "today" && joined(i, i+2) && (norm(i+1) == "morning" || norm(i+1) == "am"):
			add(math.Max(h-9, 1), i, i+2) // "massage today morning"
			i++
		case w == "day" && norm(i+1) == "after" && joined(i, i+2) && (i+2 >= len(ws) || ws[i+2].sep == sepHard) &&
			(i == 0 || ws[i].sep != sepNone):
			add(24, i, i+2) // "Glutes sore. 3. Day after."
			i++
		case w == "today" || w == "2day":
			add(3, i, i+1)
			out[len(out)-1].ofSession = true
		case (w == "the" || w == "next" || w == "following") && joined(i, i+2) &&
			(norm(i+1) == "day" || norm(i+1) == "morning") && (w != "the" || norm(i+2) == "after") ||
			w == "the" && joined(i, i+3) && (norm(i+1) == "next" || norm(i+1) == "following") && norm(i+2) == "day":
			end := i + 2
			if w == "the" {
				end = i + 3
			}
			add(24, i, end)
			i = end - 1
		case w == "the" && norm(i+1) == "other" && norm(i+2) == "day" && joined(i, i+3):
			add(48, i, i+3)
			i += 2
		case (w == "weekend" || w == "wkend") && i > 0 && joined(i-1, i+1) &&
			(norm(i-1) == "the" || norm(i-1) == "this" || norm(i-1) == "at" || norm(i-1) == "over"):
			start := i - 1
			if start > 0 && (norm(start-1) == "at" || norm(start-1) == "over" || norm(start-1) == "on") && joined(start-1, i) {
				start--
			}
			add(weekendHours(wd, false), start, i+1)
		case ordinalAt(ws, i) > 0 && i+1 != toldDate && ordinalAt(ws, i) <= today:
			// "the massage was on the 3rd" (today the 10th): days of the month
			start := i
			if i > 1 && norm(i-1) == "the" && (norm(i-2) == "on" || norm(i-2) == "since") {
				start = i - 2
			}
			add(float64((today-ordinalAt(ws, i))*24), start, i+2)
			i++
		case i == told:
			// today's name, not the session's day
		case weekdayAt(ws, i) >= 0:
			t := time.Weekday(weekdayAt(ws, i))
			if norm(i-1) == "next" || norm(i-1) == "this" && t > wd {
				continue
			}
			d := (int(wd) - int(t) + 7) % 7
			if d == 0 {
				d = 7
			}
			if norm(i-1) == "last" && d < 2 {
				d += 7 // on a Wednesday, "last Tuesday" is the week before
			}
			start := i
			if i > 0 && joined(i-1, i+1) && (norm(i-1) == "on" || norm(i-1) == "since" || norm(i-1) == "last") {
				start = i - 1
			}
			hours, end := float64(d*24), i+1
			// "Tuesday evening" when it is "Friday morning": the parts of the day count.
			if sh, ok := partHour(ws, i+1); ok {
				hours, end = math.Max(hours+h-sh, 1), i+2
			} else if told >= 0 {
				hours += h - 12 // today is named: the session at midday, now as said or asked
			}
			add(hours, start, end)
			out[len(out)-1].weekday, out[len(out)-1].told = int(t)+1, told >= 0
			i = end - 1
		case w == "day" && i+1 < len(ws) && ws[i+1].num && joined(i, i+2) && ws[i+1].val >= 1 && ws[i+1].val <= 14 &&
			(dayNowBefore[norm(i-1)] || dayNowAfter[norm(i+2)] && joined(i, i+3)):
			// "it's day 3 after the massage"; not "it was 9/10 on day 1"
			add(ws[i+1].val*24, i, i+2)
			i++
		default:
			if te, ok := quantity(ws, i); ok {
				add(te.hours, te.start, te.end)
				out[len(out)-1].later, out[len(out)-1].duration = te.later, te.duration
				i = te.end - 1
			}
		}
	}
	return out
}

// todayIs reports whether the weekday at word i names today: "it's Monday",
// "now it's Monday", "today is Monday", "today's Monday".
func todayIs(ws []word, i int) bool {
	p := ws[i-1]
	clipped := p.end-p.start > len(p.norm) // "it's" read as "it"
	if i+1 < len(ws) && ws[i+1].sep != sepHard && ws[i+1].norm == "today" {
		return true // "Friday, today: 7"
	}
	if i+1 < len(ws) && ws[i+1].sep == sepNone && (ws[i+1].norm == "now" ||
		partsOfDay[ws[i+1].norm] && i+2 < len(ws) && ws[i+2].sep == sepNone && ws[i+2].norm == "now") {
		return true // "Sunday morning now"
	}
	switch {
	case p.norm == "today":
		return true // "today's Monday", "today Monday"
	case p.norm == "now" && i > 1 && (ws[i-2].norm == "is" || ws[i-2].norm == "its"):
		return true // "it is now Wednesday"
	case p.norm == "its" || p.norm == "it" && clipped:
		// "it's Monday", but not "it's been sore since Monday" (the weekday follows directly)
		return i+1 >= len(ws) || ws[i+1].sep != sepNone || ws[i+1].norm == "today" || ws[i+1].norm == "now" ||
			ws[i+1].norm == "and" || ws[i+1].norm == "so" || partsOfDay[ws[i+1].norm] &&
			(i+2 >= len(ws) || ws[i+2].sep != sepNone || ws[i+2].norm == "now" || ws[i+2].norm == "and")
	case p.norm == "is":
		return i > 1 && p.sep == sepNone && (ws[i-2].norm == "today" || ws[i-2].norm == "it")
	}
	return false
}

// ordinalAt returns the day of the month an ordinal at word i names ("3rd",
// "10th"), or 0.
func ordinalAt(ws []word, i int) int {
	if !ws[i].num || i+1 >= len(ws) || ws[i+1].sep != sepNone || ws[i].val < 1 || ws[i].val > 31 || ws[i].val != math.Trunc(ws[i].val) {
		return 0
	}
	switch ws[i+1].norm {
	case "st", "nd", "rd", "th":
		return int(ws[i].val)
	}
	return 0
}

var partsOfDay = wordSet(`morning afternoon evening night am pm`)

// partHour returns the hour a part of the day at word i stands for: morning
// 9, afternoon 14, evening 19, night 21.
func partHour(ws []word, i int) (float64, bool) {
	if i >= len(ws) || ws[i].sep != sepNone {
		return 0, false
	}
	switch ws[i].norm {
	case "morning", "am":
		return 9, true
	case "afternoon", "pm", "lunchtime":
		return 14, true
	case "evening":
		return 19, true
	case "night":
		return 21, true
	}
	return 0, false
}

// weekdayAt returns the weekday named at word i, or -1.
func weekdayAt(ws []word, i int) int {
	if d, ok := weekdays[ws[i].norm]; ok {
		return int(d)
	}
	if d, ok := shortWeekdays[ws[i].norm]; ok && i > 0 && ws[i].sep == sepNone {
		switch ws[i-1].norm {
		case "on", "since", "last", "from":
			return int(d)
		}
	}
	return -1
}

// weekendHours counts back to the Saturday of the latest weekend.
func weekendHours(wd time.Weekday, last bool) float64 {
	d := (int(wd) - int(time.Saturday) + 7) % 7
	if d == 0 {
		d = 7
	}
	if last && wd == time.Sunday {
		d += 7
	}
	return float64(d * 24)
}

// quantity reads "N hours ago", "a couple of days later", "for 3 days",
// "48 hours after" at word i.
func quantity(ws []word, i int) (timeExpr, bool) {
	n := len(ws)
	var q float64
	k := i
	switch w := ws[i].norm; {
	case ws[i].num:
		v, e, _ := numAt(ws, i)
		q, k = v, e
	case w == "a" || w == "an" || w == "couple" || w == "few" || w == "several" || w == "half":
		q, k = 1, i+1
		if w == "couple" || w == "few" || w == "several" {
			k = i
		}
		if w == "half" && k < n && (ws[k].norm == "an" || ws[k].norm == "a") {
			q, k = 0.5, k+1
		}
		if (w == "a" || w == "an") && k < n && (ws[k].norm == "whole" || ws[k].norm == "entire" || ws[k].norm == "full") {
			k++ // "a whole week"
		}
		if k < n && (k == i || ws[k].sep == sepNone) {
			switch ws[k].norm {
			case "couple":
				q, k = 2, k+1
			case "few":
				q, k = 3, k+1
			case "several":
				q, k = 4, k+1
			}
			if k < n && ws[k].norm == "of" && ws[k].sep == sepNone && q > 1 {
				k++
			}
		}
	default:
		return timeExpr{}, false
	}
	if k >= n || ws[k].sep != sepNone || (k > i && ws[k].slash) {
		return timeExpr{}, false
	}
	unit, ok := unitHours[ws[k].norm]
	if !ok || q <= 0 && !ws[i].num {
		return timeExpr{}, false
	}
	if unit == 24 && (ws[k].norm == "night" || ws[k].norm == "nights") && !ws[i].num && q == 1 {
		return timeExpr{}, false // "a night out"
	}
	minutes := unit < 1
	end := k + 1
	// "an hour and a half ago"
	if end+2 < n && ws[end].norm == "and" && ws[end+1].norm == "a" && ws[end+2].norm == "half" {
		q += 0.5
		end += 3
	}
	start := i
	after := end < n && ws[end].sep == sepNone && timeAfter[ws[end].norm]
	before := i > 0 && ws[i].sep == sepNone && timeBefore[ws[i-1].norm] && !minutes // "for a few minutes": how long
	// "two weeks I am feeling pain": a clause that opens with how long.
	opens := (i == 0 || ws[i].sep != sepNone) && end < n && ws[end].sep == sepNone && firstPerson[ws[end].norm] &&
		ws[end].norm != "my" && !minutes
	if opens && !after {
		return timeExpr{hours: q * unit, start: i, end: end, duration: true}, true
	}
	if end < n && ws[end].sep == sepNone && (ws[end].norm == "before" || ws[end].norm == "until" ||
		ws[end].norm == "till" || ws[end].norm == "til" || ws[end].norm == "to" && end+1 < n && ws[end+1].norm == "go") {
		return timeExpr{}, false // "2 weeks before my marathon", "3 days to go": a time ahead
	}
	if i > 1 && ws[i].sep == sepNone && ws[i-1].norm == "in" && unendedBefore[ws[i-2].norm] {
		// "they haven't gone away in a month": how long it has lasted
		return timeExpr{hours: q * unit, start: i - 1, end: end, duration: true}, true
	}
	if !after && !before {
		return timeExpr{}, false
	}
	if after {
		w, next := ws[end].norm, ""
		if end+1 < n && ws[end+1].sep == sepNone {
			next = ws[end+1].norm
		}
		switch {
		case w == "on" && next != "" && !onFollowers[next]:
			return timeExpr{}, false // "two days on the bike": how long
		case w == "out" && (next == "from" || next == "of" || next == "to" || next == "until" || next == "till"):
			return timeExpr{}, false // "2 weeks out from the race": a time ahead
		case (w == "after" || w == "later") && next != "" && !afterObjects[next]:
			return timeExpr{}, false // "a few days after flying back": after something else
		case w == "after" && activityAfter(ws, end+1):
			return timeExpr{}, false // "six days after a gym session": after something else
		}
		end++
	}
	if i > 0 && ws[i].sep == sepNone && (ws[i-1].norm == "in" || ws[i-1].norm == "every" || ws[i-1].norm == "within") {
		return timeExpr{}, false // "in 2 days", "every 2 hours": not since the session
	}
	forBefore := i > 0 && ws[i-1].norm == "for" || i > 1 && ws[i-2].norm == "for" && approxWords[ws[i-1].norm]
	te := timeExpr{hours: q * unit, start: start, end: end, duration: !after && forBefore}
	te.later = after && (ws[end-1].norm == "later" || ws[end-1].norm == "after" || ws[end-1].norm == "on")
	return te, true
}

// unendedBefore before "in N days" say that something has lasted that long:
// "it hasn't gone away in a month", "no better in two weeks".
var unendedBefore = wordSet(`away gone stopped eased cleared settled better improved`)

// approxWords may stand between "for" and a duration: "for almost 6 weeks".
var approxWords = wordSet(`almost nearly about around over roughly approximately well just`)

// activityWords name what else a time may be counted from: "six days after
// an over-squatty gym session", "two days after the race".
var activityWords = wordSet(`gym workout run race marathon training game match hike squat squats lifting flight
	fall accident surgery operation`)

// activityAfter reports whether one of the four words from k names another
// activity, before any word of the massage.
func activityAfter(ws []word, k int) bool {
	for j := k; j < len(ws) && j < k+4 && ws[j].sep != sepHard; j++ {
		if massageWords[ws[j].norm] && ws[j].norm != "session" {
			return false
		}
		if activityWords[ws[j].norm] {
			return true
		}
	}
	return false
}

// onFollowers may follow "a week on": what is said of now ("a week on it still hurts").
var onFollowers = wordSet(`from now it its i im and still`)

// afterObjects may follow "N days after": the session, or nothing more.
var afterObjects = wordSet(`the my a an that this it her his their massage session treatment having getting being
	now and but i im my which when`)

// massageWords mark a clause that speaks of the session itself.
var massageWords = wordSet(`massage massages massaged session treatment appointment therapist masseuse masseur rmt
	physio sports deep tissue acupuncturist acupuncture chiropractor chiro osteopath reflexology reflexologist cupping
	shiatsu bodywork masseurs masseuses`)

// sessionTime picks the time of the session among the time expressions: those
// in a clause about a health condition, the past, someone else or a
// possibility are left out, and so is a duration right after "stopped" or
// "passed" ("the tingling stopped after an hour"); of the rest, those in a
// clause that speaks of the massage are preferred; then the largest wins (the
// session came before everything it caused).
func sessionTime(ws []word, times []timeExpr, fs []found, trigs []trigger, cl clauses) (timeExpr, bool) {
	best, found, bestMassage := timeExpr{}, false, false
	var kept []timeExpr
	proxy := forAnother(ws, trigs)
	fallback, hasFallback := timeExpr{}, false
	for _, t := range times {
		c := cl.fine[t.start]
		skip := false
		for _, f := range fs {
			if f.typ == "health" && cl.fine[f.start] == c {
				skip = true
			}
		}
		for _, tr := range trigs {
			if (tr.kind == tHist || tr.kind == tHistMonths || tr.kind == tOther && !proxy || tr.kind == tHypo) && cl.fine[tr.start] == c &&
				!(tr.kind != tOther && tr.kind != tHypo && tr.start < t.end && tr.end > t.start && sentenceHas(ws, t.start, stillWords)) {
				skip = true // but "it's over a year ago and I still feel pain": the session's
			}
		}
		for _, tr := range trigs {
			if tr.kind == tPost && t.start >= tr.end && t.start-tr.end <= 2 {
				skip = true // "the tingling stopped after a few hours": how long, not since when
			}
		}
		if skip {
			continue
		}
		massage := false
		for k := range ws {
			if cl.fine[k] == c && massageWords[ws[k].norm] {
				massage = true
			}
		}
		for _, f := range fs {
			if f.typ == "style" && cl.fine[f.start] == c {
				massage = true
			}
		}
		if t.ofSession && !massage {
			// "a migraine this evening": the session was today, before it.
			if ws[t.start].norm != "today" && (!hasFallback || t.hours > fallback.hours) {
				fallback, hasFallback = t, true
			}
			continue
		}
		if t.duration && otherAnchor(ws, t.start) {
			continue // "has hurt for two weeks since I slept on the floor"
		}
		// A point in time in a clause about the massage beats how long
		// something lasted there ("had my massage at 1:00 today ... it's been
		// like this after every massage for nine months").
		rank := func(m bool, d bool) int {
			r := 0
			if m {
				r += 2
			}
			if !d {
				r++
			}
			return r
		}
		switch r, br := rank(massage, t.duration), rank(bestMassage, best.duration); {
		case !found, r > br, r == br && t.hours > best.hours:
			best, found, bestMassage = t, true, massage
		}
		kept = append(kept, t)
	}
	if found && best.weekday > 0 {
		best = storyNow(ws, best, kept)
	}
	if !found && hasFallback {
		return fallback, true
	}
	if !found {
		return justNow(ws)
	}
	return best, found
}

// otherAnchor reports whether the sentence of word i counts a duration from
// something other than the session: "since I slept on the floor", "my hip
// which has hurt for a week".
func otherAnchor(ws []word, i int) bool {
	for k := range ws {
		if ws[k].sent != ws[i].sent || k+1 >= len(ws) {
			continue
		}
		switch ws[k].norm {
		case "since", "before":
			if !massageWords[ws[k+1].norm] && !determinerOrMy[ws[k+1].norm] {
				return true
			}
		case "which", "that":
			if k < i && (ws[k+1].norm == "has" || ws[k+1].norm == "had" || ws[k+1].norm == "id" ||
				ws[k+1].norm == "i" && k+2 < len(ws) && (ws[k+2].norm == "had" || ws[k+2].norm == "have")) {
				return true // "knots that I'd been carrying for 6 weeks"
			}
		}
	}
	return false
}

var stillWords = wordSet(`still`)

var determinerOrMy = wordSet(`the my a an that this then`)

// recentPhrases say the session has only just ended: "since I got home",
// "when I got up off the table", "twenty minutes into the massage".
var recentPhrases = [][]string{{"got", "home"}, {"off", "the", "table"}, {"minutes", "into"}, {"just", "had"},
	{"just", "now"}, {"after", "i", "left"}, {"on", "the", "way", "home"}, {"walking", "out"}, {"during", "the", "massage"},
	{"during", "my", "massage"}, {"halfway", "through"}, {"not", "long", "after"}}

// justNow reads a session that has only just ended as one hour ago, when the
// text gives no other time.
func justNow(ws []word) (timeExpr, bool) {
	for k := range ws {
		for _, p := range recentPhrases {
			if phraseAt(ws, k, p) {
				return timeExpr{hours: 1, start: k, end: k + len(p)}, true
			}
		}
	}
	return timeExpr{}, false
}

// storyNow reads the now of a story that names the session's weekday: "Saturday's
// massage … two days later" is 48 hours, whatever today is; "Massage Friday.
// Saturday fine. Sunday stiff" is told on the Sunday. Unless the text names
// today ("it's Monday"; then the weekdays already count back from it), the
// latest point the story reaches is now: a day told after the session's, or
// told before it with how it felt ("was 5 on saturday. massage was friday"),
// not an activity before the session ("leg day Monday, massage Tuesday").
func storyNow(ws []word, session timeExpr, times []timeExpr) timeExpr {
	later := -1.0
	for _, t := range times {
		if t.later && t.start > session.start {
			later = max(later, t.hours)
		}
	}
	if later >= 0 {
		session.hours = later
		return session
	}
	if session.told {
		return session
	}
	// The latest day the story reaches after the session's, told in any order
	// ("1/10 now, was 5 on saturday. massage was friday").
	days := 0
	for _, t := range times {
		if t.weekday > 0 && t.weekday != session.weekday && !t.told &&
			(t.start > session.start || sentenceHasPainScore(ws, t.start) || sentenceHas(ws, t.start, painNear)) {
			days = max(days, (t.weekday-session.weekday+7)%7)
		}
	}
	if days > 0 {
		session.hours = float64(days * 24)
	}
	return session
}

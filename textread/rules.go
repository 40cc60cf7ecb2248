package textread

// Rules that read what a single phrase cannot: a swelling whose nearest body
// word is one calf or leg, a bruise described as dark elsewhere in its sentence,
// stiffness of the neck, "hot" next to a swelling, and body words that are not
// sore places (the chest of "chest pain", the feet of "unsteady on my feet").

// nearCode reports whether a finding of code stands in the same sentence as a.
func nearCode(ws []word, fs []found, a found, code string) bool {
	for _, f := range fs {
		if f.code == code && sameSentence(ws, a.start, f.start) {
			return true
		}
	}
	return false
}

func sameSentence(ws []word, i, j int) bool { return ws[i].sent == ws[j].sent }

// bodyWords are words of the body that have no area code of their own.
var bodyWords = wordSet(`knee knees elbow elbows leg legs joint joints`)

// oneSided reads swelling as calf_swelling when the body word nearest to it, in
// the same sentence and at most 8 words away, is one calf or one leg: "left
// calf feels hot and looks a bit swollen".
func oneSided(ws []word, fs []found) {
	for i := range fs {
		f := &fs[i]
		if f.typ != "symptom" || f.code != "swelling" {
			continue
		}
		best, bestDist := "", 9
		consider := func(k int, norm string) {
			d := f.start - k
			if k >= f.end {
				d = k - f.end + 1
			} else if k >= f.start {
				d = 0
			}
			if d < bestDist && sameSentence(ws, k, f.start) && !opposedBetween(ws, k, f.start) {
				best, bestDist = norm, d
			}
		}
		lo, hi := max(0, f.start-8), min(len(ws), f.end+8)
		for k := lo; k < hi; k++ {
			if bodyWords[ws[k].norm] {
				consider(k, ws[k].norm)
			}
			if (ws[k].norm == "both" || ws[k].norm == "either" || ws[k].norm == "neither" || ws[k].norm == "each") &&
				sameSentence(ws, k, f.start) {
				best, bestDist = "both", -1
				break
			}
		}
		for _, a := range fs {
			if a.typ == "area" && a.start >= lo && a.start < hi {
				consider(a.start, ws[a.end-1].norm)
			}
		}
		if (best == "calf" || best == "leg") && !hasWord(ws, f.start, f.end, "lump") {
			f.code = "calf_swelling"
		}
	}
}

// opposedBetween reports whether "but", "however" or the like stands between words i and j.
func opposedBetween(ws []word, i, j int) bool {
	if i > j {
		i, j = j, i
	}
	for k := i + 1; k < j; k++ {
		if terminators[ws[k].norm] {
			return true
		}
	}
	return false
}

func hasWord(ws []word, from, to int, norm string) bool {
	for k := from; k < to; k++ {
		if ws[k].norm == norm {
			return true
		}
	}
	return false
}

var (
	heatWords = wordSet(`hot warm hotter warmer`)
	// not heat of the skin: "hot water bottle", "warm bath", "hot and cold"
	heatNot = wordSet(`stone stones water bath shower tub drink tea coffee towel towels compress pack packs weather day spot spots
		room oil oils flush flushes flash flashes cold chocolate food soup pad pads bottle`)
	// findings that make "hot" the skin's: "calf is swollen and hot"
	heatContext = wordSet(`swelling calf_swelling bruising_light bruising_dark warmth_redness`)
)

// warmth reads "hot" or "warm" as warmth_redness when a swelling, a bruise,
// redness or a body area stands near it in the same sentence: "my calf has
// been swollen and hot".
func warmth(ws []word, fs []found) []found {
	for k := range ws {
		if !heatWords[ws[k].norm] || k+1 < len(ws) && ws[k+1].sep == sepNone && heatNot[ws[k+1].norm] {
			continue
		}
		inside, near := false, false
		for _, f := range fs {
			if k >= f.start && k < f.end && layer(f.typ) != 1 {
				inside = true
				break
			}
			if (f.typ == "area" || heatContext[f.code]) && sameSentence(ws, k, f.start) &&
				(f.start > k && f.start-k <= 6 || f.end <= k && k-f.end < 6) {
				near = true
			}
		}
		if !inside && near {
			fs = append(fs, found{ph: -1, typ: "symptom", code: "warmth_redness", start: k, end: k + 1, lits: 1, from: k})
		}
	}
	return fs
}

var (
	// darkWords make a bruise in the same sentence a dark one: "bruising over
	// my thigh, about 5cm, dark purple".
	darkWords = wordSet(`dark purple black blackish huge massive enormous big large giant`)
	// smallWords before a bruise keep it light: "a small dark bruise" is still small.
	smallWords = wordSet(`small little tiny slight faint light minor mild`)
)

// upgrade reads a plain bruise described darkly elsewhere in its sentence as
// bruising_dark, and stiffness whose nearest body area is the neck as
// stiff_neck ("my neck is better, only a bit stiff").
func upgrade(ws []word, fs []found) {
	for i := range fs {
		f := &fs[i]
		switch {
		case f.typ == "symptom" && f.code == "bruising_light":
			if f.start > 0 && smallWords[ws[f.start-1].norm] || f.start > 1 && smallWords[ws[f.start-2].norm] ||
				hasAny(ws, f.start, f.end, smallWords) {
				continue
			}
			for k := max(0, f.start-8); k < min(len(ws), f.end+8); k++ {
				if darkWords[ws[k].norm] && sameSentence(ws, k, f.start) && !insideOther(fs, f, k) {
					f.code = "bruising_dark"
					break
				}
			}
		case f.typ == "symptom" && f.code == "sharp_pain":
			if a := nearestArea(ws, fs, f); a != nil && a.code == "head" && nearWord(ws, f, suddenWords, 6) {
				f.code = "sudden_severe_headache" // "a sharp pain hit the left side of my head"
			}
		case f.typ == "symptom" && f.code == "headache":
			if nearWord(ws, f, suddenWords, 6) && nearWord(ws, f, severeWords, 6) {
				f.code = "sudden_severe_headache" // "a sudden, severe headache"
			}
		case f.typ == "symptom" && f.code == "stiffness":
			if a := nearestArea(ws, fs, f); a != nil && a.code == "neck" {
				f.code = "stiff_neck"
			}
		}
	}
}

var (
	suddenWords = wordSet(`sudden suddenly abruptly thunderclap instantly hit struck`)
	severeWords = wordSet(`severe terrible worst excruciating intense blinding explosive agonising agonizing unbearable
		horrendous awful splitting horrific massive`)
)

// nearWord reports whether a word of set stands within d words of f, in its sentence.
func nearWord(ws []word, f *found, set map[string]bool, d int) bool {
	for k := max(0, f.start-d); k < min(len(ws), f.end+d); k++ {
		if set[ws[k].norm] && sameSentence(ws, k, f.start) {
			return true
		}
	}
	return false
}

func hasAny(ws []word, from, to int, set map[string]bool) bool {
	for k := from; k < to; k++ {
		if set[ws[k].norm] {
			return true
		}
	}
	return false
}

// insideOther reports whether word k belongs to a finding other than f.
func insideOther(fs []found, f *found, k int) bool {
	for i := range fs {
		if &fs[i] != f && k >= fs[i].start && k < fs[i].end {
			return true
		}
	}
	return false
}

// nearestArea returns the area finding nearest to f in its sentence, at most
// 10 words away.
func nearestArea(ws []word, fs []found, f *found) *found {
	var best *found
	bestDist := 11
	for i := range fs {
		a := &fs[i]
		if a.typ != "area" || !sameSentence(ws, a.start, f.start) {
			continue
		}
		d := 0
		switch {
		case a.end <= f.start:
			d = f.start - a.end + 1
		case a.start >= f.end:
			d = a.start - f.end + 1
		}
		if d < bestDist {
			best, bestDist = a, d
		}
	}
	return best
}

// idioms are the symptoms whose body words name no place of soreness; the
// body words of a style or pressure ("elbows into", "Indian head massage")
// are the therapist's or the technique's.
var idioms = wordSet(`unsteadiness shortness_of_breath`)

func insideIdiom(fs []found, a found) bool {
	for _, f := range fs {
		if (idioms[f.code] && f.typ == "symptom" || f.typ == "style" || f.typ == "pressure") &&
			a.start >= f.start && a.end <= f.end {
			return true
		}
	}
	return false
}

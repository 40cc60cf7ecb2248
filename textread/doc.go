// Package textread reads what a client types after a massage ("my calves are
// sore since yesterday, about 3/10, no swelling") into findings of the public
// contract: symptoms, body areas, massage styles, pressures and health
// conditions with their codes, one pain score and one time since the session.
//
// The words live in data: lexicon.yaml (embedded, see DefaultLexicon) lists,
// for every code, the phrases people write, lay and clinical, British and
// American, with inflections and common misspellings; its header documents the
// phrase syntax and the choices made. LoadLexicon validates a lexicon and names
// the file, the entry and the reason of any error.
//
// Reading goes in steps, each in its own file:
//
//   - tokens.go: words with byte offsets, apostrophes dropped ("can't" = "cant"),
//     simple inflections removed alike from text and lexicon;
//   - fuzzy.go: a word the lexicon does not know is read through a one-letter
//     misspelling of a lexicon word of seven letters or more;
//   - match.go: lexicon phrases are found; where they overlap, the one that names
//     more words wins;
//   - rules.go: what a phrase cannot say ("left calf feels hot and looks
//     swollen" is calf_swelling with warmth);
//   - clauses.go and negation.go: NegEx/ConText triggers mark findings negated,
//     hypothetical or historical, within clauses; lists are negated whole;
//   - numbers.go: pain scores ("4/10", "a four", "level 3") and pain words mapped
//     to the configured Bands; the highest score for now wins;
//   - times.go: hours since the session from "yesterday", "two days ago",
//     "since Tuesday" and the like, counted from the time of the request in UTC,
//     or from the day the message itself names ("it's Friday morning", a story
//     told day by day); a duration ("for two weeks") counts only when it runs
//     from the session;
//   - course.go: several scores give the current one and those before it
//     ("was 3 yday, 5 today"), words give a trend ("not easing");
//   - status.go: figures of speech, signs of the session that have passed, one
//     reading per sign, words with two meanings and hedges; what the reader is
//     unsure of is returned (Unsure) so that the engine can ask the client;
//   - reader.go: Reader puts it together; ReadAll returns the whole Reading.
//
// Libraries were measured against these parts on a 300-character message:
// github.com/markusmobius/go-dateparser v1.4.7 took about 7 ms (70 times the
// reader's 100 µs budget) and read "5/10" as the 10th of May, "two days
// later" as a date ahead and "for a week" as a point in time;
// github.com/jdkato/prose/v2 builds a document in over a second (it loads its
// model each time) and reads neither negation nor time. Neither is used.
//
// A Reader is immutable and safe for concurrent use; Read does no I/O.
package textread

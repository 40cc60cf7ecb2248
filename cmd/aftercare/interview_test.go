package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"

	"aftercare"
	"aftercare/textread"
	"aftercare/triage"
)

// terminal is `aftercare assess` run in-process on a pseudo-terminal: its
// standard input and output are the terminal's tty, so it takes the
// interactive path as it does for a person; the test types at the other end.
type terminal struct {
	t      *testing.T
	ptmx   *os.File   // the test's end
	screen syncBuffer // all the command wrote, with the echo of what was typed
	seen   int        // how much of the screen expect has passed
	stderr syncBuffer
	done   chan int // the exit code, when the command ends
	cancel context.CancelFunc
}

// startTerminal starts the command with the given arguments after "aftercare".
func startTerminal(t *testing.T, args ...string) *terminal {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	term := &terminal{t: t, ptmx: ptmx, done: make(chan int, 1), cancel: cancel}
	go func() { _, _ = io.Copy(&term.screen, ptmx) }()
	getenv := func(k string) string {
		if k == "NO_COLOR" {
			return "1"
		}
		return ""
	}
	go func() {
		err := run(ctx, append([]string{"aftercare"}, args...), getenv, tty, tty, &term.stderr)
		term.done <- exitCode(err, &term.stderr)
	}()
	t.Cleanup(func() {
		cancel()
		tty.Close()
		ptmx.Close()
	})
	return term
}

// expect waits until the screen shows want after what was seen before, and
// returns the screen up to it (carriage returns dropped). The wait is only a
// guard against a command that hangs.
func (term *terminal) expect(want string) string {
	term.t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; {
		s := strings.ReplaceAll(term.screen.String(), "\r", "")
		if i := strings.Index(s[term.seen:], want); i >= 0 {
			got := s[term.seen : term.seen+i+len(want)]
			term.seen += i + len(want)
			return got
		}
		if time.Now().After(deadline) {
			term.t.Fatalf("the terminal never showed %q; after what was seen it shows:\n%s", want, s[term.seen:])
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// answer types a line and Enter, once the prompt is shown.
func (term *terminal) answer(line string) {
	term.t.Helper()
	term.expect("> ")
	if _, err := term.ptmx.Write([]byte(line + "\r")); err != nil {
		term.t.Fatal(err)
	}
}

// endInput presses Ctrl-D at the prompt: the end of the input.
func (term *terminal) endInput() {
	term.t.Helper()
	term.expect("> ")
	if _, err := term.ptmx.Write([]byte{4}); err != nil {
		term.t.Fatal(err)
	}
}

// exit waits for the command to end and returns its exit code.
func (term *terminal) exit() int {
	term.t.Helper()
	select {
	case code := <-term.done:
		return code
	case <-time.After(30 * time.Second):
		term.t.Fatalf("the command did not end; the screen shows:\n%s", term.screen.String())
		return -1
	}
}

// step is one thing a person does at the terminal: type a line (say), press
// Ctrl-D (eof), or read what the command shows (see).
type step struct {
	say, see string
	eof      bool
}

func say(line string) []step  { return []step{{say: line}} }
func see(text string) []step  { return []step{{see: text}} }
func endInput() []step        { return []step{{eof: true}} }
func join(s ...[]step) []step { return slices.Concat(s...) }

// skip presses Enter at the next n questions.
func skip(n int) []step { return slices.Repeat(say(""), n) }

// play does the steps in order.
func (term *terminal) play(steps []step) {
	term.t.Helper()
	for _, s := range steps {
		switch {
		case s.eof:
			term.endInput()
		case s.see != "":
			term.expect(s.see)
		default:
			term.answer(s.say)
		}
	}
}

func TestAssessInATerminal(t *testing.T) {
	t.Run("a bad answer is asked again with the reason, words are understood, and the answer comes at the end", func(t *testing.T) {
		term := startTerminal(t, "assess")
		term.expect("What kind of massage was it?")
		choices := term.expect("Enter to skip)")
		for _, want := range []string{"1) Swedish / relaxation", "2) Deep tissue", "11) Other"} {
			if !strings.Contains(choices, want) {
				t.Errorf("the styles are not offered as %q:\n%s", want, choices)
			}
		}
		term.answer("2")
		term.expect("Noted: Deep tissue")
		term.answer("firm")
		term.expect("Noted: Firm")

		term.expect("How long ago did the massage end?")
		term.answer("banana")
		refused := term.expect(`"2 days ago"`)
		if !strings.Contains(refused, `Not taken: hours_since must be a number, not "banana"`) || !strings.Contains(refused, `"yesterday"`) {
			t.Errorf("a bad time is not refused with the reason and what may be said:\n%s", refused)
		}
		term.answer("yesterday")
		term.expect("Noted: about 24 hours ago")

		term.answer("lower back 5")
		term.expect("Noted: Lower back 5/10")
		term.answer("a bit of a headache")
		term.expect("Noted: Headache")
		term.answer("")
		term.answer("")

		// The answer is the engine's for what was read, graded the same way.
		engine, err := triage.Default()
		if err != nil {
			t.Fatal(err)
		}
		h := 24.0
		want, err := engine.Assess(aftercare.Request{Style: "deep_tissue", Pressure: "firm", HoursSince: &h,
			Soreness: []aftercare.Soreness{{Area: "lower_back", Pain: 5}}, Symptoms: []string{"headache"},
			Text: "a bit of a headache"}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		level := strings.ToUpper(strings.ReplaceAll(want.Level.String(), "_", " "))
		term.expect(level + "   " + want.Headline)
		for _, r := range want.Reasons {
			term.expect(r.Text)
		}
		term.expect("you are at 24 hours")
		if code := term.exit(); code != 0 || term.stderr.String() != "" {
			t.Errorf("exit %d, standard error %q", code, term.stderr.String())
		}
	})

	for _, tc := range []struct {
		name   string
		steps  []step
		code   int
		stderr string
	}{
		{"an area named without a score is asked its pain, and Ctrl-D grades what was given", join(skip(3),
			say("lower back"), see("How much does it hurt in your lower back"),
			say("12"), see("Not taken: soreness[0].pain must be a whole number from 0 to 10"),
			say("quite bad"), see("Noted: Lower back 5/10"),
			endInput(), see("The input ended: the answers given so far are graded."), see("What helps")), 0, ""},
		{"the engine's questions are asked, a wrong kind of answer again, and a yes moves the level", join(skip(6),
			say("I can't lift my arm above my head since yesterday's massage, it's too sore"),
			see("A few questions would settle it"), see("Is one arm"),
			say("maybe"), see(`Not taken: answers.symptom.one_sided_weakness must be true or false (a yes or no answer), not "maybe"`),
			see("Is one arm"), say("yes"), see("EMERGENCY")), 0, ""},
		{"with nothing to grade, the words are asked for until they are given", join(skip(7),
			see("There is nothing to grade yet"), say(""), see("An answer is needed here."),
			say("my calves ache since yesterday, about a 3"), see("What we read in your words")), 0, ""},
		{"Ctrl-D before anything to grade ends with one clear message", join(say("2"), endInput()),
			1, "aftercare: the input ended before anything to grade was given; nothing was assessed\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			term := startTerminal(t, "assess")
			term.play(tc.steps)
			if code := term.exit(); code != tc.code || term.stderr.String() != tc.stderr {
				t.Errorf("exit %d, standard error %q; want %d and %q", code, term.stderr.String(), tc.code, tc.stderr)
			}
		})
	}

	t.Run("Ctrl-C while a question waits stops the command", func(t *testing.T) {
		term := startTerminal(t, "assess")
		term.expect("> ")
		term.cancel() // what Ctrl-C does to main's context
		code := term.exit()
		if code != 130 || term.stderr.String() != "aftercare: stopped; nothing was assessed\n" {
			t.Errorf("exit %d, standard error %q", code, term.stderr.String())
		}
	})
}

// prompts returns the questionnaire's prompts and those of three of the
// engine's questions, by the field each fills.
func prompts(t *testing.T, w words) map[string]prompt {
	t.Helper()
	out := map[string]prompt{}
	for _, p := range questionnaire(w) {
		out[p.field] = p
	}
	for _, id := range []string{"symptom.one_sided_weakness", "pain", "hours_since"} {
		q, err := aftercare.NewQuestion(id, "?")
		if err != nil {
			t.Fatal(err)
		}
		p := questionPrompt(w, q)
		out[p.field] = p
	}
	return out
}

func TestAnswersInWords(t *testing.T) {
	// Nine in the morning: "this morning" is then about an hour or more ago.
	w := words{reader: textread.Default(), at: time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)}
	ps := prompts(t, w)
	for _, tc := range []struct{ field, answer, noted string }{
		{"style", "2", "Deep tissue"},
		{"style", "deep tissue", "Deep tissue"},
		{"style", "deep_tissue", "Deep tissue"},
		{"style", "Swedish / relaxation", "Swedish / relaxation"},
		{"style", "a hot stone massage", "Hot stone"},
		{"style", "relaxation", "Swedish / relaxation"},
		{"pressure", "3", "Firm"},
		{"pressure", "medium", "Medium"},
		{"hours_since", "30", "about 30 hours ago"},
		{"hours_since", "yesterday", "about 24 hours ago"},
		{"hours_since", "2 days ago", "about 48 hours ago"},
		{"hours_since", "3 hours", "about 3 hours ago"},
		{"hours_since", "half an hour ago", "about 0.5 hours ago"},
		{"soreness", "lower back 5, neck 3", "Lower back 5/10, Neck 3/10"},
		{"soreness", "lower_back=4", "Lower back 4/10"},
		{"soreness", "calves: 6/10", "Calves 6/10"},
		{"soreness", "shoulders and neck 4", "Shoulders 4/10, Neck 4/10"},
		{"soreness", "my lower back is a 5", "Lower back 5/10"},
		{"soreness", "quads 4, back of thighs 3", "Front of thighs (quads) 4/10, Back of thighs (hamstrings) 3/10"},
		{"symptoms", "a bit of a headache", "Headache"},
		{"symptoms", "tingling in my hand", "Tingling or pins and needles"},
		{"symptoms", "headache, feeling sick", "Headache, Nausea"},
		{"symptoms", "no numbness", ""},
		{"health", "2, 8", "Bleeding disorder or low platelets, Pregnant"},
		{"health", "1 10", "Takes blood thinners, Diabetes"},
		{"health", "pregnant", "Pregnant"},
		{"health", "on blood thinners", "Takes blood thinners"},
		{"answers.symptom.one_sided_weakness", "yes", "yes"},
		{"answers.symptom.one_sided_weakness", "nope, just sore", "no"},
		{"answers.pain", "7", "7"},
		{"answers.pain", "about a 4", "4"},
		{"answers.hours_since", "yesterday", "24"},
	} {
		t.Run(fmt.Sprintf("%q for %s is read as %q", tc.answer, tc.field, tc.noted), func(t *testing.T) {
			part, err := check(ps[tc.field].parse(tc.answer))
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			if got := noted(part); got != tc.noted {
				t.Errorf("read as %q", got)
			}
		})
	}
	for _, tc := range []struct{ field, answer, errField, says string }{
		{"style", "banana", "style", "allowed: swedish, deep_tissue"},
		{"style", "12", "style", `unknown style "12"`},
		{"pressure", "0", "pressure", "allowed: light, medium, firm, deep"},
		{"hours_since", "banana", "hours_since", `hours_since must be a number, not "banana"`},
		{"hours_since", "-1", "hours_since", "from 0 to 8760"},
		{"hours_since", "9000", "hours_since", "from 0 to 8760"},
		{"soreness", "earlobes 3", "soreness[0].area", `unknown area "earlobes"; allowed: head, jaw`},
		{"soreness", "5", "soreness[0].area", "is empty; allowed: head"},
		{"soreness", "neck 12", "soreness[0].pain", "a whole number from 0 to 10"},
		{"soreness", "neck 5.5", "soreness[0].pain", "a whole number from 0 to 10"},
		{"soreness", "neck 3, neck 4", "soreness[1].area", "given twice"},
		{"symptoms", "purple spots", "symptoms[0]", "allowed: bruising_light"},
		{"health", "14", "health[0]", "allowed: blood_thinners"},
		{"health", "pregnant, vampire", "health[1]", `unknown health "vampire"`},
		{"answers.symptom.one_sided_weakness", "maybe", "answers.symptom.one_sided_weakness", "must be true or false"},
		{"answers.pain", "11", "answers.pain", "a whole number from 0 to 10"},
		{"answers.pain", "dunno", "answers.pain", "a whole number from 0 to 10"},
		{"answers.hours_since", "soon", "answers.hours_since", "a number of hours from 0 to 8760"},
	} {
		t.Run(fmt.Sprintf("%q for %s is refused naming %s", tc.answer, tc.field, tc.errField), func(t *testing.T) {
			_, err := check(ps[tc.field].parse(tc.answer))
			if aftercare.ErrorField(err) != tc.errField || !strings.Contains(aftercare.ErrorMessage(err), tc.says) {
				t.Errorf("error %v; want one naming %s that says %q", err, tc.errField, tc.says)
			}
		})
	}
	t.Run("an area named without a score is set aside to be asked its pain", func(t *testing.T) {
		scored, unscored := w.soreness("lower back, neck 3")
		if len(scored) != 1 || scored[0]["area"] != "neck" || len(unscored) != 1 || unscored[0] != "lower_back" {
			t.Errorf("scored %v, unscored %v", scored, unscored)
		}
	})
	for _, answer := range []string{"no", "None", "nothing."} {
		t.Run(fmt.Sprintf("%q where it hurts or what else is noticed says nothing", answer), func(t *testing.T) {
			for _, field := range []string{"soreness", "symptoms", "health"} {
				if fields := ps[field].parse(answer); fields != nil {
					t.Errorf("%s: %v", field, fields)
				}
			}
		})
	}
}

func TestOneErrorPrefix(t *testing.T) {
	for _, tc := range []struct {
		name, stdin string
		args        []string
		says        string
	}{
		{"a bad --hours", "", []string{"assess", "--hours", "soon", "--symptom", "headache"}, "hours_since: --hours must be a number"},
		{"an unknown code in a request read from a pipe", `{"style":"shiatsu","symptoms":["headache"]}`, []string{"assess"}, `style: unknown style "shiatsu"`},
		{"nothing to assess", `{}`, []string{"assess"}, "request: nothing to assess"},
	} {
		t.Run(tc.name+" is said once, after one prefix", func(t *testing.T) {
			code, _, errOut := call(t, tc.stdin, tc.args...)
			if code != 2 || !strings.HasPrefix(errOut, "aftercare: "+tc.says) || strings.Count(errOut, "aftercare:") != 1 {
				t.Errorf("exit %d, standard error %q; want 2 and one line starting %q", code, errOut, "aftercare: "+tc.says)
			}
		})
	}
	t.Run("an application error that reaches main is said once, after one prefix", func(t *testing.T) {
		var errOut strings.Builder
		err := fmt.Errorf("loading: %w", aftercare.Errorf(aftercare.EINVALID, "style", "unknown style"))
		if code := exitCode(err, &errOut); code != 1 || errOut.String() != "aftercare: loading: style: unknown style\n" {
			t.Errorf("exit %d, standard error %q", code, errOut.String())
		}
	})
}

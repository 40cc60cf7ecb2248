package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"aftercare"
)

// prompt is one question of the terminal questionnaire.
type prompt struct {
	// field is the request field the answer fills.
	field string
	// text is the question.
	text string
	// choices are listed, numbered, under the question; nil for none.
	choices *aftercare.Vocabulary
	// help says how to answer: it is shown with the question, and again
	// after an answer that was not taken.
	help string
	// required refuses an empty answer; otherwise Enter skips the question.
	required bool
	// parse turns the answer into request fields. Words it cannot place are
	// kept as typed, so that the request's validation refuses them with the
	// field and what is allowed. nil means the answer says "nothing".
	parse func(line string) map[string]any
	// complete asks what a checked answer left open (the pain of an area
	// named without one); the answer is then checked again. nil for none.
	complete func(c *conversation, fields map[string]any) error
}

// errEnded is returned by ask when the input ends (Ctrl-D at a terminal).
var errEnded = errors.New("input ended")

// conversation asks prompts on a terminal, one line per answer.
type conversation struct {
	ctx   context.Context
	in    io.Reader
	out   io.Writer
	lines <-chan string // started on the first question
	words words
}

// line returns the next line typed, errEnded at the end of the input, or the
// context's error when the command is stopped (Ctrl-C) while it waits.
func (c *conversation) line() (string, error) {
	if c.lines == nil {
		ch := make(chan string)
		c.lines = ch
		go func() {
			defer close(ch)
			r := bufio.NewReader(c.in)
			for {
				s, err := r.ReadString('\n')
				if s != "" {
					select {
					case ch <- strings.TrimRight(s, "\r\n"):
					case <-c.ctx.Done():
						return
					}
				}
				if err != nil {
					return
				}
			}
		}()
	}
	select {
	case s, ok := <-c.lines:
		if !ok {
			return "", errEnded
		}
		return s, nil
	case <-c.ctx.Done():
		return "", c.ctx.Err()
	}
}

// ask asks p until it gets an answer that the request's validation takes,
// and returns the answer's fields and the request they make on their own.
// An empty answer to a question that is not required returns nil fields.
// A refused answer is followed by the reason and the help, and the same
// question again; nothing answered before is touched.
func (c *conversation) ask(p prompt) (map[string]any, aftercare.Request, error) {
	for {
		fmt.Fprintf(c.out, "\n%s\n", p.text)
		if p.choices != nil {
			fmt.Fprint(c.out, numbered(p.choices))
		}
		fmt.Fprintf(c.out, "  (%s)\n> ", p.help)
		line, err := c.line()
		if err != nil {
			fmt.Fprintln(c.out)
			return nil, aftercare.Request{}, err
		}
		line = strings.TrimSpace(line)
		if line == "" && !p.required {
			return nil, aftercare.Request{}, nil
		}
		var fields map[string]any
		if line != "" {
			fields = p.parse(line)
		}
		if fields == nil {
			if !p.required {
				return nil, aftercare.Request{}, nil
			}
			fmt.Fprintln(c.out, "  An answer is needed here.")
			continue
		}
		part, err := check(fields)
		if err == nil && p.complete != nil {
			if err := p.complete(c, fields); err != nil {
				return nil, aftercare.Request{}, err
			}
			part, err = check(fields)
		}
		if err != nil {
			fmt.Fprintf(c.out, "  Not taken: %s\n", aftercare.ErrorMessage(err))
			continue
		}
		return fields, part, nil
	}
}

// check validates an answer's fields as a request of their own, with the one
// decoder every request goes through. A request must say something to
// assess, so an answer without text is checked with a word of text beside it.
func check(fields map[string]any) (aftercare.Request, error) {
	probe := fields
	if _, ok := fields["text"]; !ok {
		probe = map[string]any{"text": "-"}
		for k, v := range fields {
			probe[k] = v
		}
	}
	data, err := json.Marshal(probe)
	if err != nil {
		return aftercare.Request{}, aftercare.Errorf(aftercare.EINVALID, "request", "the answer cannot be read: %v", err)
	}
	r, err := aftercare.DecodeRequest(data)
	if _, ok := fields["text"]; !ok {
		r.Text = ""
	}
	return r, err
}

// numbered lists a vocabulary's labels with their numbers, three to a line.
func numbered(v *aftercare.Vocabulary) string {
	var b strings.Builder
	for i, c := range v.Codes() {
		item := fmt.Sprintf("%2d) %s", i+1, c.Label)
		if i%3 == 2 || i == len(v.Codes())-1 {
			fmt.Fprintf(&b, "  %s\n", item)
		} else {
			fmt.Fprintf(&b, "  %-30s", item)
		}
	}
	return b.String()
}

// merge adds an answer's fields to those given so far: text is added to the
// text, answers to the answers, and any other field is set.
func merge(all, fields map[string]any) {
	for k, v := range fields {
		switch old, ok := all[k]; {
		case !ok:
			all[k] = v
		case k == "text":
			all[k] = old.(string) + ". " + v.(string)
		case k == "answers":
			for id, a := range v.(map[string]any) {
				old.(map[string]any)[id] = a
			}
		default:
			all[k] = v
		}
	}
}

// noted says what an accepted answer was read as, in words.
func noted(r aftercare.Request) string {
	var said []string
	if r.Style != "" {
		said = append(said, aftercare.Styles.Label(r.Style))
	}
	if r.Pressure != "" {
		said = append(said, aftercare.Pressures.Label(r.Pressure))
	}
	if r.HoursSince != nil {
		said = append(said, "about "+strconv.FormatFloat(*r.HoursSince, 'f', -1, 64)+" hours ago")
	}
	for _, s := range r.Soreness {
		said = append(said, fmt.Sprintf("%s %d/10", aftercare.Areas.Label(s.Area), s.Pain))
	}
	for _, s := range r.Symptoms {
		said = append(said, aftercare.Symptoms.Label(s))
	}
	for _, h := range r.Health {
		said = append(said, aftercare.Health.Label(h))
	}
	for _, id := range slices.Sorted(maps.Keys(r.Answers)) {
		a := r.Answers[id]
		if yes, ok := a.YesNo(); ok && yes {
			said = append(said, "yes")
		} else if ok {
			said = append(said, "no")
		} else {
			said = append(said, a.String())
		}
	}
	return strings.Join(said, ", ")
}

// questionnaire is the terminal questionnaire, in the order it is asked.
func questionnaire(w words) []prompt {
	one := func(v *aftercare.Vocabulary) func(string) map[string]any {
		return func(line string) map[string]any { return map[string]any{v.Name: w.code(v, line)} }
	}
	return []prompt{
		{field: "style", text: "What kind of massage was it?", choices: aftercare.Styles,
			help: "the number, or the name; Enter to skip", parse: one(aftercare.Styles)},
		{field: "pressure", text: "How firm was the pressure?", choices: aftercare.Pressures,
			help: "the number, or the word; Enter to skip", parse: one(aftercare.Pressures)},
		{field: "hours_since", text: "How long ago did the massage end?",
			help:  fmt.Sprintf(`hours from 0 to %d, or in words: "3 hours", "yesterday", "this morning", "2 days ago"; Enter to skip`, aftercare.MaxHours),
			parse: func(line string) map[string]any { return map[string]any{"hours_since": w.hours(line)} }},
		sorenessPrompt(w),
		{field: "symptoms", text: "Anything else you notice, such as a headache, tingling or swelling?",
			help: `in your own words, e.g. "a bit of a headache", "tingling in my hand"; Enter for nothing`,
			parse: func(line string) map[string]any {
				if none(line) {
					return nil
				}
				// The words are kept as text too: what else they say
				// (where, since when, how much) is read with them.
				return map[string]any{"symptoms": w.symptoms(line), "text": line}
			}},
		{field: "health", text: "Do any of these apply to you?", choices: aftercare.Health,
			help: `the numbers or the words, e.g. "2, 8" or "pregnant"; Enter for none`,
			parse: func(line string) map[string]any {
				if none(line) {
					return nil
				}
				return map[string]any{"health": w.codes(aftercare.Health, line)}
			}},
		textPrompt(false),
	}
}

// textPrompt asks for anything else in the person's own words.
func textPrompt(required bool) prompt {
	p := prompt{field: "text", text: "Anything else, in your own words?", help: "Enter to finish",
		parse: func(line string) map[string]any { return map[string]any{"text": line} }}
	if required {
		p.text, p.help, p.required = "How do you feel, in your own words?", `e.g. "my calves ache since yesterday, about a 4"`, true
	}
	return p
}

// sorenessPrompt asks where it hurts and how much; an area named without a
// score ("lower back") is then asked its pain. An area whose pain is not
// given is kept in the words, so that it is not lost.
func sorenessPrompt(w words) prompt {
	var unscored []string // the areas of the last answer named without a score
	return prompt{field: "soreness", text: "Where does it hurt, and how much from 0 (no pain) to 10 (the worst)?",
		help: `each place with its number, e.g. "lower back 5, neck 3"; Enter if nowhere`,
		parse: func(line string) map[string]any {
			if none(line) {
				return nil
			}
			var scored []map[string]any
			scored, unscored = w.soreness(line)
			return map[string]any{"soreness": scored}
		},
		complete: func(c *conversation, fields map[string]any) error {
			for _, area := range unscored {
				label := strings.ToLower(aftercare.Areas.Label(area))
				ans, _, err := c.ask(prompt{field: "soreness",
					text: fmt.Sprintf("How much does it hurt in your %s, from 0 (no pain) to 10 (the worst)?", label),
					help: `a number, or in words: "mild", "quite bad"; Enter to skip`,
					parse: func(line string) map[string]any {
						return map[string]any{"soreness": []map[string]any{{"area": area, "pain": w.pain(line)}}}
					},
				})
				if err != nil {
					return err
				}
				if ans == nil {
					merge(fields, map[string]any{"text": "my " + label + " hurts"})
					continue
				}
				fields["soreness"] = append(fields["soreness"].([]map[string]any), ans["soreness"].([]map[string]any)...)
			}
			return nil
		},
	}
}

// interview asks the questionnaire and returns the request it makes. When
// the input ends early, the answers given so far are graded if they say
// something to assess; errEnded is returned otherwise.
func interview(c *conversation) (aftercare.Request, error) {
	fmt.Fprintln(c.out, "Sore after a massage? A few questions; press Enter to skip one.")
	all := map[string]any{}
	for _, p := range questionnaire(c.words) {
		fields, part, err := c.ask(p)
		if errors.Is(err, errEnded) {
			if req, err := decodeFields(all); err == nil {
				fmt.Fprintln(c.out, "The input ended: the answers given so far are graded.")
				return req, nil
			}
		}
		if err != nil {
			return aftercare.Request{}, err
		}
		if fields == nil {
			continue
		}
		merge(all, fields)
		if s := noted(part); s != "" {
			fmt.Fprintf(c.out, "  Noted: %s\n", s)
		}
	}
	for {
		req, err := decodeFields(all)
		if aftercare.ErrorField(err) != "request" {
			return req, err
		}
		// The answers say nothing to assess: the words are needed.
		fmt.Fprintf(c.out, "\nThere is nothing to grade yet: %s.\n", aftercare.ErrorMessage(err))
		fields, _, err := c.ask(textPrompt(true))
		if err != nil {
			return aftercare.Request{}, err
		}
		merge(all, fields)
	}
}

// decodeFields makes the request of the answers given, with the one decoder.
func decodeFields(all map[string]any) (aftercare.Request, error) {
	data, err := json.Marshal(all)
	if err != nil {
		return aftercare.Request{}, err
	}
	return aftercare.DecodeRequest(data)
}

// askQuestions asks the questions of an answer (SPEC: "When the reading is
// unsure") as yes or no, a pain score or a time, each checked as it is given.
// When the input ends, the answers given so far are returned with errEnded.
func askQuestions(c *conversation, qs []aftercare.Question) (map[string]aftercare.Answer, error) {
	out := map[string]aftercare.Answer{}
	fmt.Fprintln(c.out, "\nA few questions would settle it (press Enter to skip one).")
	for _, q := range qs {
		p := questionPrompt(c.words, q)
		fields, part, err := c.ask(p)
		if err != nil {
			return out, err
		}
		if fields != nil {
			out[q.ID] = part.Answers[q.ID]
		}
	}
	fmt.Fprintln(c.out)
	return out, nil
}

// questionPrompt is the prompt of one of the engine's questions: yes or no,
// a pain score, or a time, in numbers or in words.
func questionPrompt(w words, q aftercare.Question) prompt {
	p := prompt{field: "answers." + q.ID, text: q.Text}
	value := yesNo
	switch q.Kind {
	case aftercare.KindYesNo:
		p.help = "yes or no; Enter to skip"
	case aftercare.KindHours:
		p.help, value = `hours, or in words: "yesterday", "this morning"; Enter to skip`, w.hours
	default:
		p.help, value = `a number from 0 to 10, or in words: "mild", "quite bad"; Enter to skip`, w.pain
	}
	p.parse = func(line string) map[string]any {
		return map[string]any{"answers": map[string]any{q.ID: value(line)}}
	}
	return p
}

package e2e_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// pdfPage matches a page object of a PDF, and not its page tree (/Pages).
var pdfPage = regexp.MustCompile(`/Type\s*/Page\b[^s]`)

// printPDF prints the page shown to a PDF on paper of the size given, in inches.
func (tb *tab) printPDF(width, height float64) []byte {
	tb.t.Helper()
	pdf, err := chromedp.Run(tb.ctx, chromedp.Action[[]byte](func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		res, err := cdp.Call(ctx, t, page.PrintToPDF, page.PrintToPDFParams{PaperWidth: width, PaperHeight: height})
		if err != nil {
			return nil, err
		}
		return res.Data, nil
	}))
	if err != nil {
		tb.t.Fatalf("printing to PDF: %v", err)
	}
	return pdf
}

// postForm sends a form of these fields from the page shown, as a browser
// does, and waits for the answer.
func (tb *tab) postForm(action string, fields [][2]string) {
	tb.t.Helper()
	var js strings.Builder
	fmt.Fprintf(&js, `(() => { const f = document.createElement("form"); f.method = "post"; f.action = %q;`, action)
	for _, kv := range fields {
		fmt.Fprintf(&js, `{ const i = document.createElement("input"); i.type = "hidden"; i.name = %q; i.value = %q; f.appendChild(i); }`, kv[0], kv[1])
	}
	js.WriteString(`const b = document.createElement("button"); b.type = "submit"; b.id = "send-made-form"; f.appendChild(b); document.body.appendChild(f); return true; })()`)
	eval[bool](tb, js.String())
	if r := tb.submit("#send-made-form"); r.Status != 200 {
		tb.t.Fatalf("status %d", r.Status)
	}
}

// longWords is a long message, as some clients write.
var longWords = strings.Repeat("My lower back and both calves ache after the deep tissue work, worse on the stairs this morning, and my neck is stiff when I turn to the left. ", 4)

func TestTheAftercareSheetPrintsOnOneOrTwoPages(t *testing.T) {
	a := startApp(t)
	tb := a.open(t, chromedp.WithNewBrowserContext())
	tests := []struct {
		name   string
		fields [][2]string
		// entered and sections are what the printed sheet must show.
		entered, sections []string
	}{
		{"a long answer of expected soreness", [][2]string{
			{"style", "deep_tissue"}, {"pressure", "firm"}, {"hours_since", "30"},
			{"areas_worked", "neck"}, {"areas_worked", "shoulders"}, {"areas_worked", "upper_back"}, {"areas_worked", "lower_back"},
			{"areas_worked", "glutes"}, {"areas_worked", "hamstrings"}, {"areas_worked", "calves"}, {"areas_worked", "quads"},
			{"pain_neck", "4"}, {"pain_shoulders", "5"}, {"pain_upper_back", "3"}, {"pain_lower_back", "6"},
			{"pain_glutes", "4"}, {"pain_hamstrings", "5"}, {"pain_calves", "6"}, {"pain_quads", "3"},
			{"symptoms", "bruising_light"}, {"symptoms", "stiffness"}, {"symptoms", "fatigue"}, {"symptoms", "headache"},
			{"health", "varicose_veins"}, {"text", longWords}, {"asked", "1"},
		}, []string{"Massage", "Areas worked", "Since the massage", "Pain now", "Symptoms", "Health", "In your words"}, []string{"Get help if you notice", "Why we say this", "What helps"}},
		{"a long answer that asks for advice", [][2]string{
			{"style", "sports"}, {"pressure", "deep"}, {"hours_since", "80"},
			{"pain_lower_back", "7"}, {"pain_calves", "6"}, {"pain_hamstrings", "6"}, {"pain_shoulders", "5"},
			{"symptoms", "bruising_dark"}, {"symptoms", "stiffness"}, {"symptoms", "pain_on_movement"},
			{"text", longWords}, {"asked", "1"},
		}, []string{"Massage", "Since the massage", "Pain now", "Symptoms", "In your words"}, []string{"Get help if you notice", "What helps"}},
		{"an answer that sends the client for care today", [][2]string{
			{"style", "deep_tissue"}, {"pressure", "deep"}, {"hours_since", "20"},
			{"pain_calves", "7"}, {"pain_lower_back", "5"}, {"symptoms", "calf_swelling"}, {"symptoms", "warmth_redness"},
			{"text", longWords}, {"asked", "1"},
		}, []string{"Massage", "Since the massage", "Pain now", "Symptoms", "In your words"}, []string{"What to do now"}},
	}
	for _, tt := range tests {
		t.Run(tt.name+" fits one or two pages, with who it is from and what was entered", func(t *testing.T) {
			tb.t = t
			tb.visit("/")
			tb.postForm("/check", tt.fields)
			level := tb.attr("[data-level].answer", "data-level")
			for _, paper := range []struct {
				name          string
				width, height float64
			}{{"A4", 8.27, 11.69}, {"Letter", 8.5, 11}} {
				pdf := tb.printPDF(paper.width, paper.height)
				n := len(pdfPage.FindAll(pdf, -1))
				if n < 1 || n > 2 {
					t.Errorf("%s (%s): prints on %d %s pages, want 1 or 2", tt.name, level, n, paper.name)
				}
			}
			setMedia(tb, "print")
			defer setMedia(tb, "")
			type printed struct {
				From     string   `json:"from"`
				Entered  []string `json:"entered"`
				Visible  []string `json:"visible"`
				Sections []string `json:"sections"`
			}
			shown := eval[printed](tb, `(() => {
				const seen = e => !!e && getComputedStyle(e).display !== "none" && e.getClientRects().length > 0;
				return {
					from: seen(document.querySelector(".sheet-from")) ? document.querySelector(".sheet-from").textContent : "",
					entered: seen(document.querySelector("[data-entered]")) ? [...document.querySelectorAll("[data-entered] dt")].map(e => e.textContent) : [],
					visible: [...document.querySelectorAll("nav, button, header.site, .stepper, input, select, textarea")].filter(seen).map(e => e.outerHTML.slice(0, 80)),
					sections: [...document.querySelectorAll(".answer h1, .answer h2")].filter(seen).map(e => e.textContent),
				};
			})()`)
			if shown.From != "Aftercare" {
				t.Errorf("the sheet's top says %q", shown.From)
			}
			for _, want := range tt.entered {
				if !strings.Contains(strings.Join(shown.Entered, "|"), want) {
					t.Errorf("the printed summary lacks %s: %v", want, shown.Entered)
				}
			}
			if len(shown.Visible) > 0 {
				t.Errorf("the printed sheet shows controls: %v", shown.Visible)
			}
			for _, want := range tt.sections {
				if !strings.Contains(strings.Join(shown.Sections, "|"), want) {
					t.Errorf("the printed sheet lacks %q: %v", want, shown.Sections)
				}
			}
			if len(shown.Sections) == 0 || shown.Sections[0] == "" {
				t.Error("the printed sheet does not say the level")
			}
		})
	}
}

// setMedia emulates a CSS media type ("print"), or none.
func setMedia(tb *tab, m string) {
	tb.t.Helper()
	tb.do(chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: m})
		return err
	}))
}

package web

import (
	"regexp"
	"strings"
	"testing"
	"unicode"
)

func TestCompactCSS(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"the spaces around braces, semicolons and commas go",
			".a, .b {\n  color: red; margin: 0 auto;\n}\n", ".a,.b{color:red;margin:0 auto;}"},
		{"a comment goes", "/* the banner */\n.x { top: 0; } /* end */", ".x{top:0;}"},
		{"the space of a descendant before a colon stays", ".a :focus-visible { outline: none; }", ".a :focus-visible{outline:none;}"},
		{"a child combinator loses its spaces", "header > nav { gap: 1rem; }", "header>nav{gap:1rem;}"},
		{"a quoted string is kept as written", `h3::before { content: counter(n) ";  /* , */ "; }`, `h3::before{content:counter(n) ";  /* , */ ";}`},
		{"a media query keeps the spaces between its words", "@media print and (min-width: 30rem) {\n  .a { top: calc(1rem + 2px); }\n}", "@media print and (min-width:30rem){.a{top:calc(1rem + 2px);}}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := compactCSS(tt.in); got != tt.want {
				t.Errorf("compactCSS(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

// dense is a text without its comments and white space.
func dense(s string) string {
	s = regexp.MustCompile(`(?s)/\*.*?\*/`).ReplaceAllString(s, "")
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

func TestTheStaticFilesServedSayWhatTheSourceSays(t *testing.T) {
	for _, name := range []string{"style.css", "app.js"} {
		t.Run(name+" loses only comments and white space, and is lighter", func(t *testing.T) {
			src, err := staticFS.ReadFile("static/" + name)
			if err != nil {
				t.Fatal(err)
			}
			served := string(staticFiles[name])
			if dense(served) != dense(string(src)) {
				t.Errorf("the served %s differs from its source beyond comments and white space", name)
			}
			if len(served) >= len(src) {
				t.Errorf("the served %s weighs %d bytes, its source %d", name, len(served), len(src))
			}
		})
	}
	t.Run("the script keeps its lines, so that a line with no semicolon still ends", func(t *testing.T) {
		src, _ := staticFS.ReadFile("static/app.js")
		var want []string
		for line := range strings.Lines(string(src)) {
			if l := strings.TrimSpace(line); l != "" && !(strings.HasPrefix(l, "/*") && strings.HasSuffix(l, "*/")) {
				want = append(want, l)
			}
		}
		if got := strings.Split(strings.TrimSuffix(string(staticFiles["app.js"]), "\n"), "\n"); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("the served script has %d lines, want %d", len(got), len(want))
		}
	})
	t.Run("the icon is served as it is", func(t *testing.T) {
		src, _ := staticFS.ReadFile("static/icon.svg")
		if string(staticFiles["icon.svg"]) != string(src) {
			t.Error("icon.svg changed")
		}
	})
}

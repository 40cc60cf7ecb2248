package web

import (
	"bytes"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

// staticFiles are the files of static/ as they are served: the style sheet
// without its comments and the spaces it can do without, the script without
// its indentation and its lines of comment only, the others as they are. The
// files in the source stay laid out for reading; every page loads these.
var staticFiles = func() map[string][]byte {
	out := map[string][]byte{}
	_ = fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		b, _ := staticFS.ReadFile(p)
		switch path.Ext(p) {
		case ".css":
			b = []byte(compactCSS(string(b)))
		case ".js":
			b = []byte(compactJS(string(b)))
		}
		out[path.Base(p)] = b
		return nil
	})
	return out
}()

// serveStatic answers GET /static/{file}.
func serveStatic(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	b, ok := staticFiles[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(b))
}

// compactCSS drops a style sheet's comments and the white space that
// parts nothing: around { } ; , and >, and after a colon. Quoted strings are
// kept as they are; any other run of white space becomes one space.
func compactCSS(src string) string {
	var b strings.Builder
	b.Grow(len(src))
	tight := func(c byte) bool { return strings.IndexByte("{};,>", c) >= 0 }
	last := byte(0) // the last byte written, 0 at the start
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '"' || c == '\'':
			j := i + 1
			for j < len(src) && src[j] != c {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			j = min(j+1, len(src))
			b.WriteString(src[i:j])
			last, i = src[j-1], j
		case strings.HasPrefix(src[i:], "/*"):
			end := strings.Index(src[i+2:], "*/")
			if end < 0 {
				return b.String()
			}
			i += 2 + end + 2
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			j := i
			for j < len(src) && strings.IndexByte(" \t\n\r", src[j]) >= 0 {
				j++
			}
			if last != 0 && !tight(last) && last != ':' && j < len(src) && !tight(src[j]) && !strings.HasPrefix(src[j:], "/*") {
				b.WriteByte(' ')
				last = ' '
			}
			i = j
		default:
			b.WriteByte(c)
			last, i = c, i+1
		}
	}
	return b.String()
}

// compactJS drops a script's indentation, its empty lines and its lines
// that are a comment alone. It relies on the script having no string or
// template that runs over lines.
func compactJS(src string) string {
	var b strings.Builder
	b.Grow(len(src))
	for line := range strings.Lines(src) {
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "/*") && strings.HasSuffix(t, "*/") && strings.Count(t, "*/") == 1 {
			continue
		}
		b.WriteString(t)
		b.WriteByte('\n')
	}
	return b.String()
}

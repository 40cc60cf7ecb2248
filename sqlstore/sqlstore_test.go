package sqlstore

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestRebind(t *testing.T) {
	tests := []struct {
		name     string
		numbered bool
		query    string
		want     string
	}{
		{"placeholders are numbered in order", true, `SELECT 1 FROM t WHERE a = ? AND b = ?`, `SELECT 1 FROM t WHERE a = $1 AND b = $2`},
		{"a question mark inside a quoted literal is kept", true, `SELECT '?' || x FROM t WHERE a = ?`, `SELECT '?' || x FROM t WHERE a = $1`},
		{"a doubled quote inside a literal keeps it quoted", true, `SELECT 'it''s ?' FROM t WHERE a = ?`, `SELECT 'it''s ?' FROM t WHERE a = $1`},
		{"more than nine placeholders take two digits", true, strings.Repeat("?,", 10) + "?", "$1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11"},
		{"a dialect of question marks keeps the query as it is", false, `SELECT ? FROM t`, `SELECT ? FROM t`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := &Dialect{Numbered: tt.numbered}
			for range 2 { // the second answer comes from the cache
				if got := d.Rebind(tt.query); got != tt.want {
					t.Fatalf("Rebind(%q) = %q, want %q", tt.query, got, tt.want)
				}
			}
		})
	}
}

// FuzzRebind checks that every ? outside a literal becomes one numbered
// placeholder and that nothing else changes.
func FuzzRebind(f *testing.F) {
	for _, q := range []string{`SELECT ? FROM t WHERE a = '?'`, `'unclosed ?`, `??`, `$1 ?`, ``} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, query string) {
		got := (&Dialect{Numbered: true}).Rebind(query)
		outside := 0
		quoted := false
		for _, c := range []byte(query) {
			switch {
			case c == '\'':
				quoted = !quoted
			case c == '?' && !quoted:
				outside++
			}
		}
		if n := strings.Count(query, "?") - outside; strings.Count(got, "?") != n {
			t.Fatalf("Rebind(%q) = %q: %d question marks left, want the %d inside literals", query, got, strings.Count(got, "?"), n)
		}
		for i := 1; i <= outside; i++ {
			if !strings.Contains(got, "$"+strconv.Itoa(i)) {
				t.Fatalf("Rebind(%q) = %q: no $%d", query, got, i)
			}
		}
		if len(got) < len(query)+outside {
			t.Fatalf("Rebind(%q) = %q is shorter than the query with its numbers", query, got)
		}
	})
}

func TestTimeColumn(t *testing.T) {
	want := time.Date(2026, 3, 1, 9, 30, 0, 123456000, time.UTC)
	tests := []struct {
		name string
		src  any
		ok   bool
	}{
		{"SQLite's text is read", "2026-03-01T09:30:00.123456Z", true},
		{"SQLite's text as bytes is read", []byte("2026-03-01T09:30:00.123456Z"), true},
		{"a timestamp in another zone is read in UTC", want.In(time.FixedZone("CET", 3600)), true},
		{"text in another layout is refused", "2026-03-01 09:30:00", false},
		{"a number is refused", int64(1), false},
		{"NULL is refused", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got time.Time
			err := Time(&got).Scan(tt.src)
			if (err == nil) != tt.ok {
				t.Fatalf("Scan(%v) error %v, want ok %v", tt.src, err, tt.ok)
			}
			if tt.ok && (!got.Equal(want) || got.Location() != time.UTC) {
				t.Errorf("Scan(%v) = %v, want %v in UTC", tt.src, got, want)
			}
		})
	}
	t.Run("NULL leaves a nullable time nil", func(t *testing.T) {
		got := &want
		if err := NullTime(&got).Scan(nil); err != nil || got != nil {
			t.Errorf("Scan(nil) = %v, %v; want nil, no error", got, err)
		}
	})
}

func TestJSONColumn(t *testing.T) {
	tests := []struct {
		name string
		src  any
		ok   bool
	}{
		{"text is decoded", `["neck","back"]`, true},
		{"bytes are decoded", []byte(`["neck","back"]`), true},
		{"bad JSON is refused", `["neck"`, false},
		{"NULL is refused", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			err := JSON(&got).Scan(tt.src)
			if (err == nil) != tt.ok {
				t.Fatalf("Scan(%v) error %v, want ok %v", tt.src, err, tt.ok)
			}
			if tt.ok && strings.Join(got, ",") != "neck,back" {
				t.Errorf("Scan(%v) = %q", tt.src, got)
			}
		})
	}
}

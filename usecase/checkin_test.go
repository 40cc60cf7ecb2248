package usecase

import (
	"strings"
	"testing"
	"time"

	"aftercare"
)

func ptr[T any](v T) *T { return &v }

func TestHoursSince(t *testing.T) {
	end := time.Date(2026, 5, 4, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		now  time.Time
		want float64
	}{
		{"a day and a half later is 36 hours", end.Add(36 * time.Hour), 36},
		{"minutes are rounded to a tenth of an hour", end.Add(90*time.Minute + 2*time.Minute), 1.5},
		{"a session that ends in the future is 0 hours ago", end.Add(-time.Hour), 0},
		{"two years later is capped at a year", end.AddDate(2, 0, 0), aftercare.MaxHours},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := HoursSince(&aftercare.Session{EndedAt: end}, tt.now); got != tt.want {
				t.Errorf("HoursSince = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestWorstPain(t *testing.T) {
	tests := []struct {
		name string
		c    aftercare.CheckIn
		pain int
		ok   bool
	}{
		{"no pain given", aftercare.CheckIn{}, 0, false},
		{"the highest soreness", aftercare.CheckIn{Request: aftercare.Request{Soreness: []aftercare.Soreness{{Area: "neck", Pain: 2}, {Area: "calves", Pain: 6}}}}, 6, true},
		{"a pain read from the text", aftercare.CheckIn{Assessment: aftercare.Response{Findings: []aftercare.Finding{{Type: "pain", Value: ptr(7.0)}}}}, 7, true},
		{"a negated pain does not count", aftercare.CheckIn{Assessment: aftercare.Response{Findings: []aftercare.Finding{{Type: "pain", Value: ptr(7.0), Negated: true}}}}, 0, false},
		{"a zero soreness counts", aftercare.CheckIn{Request: aftercare.Request{Soreness: []aftercare.Soreness{{Area: "neck", Pain: 0}}}}, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pain, ok := WorstPain(&tt.c)
			if pain != tt.pain || ok != tt.ok {
				t.Errorf("WorstPain = %d, %v; want %d, %v", pain, ok, tt.pain, tt.ok)
			}
		})
	}
}

func TestPrepare(t *testing.T) {
	end := time.Date(2026, 5, 4, 12, 0, 0, 0, time.UTC)
	sore := func(h float64, pain int) aftercare.CheckIn {
		return aftercare.CheckIn{HoursSince: h, Request: aftercare.Request{Soreness: []aftercare.Soreness{{Area: "neck", Pain: pain}}}}
	}
	sess := &aftercare.Session{
		Style: "deep_tissue", Pressure: "firm", AreasWorked: []string{"neck"}, EndedAt: end,
		CheckIns: []aftercare.CheckIn{sore(48, 3), sore(24, 5), {HoursSince: 30, Request: aftercare.Request{Text: "fine"}}, sore(80, 1)},
	}
	now := end.Add(60 * time.Hour)
	t.Run("an empty request is completed from the session", func(t *testing.T) {
		got, err := Prepare(sess, aftercare.Request{Text: "sore neck"}, now)
		if err != nil {
			t.Fatal(err)
		}
		if got.Style != "deep_tissue" || got.Pressure != "firm" || len(got.AreasWorked) != 1 || *got.HoursSince != 60 {
			t.Errorf("request %+v", got)
		}
		if len(got.History) != 2 || *got.History[0].HoursSince != 24 || got.History[0].Pain != 5 || *got.History[1].HoursSince != 48 {
			t.Errorf("history %+v: want 24 h and 48 h, oldest first, without the check-in with no pain or the later one", got.History)
		}
	})
	t.Run("what the request says wins", func(t *testing.T) {
		req := aftercare.Request{Style: "swedish", Pressure: "light", AreasWorked: []string{"feet"}, HoursSince: ptr(50.0),
			History: []aftercare.HistoryPoint{{HoursSince: ptr(10.0), Pain: 1}}, Text: "sore feet"}
		got, err := Prepare(sess, req, now)
		if err != nil {
			t.Fatal(err)
		}
		if got.Style != "swedish" || got.Pressure != "light" || got.AreasWorked[0] != "feet" || *got.HoursSince != 50 || len(got.History) != 1 {
			t.Errorf("request %+v", got)
		}
	})
	t.Run("the session's areas are copied, not shared", func(t *testing.T) {
		got, _ := Prepare(sess, aftercare.Request{Text: "sore"}, now)
		got.AreasWorked[0] = "feet"
		if sess.AreasWorked[0] != "neck" {
			t.Error("the session's areas changed")
		}
	})
	t.Run("a request with nothing to assess is still refused", func(t *testing.T) {
		if _, err := Prepare(sess, aftercare.Request{}, now); aftercare.ErrorCode(err) != aftercare.EINVALID {
			t.Errorf("err %v", err)
		}
	})
}

func TestParseToken(t *testing.T) {
	good := TokenPrefix + strings.Repeat("A", 43)
	tests := []struct {
		name, token string
		ok          bool
	}{
		{"a link token of the service's shape is read", good, true},
		{"a token with - and _ is read", TokenPrefix + strings.Repeat("-_", 21) + "a", true},
		{"a token one character short is refused", good[:len(good)-1], false},
		{"a token one character long is refused", good + "A", false},
		{"an API token is refused", "act_" + strings.Repeat("A", 43), false},
		{"a token with a slash is refused", TokenPrefix + strings.Repeat("A", 42) + "/", false},
		{"a token with padding is refused", TokenPrefix + strings.Repeat("A", 42) + "=", false},
		{"an empty token is refused", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ParseToken(tt.token)
			if (err == nil) != tt.ok {
				t.Fatalf("ParseToken(%q) = %v", tt.token, err)
			}
			if err != nil && !IsNotFound(err) {
				t.Errorf("the error %v is not ENOTFOUND", err)
			}
		})
	}
}

// FuzzParseToken reads any link token: no panic, and only text of the shape
// aftercare.NewSecret makes is admitted.
func FuzzParseToken(f *testing.F) {
	for _, seed := range []string{TokenPrefix + strings.Repeat("A", 43), "c_", "c_" + strings.Repeat("é", 21) + "a", "act_x", "", "c_%2F"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, token string) {
		err := ParseToken(token)
		shaped := len(token) == len(TokenPrefix)+43 && strings.HasPrefix(token, TokenPrefix) &&
			strings.Trim(token[len(TokenPrefix):], "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == ""
		if (err == nil) != shaped {
			t.Fatalf("ParseToken(%q) = %v; shaped %v", token, err, shaped)
		}
	})
}

func TestLinkActor(t *testing.T) {
	if got := LinkActor(7); got != "link:session/7" {
		t.Errorf("LinkActor(7) = %q", got)
	}
}

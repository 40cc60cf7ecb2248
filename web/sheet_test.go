package web_test

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"aftercare"
)

var (
	sheetFrom = regexp.MustCompile(`<p class="sheet-from">([^<]*)</p>`)
	enteredDL = regexp.MustCompile(`(?s)<section class="print-only block sheet-summary"[^>]*>.*?<dl>(.*?)</dl>`)
)

// enteredOf returns the printed summary of a page's answer, "Label: value" per line.
func enteredOf(body string) []string {
	m := enteredDL.FindStringSubmatch(body)
	if m == nil {
		return nil
	}
	var out []string
	for _, kv := range regexp.MustCompile(`<dt>([^<]*)</dt><dd>([^<]*)</dd>`).FindAllStringSubmatch(m[1], -1) {
		out = append(out, kv[1]+": "+kv[2])
	}
	return out
}

func TestThePrintedSheetSaysWhoItIsFromAndWhatWasEntered(t *testing.T) {
	t.Run("the public check's sheet is the service's, with what was entered in words", func(t *testing.T) {
		s := newSite(t, "999")
		p := s.post(t, "/check", url.Values{
			"style": {"deep_tissue"}, "pressure": {"firm"}, "hours_since": {"30"}, "areas_worked": {"neck", "calves"},
			"pain_neck": {"4"}, "pain_calves": {"6"}, "symptoms": {"stiffness", "bruising_light"}, "health": {"varicose_veins"},
			"text": {strings.Repeat("a dull ache in both calves ", 20)}, "asked": {"1"},
		})
		if p.status != 200 || p.level() == "" {
			t.Fatalf("status %d: %.1000s", p.status, p.body)
		}
		if m := sheetFrom.FindStringSubmatch(p.body); m == nil || m[1] != "Aftercare" {
			t.Errorf("the sheet is from %v", m)
		}
		got := enteredOf(p.body)
		for _, want := range []string{"Massage: Deep tissue, firm pressure", "Areas worked: Neck, Calves", "Since the massage: 30 hours",
			"Pain now: Neck 4/10, Calves 6/10", "Symptoms: Stiffness, Light bruising", "Health: Varicose veins"} {
			if !strings.Contains(strings.Join(got, "\n"), want) {
				t.Errorf("the summary lacks %q: %q", want, got)
			}
		}
		words := got[len(got)-1]
		if !strings.HasPrefix(words, "In your words: “a dull ache") || !strings.HasSuffix(words, "…”") || len([]rune(words)) > 300+len("In your words: “…”") {
			t.Errorf("the client's words are not repeated, cut short: %q", words)
		}
	})
	t.Run("nothing ticked is said so, and nothing not said is made up", func(t *testing.T) {
		s := newSite(t, "999")
		p := s.post(t, "/check", url.Values{"pain_neck": {"3"}, "asked": {"1"}})
		got := strings.Join(enteredOf(p.body), "\n")
		if !strings.Contains(got, "Massage: Not said") || !strings.Contains(got, "Symptoms: None ticked") || strings.Contains(got, "Areas worked") || strings.Contains(got, "In your words") {
			t.Errorf("summary %q", got)
		}
	})
	t.Run("a client's sheet is from their clinic", func(t *testing.T) {
		s := newStaffSite(t)
		clinic, client := s.clinicWithClient(t, "Pia Print")
		ctx := context.Background()
		ended := s.now().Add(-20 * time.Hour)
		token, hash := aftercare.NewSecret("c_")
		sess := &aftercare.Session{ClinicID: clinic.ID, ClientID: client.ID, Style: "swedish", Pressure: "medium", AreasWorked: []string{"shoulders"},
			EndedAt: ended, LinkExpiresAt: ended.Add(14 * 24 * time.Hour), CreatedAt: ended}
		if err := s.store.CreateSession(ctx, sess, hash); err != nil {
			t.Fatal(err)
		}
		sent := s.post(t, "/c/"+token, url.Values{"pain_shoulders": {"3"}, "asked": {"1"}})
		p := s.follow(t, sent)
		if m := sheetFrom.FindStringSubmatch(p.body); m == nil || m[1] != "Calm Hands" {
			t.Errorf("the sheet is from %v, want the clinic", m)
		}
		got := strings.Join(enteredOf(p.body), "\n")
		for _, want := range []string{"Massage: Swedish / relaxation, medium pressure", "Areas worked: Shoulders", "Since the massage: 20 hours", "Pain now: Shoulders 3/10"} {
			if !strings.Contains(got, want) {
				t.Errorf("the summary lacks %q: %q", want, got)
			}
		}
	})
}

package httpapi_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"aftercare"
	"aftercare/httpapi"
)

func TestALeakedLinkCannotFloodTheClinic(t *testing.T) {
	h := newHarness(t, "SQLite", behindProxy)
	c := h.createClient(t, "Flo")
	newLink := func() string {
		sess := h.createSession(t, map[string]any{"client_id": c.ID, "style": "sports", "areas_worked": []string{"calves"},
			"ended_at": h.clock.Now().Add(-20 * time.Hour).Format(time.RFC3339)})
		return sess.CheckInURL[strings.LastIndex(sess.CheckInURL, "/")+1:]
	}
	emergency := `{"symptoms":["chest_pain"]}`
	flags := func() int {
		r := h.api("GET", "/api/v1/flags", nil).want(t, 200)
		return strings.Count(string(r.body), `"check_in_id"`)
	}

	token := newLink()
	t.Run("a link records its hour's check-ins from many addresses, then is slowed", func(t *testing.T) {
		for range httpapi.LinkCheckInsPerHour {
			h.do("POST", "/api/v1/checkin/"+token, emergency, from(uniqueAddr())).want(t, 201)
		}
		r := h.do("POST", "/api/v1/checkin/"+token, emergency, from(uniqueAddr()))
		r.wantError(t, http.StatusTooManyRequests, aftercare.ERATELIMIT, "")
		if r.header.Get("Retry-After") == "" {
			t.Error("no Retry-After")
		}
		if !strings.Contains(string(r.body), "emergency number") {
			t.Errorf("the refusal does not say where to get help: %s", r.body)
		}
	})
	t.Run("the page door of the same link is slowed too", func(t *testing.T) {
		form := url.Values{"symptoms": {"chest_pain"}}.Encode()
		h.do("POST", "/c/"+token, form, header("Content-Type", "application/x-www-form-urlencoded"), from(uniqueAddr())).
			want(t, http.StatusTooManyRequests)
	})
	t.Run("the refused check-ins raised no flags", func(t *testing.T) {
		if n := flags(); n != httpapi.LinkCheckInsPerHour {
			t.Errorf("%d open flags, want %d", n, httpapi.LinkCheckInsPerHour)
		}
	})
	t.Run("one address is slowed across many links", func(t *testing.T) {
		addr := uniqueAddr()
		sent := 0
		for sent < httpapi.AddressCheckInsPerHour {
			link := newLink()
			for range min(httpapi.LinkCheckInsPerHour, httpapi.AddressCheckInsPerHour-sent) {
				h.do("POST", "/api/v1/checkin/"+link, `{"soreness":[{"area":"calves","pain":3}]}`, from(addr)).want(t, 201)
				sent++
			}
		}
		h.do("POST", "/api/v1/checkin/"+newLink(), `{"soreness":[{"area":"calves","pain":3}]}`, from(addr)).
			wantError(t, http.StatusTooManyRequests, aftercare.ERATELIMIT, "")
	})
	t.Run("after an hour the link records again", func(t *testing.T) {
		h.clock.Advance(time.Hour)
		h.do("POST", "/api/v1/checkin/"+token, emergency, from(uniqueAddr())).want(t, 201)
	})
}
